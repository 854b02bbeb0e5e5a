package dev.triage.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load test against a running Triage on loopback: N clients for at most T seconds or M requests, a random mix of
 * valid requests (plain HTTP, binary and structured CloudEvents, whose top label is checked) and invalid ones
 * (which must get a 4xx). Prints counts per status, latency percentiles and whether any 5xx occurred. Exit
 * code 1 on a 5xx other than 503, a valid request refused with a 4xx, an invalid one accepted, or a wrong label.
 * JDK only; run as a source file: {@code java LoadDriver.java --clients 16 --seconds 30} (see deploy/loadtest.sh).
 */
public final class LoadDriver {

    static final String[] MOTO = { "Ride report %s: my motorcycle's rear tyre wore out after %d miles.",
            "Garage note %s: I adjusted the chain on my motorbike, %d km since the last service.",
            "Trip %s: we rode the Harley %d miles through the mountains and the engine never missed a beat." };
    static final String[] BALL = { "Box score %s: the shortstop batted .%03d with %3$d stolen bases.",
            "Game recap %s: the pitcher struck out %d batters in the ninth inning.",
            "Scouting note %s: the rookie hit %d home runs and plays a solid centre field." };
    static final String LABELS = "[\"motorcycles\",\"baseball\"]";

    /** One request to send and what must come back. */
    record Shot(String kind, String method, String path, Map<String, String> headers, byte[] body, boolean valid,
            List<String> expectedTop) {
    }

