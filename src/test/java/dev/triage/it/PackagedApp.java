package dev.triage.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.triage.TestSupport;

/**
 * The packaged application (target/quarkus-app) run as its own process, as a container would run it: java with
 * the JVM settings the product ships with (deploy/jvm.options), as deploy/triage and the images start it.
 */
final class PackagedApp implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final String SHIPPED_OPTIONS = "@deploy/jvm.options";
    final List<String> command;
    final Process process;
    final int port;
    final Path log;
    final HttpClient http = HttpClient.newHttpClient();

    private PackagedApp(List<String> command, Process process, int port, Path log) {
        this.command = List.copyOf(command);
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static PackagedApp start(Map<String, String> env, String... args) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return startOnPort(port, env, args);
    }

    /** As {@link #start}, on a given HTTP port. */
    static PackagedApp startOnPort(int port, Map<String, String> env, String... args) throws IOException {
        Path log = Files.createTempFile("triage-it", ".log");
        List<String> command = java("-Dquarkus.http.port=" + port);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new PackagedApp(command, builder.start(), port, log);
    }

    /** {@code java @deploy/jvm.options [jvmArgs] -jar quarkus-run.jar}, to which the caller adds the arguments. */
    static List<String> java(String... jvmArgs) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " missing: integration tests run after package (./mvnw verify)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(SHIPPED_OPTIONS);
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", JAR.toString()));
        return command;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited (" + process.exitValue() + "):\n" + output());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the port opens a moment after the JVM starts
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready within " + timeout + ":\n" + output());
    }

    /** The first answer to GET {@code path} once the port is open, ready or not. */
    HttpResponse<String> getOnceListening(String path, Duration timeout) throws InterruptedException, IOException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited (" + process.exitValue() + "):\n" + output());
            }
            try {
                return get(path);
            } catch (IOException notListeningYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("not listening within " + timeout + ":\n" + output());
    }

    /** A gauge's or counter's value in /q/metrics (the first series of that name). */
    double metric(String name) throws IOException, InterruptedException {
        return TestSupport.metric(get("/q/metrics").body(), name, "")
                .orElseThrow(() -> new AssertionError("no " + name + " in /q/metrics"));
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(log);
    }
}
