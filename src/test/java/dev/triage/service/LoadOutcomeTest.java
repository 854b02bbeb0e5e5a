package dev.triage.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The rule a request follows while the model loads: wait up to the bound, never longer, never after a failure. */
class LoadOutcomeTest {

    @Test
    void aWaitingCallerGetsTheValueAsSoonAsItIsLoaded() {
        LoadOutcome<String> outcome = new LoadOutcome<>();
        Thread.ofPlatform().start(() -> {
            sleep(300);
            outcome.succeed("model");
        });
        long start = System.nanoTime();
        assertEquals(Optional.of("model"), outcome.awaitValue(Duration.ofSeconds(30)));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 250 && waitedMs < 10_000, "waited " + waitedMs + " ms");
    }

    @Test
    void theWaitIsBounded() {
        LoadOutcome<String> outcome = new LoadOutcome<>();
        long start = System.nanoTime();
        assertEquals(Optional.empty(), outcome.awaitValue(Duration.ofMillis(300)));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 250 && waitedMs < 5_000, "waited " + waitedMs + " ms");
    }

    @Test
    void aZeroBoundAnswersAtOnce() {
        LoadOutcome<String> outcome = new LoadOutcome<>();
        long start = System.nanoTime();
        assertEquals(Optional.empty(), outcome.awaitValue(Duration.ZERO));
        assertTrue(System.nanoTime() - start < 200_000_000L);
    }

    @Test
    void aFailedLoadIsNotWaitedFor() {
        LoadOutcome<String> outcome = new LoadOutcome<>();
        outcome.fail("not an ONNX model");
        long start = System.nanoTime();
        assertEquals(Optional.empty(), outcome.awaitValue(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
        assertEquals(Optional.of("not an ONNX model"), outcome.failure());
    }

    @Test
    void aCallerWaitingWhenLoadingFailsIsReleased() {
        LoadOutcome<String> outcome = new LoadOutcome<>();
        Thread.ofPlatform().start(() -> {
            sleep(200);
            outcome.fail("broken");
        });
        long start = System.nanoTime();
        assertEquals(Optional.empty(), outcome.awaitValue(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
