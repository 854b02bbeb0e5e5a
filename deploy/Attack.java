import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded loopback attack deploy/attack.sh runs (see there). Usage: java Attack.java PORT PID BODY_TIMEOUT_S.
 * Every reply must be 200, a 4xx or 503 + Retry-After; stalled uploads must be closed by the server.
 */
public class Attack {

    static final int MAX_BODY = 16 * 1024 * 1024;
    static HttpClient http;
    static String base;
    static long pid;
    static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();
    static final Map<String, AtomicInteger> tally = new ConcurrentHashMap<>();
    static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        pid = Long.parseLong(args[1]);
        int bodyTimeout = Integer.parseInt(args[2]);
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        if (args.length > 4 && args[3].equals("steady")) {
            SteadyLoad.run(Integer.parseInt(args[4]), Path.of(args[5]));
            return;
        }

        phase("1 x 16 MiB body of one-character strings", () -> send("tiny", tinyStrings(), 1));
        phase("32 concurrent valid requests at the body limit (160 x 100,000 chars)",
                () -> send("body-limit", texts(160, 100_000), 32));
        phase("32 concurrent requests of 2,048 texts x 8,000 chars", () -> send("max-texts", texts(2048, 8_000), 32));
        phase("few-shot 100 labels x 64 examples beside 20 small requests", Attack::fewShotBesideSmall);
        phase("2,000 stalled uploads", () -> stalled(2000, bodyTimeout));
        phase("a normal request afterwards", () -> {
            int status = post("after", small("after the attack")).statusCode();
            if (status != 200) {
                failures.add("normal request after the attack: " + status);
            }
        });
        System.out.println("replies by phase and status: " + new TreeMap<>(tally));
        System.out.println("server peak RSS (VmHWM): " + rssMib("VmHWM") + " MiB, now " + rssMib("VmRSS") + " MiB");
        System.out.println(failures.isEmpty() ? "ALL CHECKS PASSED" : "FAILURES:\n  " + String.join("\n  ", failures));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    interface Step {
        void run() throws Exception;
    }

    static void phase(String name, Step step) throws Exception {
        if (!alive()) {
            System.out.printf("SKIPPED (server not running): %s%n", name);
            return;
        }
        long start = System.nanoTime();
        step.run();
        System.out.printf("%-75s %6.1f s, RSS %d MiB, server %s%n", name, (System.nanoTime() - start) / 1e9,
                rssMib("VmRSS"), alive() ? "up" : "DOWN");
        if (!alive()) {
            failures.add("the server died during: " + name);
        }
    }

