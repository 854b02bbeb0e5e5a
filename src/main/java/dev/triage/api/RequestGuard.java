package dev.triage.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;
import dev.triage.service.TriageException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks what Funqy does not, before it sees the request: the method, the media type, an empty body, and the
 * CloudEvent attributes of binary mode (ce-* headers) and structured mode (the JSON envelope). Funqy answers
 * those cases with a bare 404/406/500 or a NullPointerException; here they become a 4xx naming the problem.
 * It runs after Quarkus' body handler (the body is already buffered, nothing is consumed) and before Funqy's
 * routes ({@code /} and {@code /classify}). The data itself is validated by {@link ClassifyRequest}.
 */
public class RequestGuard {

    /** The binary-mode attributes a CloudEvent must carry, in the spec's order. */
    static final List<String> REQUIRED_HEADERS = List.of("ce-id", "ce-source", "ce-specversion", "ce-type");
    static final List<String> REQUIRED_MEMBERS = List.of("id", "source", "specversion", "type");
    static final String SPEC_VERSION = "1.0";
    static final String FUNCTION = "classify";
    /** Runs after the body handler ({@code RouteConstants.ROUTE_ORDER_BODY_HANDLER}), before Funqy's routes. */
    static final int ORDER = -1;

    /** The ce-type values Funqy routes to the function: the configured trigger and the function's name. */
    private final Set<String> types = Set.of(FUNCTION, ConfigProvider.getConfig()
            .getOptionalValue("quarkus.funqy.knative-events.mapping." + FUNCTION + ".trigger", String.class)
            .orElse(FUNCTION));

    @Inject
    TriageConfig config;

    void install(@Observes Router router) {
        router.route("/").order(ORDER).handler(this::check);
        router.route("/" + FUNCTION).order(ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        try {
            inspect(ctx);
        } catch (TriageException e) {
            ctx.fail(e);
            return;
        }
        ctx.next();
    }

    private void inspect(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.POST) {
            throw notAllowed(ctx, "POST", "POST a JSON body to /" + FUNCTION + ", or a CloudEvent to /");
        }
        String contentType = lowerCaseMediaType(request);
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (contentType.equals("application/cloudevents-batch+json")) {
            throw unsupported("batched CloudEvents (application/cloudevents-batch+json) are not supported: send one "
                    + "event per request");
        }
        if (contentType.equals("application/cloudevents+json")) {
            // Structured mode. Funqy takes any request with a ce-id header for binary mode, where this body is
            // not readable data; in structured mode the envelope is what counts (HTTP binding 3.2), so duplicated
            // ce-* headers are dropped.
            request.headers().names().stream().filter(RequestGuard::isCeHeader).toList()
                    .forEach(request.headers()::remove);
            structured(body);
        } else if (request.headers().names().stream().anyMatch(RequestGuard::isCeHeader)) {
            binaryMode(request, contentType, body.length == 0);
            readable(body, "data", "CloudEvent data", "");
        } else if (!contentType.equals("application/json")) {
            throw unsupported((contentType.isEmpty() ? "no Content-Type" : "unsupported Content-Type '"
                    + request.getHeader("Content-Type") + "'")
                    + ": use application/json (or a CloudEvent: application/cloudevents+json, or ce-* headers)");
        } else if (body.length == 0) {
            throw TriageException.badInput(null,
                    "request body is empty: expected {\"texts\": [...], \"labels\": [...]}");
        } else {
            readable(body, null, "request body", "");
        }
    }

    /** Well-formed UTF-8, and within the item limits (counted before any tree is built). */
    private void readable(byte[] body, String field, String what, String root) {
        Utf8Check.require(body, field, what);
        BodyScan.check(body, root, config.limits());
    }

    /** Media types are case-insensitive (RFC 9110); Funqy compares them case-sensitively, so it gets them lower. */
    private static String lowerCaseMediaType(HttpServerRequest request) {
        String header = request.getHeader("Content-Type");
        String contentType = mediaType(header);
        if (contentType.startsWith("application/") && !header.startsWith(contentType)) {
            int semicolon = header.indexOf(';');
            request.headers().set("Content-Type", contentType + (semicolon < 0 ? "" : header.substring(semicolon)));
        }
        return contentType;
    }

