package dev.triage.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.model.InferenceScratch;

/**
 * A fixed set of platform threads, one per core, that run micro-batches through the model. Requests (on
 * virtual threads) only enqueue and wait; the cores never run more inference threads than they have.
 * A micro-batch that fails fails only its own future; its worker goes on. Which queued micro-batch runs next is
 * the {@link Scheduling}'s choice.
 */
public final class InferencePool implements AutoCloseable {

    /** What a worker does with one micro-batch, with its own scratch buffers. */
    @FunctionalInterface
    public interface Inference {
        float[][] run(List<Encoded> rows, InferenceScratch scratch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(InferencePool.class);
    /** Estimates are guesses: plan the drain for this share of the budget. */
    private static final double DRAIN_SAFETY = 0.8;
    private static final int SHUTDOWN_RETRY_AFTER_SECONDS = 2;

    private final RequestQueue queue;
    /** Padded tokens that may wait. */
    private final long capacity;
    private final List<Thread> workers;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong ran = new AtomicLong();
    private final Inference inference;
    private volatile boolean accepting = true;
    private final SpeedEstimate speed = new SpeedEstimate();

    /** @param queueTokens padded tokens (rows x longest row of each micro-batch) that may wait for a worker */
    public InferencePool(int size, long queueTokens, Scheduling scheduling, Inference inference) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, was " + size);
        }
        this.queue = new RequestQueue(scheduling);
        this.capacity = Math.max(queueTokens, 1);
        this.inference = inference;
        Thread.Builder builder = Thread.ofPlatform().name("triage-worker-", 0).daemon(true);
        this.workers = IntStream.range(0, size).mapToObj(i -> builder.start(this::work)).toList();
    }

    public int size() {
        return workers.size();
    }

    public int queued() {
        return queue.size();
    }

    public int busy() {
        return busy.get();
    }

    /** Micro-batches run so far (skipped, failed-before-start and withdrawn ones not counted). */
    public long ran() {
        return ran.get();
    }

    /**
     * Enqueues all of a request's micro-batches, or none of them. The bound counts work, padded tokens, not
     * micro-batches: a request is taken when its tokens fit beside those waiting, or when nothing waits at all
     * (any request the limits allow can run), so the queue never holds more than the bound plus one request.
     *
     * @throws PoolSaturatedException when the queue has no room for all of them, or the pool is shutting down
     */
    public synchronized List<CompletableFuture<float[][]>> submitAll(List<List<Encoded>> batches) {
        if (!accepting) {
            throw new PoolSaturatedException("shutdown", "shutting down: no new work is taken", 1);
        }
        long waiting = queue.queuedCells();
        long needs = batches.stream().mapToLong(RequestQueue::cells).sum();
        if (queue.size() > 0 && waiting + needs > capacity) {
            throw new PoolSaturatedException("queue", "inference queue is full: " + waiting
                    + " padded tokens are waiting, this request needs " + needs + "; the bound is " + capacity
                    + " (triage.pool.queue-tokens)", retryAfterSeconds(waiting));
        }
        return queue.add(batches);
    }

    /** Retry-After for this many tokens of work ahead: the workers' time at the measured speed, 1 to 60 seconds. */
    public int retryAfterSeconds(long tokens) {
        double perCell = speed.nanosPerCell();
        int seconds = perCell <= 0 ? 1 : (int) Math.ceil(tokens * perCell / workers.size() / 1e9);
        return Math.clamp(seconds, 1, 60);
    }

    private void work() {
        InferenceScratch scratch = new InferenceScratch();
        try {
            RequestQueue.Task task;
            while ((task = queue.take()) != null) { // null: closed and empty
                try {
                    run(task, scratch);
                } finally {
                    queue.finished();
                }
            }
        } catch (InterruptedException e) {
            // close() stops the worker
        }
    }

    private void run(RequestQueue.Task task, InferenceScratch scratch) {
        if (task.result.isDone()) {
            return; // failed by a drain while being taken, or its request gave up
        }
        busy.incrementAndGet();
        try {
            long start = System.nanoTime();
            task.result.complete(inference.run(task.rows, scratch));
            speed.record(System.nanoTime() - start, task.cells);
        } catch (Throwable t) {
            LOG.errorf(t, "inference of a micro-batch of %d sequences failed", task.rows.size());
            task.result.completeExceptionally(t);
        } finally {
            ran.incrementAndGet();
            busy.decrementAndGet();
        }
    }

    /**
     * Stops taking work and lets the workers finish what can finish within the budget, serving requests in
     * arrival order so that those kept complete whole. Queued micro-batches that, at the measured speed, would
     * not finish are failed at once ({@link PoolSaturatedException}: their requests get 503 + Retry-After while
     * the server can still answer); at the budget's end whatever still waits is failed. Returns when nothing is
     * queued and no worker runs, or at the budget's end.
     */
    public void drainWithin(Duration budget) {
        synchronized (this) {
            accepting = false;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        queue.serveInArrivalOrder();
        failWhatCannotFinish(budget.toNanos());
        try {
            queue.awaitIdle(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fail(queue.removeAll(), "shutting down: not started within the drain budget of " + budget.toMillis() + " ms");
    }

    /** Adds the queued micro-batches' estimated time in the order they will run; fails those past the budget. */
    private void failWhatCannotFinish(long budgetNanos) {
        double perCell = speed.nanosPerCell();
        if (perCell <= 0) {
            return; // nothing measured yet; the deadline still bounds it
        }
        double capacityCells = budgetNanos * DRAIN_SAFETY * workers.size() / perCell;
        int failed = fail(queue.removeBeyond(capacityCells), "shutting down: this work would not finish within "
                + "the drain budget of " + budgetNanos / 1_000_000 + " ms");
        if (failed > 0) {
            LOG.infof("shutting down: %d queued micro-batches cannot finish within the drain budget; their "
                    + "requests are answered 503", failed);
        }
    }

    private static int fail(List<RequestQueue.Task> tasks, String why) {
        int failed = 0;
        for (RequestQueue.Task task : tasks) {
            var refused = new PoolSaturatedException("shutdown", why, SHUTDOWN_RETRY_AFTER_SECONDS);
            if (task.result.completeExceptionally(refused)) {
                failed++;
            }
        }
        return failed;
    }

    /** Stops taking work and stops the workers; whatever still waits is failed. A running batch ends on its own. */
    @Override
    public void close() {
        synchronized (this) {
            accepting = false;
        }
        queue.close();
        fail(queue.removeAll(), "shut down before it ran");
        workers.forEach(Thread::interrupt);
    }
}