    static void send(String kind, byte[] body, int concurrent) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    post(kind, body);
                } catch (Exception e) {
                    count(kind, "no-answer");
                    failures.add(kind + ": no answer (" + e + ")");
                }
            }, VIRTUAL));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    static HttpResponse<String> post(String kind, byte[] body) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/classify"))
                .timeout(Duration.ofSeconds(240)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        int status = reply.statusCode();
        boolean retry = reply.headers().firstValue("Retry-After").isPresent();
        count(kind, status == 503 && retry ? "503+Retry-After" : Integer.toString(status));
        if (!(status == 200 || (status >= 400 && status < 500) || (status == 503 && retry))) {
            failures.add(kind + ": " + status + " " + reply.body().substring(0, Math.min(200, reply.body().length())));
        }
        return reply;
    }

    static void fewShotBesideSmall() throws Exception {
        StringBuilder labels = new StringBuilder("[");
        for (int l = 0; l < 100; l++) {
            labels.append(l == 0 ? "" : ",").append("{\"name\":\"label ").append(l).append("\",\"examples\":[");
            for (int e = 0; e < 64; e++) {
                labels.append(e == 0 ? "" : ",").append("\"example ").append(e).append(" of label ").append(l)
                        .append(": a sentence of ordinary length about topic number ").append(l).append("\"");
            }
            labels.append("]}");
        }
        labels.append("]");
        StringBuilder texts = new StringBuilder("[");
        for (int t = 0; t < 1078; t++) {
            texts.append(t == 0 ? "" : ",").append("\"document ").append(t).append(" about topic ").append(t % 100)
                    .append(" and a little more text so that it looks like a short post\"");
        }
        texts.append("]");
        byte[] fewShot = ("{\"texts\":" + texts + ",\"labels\":" + labels + "}").getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
            try {
                post("few-shot", fewShot);
            } catch (Exception e) {
                failures.add("few-shot: no answer (" + e + ")");
            }
        });
        Thread.sleep(500);
        long worst = 0;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            post("small-beside", small("small request " + i));
            worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("  slowest small request beside the few-shot one: %d ms%n", worst);
        big.get(300, TimeUnit.SECONDS);
    }

    /** Headers and 10 of 1,000 announced bytes, then silence: the server must close each within the timeout. */
    static void stalled(int count, int bodyTimeoutSeconds) throws Exception {
        long limitMs = (bodyTimeoutSeconds + 10) * 1000L;
        AtomicInteger closedInTime = new AtomicInteger();
        AtomicInteger refusedAtOnce = new AtomicInteger();
        AtomicInteger heldOpen = new AtomicInteger();
        AtomicInteger answered408 = new AtomicInteger();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                clients.submit(() -> {
                    long start = System.nanoTime();
                    try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)))) {
                        socket.setSoTimeout((int) limitMs);
                        OutputStream out = socket.getOutputStream();
                        out.write(("POST /classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1000\r\n\r\n{\"texts\":").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        InputStream in = socket.getInputStream();
                        byte[] reply = in.readAllBytes(); // until the server closes
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        if (new String(reply, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408")) {
                            answered408.incrementAndGet();
                        }
                        (ms < 1000 ? refusedAtOnce : closedInTime).incrementAndGet();
                    } catch (java.net.SocketTimeoutException e) {
                        heldOpen.incrementAndGet();
                    } catch (Exception e) {
                        refusedAtOnce.incrementAndGet(); // reset or refused: the connection limit at work
                    }
                    return null;
                });
            }
        }
        System.out.printf("  stalled uploads: %d closed by the server within %d s (%d of them answered 408), "
                + "%d refused/closed at once (connection limit), %d still open after %d s%n", closedInTime.get(),
                limitMs / 1000, answered408.get(), refusedAtOnce.get(), heldOpen.get(), limitMs / 1000);
        if (heldOpen.get() > 0) {
            failures.add(heldOpen.get() + " stalled uploads not closed within " + limitMs / 1000 + " s");
        }
    }

    static byte[] tinyStrings() {
        StringBuilder body = new StringBuilder(MAX_BODY).append("{\"labels\":[\"a\",\"b\"],\"texts\":[\"a\"");
        while (body.length() < MAX_BODY - 16) {
            body.append(",\"a\"");
        }
        return body.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] texts(int count, int chars) {
        String word = "motorcycle baseball engine pitcher ";
        String text = word.repeat(chars / word.length() + 1).substring(0, chars);
        StringBuilder body = new StringBuilder(count * (chars + 3) + 64).append("{\"labels\":[\"motorcycles\",\"baseball\"],\"texts\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "\"" : ",\"").append(text).append('"');
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_BODY) {
            throw new IllegalStateException("body over the limit: " + bytes.length);
        }
        return bytes;
    }

    static byte[] small(String text) {
        return ("{\"texts\":[\"" + text + "\"],\"labels\":[\"motorcycles\",\"baseball\"]}").getBytes(StandardCharsets.UTF_8);
    }

    /** Steady load (deploy/attack.sh --steady MINUTES): RSS over time, to see whether it levels off. */
    static final class SteadyLoad {
        static final int CLIENTS = Integer.parseInt(System.getenv().getOrDefault("ATTACK_CLIENTS", "32"));
        static final int TEXTS_PER_REQUEST = 16;

        static void run(int minutes, Path posts) throws Exception {
            List<String> texts = new ArrayList<>();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    new java.util.zip.GZIPInputStream(Files.newInputStream(posts)), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    // the raw JSON string value, still escaped: {"id": ..., "text": "...", "label": ...}
                    texts.add(line.substring(line.indexOf("\"text\": ") + 8, line.lastIndexOf(", \"label\": ")));
                }
            }
            long end = System.nanoTime() + minutes * 60_000_000_000L;
            AtomicInteger sent = new AtomicInteger();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int i = client; System.nanoTime() < end && alive(); i += CLIENTS) {
                        int from = (i * TEXTS_PER_REQUEST) % (texts.size() - TEXTS_PER_REQUEST);
                        byte[] body = ("{\"labels\":[\"motorcycles\",\"baseball\"],\"texts\":["
                                + String.join(",", texts.subList(from, from + TEXTS_PER_REQUEST)) + "]}")
                                .getBytes(StandardCharsets.UTF_8);
                        try {
                            post("steady", body);
                            sent.incrementAndGet();
                        } catch (Exception e) {
                            failures.add("steady: no answer (" + e + ")");
                        }
                    }
                }, VIRTUAL));
            }
            long start = System.nanoTime();
            long atTwo = -1;
            System.out.printf("steady load: %d clients x %d posts per request for %d min%n", CLIENTS,
                    TEXTS_PER_REQUEST, minutes);
            while (System.nanoTime() < end && alive()) {
                Thread.sleep(30_000);
                double min = (System.nanoTime() - start) / 60e9;
                long rss = rssMib("VmRSS");
                if (atTwo < 0 && min >= 2) {
                    atTwo = rss;
                }
                System.out.printf("  %5.1f min: RSS %d MiB, %d requests answered, load average %s%n", min, rss,
                        sent.get(), Files.readString(Path.of("/proc/loadavg")).strip());
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            long last = rssMib("VmRSS");
            System.out.println("replies by status: " + new TreeMap<>(tally));
            System.out.printf("RSS after 2 min %d MiB, at the end (%d min) %d MiB: %+.1f%%; peak RSS (VmHWM) %d MiB%n",
                    atTwo, minutes, last, 100.0 * (last - atTwo) / atTwo, rssMib("VmHWM"));
            System.out.println(failures.isEmpty() ? "ALL CHECKS PASSED" : "FAILURES:\n  " + String.join("\n  ", failures));
            System.exit(failures.isEmpty() ? 0 : 1);
        }
    }

    static void count(String kind, String status) {
        tally.computeIfAbsent(kind + " " + status, k -> new AtomicInteger()).incrementAndGet();
    }

    static boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static long rssMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception gone) {
            return -1;
        }
        return -1;
    }
}
