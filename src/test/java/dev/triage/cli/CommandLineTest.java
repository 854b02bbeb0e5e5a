package dev.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * What the command line decides from the arguments alone, before any engine, config or model: help, unknown
 * options, optimize's --in/--out clash. The packaged process answers the same way (StartupFailureIT:
 * {@code classify --help} and {@code --fast} with a broken model); what needs the engine or the input stays in
 * the ITs (CliIT, OptimizeCommandIT).
 */
class CommandLineTest {

    /** One in-JVM run of the command line: its exit code, stdout and stderr. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Cli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitsWithZero() {
        Run help = run("--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String command : List.of("classify", "eval", "bench")) {
            assertTrue(help.out().contains(command), help.out());
        }
        Run commandHelp = run("bench", "--help");
        assertEquals(0, commandHelp.exitCode(), commandHelp.err());
        assertTrue(commandHelp.out().contains("--workers"), commandHelp.out());
    }

    @Test
    void anUnknownOptionExitsWithTwoAndNamesIt() {
        Run run = run("classify", "--in", "docs.jsonl", "--labels", "motorcycles,baseball", "--fast");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--fast"), run.err());
        assertTrue(run.err().contains("triage classify: Unknown option: '--fast'"), run.err());
    }

    @Test
    void optimizeRefusesToOverwriteItsInput(@TempDir Path dir) {
        Run run = run("optimize", "--in", dir.toString(), "--out", dir.toString());
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("--out must differ from --in"), run.err());
    }
}
