package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.TestSupport;
import dev.triage.api.EmbeddingRoutes.OpenAiEmbeddingRequest;
import dev.triage.api.EmbeddingRoutes.OpenAiEmbeddingResponse;
import dev.triage.api.EmbeddingRoutes.TeiEmbedRequest;
import dev.triage.api.HfZeroShotRoute.HfZeroShotRequest;
import dev.triage.service.ClassifyResponse;
import dev.triage.service.ServingInfo;
import dev.triage.service.TriageException.Kind;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The document served at /q/openapi against the running code, both ways: the routes the app registers (and
 * the Funqy functions), the method each serves (from its 405 answer), the JSON properties of every request and
 * reply record as Jackson binds them, the error shapes' bodies, and the error statuses each route can answer.
 */
@QuarkusTest
class OpenApiDriftTest {

    /** What each route reads and answers; null where the body is not a record (TEI's vectors, a GET). */
    record Route(Class<?> request, Class<?> reply, ErrorShape shape, Set<Kind> kinds) {
    }

    private static final Set<Kind> EVERY_REQUEST = Set.of(Kind.BAD_INPUT, Kind.METHOD_NOT_ALLOWED,
            Kind.UNSUPPORTED_MEDIA_TYPE, Kind.OVERLOADED, Kind.DEADLINE, Kind.NOT_READY, Kind.MODEL_FAILURE,
            Kind.UNAUTHORIZED);
    private static final Set<Kind> WITH_TOO_LARGE = plus(EVERY_REQUEST, Kind.TOO_LARGE);
    private static final Set<Kind> EMBEDDING = plus(WITH_TOO_LARGE, Kind.WRONG_MODEL);

    static final Map<String, Route> ROUTES = Map.of(
            "/classify", new Route(ClassifyRequest.Body.class, ClassifyResponse.class, ErrorShape.TRIAGE,
                    EVERY_REQUEST),
            "/", new Route(ClassifyRequest.Body.class, ClassifyResponse.class, ErrorShape.TRIAGE, EVERY_REQUEST),
            "/zero-shot", new Route(HfZeroShotRequest.class, HfZeroShotRoute.Answer.class, ErrorShape.TRIAGE,
                    WITH_TOO_LARGE),
            "/embed", new Route(TeiEmbedRequest.class, null, ErrorShape.TEI, EMBEDDING),
            "/v1/embeddings", new Route(OpenAiEmbeddingRequest.class, OpenAiEmbeddingResponse.class, ErrorShape.OPENAI,
                    EMBEDDING),
            "/info", new Route(null, ServingInfo.class, ErrorShape.TRIAGE,
                    Set.of(Kind.METHOD_NOT_ALLOWED, Kind.NOT_READY, Kind.UNAUTHORIZED)));

    /** Answered before a route sees the body, always in Triage's shape: body timeout, size limit, memory bound. */
    private static final Set<Integer> BEFORE_THE_ROUTE = Set.of(408, 413, 503);

    @Inject
    OpenApiRoutes routes;

    @Test
    void everyRouteInTheCodeIsDocumentedAndNothingElse() {
        JsonNode doc = document();
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fieldNames().forEachRemaining(documented::add);
        Set<String> served = routes.applicationPaths();
        assertEquals(served, documented, "paths the app routes (left) vs the document's (right)");
        assertEquals(served, new TreeSet<>(ROUTES.keySet()), "this test's route table is out of date");
        for (String path : served) {
            Set<String> operations = new TreeSet<>();
            doc.get("paths").get(path).fieldNames().forEachRemaining(m -> operations.add(m.toUpperCase()));
            Response wrongMethod = given().request("PATCH", path);
            assertEquals(405, wrongMethod.statusCode(), path);
            assertEquals(Set.of(wrongMethod.header("Allow")), operations, path + ": served method vs documented");
        }
    }