    record Outcome(String kind, int status, long micros, String problem) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        URI base = URI.create(opts.getOrDefault("url", "http://localhost:8080"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
        int maxRequests = Integer.parseInt(opts.getOrDefault("requests", "5000"));
        double invalidShare = Double.parseDouble(opts.getOrDefault("invalid", "0.3"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        if (clients < 1 || clients > 256 || seconds < 1 || seconds > 600 || maxRequests < 1 || maxRequests > 200_000) {
            fail("bounds: 1 <= clients <= 256, 1 <= seconds <= 600, 1 <= requests <= 200000");
        }
        String host = base.getHost() == null ? "" : base.getHost();
        // No name lookups: localhost or a loopback literal only.
        if (!host.equals("localhost") && !host.matches("127(\\.\\d{1,3}){3}") && !host.equals("[::1]")) {
            fail("refusing " + base + ": the load test only targets loopback (localhost, 127.x.x.x, [::1])");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200) {
                fail("not ready (" + ready.statusCode() + "): " + ready.body());
            }
        } catch (java.io.IOException e) {
            fail("no Triage at " + base + ": " + e);
        }

        System.out.printf("Triage load test: %s, %d clients, at most %d s / %d requests, %.0f%% invalid, seed %d%n",
                base, clients, seconds, maxRequests, invalidShare * 100, seed);
        long start = System.nanoTime();
        long until = start + seconds * 1_000_000_000L;
        AtomicInteger issued = new AtomicInteger();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread.ofPlatform().name("load-client-" + c).daemon(true).start(() -> {
                Random random = new Random(seed * 1_000_003 + client);
                try {
                    int n;
                    while (System.nanoTime() < until && (n = issued.getAndIncrement()) < maxRequests) {
                        Shot shot = random.nextDouble() < invalidShare ? invalid(random) : valid(random, client + "-" + n);
                        outcomes.add(fire(http, base, shot));
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        report(new ArrayList<>(outcomes), (System.nanoTime() - start) / 1e9);
    }

    static Outcome fire(HttpClient http, URI base, Shot shot) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(shot.path()))
                .timeout(Duration.ofSeconds(60))
                .method(shot.method(), shot.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(shot.body()));
        shot.headers().forEach(request::header);
        long t0 = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return new Outcome(shot.kind(), -1, (System.nanoTime() - t0) / 1000, "transport: " + e);
        }
        long micros = (System.nanoTime() - t0) / 1000;
        int status = response.statusCode();
        String body = response.body();
        String problem = null;
        boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
        if (status >= 500 && status != 503) {
            problem = "5xx: " + cut(body);
        } else if (status == 503 && !response.headers().firstValue("Retry-After").isPresent()) {
            problem = "503 without Retry-After";
        } else if (!json) {
            problem = "reply is not JSON: " + cut(body);
        } else if (shot.valid() && status >= 400 && status < 500) {
            problem = "valid request refused: " + cut(body);
        } else if (!shot.valid() && status < 400) {
            problem = "invalid request accepted: " + cut(body);
        } else if (!shot.valid() && !body.contains("\"error\"")) {
            problem = "error reply without \"error\": " + cut(body);
        } else if (shot.valid() && status == 200) {
            problem = checkLabels(body, shot.expectedTop());
        }
        return new Outcome(shot.kind(), status, micros, problem);
    }

    /** Top labels in reply order; the labels are ["motorcycles","baseball"], so the first of each "labels". */
    static String checkLabels(String body, List<String> expected) {
        List<String> top = new ArrayList<>();
        int at = 0;
        while ((at = body.indexOf("\"labels\":[\"", at)) >= 0) {
            at += 11;
            top.add(body.substring(at, body.indexOf('"', at)));
        }
        return top.equals(expected) ? null : "wrong labels " + top + ", expected " + expected;
    }

    static Shot valid(Random random, String marker) {
        int count = 1 + random.nextInt(8);
        StringBuilder texts = new StringBuilder("[");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean moto = random.nextBoolean();
            int n = 1 + random.nextInt(998);
            String[] templates = moto ? MOTO : BALL;
            String text = String.format(templates[random.nextInt(templates.length)], "#" + marker + "-" + i, n, n % 60);
            texts.append(i == 0 ? "" : ",").append('"').append(text.replace("\"", "\\\"")).append('"');
            expected.add(moto ? "motorcycles" : "baseball");
        }
        String data = "{\"texts\":" + texts + "],\"labels\":" + LABELS + "}";
        return switch (random.nextInt(4)) {
            case 0 -> new Shot("valid binary CloudEvent", "POST", "/", Map.of("Content-Type", "application/json",
                    "ce-id", marker, "ce-source", "/loadtest", "ce-specversion", "1.0", "ce-type", "triage.classify"),
                    utf8(data), true, expected);
            case 1 -> new Shot("valid structured CloudEvent", "POST", "/",
                    Map.of("Content-Type", "application/cloudevents+json"),
                    utf8("{\"specversion\":\"1.0\",\"id\":\"" + marker + "\",\"source\":\"/loadtest\","
                            + "\"type\":\"triage.classify\",\"datacontenttype\":\"application/json\",\"data\":" + data
                            + "}"),
                    true, expected);
            default -> new Shot("valid plain", "POST", "/classify", Map.of("Content-Type", "application/json"),
                    utf8(data), true, expected);
        };
    }

    static Shot invalid(Random random) {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String good = "{\"texts\":[\"a text\"],\"labels\":" + LABELS + "}";
        return switch (random.nextInt(10)) {
            case 0 -> new Shot("invalid: truncated JSON", "POST", "/classify", json,
                    utf8(good.substring(0, 1 + random.nextInt(good.length() - 1))), false, null);
            case 1 -> new Shot("invalid: wrong type", "POST", "/classify", json,
                    utf8("{\"texts\":\"a text\",\"labels\":" + LABELS + "}"), false, null);
            case 2 -> new Shot("invalid: duplicate labels", "POST", "/classify", json,
                    utf8("{\"texts\":[\"a\"],\"labels\":[\"x\",\"x\"]}"), false, null);
            case 3 -> new Shot("invalid: unknown field", "POST", "/classify", json,
                    utf8("{\"texts\":[\"a\"],\"labels\":" + LABELS + ",\"multilabel\":true}"), false, null);
            case 4 -> new Shot("invalid: bad UTF-8", "POST", "/classify", json,
                    concat(utf8("{\"texts\":[\"a"), new byte[] { (byte) 0xc3, (byte) 0x28 }, utf8("\"],\"labels\":"
                            + LABELS + "}")), false, null);
            case 5 -> new Shot("invalid: CloudEvent without ce-id", "POST", "/", Map.of("Content-Type",
                    "application/json", "ce-type", "triage.classify", "ce-source", "/x", "ce-specversion", "1.0"),
                    utf8(good), false, null);
            case 6 -> new Shot("invalid: unknown ce-type", "POST", "/", Map.of("Content-Type", "application/json",
                    "ce-id", "1", "ce-type", "com.example.other", "ce-source", "/x", "ce-specversion", "1.0"),
                    utf8(good), false, null);
            case 7 -> new Shot("invalid: structured without type", "POST", "/",
                    Map.of("Content-Type", "application/cloudevents+json"),
                    utf8("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"data\":" + good + "}"), false, null);
            case 8 -> new Shot("invalid: GET", "GET", "/classify", Map.of(), null, false, null);
            default -> new Shot("invalid: 101 labels", "POST", "/classify", json, utf8("{\"texts\":[\"a\"],\"labels\":["
                    + String.join(",", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "\"l" + i + "\"")
                            .toList()) + "]}"), false, null);
        };
    }

    static void report(List<Outcome> outcomes, double seconds) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, int[]> byKind = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, AtomicLong> problemCounts = new ConcurrentHashMap<>();
        for (Outcome o : outcomes) {
            byStatus.merge(o.status(), 1, Integer::sum);
            int[] k = byKind.computeIfAbsent(o.kind(), x -> new int[2]);
            k[0]++;
            if (o.problem() != null) {
                k[1]++;
                if (problemCounts.computeIfAbsent(o.problem().split(":")[0], x -> new AtomicLong()).incrementAndGet() <= 3) {
                    problems.add(o.kind() + " -> " + o.status() + " " + o.problem());
                }
            }
        }
        System.out.printf("%d requests in %.1f s (%.0f/s)%n", outcomes.size(), seconds, outcomes.size() / seconds);
        System.out.println("by status:");
        byStatus.forEach((s, n) -> System.out.printf("  %-4s %6d%n", s < 0 ? "none" : s.toString(), n));
        System.out.println("by kind (count, unexpected):");
        byKind.forEach((k, n) -> System.out.printf("  %-36s %6d %4d%n", k, n[0], n[1]));
        latency("latency, all", outcomes.stream().mapToLong(Outcome::micros).toArray());
        latency("latency, valid 200", outcomes.stream().filter(o -> o.status() == 200).mapToLong(Outcome::micros)
                .toArray());
        latency("latency, 4xx", outcomes.stream().filter(o -> o.status() >= 400 && o.status() < 500)
                .mapToLong(Outcome::micros).toArray());
        long fiveHundreds = outcomes.stream().filter(o -> o.status() >= 500 && o.status() != 503).count();
        long unavailable = outcomes.stream().filter(o -> o.status() == 503).count();
        long unexpected = outcomes.stream().filter(o -> o.problem() != null).count();
        System.out.printf("5xx other than 503: %d; 503 (overload, with Retry-After): %d; unexpected outcomes: %d%n",
                fiveHundreds, unavailable, unexpected);
        problems.forEach(p -> System.out.println("  " + p));
        System.out.println(fiveHundreds == 0 && unexpected == 0 ? "RESULT: PASS" : "RESULT: FAIL");
        System.exit(fiveHundreds == 0 && unexpected == 0 ? 0 : 1);
    }

    static void latency(String name, long[] micros) {
        if (micros.length == 0) {
            System.out.printf("%-20s -%n", name);
            return;
        }
        Arrays.sort(micros);
        System.out.printf("%-20s p50 %7.1f ms   p90 %7.1f ms   p99 %7.1f ms   max %7.1f ms%n", name,
                pct(micros, 50), pct(micros, 90), pct(micros, 99), micros[micros.length - 1] / 1000.0);
    }

    static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("usage: LoadDriver [--url http://localhost:8080] [--clients 16] [--seconds 30] "
                        + "[--requests 5000] [--invalid 0.3] [--seed 1]");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    static void fail(String message) {
        System.err.println("loadtest: " + message);
        System.exit(2);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
