package dev.triage.api;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.vertx.core.http.HttpServerResponse;

/**
 * A request whose client closes the connection before its answer stops at once: its (virtual) thread is
 * interrupted, and the batch runner then takes the request's queued micro-batches out of the queue, where they
 * would only delay the requests behind them.
 */
final class CancelOnDisconnect {

    private CancelOnDisconnect() {
    }

    /**
     * Runs {@code work} on this thread; interrupts it if the connection closes before the work returns.
     *
     * @param response null when not called over HTTP
     */
    static <T> T run(HttpServerResponse response, Supplier<T> work) {
        if (response == null) {
            return work.get();
        }
        Thread self = Thread.currentThread();
        AtomicBoolean working = new AtomicBoolean(true);
        response.closeHandler(closed -> {
            if (working.compareAndSet(true, false)) {
                self.interrupt();
            }
        });
        if (response.closed() && working.compareAndSet(true, false)) {
            self.interrupt(); // closed before the handler was in place
        }
        try {
            return work.get();
        } finally {
            working.set(false);
        }
    }
}
