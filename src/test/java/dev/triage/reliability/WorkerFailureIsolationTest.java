package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.batch.BatchRunner;
import dev.triage.batch.InferenceFailedException;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.pool.InferencePool;

/**
 * The pool's own code with a real task that throws for one marked row: only the micro-batch holding that row
 * fails (and only its request, through BatchRunner), every other future completes, and all the workers go on
 * taking work, the ones that ran the failing task included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerFailureIsolationTest {

    static final long POISON = -7;
    static final long BARRIER = -100;
    static final int WORKERS = 2;

    /**
     * A row is its first id; the "model" answers {id * 2}, throws on the poison id (an Error on poison - 1), and
     * on {@link #BARRIER} waits until {@link #WORKERS} barrier rows are running at the same time.
     */
    static InferencePool.Inference doubling(Set<String> threads) {
        CountDownLatch barrier = new CountDownLatch(WORKERS);
        return (rows, scratch) -> {
            threads.add(Thread.currentThread().getName());
            if (rows.get(0).ids()[0] == BARRIER) {
                barrier.countDown();
                if (!barrier.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("not every worker is taking work");
                }
            }
            float[][] out = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                long id = rows.get(i).ids()[0];
                if (id == POISON) {
                    throw new IllegalStateException("ORT says: indices element out of data bounds (row " + id + ")");
                }
                if (id == POISON - 1) {
                    throw new OutOfMemoryError("native arena exhausted (simulated in the task)");
                }
                out[i] = new float[] { id * 2f };
            }
            return out;
        };
    }

    static Encoded row(long id) {
        return new Encoded(new long[] { id, 1, 2 }, new long[3]);
    }

    @Test
    void aThrowingTaskFailsOnlyItsOwnFutureAndEveryWorkerGoesOn() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (InferencePool pool = new InferencePool(WORKERS, 1_000_000, Scheduling.FAIR, doubling(threads))) {
            List<List<Encoded>> batches = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long id = i == 37 ? POISON : i == 71 ? POISON - 1 : i;
                batches.add(List.of(row(id)));
            }
            List<CompletableFuture<float[][]>> futures = pool.submitAll(batches);
            for (int i = 0; i < 100; i++) {
                CompletableFuture<float[][]> f = futures.get(i);
                if (i == 37 || i == 71) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                    assertTrue(e.getCause().getMessage().contains(i == 37 ? "out of data bounds" : "arena"),
                            e.getCause().toString());
                } else {
                    assertEquals(i * 2f, f.get(10, TimeUnit.SECONDS)[0][0], "batch " + i);
                }
            }
            assertEquals(WORKERS, pool.size());

            // Every worker is still alive: WORKERS barrier tasks that each wait until all of them run at once.
            threads.clear();
            pool.submitAll(Collections.nCopies(WORKERS, List.of(row(BARRIER)))).forEach(CompletableFuture::join);
            assertEquals(WORKERS, threads.size(), "workers that ran a barrier task: " + threads);
            List<CompletableFuture<float[][]>> later = pool.submitAll(Collections.nCopies(50, List.of(row(3))));
            later.forEach(f -> assertEquals(6f, f.join()[0][0]));
        }
    }

    @Test
    void throughTheBatchRunnerOnlyTheRequestWithThePoisonRowFails() {
        try (InferencePool pool = new InferencePool(WORKERS, 1_000_000, Scheduling.FAIR,
                doubling(ConcurrentHashMap.newKeySet()))) {
            BatchRunner runner = new BatchRunner(pool, new MicroBatcher(4, 4096), Duration.ofSeconds(30), n -> {
            });
            List<Encoded> poisoned = List.of(row(1), row(POISON), row(3));
            InferenceFailedException failed = assertThrows(InferenceFailedException.class, () -> runner.run(poisoned));
            assertTrue(failed.getMessage().contains("out of data bounds"), failed.getMessage());
            float[][] fine = runner.run(List.of(row(5), row(6), row(7), row(8), row(9)));
            for (int i = 0; i < 5; i++) {
                assertEquals((5 + i) * 2f, fine[i][0]);
            }
        }
    }
}
