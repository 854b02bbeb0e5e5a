package dev.triage.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;

/**
 * The pool's admission rules with a fake model function (no application, no model): a request that finds the
 * queue empty always runs, one that would overflow it is refused whole with a retry hint naming the bound, the
 * bound counts padded tokens (not micro-batches), and the pool takes work again as soon as the queue drains.
 * Each row here is 2 tokens, so a bound of 8 tokens holds 4 one-row micro-batches.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueRulesTest {

    /** A model function that holds every micro-batch until released, echoing each row's first id. */
    private static final class HeldModel implements InferencePool.Inference {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> ran = Collections.synchronizedList(new ArrayList<>());

        @Override
        public float[][] run(List<Encoded> rows, dev.triage.model.InferenceScratch scratch) throws Exception {
            started.countDown();
            release.await();
            float[][] out = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                ran.add(rows.get(i).ids()[0]);
                out[i] = new float[] { rows.get(i).ids()[0] };
            }
            return out;
        }
    }

    private static List<List<Encoded>> batches(int count, long firstId) {
        List<List<Encoded>> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(List.of(new Encoded(new long[] { firstId + i, 1 }, new long[2])));
        }
        return batches;
    }

    @Test
    void aRequestThatFindsTheQueueEmptyRunsEvenIfLargerThanTheCapacity() throws Exception {
        HeldModel model = new HeldModel();
        try (InferencePool pool = new InferencePool(1, 8, Scheduling.FAIR, model)) {
            List<CompletableFuture<float[][]>> futures = pool.submitAll(batches(10, 0));
            model.release.countDown();
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i, futures.get(i).get(10, TimeUnit.SECONDS)[0][0]);
            }
        }
    }

    @Test
    void aRequestThatWouldOverflowTheQueueIsRefusedWholeWithARetryHint() throws Exception {
        HeldModel model = new HeldModel();
        // FIFO: the order asserted below is arrival order (fair scheduling's own order is FairSchedulingTest's).
        try (InferencePool pool = new InferencePool(1, 8, Scheduling.FIFO, model)) {
            List<CompletableFuture<float[][]>> first = pool.submitAll(batches(3, 0));
            model.started.await(); // the worker holds batch 0; 2 wait
            assertEquals(2, pool.queued());
            List<CompletableFuture<float[][]>> second = pool.submitAll(batches(2, 100)); // 4 waiting: fits
            assertEquals(4, pool.queued());

            PoolSaturatedException refused = assertThrows(PoolSaturatedException.class,
                    () -> pool.submitAll(batches(1, 200)));
            assertTrue(refused.getMessage().contains("queue is full"), refused.getMessage());
            assertTrue(refused.getMessage().contains("triage.pool.queue-tokens"), refused.getMessage());
            assertTrue(refused.retryAfterSeconds() >= 1, "Retry-After " + refused.retryAfterSeconds());
            assertEquals(4, pool.queued(), "a refused request leaves nothing in the queue");

            model.release.countDown();
            for (CompletableFuture<float[][]> f : first) {
                f.get(10, TimeUnit.SECONDS);
            }
            for (CompletableFuture<float[][]> f : second) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(0L, 1L, 2L, 100L, 101L), model.ran, "only the accepted work ran, in order");

            // Drained: the pool takes work again.
            assertEquals(300f, pool.submitAll(batches(1, 300)).getFirst().get(10, TimeUnit.SECONDS)[0][0]);
            assertEquals(0, pool.queued());
        }
    }

    @Test
    void theBoundCountsTokensNotMicroBatches() throws Exception {
        HeldModel model = new HeldModel();
        try (InferencePool pool = new InferencePool(1, 100, Scheduling.FIFO, model)) {
            pool.submitAll(batches(1, 0));
            model.started.await(); // the worker holds it; nothing waits
            List<CompletableFuture<float[][]>> longOne = pool.submitAll(List.of(List.of(row(900, 80))));
            assertEquals(1, pool.queued());
            // One micro-batch of 30 tokens does not fit beside the 80 waiting ...
            PoolSaturatedException refused = assertThrows(PoolSaturatedException.class,
                    () -> pool.submitAll(List.of(List.of(row(901, 30)))));
            assertTrue(refused.getMessage().contains("80 padded tokens are waiting"), refused.getMessage());
            // ... ten micro-batches of 2 tokens do.
            List<CompletableFuture<float[][]>> small = pool.submitAll(batches(10, 100));
            assertEquals(11, pool.queued());
            model.release.countDown();
            longOne.getFirst().get(10, TimeUnit.SECONDS);
            for (CompletableFuture<float[][]> f : small) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Encoded row(long id, int tokens) {
        long[] ids = new long[tokens];
        ids[0] = id;
        return new Encoded(ids, new long[tokens]);
    }

    @Test
    void aDrainingPoolTakesNoNewWork() {
        HeldModel model = new HeldModel();
        model.release.countDown();
        try (InferencePool pool = new InferencePool(2, 8, Scheduling.FAIR, model)) {
            pool.drainWithin(java.time.Duration.ofSeconds(1));
            PoolSaturatedException refused = assertThrows(PoolSaturatedException.class,
                    () -> pool.submitAll(batches(1, 0)));
            assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
            assertTrue(refused.retryAfterSeconds() >= 1);
        }
    }
}