    @Test
    void requestAndReplyFieldsMatchTheRecords() {
        JsonNode doc = document();
        List<String> problems = new ArrayList<>();
        OpenApiSchemas schemas = new OpenApiSchemas(doc, problems);
        ROUTES.forEach((path, route) -> {
            JsonNode operation = operation(doc, path);
            if (route.request() != null) {
                String name = schemas.refName(operation.at("/requestBody/content/application~1json/schema"));
                schemas.compare(route.request(), false, name, path + " request");
            } else {
                assertTrue(operation.path("requestBody").isMissingNode(), path + " documents a body it never reads");
            }
            JsonNode ok = operation.at("/responses/200/content/application~1json/schema");
            if (route.reply() != null) {
                schemas.compare(route.reply(), true, schemas.refName(ok), path + " reply");
            } else {
                assertTrue(schemas.refName(ok) == null, path + ": the reply is not a record, yet refers to a schema");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void errorShapesMatchWhatTheRoutesAnswer() {
        JsonNode doc = document();
        List<String> problems = new ArrayList<>();
        OpenApiSchemas schemas = new OpenApiSchemas(doc, problems);
        for (ErrorShape shape : ErrorShape.values()) {
            schemas.compareErrorShape(shape);
        }
        ROUTES.forEach((path, route) -> {
            JsonNode responses = operation(doc, path).get("responses");
            Set<Integer> expected = new TreeSet<>();
            route.kinds().forEach(kind -> expected.add(route.shape().status(kind)));
            if (route.request() != null) {
                expected.addAll(BEFORE_THE_ROUTE);
            }
            Set<Integer> documented = new TreeSet<>();
            responses.fieldNames().forEachRemaining(s -> documented.add(Integer.parseInt(s)));
            documented.removeIf(s -> s < 400);
            if (!expected.equals(documented)) {
                problems.add(path + ": error statuses the code answers " + expected + ", documented " + documented);
            }
            for (Kind kind : route.kinds()) {
                int status = route.shape().status(kind);
                JsonNode response = schemas.response(responses.path(Integer.toString(status)));
                if (!schemas.refNames(response.path("content")).contains(OpenApiSchemas.schemaOf(route.shape()))) {
                    problems.add(path + " " + status + " (" + kind + "): not documented in "
                            + OpenApiSchemas.schemaOf(route.shape()) + "'s shape");
                }
                if ((status == 429 || status == 503) && !response.path("headers").has("Retry-After")) {
                    problems.add(path + " " + status + ": Retry-After is not documented");
                }
                if (kind == Kind.UNAUTHORIZED && !response.path("headers").has("WWW-Authenticate")) {
                    problems.add(path + " 401: WWW-Authenticate is not documented");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void servedAsYamlAndJsonWithTheApplicationsVersion() {
        JsonNode doc = document();
        assertEquals(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class),
                doc.at("/info/version").asText());
        given().get("/q/openapi").then().statusCode(200).contentType("application/yaml");
        // dev and test only (quarkus.swagger-ui.always-include is false): the prod jar has no UI
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theFormatFollowsThePathThenTheQueryThenAccept() {
        given().get("/q/openapi.json").then().statusCode(200).contentType("application/json");
        given().header("Accept", "application/json").get("/q/openapi").then().statusCode(200)
                .contentType("application/json");
        given().queryParam("format", "yaml").header("Accept", "application/json").get("/q/openapi").then()
                .statusCode(200).contentType("application/yaml");
        given().request("POST", "/q/openapi").then().statusCode(405).header("Allow", "GET, HEAD");
    }

    static JsonNode document() {
        Response response = given().queryParam("format", "json").get("/q/openapi");
        assertEquals(200, response.statusCode(), response.asString());
        try {
            return TestSupport.JSON.readTree(response.asString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode operation(JsonNode doc, String path) {
        JsonNode item = doc.get("paths").get(path);
        return item.has("post") ? item.get("post") : item.get("get");
    }

    private static Set<Kind> plus(Set<Kind> kinds, Kind more) {
        Set<Kind> all = new java.util.HashSet<>(kinds);
        all.add(more);
        return Set.copyOf(all);
    }
}
