import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a JSONL file's texts to a running Triage as POST /classify batches, two in flight (one per core of a
 * 2-core pod), after one untimed warm-up batch; prints documents per second. JDK only:
 * java deploy/HttpBatches.java FILE URL BATCH
 */
public class HttpBatches {
    public static void main(String[] args) throws Exception {
        // Possessive: a plain (a|b)* recurses once per character and overflows the stack on long posts.
        Pattern text = Pattern.compile("\"text\"\\s*:\\s*(\"(?:[^\"\\\\]++|\\\\.)*+\")");
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            Matcher m = text.matcher(line);
            if (m.find()) {
                texts.add(m.group(1));
            }
        }
        int batch = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newHttpClient();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batch) {
            bodies.add("{\"texts\":[" + String.join(",", texts.subList(i, Math.min(texts.size(), i + batch)))
                    + "],\"labels\":[\"motorcycle\",\"baseball\"]}");
        }
        post(http, args[1], bodies.get(0));
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            callers.add(Thread.ofVirtual().start(() -> {
                for (int i; (i = next.getAndIncrement()) < bodies.size();) {
                    post(http, args[1], bodies.get(i));
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        System.out.printf("%.2f%n", texts.size() / ((System.nanoTime() - start) / 1e9));
    }

    static void post(HttpClient http, String url, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
