package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The per-text result cache: hits for identical requests, misses whenever anything that matters differs. */
@QuarkusTest
@TestProfile(TestProfiles.Fp32OneWorker.class)
class ResultCacheTest {

    static final String TEXT = "The catcher threw out the runner trying to steal second base.";

    static List<Object> classify(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/classify").then().statusCode(200).extract()
                .jsonPath().getList("results");
    }

    static double lookups(String result) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return TestSupport.metric(text, "triage_cache_lookups_total", "result=\"" + result + "\"").orElse(0);
    }

    @Test
    void identicalRequestsHitAndAnyDifferenceMisses() {
        TestSupport.awaitReady();
        Map<String, Object> base = Map.of("texts", List.of(TEXT), "labels", List.of("motorcycles", "baseball"));
        List<Object> first = classify(base);
        double hits = lookups("hit");
        double misses = lookups("miss");
        assertEquals(first, classify(base));
        assertEquals(hits + 1, lookups("hit"));
        assertEquals(misses, lookups("miss"));

        classify(Map.of("texts", List.of(TEXT), "labels", List.of("motorcycles", "baseball", "cooking")));
        classify(Map.of("texts", List.of(TEXT), "labels", List.of("baseball", "motorcycles")));
        classify(Map.of("texts", List.of(TEXT), "labels", List.of("motorcycles", "baseball"),
                "hypothesisTemplate", "A post about {}."));
        classify(Map.of("texts", List.of(TEXT), "labels", List.of("motorcycles", "baseball"), "multiLabel", true));
        classify(Map.of("texts", List.of(TEXT), "labels", List.of("motorcycles", "baseball"), "longText", "chunk"));
        classify(Map.of("texts", List.of(TEXT), "labels",
                List.of("motorcycles", Map.of("name", "baseball", "examples", List.of("A home run.")))));
        assertEquals(hits + 1, lookups("hit"), "a changed label set, order, template or mode must not hit");
        assertEquals(misses + 6, lookups("miss"));

        // Mixed: one cached text and one new one in the same request.
        List<Object> mixed = classify(Map.of("texts", List.of("A brand new text about a scooter.", TEXT),
                "labels", List.of("motorcycles", "baseball")));
        assertEquals(first.get(0), mixed.get(1));
        assertEquals(hits + 2, lookups("hit"));
    }
}
