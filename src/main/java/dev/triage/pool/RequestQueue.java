package dev.triage.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.triage.model.Encoded;

/**
 * The micro-batches waiting for a worker, kept per request. {@link Scheduling#FAIR}: a request that has not
 * had a turn yet is served next (arrival order among those), then requests take one micro-batch each in turn,
 * so a one-text request waits about one micro-batch whatever a big batch left queued. {@link Scheduling#FIFO}:
 * requests in arrival order, each to its end. A cancelled micro-batch leaves the queue (and its count) at once.
 */
final class RequestQueue {

    /** One micro-batch of one request; {@code queued} is guarded by the queue's lock. */
    static final class Task {
        final List<Encoded> rows;
        final CompletableFuture<float[][]> result = new CompletableFuture<>();
        private final Request request;
        private boolean queued = true;

        private Task(List<Encoded> rows, Request request) {
            this.rows = rows;
            this.request = request;
        }
    }

    /** A request's micro-batches in the order they should run, and how many of them still wait. */
    private static final class Request {
        final ArrayDeque<Task> tasks = new ArrayDeque<>();
        int waiting;
    }

    private final Scheduling scheduling;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Requests that have not been served yet, oldest first. */
    private final ArrayDeque<Request> arrivals = new ArrayDeque<>();
    /** Requests served at least once that still wait; the head goes next. */
    private final ArrayDeque<Request> turns = new ArrayDeque<>();
    private int size;
    private boolean closed;

    RequestQueue(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Queues one request's micro-batches together; a cancelled future takes its micro-batch out. */
    List<CompletableFuture<float[][]>> add(List<List<Encoded>> batches) {
        Request request = new Request();
        List<Task> tasks = new ArrayList<>(batches.size());
        List<CompletableFuture<float[][]>> futures = new ArrayList<>(batches.size());
        for (List<Encoded> rows : batches) {
            Task task = new Task(rows, request);
            // Before the task is queued: once it is, a worker may already be taking it.
            task.result.whenComplete((result, failure) -> {
                if (failure instanceof CancellationException) {
                    withdraw(task);
                }
            });
            tasks.add(task);
            futures.add(task.result);
        }
        lock.lock();
        try {
            request.tasks.addAll(tasks);
            request.waiting = tasks.size();
            size += request.waiting;
            if (request.waiting > 0) {
                arrivals.add(request);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return futures;
    }

    /**
     * The next micro-batch to run, waiting while none is queued.
     *
     * @return null once {@link #close()} was called and nothing is left, or on timeout
     */
    Task take(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (size == 0) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            Request request = next();
            Task task = request.tasks.poll();
            while (!task.queued) {
                task = request.tasks.poll(); // withdrawn ones are still in the deque; waiting > 0 says one is live
            }
            task.queued = false;
            size--;
            request.waiting--;
            if (request.waiting > 0) {
                if (scheduling == Scheduling.FIFO) {
                    turns.addFirst(request);
                } else {
                    turns.addLast(request);
                }
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** FIFO: the request at the head of {@code turns} (its only one) until it is done. */
    private Request next() {
        if (scheduling == Scheduling.FIFO) {
            return turns.isEmpty() ? arrivals.poll() : turns.poll();
        }
        return arrivals.isEmpty() ? turns.poll() : arrivals.poll();
    }

    /** No more work comes; {@link #take} returns null once the queue is empty. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes out everything still queued (at shutdown). */
    List<Task> removeAll() {
        List<Task> left = new ArrayList<>();
        Task task;
        try {
            while ((task = take(0, TimeUnit.NANOSECONDS)) != null) {
                left.add(task);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }

    private void withdraw(Task task) {
        lock.lock();
        try {
            if (!task.queued) {
                return;
            }
            task.queued = false;
            size--;
            Request request = task.request;
            if (--request.waiting == 0) {
                request.tasks.clear();
                if (!arrivals.remove(request)) {
                    turns.remove(request);
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
