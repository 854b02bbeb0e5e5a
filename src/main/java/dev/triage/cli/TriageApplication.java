package dev.triage.cli;

import java.util.Optional;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** No arguments: serve until told to stop. Arguments: run the command line on the started application. */
public class TriageApplication implements QuarkusApplication {

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
            Thread.interrupted(); // the signal's interrupt is handled; the stop (Engine.close) must not trip over it
        }
    }
}
