package dev.triage.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One command-line run of the packaged application, as a user runs it (deploy/triage: the shipped JVM options):
 * its exit code, stdout and stderr. A process each costs a JVM start; Quarkus' in-JVM launcher rebuilt the
 * application for every launch.
 */
final class CliRun {

    private final int exitCode;
    private final List<String> out;
    private final String err;

    private CliRun(int exitCode, List<String> out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliRun launch(String... args) throws IOException, InterruptedException {
        List<String> command = PackagedApp.java();
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("triage-cli", ".out");
        Path stderr = Files.createTempFile("triage-cli", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("triage " + String.join(" ", args) + " still running after 10 minutes");
            }
            return new CliRun(process.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    int exitCode() {
        return exitCode;
    }

    List<String> getOutputStream() {
        return out;
    }

    String getOutput() {
        return String.join("\n", out);
    }

    String getErrorOutput() {
        return err;
    }
}
