package dev.triage.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.model.NativeUseGate;

/** The pool's shutdown: what cannot finish within the budget is refused at once; a session is freed only idle. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolDrainTest {

    static final Encoded ROW = new Encoded(new long[16], new long[16]);

    @Test
    void workThatCannotFinishWithinTheBudgetIsRefusedAtOnceAndTheRestCompletes() throws Exception {
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, (rows, scratch) -> {
            Thread.sleep(50);
            return new float[rows.size()][1];
        })) {
            pool.submitAll(List.of(List.of(ROW))).get(0).get(5, TimeUnit.SECONDS); // the speed is measured
            List<CompletableFuture<float[][]>> queued = pool.submitAll(Collections.nCopies(100, List.of(ROW)));
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> pool.drainWithin(Duration.ofMillis(1000)));
            // ~50 ms each on one worker: about 16 fit in 0.8 x 1 s; the tail of the queue is refused at once, by
            // the plan ("would not finish"), not at the deadline ("not started"): no clock needed to tell them apart.
            ExecutionException refused = assertThrows(ExecutionException.class, () -> queued.get(99).get(5,
                    TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof PoolSaturatedException, refused.toString());
            assertTrue(refused.getCause().getMessage().contains("would not finish within the drain budget"),
                    refused.getCause().getMessage());
            assertEquals(1, queued.get(0).get(5, TimeUnit.SECONDS).length);
            drained.get(5, TimeUnit.SECONDS);
            // The drain returns at its deadline; a micro-batch still running then answers when it ends.
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(5, TimeUnit.SECONDS);
            long done = queued.stream().filter(f -> !f.isCompletedExceptionally()).count();
            assertTrue(done >= 5 && done <= 25, done + " of 100 ran in a 1 s budget at 50 ms each");
            assertTrue(queued.stream().allMatch(CompletableFuture::isDone), "every request has its answer");
            PoolSaturatedException late = assertThrows(PoolSaturatedException.class,
                    () -> pool.submitAll(List.of(List.of(ROW))));
            assertTrue(late.getMessage().contains("shutting down"), late.getMessage());
        }
    }

    /**
     * Fair scheduling interleaves requests; a drain that kept the first micro-batches of each would answer every
     * request 503 after running most of it. The drain serves in arrival order: the first request completes whole.
     */
    @Test
    void aDrainUnderFairSchedulingCompletesWholeRequestsInArrivalOrder() throws Exception {
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, (rows, scratch) -> {
            Thread.sleep(50);
            return new float[rows.size()][1];
        })) {
            for (int i = 0; i < 5; i++) {
                pool.submitAll(List.of(List.of(ROW))).get(0).get(5, TimeUnit.SECONDS); // the speed is measured
            }
            List<CompletableFuture<float[][]>> first = pool.submitAll(Collections.nCopies(20, List.of(ROW)));
            List<CompletableFuture<float[][]>> second = pool.submitAll(Collections.nCopies(40, List.of(ROW)));
            // 0.8 x 2 s at 50 ms each: ~32 fit, the first request's 20 and a part of the second.
            pool.drainWithin(Duration.ofSeconds(2));
            for (CompletableFuture<float[][]> batch : first) {
                assertEquals(1, batch.get(5, TimeUnit.SECONDS).length);
            }
            ExecutionException refused = assertThrows(ExecutionException.class, () -> second.getLast().get(5,
                    TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof PoolSaturatedException, refused.toString());
            assertEquals(0, pool.queued());
        }
    }

    /**
     * One run the machine stalled (a busy shared host) must not make the drain refuse work that fits: a moving
     * average after a 1 s stall planned ~200 ms a micro-batch and refused nearly everything below.
     */
    @Test
    void oneStalledRunDoesNotMakeTheDrainRefuseWorkThatFits() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        try (InferencePool pool = new InferencePool(1, 1_000_000, Scheduling.FAIR, (rows, scratch) -> {
            Thread.sleep(stall.getCount() > 0 && rows.get(0).ids()[0] == 1 ? 1000 : 5);
            return new float[rows.size()][1];
        })) {
            for (int i = 0; i < 20; i++) {
                pool.submitAll(List.of(List.of(ROW))).get(0).get(5, TimeUnit.SECONDS);
            }
            Encoded stalled = new Encoded(new long[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
                    new long[16]);
            pool.submitAll(List.of(List.of(stalled))).get(0).get(5, TimeUnit.SECONDS);
            stall.countDown();
            List<CompletableFuture<float[][]>> queued = pool.submitAll(Collections.nCopies(50, List.of(ROW)));
            pool.drainWithin(Duration.ofSeconds(1)); // 50 x 5 ms fit in 0.8 s with room to spare
            for (CompletableFuture<float[][]> batch : queued) {
                assertEquals(1, batch.get(5, TimeUnit.SECONDS).length);
            }
        }
    }

    @Test
    void closingTheGateWaitsForTheRunningCallAndRefusesNewOnes() throws Exception {
        NativeUseGate gate = new NativeUseGate("session");
        CountDownLatch inside = new CountDownLatch(1);
        Thread running = Thread.ofPlatform().start(() -> {
            gate.enter();
            inside.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gate.exit();
            }
        });
        inside.await();
        long start = System.nanoTime();
        assertTrue(gate.closeAfterRunning(Duration.ofSeconds(5)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 200, "close did not wait for the run");
        assertFalse(running.isAlive() && gate.inside() > 0);
        assertThrows(NativeUseGate.ClosedException.class, gate::enter);
        running.join();
    }

    @Test
    void aCallThatOutlivesTheWaitLeavesTheResourceUnfreed() throws Exception {
        NativeUseGate gate = new NativeUseGate("session");
        gate.enter();
        assertFalse(gate.closeAfterRunning(Duration.ofMillis(100)));
        gate.exit();
        assertThrows(NativeUseGate.ClosedException.class, gate::enter);
    }
}
