package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime 1.29 keeps a device id and usage events under ~/.cache/Microsoft unless ORT_DISABLE_TELEMETRY=1
 * is in the environment before start. deploy/triage must set it for a caller who did not; the plain
 * {@code java -jar} run beside it shows what the launcher prevents, and that the app warns about it.
 * ORT itself stays quiet when CI or GITHUB_ACTIONS is set and writes under XDG_CACHE_HOME when that is set, so
 * both runs drop those: the environment is a user's machine, not this build's.
 */
class TelemetryOptOutIT {

    @Test
    void theLauncherKeepsOrtTelemetryOff() throws Exception {
        Path home = Files.createTempDirectory("triage-it-home");
        Run launcher = classify(home, List.of("deploy/triage"));
        assertEquals(0, launcher.exit(), launcher.output());
        assertFalse(Files.exists(home.resolve(".cache/Microsoft")), "deploy/triage let ORT write its telemetry");
        assertFalse(launcher.output().contains("ORT_DISABLE_TELEMETRY=1 is not set"), launcher.output());

        Path bareHome = Files.createTempDirectory("triage-it-home");
        Run bare = classify(bareHome, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", PackagedApp.JAR.toString()));
        assertEquals(0, bare.exit(), bare.output());
        assertTrue(bare.output().contains("ORT_DISABLE_TELEMETRY=1 is not set"), "the app names the missing opt-out");
        assertTrue(Files.exists(bareHome.resolve(".cache/Microsoft")),
                "without the variable this ORT keeps telemetry (if a newer one stops, this test's premise is gone)");
    }

    private record Run(int exit, String output) {
    }

    /** Classifies 3 posts with the environment of a user who never heard of the variable. */
    private static Run classify(Path home, List<String> launch) throws Exception {
        Path in = Files.createTempFile("triage-it", ".jsonl");
        Files.write(in, dev.triage.TestSupport.tutorialLines().subList(0, 3));
        Path log = Files.createTempFile("triage-it", ".log");
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of("classify", "--in", in.toString(), "--labels", "motorcycle,baseball", "--out",
                home.resolve("out.jsonl").toString(), "--progress", "none"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String ciOrCache : List.of("ORT_DISABLE_TELEMETRY", "CI", "GITHUB_ACTIONS", "XDG_CACHE_HOME")) {
            builder.environment().remove(ciOrCache);
        }
        builder.environment().put("HOME", home.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("TRIAGE_MODEL_WORK_DIR", home.resolve("work").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "classify did not finish: " + Files.readString(log));
        return new Run(process.exitValue(), Files.readString(log));
    }
}
