package dev.triage.cli;

import java.io.PrintWriter;

import dev.triage.service.TriageException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;

import picocli.CommandLine;

/** The picocli command line, with commands that are CDI beans and one-line error reports. */
final class Cli {

    private Cli() {
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(TriageCommand.class, new BeanFactory());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler(Cli::executionError);
        return commandLine;
    }

    /** Bad arguments: the problem, and where the usage is; exit code 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static int executionError(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (CliSignals.caught().isPresent()) {
            return CliException.FAILURE; // a signal stopped it: the run reports "interrupted" and the signal's code
        }
        int exitCode = CliException.FAILURE;
        if (e instanceof CliException failure) {
            err.println(name + ": " + failure.getMessage());
            exitCode = failure.exitCode();
        } else if (e instanceof TriageException failure) {
            err.println(name + ": " + describe(failure));
            exitCode = failure.kind() == TriageException.Kind.BAD_INPUT ? CliException.USAGE : CliException.FAILURE;
        } else {
            err.println(name + ": failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    /** The failure in the command line's terms: the option a request field came from, and what to do. */
    private static String describe(TriageException failure) {
        String field = failure.field().orElse("");
        String where = switch (field) {
            case "labels" -> "--labels: ";
            case "hypothesisTemplate" -> "--template: ";
            case "texts" -> "--in: ";
            default -> field.startsWith("labels") ? "--labels (" + field + "): " : "";
        };
        String hint = failure.kind() != TriageException.Kind.DEADLINE ? ""
                : " (one step classifies --chunk documents: use a smaller --chunk, or raise triage.batch.deadline)";
        return (failure.kind() == TriageException.Kind.BAD_INPUT ? "" : "failed: ") + where + failure.getMessage()
                + hint;
    }

    /** Commands are beans (they inject the engine); everything else picocli needs is made the usual way. */
    static final class BeanFactory implements CommandLine.IFactory {

        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        @Override
        public <K> K create(Class<K> type) throws Exception {
            ArcContainer container = Arc.container();
            if (container != null && type.getName().startsWith("dev.triage.")) {
                InstanceHandle<K> bean = container.instance(type);
                if (bean.isAvailable()) {
                    return bean.get();
                }
            }
            return fallback.create(type);
        }
    }
}
