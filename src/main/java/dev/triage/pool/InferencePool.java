package dev.triage.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.triage.model.Encoded;
import dev.triage.model.InferenceScratch;

/**
 * A fixed set of platform threads, one per core, that run micro-batches through the model. Requests (on
 * virtual threads) only enqueue and wait; the cores never run more inference threads than they have.
 * A micro-batch that fails fails only its own future; its worker goes on.
 */
public final class InferencePool implements AutoCloseable {

    /** What a worker does with one micro-batch, with its own scratch buffers. */
    @FunctionalInterface
    public interface Inference {
        float[][] run(List<Encoded> rows, InferenceScratch scratch) throws Exception;
    }

    /** @param cells padded tokens the micro-batch costs (rows x longest row) */
    private record Task(List<Encoded> rows, long cells, CompletableFuture<float[][]> result) {
    }

    private static final Logger LOG = Logger.getLogger(InferencePool.class);
    private static final Task POISON = new Task(List.of(), 0, new CompletableFuture<>());
    /** Estimates are guesses: plan the drain for this share of the budget. */
    private static final double DRAIN_SAFETY = 0.8;
    private static final int SHUTDOWN_RETRY_AFTER_SECONDS = 2;
    private static final long IDLE_POLL_MILLIS = 20;

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Inference inference;
    private volatile boolean accepting = true;
    /** Measured nanoseconds per padded token of one worker (moving average); 0 until the first run. */
    private volatile double nanosPerCell;

    public InferencePool(int size, int queueCapacity, Inference inference) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, was " + size);
        }
        this.capacity = Math.max(queueCapacity, 1);
        this.inference = inference;
        for (int i = 0; i < size; i++) {
            Thread worker = Thread.ofPlatform().name("triage-worker-" + i).daemon(true).unstarted(this::work);
            workers.add(worker);
            worker.start();
        }
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

    /**
     * Enqueues all of a request's micro-batches, or none of them. A request is taken when it fits in the
     * capacity, or when nothing waits at all: any request the limits allow can run, and the queue never holds
     * more than the capacity plus one request.
     *
     * @throws PoolSaturatedException when the queue has no room for all of them, or the pool is shutting down
     */
    public synchronized List<CompletableFuture<float[][]>> submitAll(List<List<Encoded>> batches) {
        if (!accepting) {
            throw new PoolSaturatedException("shutting down: no new work is taken", 1);
        }
        int waiting = queue.size();
        if (waiting > 0 && waiting + batches.size() > capacity) {
            throw new PoolSaturatedException("inference queue is full (" + queue.size() + " micro-batches waiting, "
                    + "request needs " + batches.size() + ")", retryAfterSeconds());
        }
        List<CompletableFuture<float[][]>> futures = new ArrayList<>(batches.size());
        for (List<Encoded> rows : batches) {
            Task task = new Task(rows, cells(rows), new CompletableFuture<>());
            queue.add(task);
            futures.add(task.result());
        }
        return futures;
    }

    /** Seconds the workers need for this many tokens at the measured speed (1 until anything was measured). */
    public int secondsFor(long tokens) {
        double perCell = nanosPerCell;
        return perCell <= 0 ? 1 : (int) Math.ceil(tokens * perCell / workers.size() / 1e9);
    }

    /** A rough wait: the work ahead, at a guessed 20 ms per micro-batch per worker, at least a second. */
    private int retryAfterSeconds() {
        return Math.max(1, (int) Math.ceil(queue.size() * 0.02 / workers.size()));
    }

    static long cells(List<Encoded> rows) {
        int longest = 0;
        for (Encoded row : rows) {
            longest = Math.max(longest, row.length());
        }
        return (long) longest * rows.size();
    }

    private void learnSpeed(long nanos, long cells) {
        if (cells > 0) {
            double now = (double) nanos / cells;
            double before = nanosPerCell;
            nanosPerCell = before <= 0 ? now : 0.8 * before + 0.2 * now;
        }
    }

    private void work() {
        InferenceScratch scratch = new InferenceScratch();
        while (true) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == POISON) {
                return;
            }
            if (task.result().isDone()) {
                continue; // cancelled: its request gave up (deadline, client gone)
            }
            busy.incrementAndGet();
            try {
                long start = System.nanoTime();
                task.result().complete(inference.run(task.rows(), scratch));
                learnSpeed(System.nanoTime() - start, task.cells());
            } catch (Throwable t) {
                LOG.errorf(t, "inference of a micro-batch of %d sequences failed", task.rows().size());
                task.result().completeExceptionally(t);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    /**
     * Stops taking work and lets the workers finish what can finish within the budget. Queued micro-batches that,
     * at the measured speed, would not are failed at once ({@link PoolSaturatedException}: their requests get
     * 503 + Retry-After while the server can still answer); at the budget's end whatever still waits is failed.
     * Returns when the queue is empty and no worker runs, or at the budget's end.
     */
    public void drainWithin(Duration budget) {
        synchronized (this) {
            accepting = false;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        failWhatCannotFinish(budget.toNanos());
        while (System.nanoTime() < deadline && (!queue.isEmpty() || busy.get() > 0)) {
            try {
                Thread.sleep(IDLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failQueued("shutting down: not started within the drain budget of " + budget.toMillis() + " ms");
    }

    /** Walks the queue in order, adding each micro-batch's estimated time; fails those past the budget. */
    private void failWhatCannotFinish(long budgetNanos) {
        double perCell = nanosPerCell;
        if (perCell <= 0) {
            return; // nothing measured yet; the deadline still bounds it
        }
        double capacityCells = budgetNanos * DRAIN_SAFETY * workers.size() / perCell;
        double ahead = 0;
        int failed = 0;
        for (Task task : queue) {
            ahead += task.cells();
            if (ahead > capacityCells && task != POISON && fail(task, "shutting down: this work would not finish "
                    + "within the drain budget of " + budgetNanos / 1_000_000 + " ms")) {
                failed++;
            }
        }
        if (failed > 0) {
            LOG.infof("shutting down: %d queued micro-batches cannot finish within the drain budget; their "
                    + "requests are answered 503", failed);
        }
    }

    private void failQueued(String why) {
        for (Task task : queue) {
            if (task != POISON) {
                fail(task, why);
            }
        }
    }

    private static boolean fail(Task task, String why) {
        return task.result().completeExceptionally(new PoolSaturatedException(why, SHUTDOWN_RETRY_AFTER_SECONDS));
    }

    /** Stops taking work and stops the workers; whatever still waits is failed. A running batch ends on its own. */
    @Override
    public void close() {
        synchronized (this) {
            accepting = false;
        }
        failQueued("shut down before it ran");
        for (int i = 0; i < workers.size(); i++) {
            queue.add(POISON);
        }
        workers.forEach(Thread::interrupt);
    }
}
