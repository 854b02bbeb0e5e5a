package dev.triage.model;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Counts the calls inside a native resource (an ORT session, a tokenizer) so that freeing it waits for them and
 * refuses new ones: freeing native memory under a running call crashes the JVM (SIGSEGV in the native library).
 */
public final class NativeUseGate {

    /** A call that came after the resource began to close; the caller's work is abandoned, not crashed. */
    public static final class ClosedException extends IllegalStateException {
        ClosedException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = Logger.getLogger(NativeUseGate.class);

    private final String what;
    private int inside;
    private boolean closing;

    public NativeUseGate(String what) {
        this.what = what;
    }

    /** Enters a call; pair with {@link #exit()} in a finally block. */
    public synchronized void enter() {
        if (closing) {
            throw new ClosedException(what + " is closed: the process is shutting down");
        }
        inside++;
    }

    public synchronized void exit() {
        if (--inside == 0) {
            notifyAll();
        }
    }

    /** Runs {@code call} between {@link #enter()} and {@link #exit()}. */
    public <T> T call(Supplier<T> call) {
        enter();
        try {
            return call.get();
        } finally {
            exit();
        }
    }

    /** Calls inside now. */
    public synchronized int inside() {
        return inside;
    }

    /**
     * Refuses new calls and waits for the running ones to leave.
     *
     * @return true when none is inside and the resource may be freed; false when some still run after the wait,
     *         and the resource must be left alone (the process is exiting; leaking beats crashing)
     */
    public synchronized boolean closeAfterRunning(Duration wait) {
        closing = true;
        long until = System.nanoTime() + wait.toNanos();
        while (inside > 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("%s: %d call(s) still running after %d ms; not freed", what, inside, wait.toMillis());
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
