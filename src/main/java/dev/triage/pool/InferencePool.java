package dev.triage.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

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

    private final RequestQueue queue;
    private final int capacity;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Inference inference;
    private volatile boolean accepting = true;

    public InferencePool(int size, int queueCapacity, Inference inference) {
        this(size, queueCapacity, Scheduling.FAIR, inference);
    }

    public InferencePool(int size, int queueCapacity, Scheduling scheduling, Inference inference) {
        this.queue = new RequestQueue(scheduling);
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
        return queue.add(batches);
    }

    /** A rough wait: the work ahead, at a guessed 20 ms per micro-batch per worker, at least a second. */
    private int retryAfterSeconds() {
        return Math.max(1, (int) Math.ceil(queue.size() * 0.02 / workers.size()));
    }

    private void work() {
        InferenceScratch scratch = new InferenceScratch();
        while (true) {
            RequestQueue.Task task;
            try {
                task = queue.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                return; // drained
            }
            if (task.result.isDone()) {
                continue; // cancelled: its request gave up (deadline, client gone)
            }
            busy.incrementAndGet();
            try {
                task.result.complete(inference.run(task.rows, scratch));
            } catch (Throwable t) {
                LOG.errorf(t, "inference of a micro-batch of %d sequences failed", task.rows.size());
                task.result.completeExceptionally(t);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    /** Stops taking work, lets the workers finish what is queued (bounded by the timeout), then stops them. */
    public void drain(long timeoutMillis) {
        synchronized (this) {
            accepting = false;
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        queue.close();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        drain(0);
        workers.forEach(Thread::interrupt);
        for (RequestQueue.Task left : queue.removeAll()) {
            left.result.completeExceptionally(new PoolSaturatedException("shut down before it ran", 1));
        }
    }
}
