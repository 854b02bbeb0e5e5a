package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.service.Engine;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 64 concurrent clients x 20 requests, every text distinct (a marker client-request-index) with a known
 * label: every reply has exactly its own texts' results, in order, with the right label first; and a sample of
 * the texts classified alone gets exactly the same scores (micro-batches of one sequence are deterministic),
 * so nothing was mixed between requests.
 */
@QuarkusTest
class ConcurrencyTest {

    static final int CLIENTS = 64;
    static final int REQUESTS = 20;
    static final String MOTORCYCLES = "motorcycles";
    static final String BASEBALL = "baseball";
    static final String[] MOTO = { "Ride report #%s: my motorcycle's rear tyre wore out after %d miles.",
            "Garage note #%s: I adjusted the chain on my motorbike, %d km since the last service." };
    static final String[] BALL = { "Box score #%s: the shortstop batted .%03d with %3$d stolen bases.",
            "Game recap #%s: the pitcher struck out %d batters in the ninth inning." };

    record Sent(String text, String expected) {
    }

    @Inject
    Engine engine;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void concurrentRequestsGetTheirOwnAnswers() throws Exception {
        TestSupport.awaitReady();
        RawHttp http = new RawHttp();
        Map<String, Map<String, Double>> scoresByText = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        List<Future<Integer>> done = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> runClient(http, client, scoresByText)));
            }
            int texts = 0;
            for (Future<Integer> f : done) {
                texts += f.get(150, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[reliability] %d clients x %d requests = %d requests, %d texts in %.1f s: all answered "
                    + "with their own results%n", CLIENTS, REQUESTS, CLIENTS * REQUESTS, texts, seconds);
            assertEquals(texts, scoresByText.size(), "every text is distinct");
        } finally {
            clients.shutdownNow();
        }

        // The same texts alone, one request each: bit-identical scores.
        List<String> all = new ArrayList<>(scoresByText.keySet());
        java.util.Collections.sort(all);
        Random pick = new Random(7);
        for (int i = 0; i < 24; i++) {
            String text = all.get(pick.nextInt(all.size()));
            JsonNode alone = http.postJson("/classify", Map.of("texts", List.of(text),
                    "labels", List.of(MOTORCYCLES, BASEBALL))).json();
            assertEquals(scoresByText.get(text), scores(alone.at("/results/0")), text);
        }
        MalformedRequestsTest.assertWorkersAlive(engine);
    }

    /** @return the number of texts this client sent */
    private static int runClient(RawHttp http, int client, Map<String, Map<String, Double>> scoresByText) {
        Random random = new Random(client);
        int sent = 0;
        for (int req = 0; req < REQUESTS; req++) {
            int r = req;
            int count = 1 + random.nextInt(4);
            List<Sent> texts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String marker = client + "-" + r + "-" + i;
                int n = 1 + random.nextInt(998);
                texts.add(random.nextBoolean()
                        ? new Sent(String.format(MOTO[random.nextInt(MOTO.length)], marker, n), MOTORCYCLES)
                        : new Sent(String.format(BALL[random.nextInt(BALL.length)], marker, n, n % 60), BASEBALL));
            }
            // Label order varies too; the scores must not depend on it.
            List<String> labels = random.nextBoolean() ? List.of(MOTORCYCLES, BASEBALL) : List.of(BASEBALL, MOTORCYCLES);
            RawHttp.Reply reply = http.postJson("/classify",
                    Map.of("texts", texts.stream().map(Sent::text).toList(), "labels", labels));
            assertEquals(200, reply.status(), () -> "client " + client + " request " + r + ": " + reply.body());
            JsonNode results = reply.json().path("results");
            assertEquals(count, results.size(), () -> "client " + client + " request " + r + ": " + reply.body());
            for (int i = 0; i < count; i++) {
                Sent s = texts.get(i);
                JsonNode result = results.get(i);
                assertEquals(s.expected(), result.at("/labels/0").asText(), s.text() + " -> " + result);
                assertTrue(result.at("/scores/0").asDouble() > 0.5, s.text() + " -> " + result);
                scoresByText.put(s.text(), scores(result));
            }
            sent += count;
        }
        return sent;
    }

    static Map<String, Double> scores(JsonNode result) {
        Map<String, Double> byLabel = new HashMap<>();
        for (int l = 0; l < result.path("labels").size(); l++) {
            byLabel.put(result.path("labels").get(l).asText(), result.path("scores").get(l).asDouble());
        }
        return byLabel;
    }
}
