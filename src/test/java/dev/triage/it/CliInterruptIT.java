package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGTERM or SIGINT to the packaged CLI at several points of classifying the 7,532 20NG test posts: the run
 * stops, says "interrupted", exits 143 / 130 (never 134, the JVM crashing in ONNX Runtime), and leaves neither a
 * {@code .part} nor an output file.
 */
@Tag("timing") // asserts on wall time: failsafe runs it alone, not beside other ITs (pom.xml)
class CliInterruptIT {

    static final String POSTS = "src/data/20newsgroups/20ng-bydate-all-test.stripped.jsonl.gz";

    /** @param point loading (the model is not loaded yet), started (the output is open), midway (chunks written) */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({ "TERM, loading", "TERM, started", "TERM, midway", "INT, midway", "TERM, late" })
    void aSignalStopsTheRunCleanly(String signal, String point, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("preds.jsonl");
        try (PackagedApp cli = PackagedApp.start(Map.of("TRIAGE_POOL_WORKERS", "2"), "classify", "--in", POSTS,
                "--labels", "religion,computers,sports,politics,science,cars", "--chunk", "64", "--progress", "none",
                "--out", out.toString())) {
            switch (point) {
                case "loading" -> Thread.sleep(1500);
                case "started" -> awaitPart(cli, dir, size -> size >= 0);
                case "midway" -> awaitPart(cli, dir, size -> size > 20_000);
                default -> awaitPart(cli, dir, size -> size > 200_000);
            }
            new ProcessBuilder("kill", "-" + signal, Long.toString(cli.process.pid())).start().waitFor();
            assertTrue(cli.process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIG" + signal);
            String log = cli.output();
            int code = cli.process.exitValue();
            assertEquals("INT".equals(signal) ? 130 : 143, code, log);
            assertFalse(log.contains("SIGSEGV") || log.contains("Exception"), log);
            if (!point.equals("loading")) {
                assertTrue(log.contains("interrupted"), log);
            }
            assertEquals(List.of(), files(dir), "left behind after SIG" + signal + " at " + point);
        }
    }

    private static void awaitPart(PackagedApp cli, Path dir, Predicate<Long> big) throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until) {
            assertTrue(cli.process.isAlive(), "ended before the signal:\n" + cli.output());
            for (Path file : files(dir)) {
                if (file.getFileName().toString().endsWith(".part") && big.test(sizeOf(file))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no .part of the wanted size:\n" + cli.output());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return -1;
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.toList();
        }
    }
}
