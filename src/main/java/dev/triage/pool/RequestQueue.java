package dev.triage.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;

/**
 * The micro-batches waiting for a worker, kept per request, served in the {@link TurnOrder} the scheduling sets
 * (FAIR: a one-text request waits about one micro-batch whatever a big batch left queued). A cancelled
 * micro-batch leaves the queue (and its count) at once.
 */
final class RequestQueue {

    /** One micro-batch of one request; {@code queued} is guarded by the queue's monitor. */
    static final class Task {
        final List<Encoded> rows;
        /** Padded tokens the micro-batch costs (rows x longest row). */
        final long cells;
        final CompletableFuture<float[][]> result = new CompletableFuture<>();
        private final Request request;
        private boolean queued = true;

        private Task(List<Encoded> rows, Request request) {
            this.rows = rows;
            this.cells = cells(rows);
            this.request = request;
        }
    }

    /** A request's micro-batches in the order they should run, and how many of them still wait. */
    private static final class Request {
        final ArrayDeque<Task> tasks = new ArrayDeque<>();
        /** Arrival order. */
        long number;
        int waiting;
    }

    private final TurnOrder<Request> order;
    private long arrived;
    private int size;
    private long queuedCells;
    /** Micro-batches taken by a worker and not yet {@link #finished}. */
    private int running;
    private boolean closed;

    RequestQueue(Scheduling scheduling) {
        this.order = new TurnOrder<>(scheduling);
    }

    static long cells(List<Encoded> rows) {
        return (long) rows.stream().mapToInt(Encoded::length).max().orElse(0) * rows.size();
    }

    synchronized int size() {
        return size;
    }

    /** Padded tokens of the micro-batches waiting. */
    synchronized long queuedCells() {
        return queuedCells;
    }

    /** Queues one request's micro-batches together; a cancelled future takes its micro-batch out. */
    List<CompletableFuture<float[][]>> add(List<List<Encoded>> batches) {
        Request request = new Request();
        List<Task> tasks = batches.stream().map(rows -> new Task(rows, request)).toList();
        // Before the tasks are queued: once they are, a worker may already be taking one.
        tasks.forEach(task -> task.result.whenComplete((result, failure) -> {
            if (failure instanceof CancellationException) {
                withdraw(task);
            }
        }));
        synchronized (this) {
            request.number = arrived++;
            request.tasks.addAll(tasks);
            request.waiting = tasks.size();
            size += request.waiting;
            queuedCells += tasks.stream().mapToLong(task -> task.cells).sum();
            if (request.waiting > 0) {
                order.arrived(request);
                notifyAll();
            }
        }
        return tasks.stream().map(task -> task.result).toList();
    }

    /**
     * The next micro-batch to run, waiting while none is queued; the caller reports it {@link #finished()}.
     *
     * @return null once {@link #close()} was called and nothing is left
     */
    synchronized Task take() throws InterruptedException {
        while (size == 0) {
            if (closed) {
                return null;
            }
            wait();
        }
        Request request = order.next();
        Task task = request.tasks.poll();
        while (!task.queued) {
            task = request.tasks.poll(); // withdrawn ones are still in the deque; waiting > 0 says one is live
        }
        unqueue(task);
        if (request.waiting > 0) {
            order.servedAndWaiting(request);
        }
        running++;
        return task;
    }

    /** A taken micro-batch is done (run, failed or skipped). */
    synchronized void finished() {
        running--;
        notifyAll();
    }

    /** Waits until nothing is queued or running, at most until {@code deadlineNanos} (System.nanoTime()). */
    synchronized void awaitIdle(long deadlineNanos) throws InterruptedException {
        long left;
        while ((size > 0 || running > 0) && (left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * From now on requests are served in arrival order, each to its end: when not all can finish (a drain
     * budget), whole requests complete rather than every request a part and none its answer.
     */
    synchronized void serveInArrivalOrder() {
        order.serveInArrivalOrder(Comparator.comparingLong(request -> request.number));
    }

    /**
     * Takes out, in the order they would run, the micro-batches beyond the first {@code keepCells} padded
     * tokens; the caller fails them.
     */
    synchronized List<Task> removeBeyond(double keepCells) {
        List<Task> removed = new ArrayList<>();
        double ahead = 0;
        for (Request request : order.inServiceOrder()) {
            for (Task task : request.tasks) {
                if (task.queued && (ahead += task.cells) > keepCells) {
                    unqueue(task);
                    removed.add(task);
                }
            }
        }
        order.removeIf(request -> request.waiting == 0);
        notifyAll();
        return removed;
    }

    /** Takes out everything still queued; the caller fails it. */
    List<Task> removeAll() {
        return removeBeyond(-1);
    }

    /** No more work comes; {@link #take} returns null once the queue is empty. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void unqueue(Task task) {
        task.queued = false;
        size--;
        queuedCells -= task.cells;
        task.request.waiting--;
    }

    private synchronized void withdraw(Task task) {
        if (!task.queued) {
            return;
        }
        unqueue(task);
        Request request = task.request;
        if (request.waiting == 0) {
            request.tasks.clear();
            order.remove(request);
            notifyAll();
        }
    }
}
