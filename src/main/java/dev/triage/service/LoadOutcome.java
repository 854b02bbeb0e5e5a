package dev.triage.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of a one-time background load: a value, or why there is none. Callers may wait for it, with a bound
 * (a request after a dev-mode live reload waits for the model instead of being refused).
 */
final class LoadOutcome<T> {

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile T value;
    private volatile String failure;

    void succeed(T loaded) {
        value = loaded;
        finished.countDown();
    }

    void fail(String reason) {
        failure = reason;
        finished.countDown();
    }

    Optional<T> value() {
        return Optional.ofNullable(value);
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Forgets the value (closing); returns it. */
    T clear() {
        T was = value;
        value = null;
        return was;
    }

    /** Whether loading finished (either way) within the bound; a zero bound only looks. */
    boolean await(Duration bound) throws InterruptedException {
        return finished.await(Math.max(0, bound.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * The value once loading finished, waiting at most {@code bound} while it is in progress; empty if it failed or
     * is still loading after the bound. An interrupted wait answers what there is now.
     */
    Optional<T> awaitValue(Duration bound) {
        try {
            await(bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return value();
    }
}
