package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.service.Engine;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hundreds of generated bad requests over real HTTP, each answered with a 4xx and a JSON {"error", "field"}
 * naming the problem, never a 5xx; afterwards the application still classifies right and every worker lives.
 */
@QuarkusTest
class MalformedRequestsTest {

    static final String MOTORBIKE = "I rebuilt the carburetor on my motorbike and now the engine idles smoothly.";
    static final String HOME_RUN = "He hit a home run in the bottom of the ninth and the crowd went wild.";
    static final String VALID = "{\"texts\":[\"" + MOTORBIKE + "\"],\"labels\":[\"motorcycles\",\"baseball\"],"
            + "\"multiLabel\":false}";
    static final Map<String, String> JSON_TYPE = Map.of("Content-Type", "application/json");
    static final String NO_FIELD = "<none>";

    /**
     * @param field the "field" the reply must name; null: not checked; {@link #NO_FIELD}: must have none
     * @param says a piece of the error message, case-insensitive; null: not checked
     */
    record Case(String name, String method, String path, Map<String, String> headers, byte[] body, int status,
            String field, String says) {
    }

    @Inject
    Engine engine;

    private final List<Case> cases = new ArrayList<>();

    /** One named test per generated case, so a failure names its case; then the checks that nothing broke. */
    @TestFactory
    Stream<DynamicTest> everyMalformedRequestGetsA4xxWithAJsonError() {
        TestSupport.awaitReady();
        truncatedBodies();
        wrongTypes();
        overLimits();
        badUtf8();
        notAnObject();
        binaryCloudEvents();
        structuredCloudEvents();
        methodsMediaTypesAndPaths();

        Set<String> names = new HashSet<>();
        cases.forEach(c -> assertTrue(names.add(c.name()), "duplicate case name " + c.name()));
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");

        RawHttp http = new RawHttp();
        Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            RawHttp.Reply reply = http.send(c.method(), c.path(), c.headers(), c.body());
            String problem = check(c, reply);
            assertNull(problem, () -> problem + " -- got " + reply.status() + " " + abbreviate(reply.body()));
        }));
        return Stream.concat(each, Stream.of(
                DynamicTest.dynamicTest("afterwards: what the spec allows is still accepted", () -> specAllowed(http)),
                DynamicTest.dynamicTest("afterwards: right answers, ready, every worker alive",
                        () -> nothingBroke(http))));
    }

    private void specAllowed(RawHttp http) {
        Map<String, Object> noContentType = event();
        noContentType.remove("datacontenttype"); // absent = application/json (JSON event format 3.1.1)
        for (Map.Entry<String, Map<String, String>> ok : Map.of(
                "media type in capitals", Map.of("Content-Type", "Application/JSON; charset=UTF-8"),
                "binary event with an extension", withExtension(),
                "structured event without datacontenttype", Map.of("Content-Type", "application/cloudevents+json"),
                "structured event with duplicate ce-* headers", Map.of("Content-Type",
                        "application/cloudevents+json", "ce-id", "x", "ce-type", "other")).entrySet()) {
            boolean structured = ok.getKey().startsWith("structured");
            byte[] body = structured ? utf8(json(noContentType)) : utf8(VALID + "\n");
            RawHttp.Reply reply = http.post(structured || ok.getKey().startsWith("binary") ? "/" : "/classify",
                    ok.getValue(), body);
            assertEquals(200, reply.status(), ok.getKey() + ": " + reply.body());
            JsonNode data = structured ? reply.json().path("data") : reply.json();
            assertEquals("motorcycles", data.at("/results/0/labels/0").asText(), ok.getKey() + ": " + reply.body());
        }
    }

    private void nothingBroke(RawHttp http) {
        JsonNode reply = http.postJson("/classify", Map.of("texts", List.of(MOTORBIKE, HOME_RUN),
                "labels", List.of("motorcycles", "baseball"))).json();
        assertEquals("motorcycles", reply.at("/results/0/labels/0").asText(), reply.toString());
        assertEquals("baseball", reply.at("/results/1/labels/0").asText(), reply.toString());
        RawHttp.Reply ready = http.send("GET", "/q/health/ready", Map.of(), null);
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().path("status").asText());
        assertWorkersAlive(engine);
    }

    static void assertWorkersAlive(Engine engine) {
        int size = engine.loaded().orElseThrow().pool().size();
        Set<String> alive = new HashSet<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("triage-worker-")).forEach(alive::add);
        for (int i = 0; i < size; i++) {
            assertTrue(alive.contains("triage-worker-" + i), "worker " + i + " is gone; alive: " + alive);
        }
    }

    private static String check(Case c, RawHttp.Reply reply) {
        if (reply.status() != c.status()) {
            return "status " + reply.status() + ", expected " + c.status();
        }
        if (!reply.header("Content-Type").orElse("").startsWith("application/json")) {
            return "Content-Type " + reply.header("Content-Type");
        }
        JsonNode json;
        try {
            json = RawHttp.JSON.readTree(reply.bytes());
        } catch (Exception e) {
            return "body is not JSON";
        }
        if (json == null || !json.isObject() || !json.path("error").isTextual() || json.path("error").asText().isBlank()) {
            return "no \"error\" message";
        }
        if (json.toString().contains("Exception") || json.toString().contains("\tat ")) {
            return "leaks an exception or stack trace";
        }
        if (NO_FIELD.equals(c.field()) && json.has("field")) {
            return "names field " + json.get("field") + ", expected none";
        }
        if (c.field() != null && !NO_FIELD.equals(c.field()) && !c.field().equals(json.path("field").asText(null))) {
            return "field " + json.get("field") + ", expected " + c.field();
        }
        if (c.says() != null && !json.path("error").asText().toLowerCase().contains(c.says().toLowerCase())) {
            return "error does not say '" + c.says() + "'";
        }
        return null;
    }

    // --- the cases ------------------------------------------------------------------------------------------

    private void add(String name, String path, Map<String, String> headers, byte[] body, int status, String field,
            String says) {
        cases.add(new Case(name, "POST", path, headers, body, status, field, says));
    }

    private void plain(String name, String body, int status, String field, String says) {
        add(name, "/classify", JSON_TYPE, utf8(body), status, field, says);
    }

    /** The valid body cut after every character: never valid JSON. */
    private void truncatedBodies() {
        for (int cut = 0; cut < VALID.length(); cut++) {
            plain("truncated at " + cut, VALID.substring(0, cut), 400, NO_FIELD,
                    cut == 0 ? "empty" : "not valid JSON");
        }
    }

    /** Every field with every wrong JSON type, and the wrong shapes inside arrays and label objects. */
    private void wrongTypes() {
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("number", "1");
        wrong.put("string", "\"a\"");
        wrong.put("object", "{}");
        wrong.put("boolean", "true");
        wrong.put("float", "1.5e300");
        for (Map.Entry<String, String> type : wrong.entrySet()) {
            plain("texts as " + type.getKey(), "{\"texts\":" + type.getValue() + ",\"labels\":[\"a\",\"b\"]}", 400,
                    "texts", "array");
            plain("labels as " + type.getKey(), "{\"texts\":[\"x\"],\"labels\":" + type.getValue() + "}", 400,
                    "labels", "array");
            plain("multiLabel as " + type.getKey(), "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"multiLabel\":"
                    + (type.getKey().equals("boolean") ? "[true]" : type.getValue()) + "}", 400, "multiLabel",
                    "true or false");
            plain("longText as " + type.getKey(), "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"longText\":"
                    + type.getValue() + "}", 400, "longText", "truncate");
            if (!type.getKey().equals("string")) {
                plain("hypothesisTemplate as " + type.getKey(), "{\"texts\":[\"x\"],\"labels\":[\"a\"],"
                        + "\"hypothesisTemplate\":" + type.getValue() + "}", 400, "hypothesisTemplate", "string");
            }
        }
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("null", "null");
        elements.put("number", "42");
        elements.put("boolean", "false");
        elements.put("array", "[\"nested\"]");
        for (Map.Entry<String, String> element : elements.entrySet()) {
            plain("texts element " + element.getKey(), "{\"texts\":[\"fine\"," + element.getValue()
                    + "],\"labels\":[\"a\",\"b\"]}", 400, "texts[1]", "must be a string");
            plain("labels element " + element.getKey(), "{\"texts\":[\"x\"],\"labels\":[\"a\","
                    + element.getValue() + "]}", 400, "labels[1]", "must be a string");
        }
        plain("texts element object", "{\"texts\":[{}],\"labels\":[\"a\"]}", 400, "texts[0]", "must be a string");
        plain("texts missing", "{\"labels\":[\"a\",\"b\"]}", 400, "texts", "required");
        plain("texts null", "{\"texts\":null,\"labels\":[\"a\",\"b\"]}", 400, "texts", "required");
        plain("texts empty", "{\"texts\":[],\"labels\":[\"a\",\"b\"]}", 400, "texts", "empty");
        plain("labels missing", "{\"texts\":[\"x\"]}", 400, "labels", "required");
        plain("labels null", "{\"texts\":[\"x\"],\"labels\":null}", 400, "labels", "required");
        plain("labels empty", "{\"texts\":[\"x\"],\"labels\":[]}", 400, "labels", "empty");
        plain("both missing", "{}", 400, null, "required");
        plain("label blank", "{\"texts\":[\"x\"],\"labels\":[\"a\",\"  \"]}", 400, "labels[1]", "blank");
        plain("label empty string", "{\"texts\":[\"x\"],\"labels\":[\"\"]}", 400, "labels[0]", "blank");
        plain("key given twice", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"texts\":[\"y\"]}", 400, NO_FIELD,
                "duplicate field 'texts'");
        plain("labels duplicate", "{\"texts\":[\"x\"],\"labels\":[\"a\",\"b\",\"a\"]}", 400, "labels", "twice");
        plain("labels duplicate via object", "{\"texts\":[\"x\"],\"labels\":[\"a\",{\"name\":\"a\"}]}", 400,
                "labels", "twice");
        plain("label lone high surrogate", "{\"texts\":[\"x\"],\"labels\":[\"a\\ud800\",\"b\"]}", 400, "labels[0]",
                "surrogate");
        plain("label lone low surrogate", "{\"texts\":[\"x\"],\"labels\":[\"b\",\"\\udc00a\"]}", 400, "labels[1]",
                "surrogate");
        plain("label description lone surrogate", "{\"texts\":[\"x\"],\"labels\":[\"a\",{\"name\":\"b\","
                + "\"description\":\"bikes \\ud800\"}]}", 400, "labels[1].description", "surrogate");
        plain("label example lone surrogate", "{\"texts\":[\"x\"],\"labels\":[\"a\",{\"name\":\"b\","
                + "\"examples\":[\"ok\",\"\\udc00 no\"]}]}", 400, "labels[1].examples[1]", "surrogate");
        plain("key given twice in a label object", "{\"texts\":[\"x\"],\"labels\":[\"a\",{\"name\":\"b\","
                + "\"name\":\"c\"}]}", 400, null, "duplicate field 'name'");
        plain("template lone surrogate", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"hypothesisTemplate\":"
                + "\"About {} \\ud83d\"}", 400, "hypothesisTemplate", "surrogate");
        plain("template without placeholder", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"hypothesisTemplate\":"
                + "\"This is about sports.\"}", 400, "hypothesisTemplate", "{}");
        plain("template empty", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"hypothesisTemplate\":\"\"}", 400,
                "hypothesisTemplate", "{}");
        plain("longText unknown", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"longText\":\"split\"}", 400, "longText",
                "truncate");
        plain("multiLabel as string true", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"multiLabel\":\"true\"}", 400,
                "multiLabel", "true or false");
        for (String unknown : List.of("text", "label", "candidateLabels", "multi-label", "template", "TEXTS", "")) {
            plain("unknown field '" + unknown + "'", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"" + unknown
                    + "\":1}", 400, unknown, "unknown field");
        }
        plain("alias and name both", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"candidate_labels\":[\"b\"]}", 400,
                "candidate_labels", "same field");
        plain("template alias both", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"hypothesis_template\":\"{}\","
                + "\"hypothesisTemplate\":\"{}!\"}", 400, "hypothesisTemplate", "same field");
        // Few-shot label objects.
        plain("label object without name", "{\"texts\":[\"x\"],\"labels\":[{\"description\":\"d\"}]}", 400,
                "labels[0].name", "name");
        plain("label object unknown member", "{\"texts\":[\"x\"],\"labels\":[{\"name\":\"a\",\"nam\":\"b\"}]}", 400,
                "labels[0].nam", "unknown field");
        plain("label object name number", "{\"texts\":[\"x\"],\"labels\":[{\"name\":7}]}", 400, "labels[0]",
                "must be a string");
        plain("label object examples string", "{\"texts\":[\"x\"],\"labels\":[{\"name\":\"a\",\"examples\":\"e\"}]}",
                400, "labels[0].examples", "array");
        plain("label object examples empty", "{\"texts\":[\"x\"],\"labels\":[{\"name\":\"a\",\"examples\":[]}]}",
                400, "labels[0].examples", "empty");
        plain("label object example number", "{\"texts\":[\"x\"],\"labels\":[{\"name\":\"a\",\"examples\":[3]}]}",
                400, "labels[0].examples[0]", "must be a string");
        plain("label object description blank", "{\"texts\":[\"x\"],\"labels\":[{\"name\":\"a\","
                + "\"description\":\" \"}]}", 400, "labels[0].description", "non-blank");
    }

    /** Counts and sizes just over every limit. */
    private void overLimits() {
        List<String> texts = Collections.nCopies(2049, "t");
        plain("2049 texts", json(Map.of("texts", texts, "labels", List.of("a", "b"))), 400, "texts", "limit");
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            labels.add("label " + i);
        }
        plain("101 labels", json(Map.of("texts", List.of("x"), "labels", labels)), 400, "labels", "limit");
        plain("label of 201 chars", json(Map.of("texts", List.of("x"), "labels", List.of("a", "b".repeat(201)))), 400,
                "labels[1]", "limit");
        plain("label object of 201 chars", json(Map.of("texts", List.of("x"),
                "labels", List.of(Map.of("name", "n".repeat(201))))), 400, "labels[0]", "limit");
        plain("template of 1001 chars", json(Map.of("texts", List.of("x"), "labels", List.of("a"),
                "hypothesisTemplate", "{}" + "t".repeat(999))), 400, "hypothesisTemplate", "limit");
        plain("65 examples", json(Map.of("texts", List.of("x"), "labels", List.of(Map.of("name", "a",
                "examples", Collections.nCopies(65, "e"))))), 400, "labels[0].examples", "limit");
        plain("nesting 2000 deep", "{\"texts\":" + "[".repeat(2000) + "]".repeat(2000) + ",\"labels\":[\"a\"]}", 400,
                NO_FIELD, "nesting depth");
        plain("number of 2000 digits", "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"multiLabel\":" + "9".repeat(2000)
                + "}", 400, NO_FIELD, "not valid JSON");
        // 16 MiB of one-character texts (or of empty arrays): refused at the first item past max-texts, as it streams.
        StringBuilder tiny = new StringBuilder(16 << 20).append("{\"labels\":[\"a\",\"b\"],\"texts\":[\"a\"");
        StringBuilder empty = new StringBuilder(16 << 20).append("{\"labels\":[\"a\",\"b\"],\"texts\":[[]");
        while (tiny.length() < (16 << 20) - 16) {
            tiny.append(",\"a\"");
            empty.append(",[]");
        }
        plain("16 MiB of one-character texts", tiny.append("]}").toString(), 400, "texts", "the limit is");
        plain("16 MiB of empty arrays as texts", empty.append("]}").toString(), 400, "texts", "the limit is");
        // 17 MB, over quarkus.http.limits.max-body-size=16M.
        String huge = "{\"texts\":[\"" + "x".repeat(17 * 1024 * 1024) + "\"],\"labels\":[\"a\",\"b\"]}";
        plain("17 MB body", huge, 413, NO_FIELD, "too large");
    }

    /** Byte sequences that are not UTF-8, inside a text, a label, a field name and between tokens. */
    private void badUtf8() {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("0xFF", bytes(0xff));
        bad.put("0xFE 0xFF", bytes(0xfe, 0xff));
        bad.put("lone continuation 0x80", bytes(0x80));
        bad.put("2-byte lead without tail", bytes(0xc3));
        bad.put("3-byte sequence cut", bytes(0xe2, 0x82));
        bad.put("4-byte sequence cut", bytes(0xf0, 0x9f, 0x98));
        bad.put("encoded surrogate", bytes(0xed, 0xa0, 0x80));
        bad.put("5-byte form", bytes(0xf8, 0x88, 0x80, 0x80, 0x80));
        bad.put("overlong '/' c0 af", bytes(0xc0, 0xaf));
        bad.put("overlong '\"' c0 a2", bytes(0xc0, 0xa2));
        bad.put("overlong 3-byte '/' e0 80 af", bytes(0xe0, 0x80, 0xaf));
        bad.put("overlong 4-byte f0 80 80 af", bytes(0xf0, 0x80, 0x80, 0xaf));
        bad.put("lead then ASCII", bytes(0xe2, 0x41, 0x41));
        for (Map.Entry<String, byte[]> b : bad.entrySet()) {
            add("bad UTF-8 in text: " + b.getKey(), "/classify", JSON_TYPE,
                    concat(utf8("{\"texts\":[\"abc"), b.getValue(), utf8("def\"],\"labels\":[\"a\",\"b\"]}")), 400,
                    NO_FIELD, "UTF-8");
            add("bad UTF-8 in label: " + b.getKey(), "/classify", JSON_TYPE,
                    concat(utf8("{\"texts\":[\"abc\"],\"labels\":[\"a"), b.getValue(), utf8("\"]}")), 400,
                    NO_FIELD, "UTF-8");
        }
        add("bad UTF-8 in field name", "/classify", JSON_TYPE,
                concat(utf8("{\"te"), bytes(0xff), utf8("xts\":[\"abc\"],\"labels\":[\"a\"]}")), 400, NO_FIELD, "UTF-8");
        add("bad UTF-8 between tokens", "/classify", JSON_TYPE,
                concat(utf8("{\"texts\":[\"abc\"],"), bytes(0xc0), utf8("\"labels\":[\"a\"]}")), 400, NO_FIELD, null);
        for (String route : List.of("/embed", "/zero-shot")) { // /v1/embeddings: EmbeddingRoutesTest (its shape)
            add("overlong UTF-8 to " + route, route, JSON_TYPE, concat(utf8("{\"inputs\":[\"a"), bytes(0xc0, 0xaf),
                    utf8("\"]}")), 400, null, "UTF-8");
        }
        String event = json(event());
        int text = event.indexOf(MOTORBIKE);
        add("overlong UTF-8 in a structured CloudEvent", "/", Map.of("Content-Type", "application/cloudevents+json"),
                concat(utf8(event.substring(0, text)), bytes(0xc0, 0xaf), utf8(event.substring(text))), 400, NO_FIELD,
                "UTF-8");
        add("bad UTF-8 in binary CloudEvent data", "/", binaryHeaders(),
                concat(utf8("{\"texts\":[\""), bytes(0xff), utf8("\"],\"labels\":[\"a\"]}")), 400, "data", "UTF-8");
    }

    /** JSON that parses but is no request object. */
    private void notAnObject() {
        plain("body null", "null", 400, NO_FIELD, "empty");
        plain("body array", "[" + VALID + "]", 400, NO_FIELD, "JSON object");
        plain("body string", "\"texts\"", 400, NO_FIELD, "JSON object");
        plain("body number", "42", 400, NO_FIELD, "JSON object");
        plain("body true", "true", 400, NO_FIELD, "JSON object");
        plain("body whitespace", "  \n ", 400, NO_FIELD, null);
        plain("two objects", VALID + VALID, 400, NO_FIELD, "not valid JSON");
        plain("trailing garbage", VALID + "x", 400, NO_FIELD, "not valid JSON");
        plain("single quotes", VALID.replace('"', '\''), 400, NO_FIELD, "not valid JSON");
        plain("comment", "/* c */" + VALID, 400, NO_FIELD, "not valid JSON");
    }

    static Map<String, String> withExtension() {
        Map<String, String> headers = binaryHeaders();
        headers.put("ce-knativearrivaltime", "2026-01-01T00:00:00Z");
        return headers;
    }

    static Map<String, String> binaryHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("ce-id", "42");
        headers.put("ce-source", "/test/reliability");
        headers.put("ce-specversion", "1.0");
        headers.put("ce-type", "triage.classify");
        return headers;
    }

    private void binary(String name, Map<String, String> headers, String body, int status, String field, String says) {
        add("binary CE: " + name, "/", headers, body == null ? null : utf8(body), status, field, says);
    }

    private void binaryCloudEvents() {
        for (String attribute : List.of("ce-id", "ce-source", "ce-specversion", "ce-type")) {
            Map<String, String> missing = binaryHeaders();
            missing.remove(attribute);
            binary("without " + attribute, missing, VALID, 400, attribute, "required attribute " + attribute);
            Map<String, String> blank = binaryHeaders();
            blank.put(attribute, " ");
            binary("blank " + attribute, blank, VALID, 400, attribute, attribute);
            Map<String, String> only = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
            only.put(attribute, binaryHeaders().get(attribute));
            binary("only " + attribute, only, VALID, 400, null, "required attribute");
            add("binary CE: only " + attribute + " on /classify", "/classify", only, utf8(VALID), 400, null,
                    "required attribute");
        }
        Map<String, String> onlyExtension = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
        onlyExtension.put("ce-traceparent", "00-1-2-01");
        binary("only an extension header", onlyExtension, VALID, 400, "ce-id", "ce-id");
        for (String version : List.of("0.3", "2.0", "1", "1.0.1", "v1.0")) {
            Map<String, String> headers = binaryHeaders();
            headers.put("ce-specversion", version);
            binary("specversion " + version, headers, VALID, 400, "ce-specversion", "specversion");
        }
        for (String type : List.of("foo", "triage.classified", "triage.Classify", "dev.triage.classify")) {
            Map<String, String> headers = binaryHeaders();
            headers.put("ce-type", type);
            binary("type " + type, headers, VALID, 400, "ce-type", "unknown CloudEvent type");
        }
        for (String contentType : List.of("text/plain", "application/xml", "application/octet-stream",
                "application/cloudevents-batch+json")) {
            Map<String, String> headers = binaryHeaders();
            headers.put("Content-Type", contentType);
            binary("Content-Type " + contentType, headers, VALID, 415, "Content-Type", null);
        }
        Map<String, String> noType = binaryHeaders();
        noType.remove("Content-Type");
        binary("without Content-Type", noType, VALID, 415, "Content-Type", "application/json");
        binary("empty data", binaryHeaders(), null, 400, "data", "empty");
        binary("data null", binaryHeaders(), "null", 400, NO_FIELD, "empty");
        binary("data array", binaryHeaders(), "[]", 400, NO_FIELD, "JSON object");
        binary("data truncated", binaryHeaders(), VALID.substring(0, 30), 400, "data", "not valid JSON");
        binary("data texts number", binaryHeaders(), "{\"texts\":1,\"labels\":[\"a\"]}", 400, "texts", "array");
        binary("data unknown field", binaryHeaders(), "{\"texts\":[\"x\"],\"labels\":[\"a\"],\"x\":1}", 400, "x",
                "unknown field");
        for (int cut = 1; cut < VALID.length(); cut += 9) {
            binary("data cut at " + cut, binaryHeaders(), VALID.substring(0, cut), 400, "data", "not valid JSON");
        }
    }

    static Map<String, Object> event() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", "7");
        event.put("source", "/test/reliability");
        event.put("type", "triage.classify");
        event.put("datacontenttype", "application/json");
        event.put("data", Map.of("texts", List.of(MOTORBIKE), "labels", List.of("motorcycles", "baseball")));
        return event;
    }

    private void structured(String name, Object event, int status, String field, String says) {
        add("structured CE: " + name, "/", Map.of("Content-Type", "application/cloudevents+json"),
                event instanceof String s ? utf8(s) : utf8(json(event)), status, field, says);
    }

    private void structuredCloudEvents() {
        for (String attribute : List.of("id", "source", "specversion", "type")) {
            Map<String, Object> missing = event();
            missing.remove(attribute);
            structured("without " + attribute, missing, 400, attribute, "required attribute '" + attribute + "'");
            Map<String, Object> nulled = event();
            nulled.put(attribute, null);
            structured(attribute + " null", nulled, 400, attribute, "required attribute");
            Map<String, Object> number = event();
            number.put(attribute, 1);
            structured(attribute + " a number", number, 400, attribute, "string");
            Map<String, Object> blank = event();
            blank.put(attribute, "");
            structured(attribute + " empty", blank, 400, attribute, "string");
        }
        for (String version : List.of("0.3", "2.0", "1")) {
            Map<String, Object> event = event();
            event.put("specversion", version);
            structured("specversion " + version, event, 400, "specversion", "specversion");
        }
        Map<String, Object> unknownType = event();
        unknownType.put("type", "com.example.other");
        structured("unknown type", unknownType, 400, "type", "unknown CloudEvent type");
        for (String contentType : List.of("text/plain", "application/xml", "application/octet-stream")) {
            Map<String, Object> event = event();
            event.put("datacontenttype", contentType);
            event.put("data", "texts");
            structured("datacontenttype " + contentType, event, 415, "datacontenttype", "application/json");
        }
        Map<String, Object> nullType = event();
        nullType.put("datacontenttype", null);
        structured("datacontenttype null", nullType, 415, "datacontenttype", null);
        Map<String, Object> noData = event();
        noData.remove("data");
        structured("without data", noData, 400, "data", "no 'data'");
        Map<String, Object> base64 = event();
        base64.remove("data");
        base64.put("data_base64", "e30=");
        structured("data_base64", base64, 415, "data_base64", "data_base64");
        Map<String, Object> nullData = event();
        nullData.put("data", null);
        structured("data null", nullData, 400, NO_FIELD, "empty");
        Map<String, Object> arrayData = event();
        arrayData.put("data", List.of(1));
        structured("data an array", arrayData, 400, NO_FIELD, "JSON object");
        Map<String, Object> stringData = event();
        stringData.put("data", VALID);
        structured("data a JSON string", stringData, 400, NO_FIELD, "JSON object");
        Map<String, Object> badData = event();
        badData.put("data", Map.of("texts", List.of("x"), "labels", List.of("a", "a")));
        structured("data duplicate labels", badData, 400, "labels", "twice");
        Map<String, Object> noLabels = event();
        noLabels.put("data", Map.of("texts", List.of("x")));
        structured("data without labels", noLabels, 400, "labels", "required");
        structured("not JSON", "{\"specversion\":\"1.0\",", 400, NO_FIELD, "not valid JSON");
        structured("an array", "[" + json(event()) + "]", 400, NO_FIELD, "JSON object");
        structured("null", "null", 400, NO_FIELD, "JSON object");
        structured("empty", "", 400, NO_FIELD, "empty");
        String whole = json(event());
        for (int cut = 1; cut < whole.length(); cut += 23) {
            structured("cut at " + cut, whole.substring(0, cut), 400, NO_FIELD, "not valid JSON");
        }
    }

    private void methodsMediaTypesAndPaths() {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String path : List.of("/classify", "/")) {
                cases.add(new Case(method + " " + path, method, path, JSON_TYPE,
                        method.equals("GET") || method.equals("DELETE") || method.equals("OPTIONS") ? null
                                : utf8(VALID),
                        405, NO_FIELD, "POST"));
            }
        }
        cases.add(new Case("GET /classify with a query", "GET", "/classify?texts=a&labels=b", Map.of(), null, 405,
                NO_FIELD, "POST"));
        for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json-patch+json", "text/json")) {
            add("Content-Type " + contentType, "/classify", Map.of("Content-Type", contentType), utf8(VALID), 415,
                    "Content-Type", null);
        }
        add("no Content-Type", "/classify", Map.of(), utf8(VALID), 415, "Content-Type", "Content-Type");
        add("cloudevents batch", "/", Map.of("Content-Type", "application/cloudevents-batch+json"),
                utf8("[" + json(event()) + "]"), 415, "Content-Type", "batch");
        add("plain JSON to /", "/", JSON_TYPE, utf8(VALID), 404, NO_FIELD, "/classify");
        add("unknown path", "/classify2", JSON_TYPE, utf8(VALID), 404, NO_FIELD, null);
        add("path below the function", "/classify/more", JSON_TYPE, utf8(VALID), 404, NO_FIELD, null);
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static String json(Object value) {
        try {
            return RawHttp.JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
