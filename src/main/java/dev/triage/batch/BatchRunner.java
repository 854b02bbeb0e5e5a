package dev.triage.batch;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

import dev.triage.model.Encoded;
import dev.triage.pool.InferencePool;
import dev.triage.pool.PoolSaturatedException;

/**
 * Runs any number of sequences through the pool as length-sorted micro-batches and puts the outputs back in
 * input order. Called on the request's (virtual) thread, which only waits.
 *
 * @param tokensPerRun told the real (unpadded) token count of every run, e.g. for metrics
 */
public record BatchRunner(InferencePool pool, MicroBatcher batcher, Duration deadline, IntConsumer tokensPerRun) {

    /** @return one output row per sequence, in the order given */
    public float[][] run(List<Encoded> sequences) {
        float[][] outputs = new float[sequences.size()][];
        if (sequences.isEmpty()) {
            return outputs;
        }
        List<int[]> groups = batcher.plan(sequences);
        List<List<Encoded>> batches = groups.stream()
                .map(group -> Arrays.stream(group).mapToObj(sequences::get).toList())
                .toList();
        List<CompletableFuture<float[][]>> futures = pool.submitAll(batches);
        tokensPerRun.accept(sequences.stream().mapToInt(Encoded::length).sum());
        long until = System.nanoTime() + deadline.toNanos();
        try {
            for (int g = 0; g < groups.size(); g++) {
                float[][] rows = futures.get(g).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                int[] group = groups.get(g);
                for (int i = 0; i < group.length; i++) {
                    outputs[group[i]] = rows[i];
                }
            }
            return outputs;
        } catch (TimeoutException e) {
            throw new DeadlineExceededException("no result within the deadline of " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlineExceededException("interrupted while waiting for inference");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PoolSaturatedException refused) {
                throw refused; // failed by a draining pool, not by the model: the client should retry elsewhere
            }
            throw new InferenceFailedException(e.getCause());
        } finally {
            // Whatever is still queued for this request is skipped by the workers.
            futures.forEach(f -> f.cancel(false));
        }
    }
}
