package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * One artifact, two uses: without arguments it serves the function over HTTP; with a subcommand
 * ({@code classify}, {@code eval}, {@code bench}) it runs the same engine on files and exits.
 */
@QuarkusMain
public final class Main {

    /**
     * Settings for a command-line run, unless given explicitly (-D): no HTTP listener, so a server already on
     * the port is no clash; logs on stderr as plain text (the server's are JSON in prod), since stdout carries
     * the results; no readiness delay at exit.
     */
    private static final Map<String, String> CLI_PROPERTIES = Map.of(
            "quarkus.http.host-enabled", "false",
            "quarkus.log.console.stderr", "true",
            "quarkus.log.console.json.enabled", "false",
            "quarkus.shutdown.delay", "0s",
            // Quarkus' start/stop INFO lines are noise before --help or a command's output; warnings still show.
            "quarkus.log.category.\"io.quarkus\".level", "WARN");

    public static void main(String... args) {
        if (args.length == 0) {
            CliSignals.installForServer();
            Quarkus.run(Application.class, args);
            return;
        }
        CliSignals.install(); // before Quarkus starts: a signal during its start must not fail the start
        List<String> set = new ArrayList<>();
        CLI_PROPERTIES.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
                set.add(key);
            }
        });
        try {
            // In a packaged app this ends with System.exit; it returns only where an exit handler is installed
            // (tests run several applications in one JVM, which must not inherit these settings).
            Quarkus.run(Application.class, args);
        } finally {
            set.forEach(System::clearProperty);
        }
    }

    /** No arguments: serve until told to stop. Arguments: run the command line on the started application. */
    public static final class Application implements QuarkusApplication {

        @Override
        public int run(String... args) {
            if (args.length == 0) {
                CliSignals.serverStarted();
                Quarkus.waitForExit();
                // A model that failed to load asked for exit code 1 (Quarkus.asyncExit); report it.
                return ApplicationLifecycleManager.getExitCode();
            }
            CliSignals.commandRunsOn(Thread.currentThread());
            try {
                int code = CliSignals.caught().isPresent() ? CliException.FAILURE : Cli.commandLine().execute(args);
                Optional<String> signal = CliSignals.caught();
                if (signal.isPresent()) {
                    System.err.println("triage " + args[0] + ": interrupted (SIG" + signal.get() + ")");
                    return CliSignals.exitCode(signal.get());
                }
                return code;
            } finally {
                // the signal's interrupt is handled; the stop (Engine.close) must not trip over it
                Thread.interrupted();
            }
        }
    }
}
