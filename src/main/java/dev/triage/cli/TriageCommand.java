package dev.triage.cli;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code triage}: the subcommands run the serving engine on files; without arguments the jar serves HTTP. */
@Command(name = "triage", mixinStandardHelpOptions = true, versionProvider = TriageCommand.Version.class,
        subcommands = { ClassifyFilesCommand.class, EvalCommand.class, CalibrateCommand.class, BenchCommand.class,
                PrepareCommand.class, OptimizeCommand.class },
        description = { "Zero-shot text classification on JSON Lines files ({\"id\", \"text\", \"label\"} per line, "
                + "gzip if the name ends in .gz), with the engine that serves HTTP.",
                "Without arguments the application serves the HTTP function instead." },
        footer = { "", "Exit codes: 0 done, 1 failure (e.g. the model did not load), 2 bad usage or input.",
                "Settings (model, workers, batching) are the server's: application.properties, -Dtriage.* or "
                        + "TRIAGE_* environment variables." })
@RegisterForReflection
public class TriageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: classify, eval, calibrate, bench, prepare or optimize");
    }

    /** The application's version and the configured model. */
    @RegisterForReflection
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var config = ConfigProvider.getConfig();
            return new String[] {
                    "triage " + config.getOptionalValue("quarkus.application.version", String.class).orElse("unknown"),
                    "model " + config.getOptionalValue("triage.model.dir", String.class)
                            .or(() -> config.getOptionalValue("triage.model.name", String.class))
                            .orElse("all-minilm-l6-v2-q"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")" };
        }
    }
}
