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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Drives a running Triage over HTTP (JDK only), used by deploy/mixed-load.sh:
 *   java deploy/MixedLoad.java URL SMALL.jsonl.gz BIG.jsonl.gz SECONDS SMALL_CLIENTS BIG_CLIENTS BIG_TEXTS
 *   java deploy/MixedLoad.java --bodies SMALL.jsonl.gz OUT   (1-text request bodies for deploy/small-requests.lua)
 * SMALL_CLIENTS send 1-text requests back to back while BIG_CLIENTS send BIG_TEXTS-text requests, for SECONDS;
 * requests started before the end are waited for, and docs/s counts every text answered over the time until
 * the last reply. Prints one line: small requests' count, p50, p99 (ms), big requests answered, docs/s, refusals.
 */
public class MixedLoad {

    static final String LABELS = "\"labels\":[\"motorcycles\",\"baseball\"]";

    record Reply(int status, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--bodies")) { // for deploy/small-requests.lua: one 1-text request body per line
            List<String> lines = texts(Path.of(args[1])).stream().map(t -> "{\"texts\":[" + t + "]," + LABELS + "}")
                    .toList();
            Files.write(Path.of(args[2]), lines);
            return;
        }
        String url = args[0];
        List<String> smallTexts = texts(Path.of(args[1]));
        List<String> bigTexts = texts(Path.of(args[2]));
        long seconds = Long.parseLong(args[3]);
        int smallClients = Integer.parseInt(args[4]);
        int bigClients = Integer.parseInt(args[5]);
        int bigSize = Integer.parseInt(args[6]);
        // HTTP/1.1, a connection per client, as Knative's queue-proxy talks to the container (the JDK's default,
        // h2c, would put all six clients on one multiplexed connection).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<Long> smallLatencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong docs = new AtomicLong();
        AtomicLong bigDone = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong lastReply = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < bigClients; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; System.nanoTime() < end; r++) {
                    int from = ((client * 7 + r) * bigSize) % bigTexts.size();
                    List<String> batch = new ArrayList<>(bigSize);
                    for (int i = 0; i < bigSize; i++) {
                        batch.add(bigTexts.get((from + i) % bigTexts.size()));
                    }
                    Reply reply = post(http, url, batch);
                    count(reply, bigSize, docs, refused, lastReply);
                    if (reply.status() == 200) {
                        bigDone.incrementAndGet();
                    }
                }
            }));
        }
        for (int c = 0; c < smallClients; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int r = client; System.nanoTime() < end; r += smallClients) {
                    Reply reply = post(http, url, List.of(smallTexts.get(r % smallTexts.size())));
                    count(reply, 1, docs, refused, lastReply);
                    if (reply.status() == 200) {
                        smallLatencies.add(reply.nanos());
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        List<Long> sorted = new ArrayList<>(smallLatencies);
        Collections.sort(sorted);
        double elapsed = (lastReply.get() - start) / 1e9;
        System.out.printf("small_requests=%d small_p50_ms=%.1f small_p99_ms=%.1f big_requests=%d docs_per_s=%.1f "
                + "refused=%d docs=%d client_cpu_s=%.1f%n", sorted.size(), percentile(sorted, 0.50),
                percentile(sorted, 0.99), bigDone.get(), docs.get() / elapsed, refused.get(), docs.get(),
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1e3);
    }

    static void count(Reply reply, int texts, AtomicLong docs, AtomicLong refused, AtomicLong lastReply) {
        if (reply.status() == 200) {
            docs.addAndGet(texts);
        } else if (reply.status() == 503) {
            refused.incrementAndGet();
        } else {
            throw new IllegalStateException("HTTP " + reply.status());
        }
        lastReply.accumulateAndGet(System.nanoTime(), Math::max);
    }

    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    static Reply post(HttpClient http, String url, List<String> texts) {
        String body = "{\"texts\":[" + String.join(",", texts) + "]," + LABELS + "}";
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            if (r.statusCode() == 503) {
                Thread.sleep(100); // overloaded: back off a little, as a client honouring Retry-After would
            }
            return new Reply(r.statusCode(), nanos);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The "text" values of a gzipped JSONL file, still JSON-escaped (they go back into JSON bodies as they are). */
    static List<String> texts(Path file) throws Exception {
        // Possessive: a plain (a|b)* recurses once per character and overflows the stack on long posts.
        Pattern text = Pattern.compile("\"text\"\\s*:\\s*(\"(?:[^\"\\\\]++|\\\\.)*+\")");
        List<String> texts = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                Matcher m = text.matcher(line);
                if (m.find()) {
                    texts.add(m.group(1));
                }
            }
        }
        return texts;
    }
}
