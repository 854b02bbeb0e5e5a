package dev.triage.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.runtime.Quarkus;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM during a command: instead of the JVM's exit (which would free the model under a running
 * inference, or, while Quarkus still starts, fail its start with a stack trace), the signal is recorded and the
 * command's thread interrupted; it stops reading, abandons its queued work, removes its {@code .part}, and the run
 * ends with "interrupted" and 130 / 143. If it has not ended after a grace period the process exits anyway,
 * through the shutdown hooks, which wait for any running inference.
 */
final class CliSignals {

    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final AtomicReference<String> CAUGHT = new AtomicReference<>();
    private static volatile Thread command;
    private static boolean serverStarted;
    private static boolean termWhileStarting;

    private CliSignals() {
    }

    /** From the start of a command-line run: a signal is recorded, and ends the command once it runs. */
    static void install() {
        for (String name : new String[] { "INT", "TERM" }) {
            Signal.handle(new Signal(name), CliSignals::stop);
        }
    }

    /** The thread running the command: interrupted by a signal, at once if one came while Quarkus started. */
    static void commandRunsOn(Thread thread) {
        command = thread;
        if (CAUGHT.get() != null) {
            thread.interrupt();
        }
    }

    private static void stop(Signal signal) {
        if (!CAUGHT.compareAndSet(null, signal.getName())) {
            return;
        }
        Thread running = command;
        if (running != null) {
            running.interrupt();
        }
        Thread.ofPlatform().daemon(true).name("triage-cli-grace").start(() -> {
            try {
                Thread.sleep(GRACE);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("triage: still stopping after " + GRACE.toSeconds() + " s; exiting");
            System.exit(exitCode(signal.getName()));
        });
    }

    /**
     * Server mode, from before Quarkus starts: SIGTERM asks Quarkus to stop (readiness delay, drain, HTTP timeout,
     * as for any stop) with exit status 0. The JVM's own handler would exit 143, and, while the model loads, let
     * ONNX Runtime's shutdown hook free its environment under the session being created (a native crash). A TERM
     * that comes while Quarkus starts is kept until it has started.
     */
    static void installForServer() {
        Signal.handle(new Signal("TERM"), signal -> termToServer());
    }

    private static synchronized void termToServer() {
        if (serverStarted) {
            Quarkus.asyncExit(0);
        } else {
            termWhileStarting = true;
        }
    }

    /** Quarkus has started: a TERM kept while it started stops it now. */
    static synchronized void serverStarted() {
        serverStarted = true;
        if (termWhileStarting) {
            Quarkus.asyncExit(0);
        }
    }

    /** The signal that interrupted the run, if one did. */
    static Optional<String> caught() {
        return Optional.ofNullable(CAUGHT.get());
    }

    /** 128 + the signal's number, as a shell reports a process the signal ended. */
    static int exitCode(String signal) {
        return "INT".equals(signal) ? 130 : 143;
    }
}
