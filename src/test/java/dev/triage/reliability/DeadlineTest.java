package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.batch.BatchRunner;
import dev.triage.batch.DeadlineExceededException;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.pool.InferencePool;

/**
 * A request whose deadline passes fails with DeadlineExceededException (503 at the API) and the micro-batches
 * it still had queued are skipped by the workers, not run for nobody: the real BatchRunner and pool, with a
 * task that takes 50 ms per micro-batch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineTest {

    static final long RUN_MILLIS = 50;

    @Test
    void aRequestPastItsDeadlineFailsAndItsQueuedMicroBatchesAreSkipped() {
        AtomicInteger runs = new AtomicInteger();
        InferencePool.Inference slow = (rows, scratch) -> {
            runs.incrementAndGet();
            Thread.sleep(RUN_MILLIS);
            float[][] out = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                out[i] = new float[] { rows.get(i).ids()[0] };
            }
            return out;
        };
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, slow)) {
            // One sequence per micro-batch: 40 batches = 2 s of work against a 200 ms deadline.
            BatchRunner runner = new BatchRunner(pool, new MicroBatcher(1, 4096), Duration.ofMillis(200), n -> {
            });
            List<Encoded> sequences = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sequences.add(new Encoded(new long[] { i, 1 }, new long[2]));
            }
            long start = System.nanoTime();
            DeadlineExceededException late = assertThrows(DeadlineExceededException.class, () -> runner.run(sequences));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(late.getMessage().contains("deadline"), late.getMessage());
            assertTrue(waitedMillis < 1500, "gave up after " + waitedMillis + " ms, deadline 200 ms");

            // The next request queues behind whatever the first left; it runs at once because that was skipped.
            BatchRunner patient = new BatchRunner(pool, new MicroBatcher(1, 4096), Duration.ofSeconds(30), n -> {
            });
            float[][] next = patient.run(List.of(new Encoded(new long[] { 99, 1 }, new long[2])));
            assertEquals(99f, next[0][0]);
            int ran = runs.get();
            System.out.printf("[reliability] deadline: gave up after %d ms; %d of 40 micro-batches ran, the rest "
                    + "were skipped%n", waitedMillis, ran - 1);
            // At most what fits in the deadline (200 ms / 50 ms), one in flight, some scheduling slack, + the next.
            assertTrue(ran <= 10, ran + " micro-batches ran: the expired request's queue was not dropped");
            assertEquals(0, pool.queued());
        }
    }
}
