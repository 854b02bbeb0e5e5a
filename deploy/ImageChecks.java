import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP side of deploy/image-test.sh and deploy/cold-start.sh, against a Triage container on BASE
 * (e.g. http://127.0.0.1:18180). JDK only: java deploy/ImageChecks.java MODE BASE ...
 * <pre>
 *   ready BASE SECONDS                 waits for /q/health/ready to answer 200 with status UP
 *   accuracy BASE POSTS.jsonl.gz MIN   classifies the posts (motorcycles / baseball) over HTTP; fails below MIN
 *   cloudevent BASE                    a binary CloudEvent triage.classify must get a triage.classified reply
 *   stop BASE CONTAINER GRACE          4 batches in flight, then podman stop: all 200, stopped within GRACE s
 *   cold BASE -- PODMAN RUN ARGS...    starts the container and, at once, a classify request every 20 ms;
 *                                      prints milliseconds from podman run to the first 200
 * </pre>
 */
public class ImageChecks {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final String LABELS = "\"labels\":[\"motorcycles\",\"baseball\"]";
    static final Map<String, String> GOLD = Map.of("rec.motorcycles", "motorcycles", "rec.sport.baseball", "baseball");
    // Possessive: a plain (a|b)* recurses once per character and overflows the stack on long posts.
    static final Pattern STRING_FIELD = Pattern.compile("\"(text|label)\"\\s*:\\s*(\"(?:[^\"\\\\]++|\\\\.)*+\")");
    static final Pattern TOP_LABEL = Pattern.compile("\\{\"labels\":\\[\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args[1];
        switch (args[0]) {
            case "ready" -> ready(base, Integer.parseInt(args[2]));
            case "accuracy" -> accuracy(base, Path.of(args[2]), Double.parseDouble(args[3]));
            case "cloudevent" -> cloudEvent(base);
            case "stop" -> stopWithBatchesInFlight(base, args[2], Integer.parseInt(args[3]));
            case "cold" -> coldStart(base, List.of(args).subList(3, args.length));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static void ready(String base, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    System.out.println("ok   readiness UP: " + r.body().replaceAll("\\s+", " "));
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // the container is still starting
            }
            Thread.sleep(100);
        }
        fail("readiness did not turn UP within " + seconds + " s");
    }

    static void accuracy(String base, Path posts, double min) throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> gold = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(posts)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                Matcher m = STRING_FIELD.matcher(line);
                String text = null;
                String label = null;
                while (m.find()) {
                    if (m.group(1).equals("text")) {
                        text = m.group(2);
                    } else {
                        label = m.group(2).substring(1, m.group(2).length() - 1);
                    }
                }
                texts.add(text);
                gold.add(GOLD.get(label));
            }
        }
        int correct = 0;
        for (int i = 0; i < texts.size(); i += 64) {
            List<String> batch = texts.subList(i, Math.min(texts.size(), i + 64));
            String body = post(base + "/classify", "{\"texts\":[" + String.join(",", batch) + "]," + LABELS + "}",
                    Map.of()).body();
            Matcher top = TOP_LABEL.matcher(body);
            for (int j = 0; j < batch.size(); j++) {
                if (!top.find()) {
                    fail("reply has fewer results than texts: " + body);
                }
                correct += top.group(1).equals(gold.get(i + j)) ? 1 : 0;
            }
        }
        double accuracy = (double) correct / texts.size();
        String line = String.format("accuracy %.4f on %d posts over HTTP (at least %.2f)", accuracy, texts.size(), min);
        if (accuracy < min) {
            fail(line);
        }
        System.out.println("ok   " + line);
    }

    static void cloudEvent(String base) throws Exception {
        HttpResponse<String> r = post(base + "/", "{\"texts\":[\"The pitcher threw a curveball.\"]," + LABELS + "}",
                Map.of("ce-specversion", "1.0", "ce-id", "image-test-1", "ce-source", "deploy/image-test.sh",
                        "ce-type", "triage.classify"));
        String type = r.headers().firstValue("ce-type").orElse("");
        if (!type.equals("triage.classified") || !r.body().contains("\"baseball\"")) {
            fail("CloudEvent reply ce-type '" + type + "': " + r.body());
        }
        System.out.println("ok   binary CloudEvent triage.classify -> 200, ce-type " + type + ", ce-source "
                + r.headers().firstValue("ce-source").orElse("?"));
    }

    static void stopWithBatchesInFlight(String base, String container, int graceSeconds) throws Exception {
        String posts = String.join(",", java.util.Collections.nCopies(60,
                "\"I rebuilt the carburetor on my motorbike and took it out on the highway; the engine ran smooth"
                        + " until the rain came and the chain started to slip on every hill I climbed that day.\""));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/classify"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"texts\":[" + posts + "]," + LABELS + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(300); // the 4 requests reach the server and queue up in front of the workers
        long start = System.nanoTime();
        Process stop = new ProcessBuilder("podman", "stop", "-t", String.valueOf(graceSeconds), container)
                .redirectErrorStream(true).start();
        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> r = inFlight.get(i).get();
            if (r.statusCode() != 200 || !r.body().contains("\"results\"")) {
                fail("batch " + i + " in flight at SIGTERM answered " + r.statusCode() + ": " + r.body());
            }
        }
        String said = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (stop.waitFor() != 0) {
            fail("podman stop failed: " + said);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds >= graceSeconds) {
            fail(String.format("stopped after %.1f s, not within the %d s grace period", seconds, graceSeconds));
        }
        System.out.printf("ok   podman stop (SIGTERM) with 4 batches in flight: all 4 answered 200, stopped in %.1f s"
                + " (grace %d s)%n", seconds, graceSeconds);
    }

    static void coldStart(String base, List<String> podmanRun) throws Exception {
        String body = "{\"texts\":[\"He hit a home run in the ninth.\"]," + LABELS + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/classify"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        Process run = new ProcessBuilder(podmanRun).redirectErrorStream(true).start();
        long deadline = start + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            long attempt = System.nanoTime();
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    System.out.println((System.nanoTime() - start) / 1_000_000);
                    run.waitFor();
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // connection refused until the server listens
            }
            if (!run.isAlive() && run.exitValue() != 0) {
                fail("podman run failed: " + new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            long wait = 20 - (System.nanoTime() - attempt) / 1_000_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        fail("no 200 within 120 s");
    }

    static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            fail(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    static void fail(String why) {
        System.out.println("FAIL " + why);
        System.exit(1);
    }
}