    private void binaryMode(HttpServerRequest request, String contentType, boolean empty) {
        for (String header : REQUIRED_HEADERS) {
            String value = request.getHeader(header);
            if (value == null || value.isBlank()) {
                throw TriageException.badInput(header, "CloudEvent (binary mode) lacks the required attribute "
                        + header + " (required: " + String.join(", ", REQUIRED_HEADERS) + ")");
            }
        }
        specVersion("ce-specversion", request.getHeader("ce-specversion"));
        type("ce-type", request.getHeader("ce-type"));
        if (!contentType.equals("application/json")) {
            throw TriageException.unsupportedMediaType("Content-Type", "CloudEvent data must be application/json, not "
                    + (contentType.isEmpty() ? "without Content-Type" : "'" + request.getHeader("Content-Type") + "'"));
        }
        if (empty) {
            throw TriageException.badInput("data",
                    "CloudEvent data is empty: expected {\"texts\": [...], \"labels\": [...]}");
        }
    }

    private void structured(byte[] body) {
        if (body.length == 0) {
            throw TriageException.badInput(null, "structured CloudEvent is empty: expected a JSON object with "
                    + "specversion, id, source, type and data");
        }
        readable(body, null, "structured CloudEvent", "data");
        JsonNode event = StrictJson.readTree(body, "structured CloudEvent");
        if (event == null || !event.isObject()) {
            throw TriageException.badInput(null, "structured CloudEvent must be a JSON object, not "
                    + (event == null ? "empty" : JsonKind.of(event)));
        }
        for (String member : REQUIRED_MEMBERS) {
            JsonNode value = event.get(member);
            if (value == null || value.isNull()) {
                throw TriageException.badInput(member, "CloudEvent lacks the required attribute '" + member
                        + "' (required: " + String.join(", ", REQUIRED_MEMBERS) + ")");
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw TriageException.badInput(member, "CloudEvent attribute '" + member
                        + "' must be a non-empty string, not " + JsonKind.of(value));
            }
        }
        specVersion("specversion", event.get("specversion").asText());
        type("type", event.get("type").asText());
        JsonNode dataContentType = event.get("datacontenttype");
        // Absent means application/json (JSON event format 3.1.1); an explicit null is not something Funqy reads.
        if (dataContentType != null && (!dataContentType.isTextual()
                || !mediaType(dataContentType.asText()).equals("application/json"))) {
            throw TriageException.unsupportedMediaType("datacontenttype",
                    "CloudEvent data must be application/json, not "
                    + (dataContentType.isTextual() ? "'" + dataContentType.asText() + "'"
                            : JsonKind.of(dataContentType)));
        }
        if (event.has("data_base64")) {
            throw TriageException.unsupportedMediaType("data_base64",
                    "binary CloudEvent data (data_base64) is not supported: put the request object in 'data'");
        }
        if (!event.has("data")) {
            throw TriageException.badInput("data",
                    "CloudEvent has no 'data': expected {\"texts\": [...], \"labels\": [...]} there");
        }
    }

    private static void specVersion(String field, String value) {
        if (!SPEC_VERSION.equals(value.trim())) {
            throw TriageException.badInput(field,
                    "unsupported CloudEvents specversion '" + value + "': only " + SPEC_VERSION + " is accepted");
        }
    }

    private void type(String field, String value) {
        if (!types.contains(value)) {
            throw TriageException.badInput(field, "unknown CloudEvent type '" + value + "': this function handles "
                    + types.stream().filter(t -> !t.equals(FUNCTION)).findFirst().orElse(FUNCTION));
        }
    }

    /** A 405 naming the method and what to do instead; {@code allow} goes to the Allow header. */
    static TriageException notAllowed(RoutingContext ctx, String allow, String usage) {
        ctx.response().putHeader("Allow", allow);
        return new TriageException(TriageException.Kind.METHOD_NOT_ALLOWED, null, "method " + ctx.request().method()
                + " is not allowed: " + usage, null);
    }

    private static TriageException unsupported(String message) {
        return TriageException.unsupportedMediaType("Content-Type", message);
    }

    static boolean isCeHeader(String name) {
        return name.regionMatches(true, 0, "ce-", 0, 3);
    }

    /** The media type without parameters, lower case; "" when absent. */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
