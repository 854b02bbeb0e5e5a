package dev.triage.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.batch.BatchRunner;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.model.InferenceScratch;

/**
 * The order in which one worker serves queued requests, through the real BatchRunner and pool with a model
 * function that records which row it ran and can be held: no timing is asserted. A row is its first id; the
 * "model" answers {id}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairSchedulingTest {

    static final int BIG = 100;
    static final long SMALL_ID = 1000;

    /** Records the run order; holds the first row until {@code firstMayEnd}, later big rows until {@code bigMayGo}. */
    static final class HeldModel implements InferencePool.Inference {
        final List<Long> ran = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstRunning = new CountDownLatch(1);
        final CountDownLatch firstMayEnd = new CountDownLatch(1);
        final CountDownLatch bigMayGo;

        HeldModel(boolean holdBig) {
            bigMayGo = new CountDownLatch(holdBig ? 1 : 0);
        }

        @Override
        public float[][] run(List<Encoded> rows, InferenceScratch scratch) throws Exception {
            long id = rows.get(0).ids()[0];
            ran.add(id);
            if (ran.size() == 1) {
                firstRunning.countDown();
                firstMayEnd.await();
            } else if (id < BIG) {
                bigMayGo.await();
            }
            float[][] out = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                out[i] = new float[] { rows.get(i).ids()[0] };
            }
            return out;
        }
    }

    static List<Encoded> rows(long from, int count) {
        List<Encoded> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Encoded(new long[] { from + i, 1 }, new long[2]));
        }
        return rows;
    }

    static BatchRunner runner(InferencePool pool) {
        return new BatchRunner(pool, new MicroBatcher(1, 4096), Duration.ofSeconds(30), n -> {
        });
    }

    static void awaitQueued(InferencePool pool, int count) throws InterruptedException {
        while (pool.queued() != count) {
            Thread.sleep(1); // the request threads are still submitting
        }
    }

    @Test
    void aSmallRequestQueuedBehindABigOneCompletesFirst() throws Exception {
        HeldModel model = new HeldModel(true);
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, model);
                ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<float[][]> big = requests.submit(() -> runner(pool).run(rows(0, BIG)));
            model.firstRunning.await();
            Future<float[][]> small = requests.submit(() -> runner(pool).run(rows(SMALL_ID, 1)));
            awaitQueued(pool, BIG);
            model.firstMayEnd.countDown();

            assertEquals(SMALL_ID, small.get(10, TimeUnit.SECONDS)[0][0]);
            // The worker now holds the big request's second row: the big one cannot have finished.
            assertTrue(!big.isDone(), "the big request finished before the small one was served");
            assertEquals(List.of(0L, SMALL_ID), model.ran.subList(0, 2));

            model.bigMayGo.countDown();
            float[][] bigResult = big.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < BIG; i++) {
                assertEquals(i, bigResult[i][0], "big request row " + i);
            }
            assertEquals(0, pool.queued());
        }
    }

    @Test
    void twoBigRequestsTakeTurnsAndANewOneGoesFirst() throws Exception {
        HeldModel model = new HeldModel(false);
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, model)) {
            List<CompletableFuture<float[][]>> first = pool.submitAll(batches(0, 4));
            model.firstRunning.await();
            List<CompletableFuture<float[][]>> second = pool.submitAll(batches(10, 4));
            List<CompletableFuture<float[][]>> third = pool.submitAll(batches(20, 2));
            model.firstMayEnd.countDown();
            CompletableFuture.allOf(join(first, second, third)).get(10, TimeUnit.SECONDS);
            // 0 was running; 10 and 20 have not run yet, so they go first, then each request in turn.
            assertEquals(List.of(0L, 10L, 20L, 1L, 11L, 21L, 2L, 12L, 3L, 13L), model.ran);
        }
    }

    @Test
    void fifoServesRequestsInArrivalOrder() throws Exception {
        HeldModel model = new HeldModel(false);
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FIFO, model)) {
            List<CompletableFuture<float[][]>> big = pool.submitAll(batches(0, BIG));
            model.firstRunning.await();
            List<CompletableFuture<float[][]>> small = pool.submitAll(batches(SMALL_ID, 1));
            model.firstMayEnd.countDown();
            CompletableFuture.allOf(join(big, small)).get(10, TimeUnit.SECONDS);
            assertEquals(SMALL_ID, model.ran.get(BIG));
        }
    }

    @Test
    void aCancelledRequestLeavesTheQueueAtOnce() throws Exception {
        HeldModel model = new HeldModel(false);
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, model)) {
            List<CompletableFuture<float[][]>> first = pool.submitAll(batches(0, 5));
            model.firstRunning.await();
            List<CompletableFuture<float[][]>> dropped = pool.submitAll(batches(10, 50));
            assertEquals(54, pool.queued());
            dropped.forEach(f -> f.cancel(false));
            assertEquals(4, pool.queued());
            model.firstMayEnd.countDown();
            CompletableFuture.allOf(join(first)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), model.ran);
        }
    }

    @Test
    void requestsSubmittedFromManyThreadsWhileWorkersTakeAllGetTheirOwnResults() throws Exception {
        InferencePool.Inference echo = (rows, scratch) -> {
            float[][] out = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                out[i] = new float[] { rows.get(i).ids()[0] };
            }
            return out;
        };
        try (InferencePool pool = new InferencePool(2, 1_000_000, Scheduling.FAIR, echo);
                ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                long base = c * 1_000_000L;
                done.add(clients.submit(() -> {
                    for (int r = 0; r < 200; r++) {
                        long from = base + r * 1000L;
                        List<CompletableFuture<float[][]>> futures = pool.submitAll(batches(from, 1 + r % 97));
                        for (int i = 0; i < futures.size(); i++) {
                            assertEquals(from + i, futures.get(i).join()[0][0]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, pool.queued());
        }
    }

    static List<List<Encoded>> batches(long from, int count) {
        List<List<Encoded>> batches = new ArrayList<>();
        for (Encoded row : rows(from, count)) {
            batches.add(List.of(row));
        }
        return batches;
    }

    @SafeVarargs
    static CompletableFuture<?>[] join(List<CompletableFuture<float[][]>>... requests) {
        List<CompletableFuture<float[][]>> all = new ArrayList<>();
        for (List<CompletableFuture<float[][]>> request : requests) {
            all.addAll(request);
        }
        return all.toArray(CompletableFuture[]::new);
    }
}
