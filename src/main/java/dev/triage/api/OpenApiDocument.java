package dev.triage.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves META-INF/openapi.yaml (maintained with the code, api/OpenApiDriftTest) at /q/openapi as YAML, or JSON
 * for {@code ?format=json}, {@code Accept: application/json} or /q/openapi.json, with info.version set to the
 * application's version. Read and converted at the first request, not at start.
 */
public class OpenApiDocument {

    static final String PATH = "/q/openapi";
    private static final String RESOURCE = "META-INF/openapi.yaml";

    @ConfigProperty(name = "quarkus.application.version")
    String version;

    private Served served;

    /** The document in both forms, made once. */
    private record Served(byte[] yaml, byte[] json) {
    }

    void install(@Observes Router router) {
        router.routeWithRegex(PATH + "(\\.json|\\.yaml|\\.yml)?").order(RequestGuard.ORDER)
                .blockingHandler(this::answer, false);
    }

    private void answer(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.response().putHeader("Allow", "GET, HEAD").setStatusCode(405).end();
            return;
        }
        boolean json = wantsJson(ctx);
        Served document = document();
        ctx.response().putHeader("Content-Type", (json ? "application/json" : "application/yaml") + ";charset=UTF-8")
                .end(Buffer.buffer(json ? document.json() : document.yaml()));
    }

    /** The path's extension, then ?format, then Accept (as SmallRye OpenAPI decides). */
    private static boolean wantsJson(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.endsWith(".json") || path.endsWith(".yaml") || path.endsWith(".yml")) {
            return path.endsWith(".json");
        }
        var format = ctx.queryParam("format");
        if (!format.isEmpty()) {
            return format.get(0).equalsIgnoreCase("json");
        }
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("application/json");
    }

    private synchronized Served document() {
        if (served != null) {
            return served;
        }
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            ObjectNode doc = (ObjectNode) yaml.readTree(in);
            ((ObjectNode) doc.path("info")).put("version", version);
            served = new Served(yaml.writeValueAsBytes(doc), new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(doc));
            return served;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
