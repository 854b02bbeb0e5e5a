package dev.triage.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.triage.config.TriageConfig;
import dev.triage.service.TriageException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * With {@code triage.api-key} set, every route but health, metrics (probes and scrapers carry no token) and the
 * OpenAPI document (the API's shape, public in the source anyway; client generators fetch it without a token)
 * requires {@code Authorization: Bearer <key>}; otherwise 401 with {@code WWW-Authenticate: Bearer}.
 * The comparison takes the same time whatever prefix matches.
 */
public class ApiKeyGuard {

    private static final String BEARER = "Bearer ";

    @Inject
    TriageConfig config;

    void install(@Observes Router router) {
        Optional<byte[]> key = config.apiKey().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
        // Before every other route, the body handler included: a request without the key is not even read.
        key.ifPresent(expected -> router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> check(ctx, expected)));
    }

    private static void check(RoutingContext ctx, byte[] expected) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/health") || path.startsWith("/q/metrics") || path.startsWith("/q/openapi")) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (MessageDigest.isEqual(expected, given)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"triage\"");
        String message = header == null ? "missing API key: send Authorization: Bearer <triage.api-key>"
                : "invalid API key";
        TriageException refused = new TriageException(TriageException.Kind.UNAUTHORIZED, null, message, null);
        (path.equals(EmbeddingRoutes.OPENAI_PATH) ? ErrorShape.OPENAI
                : path.equals(EmbeddingRoutes.TEI_PATH) ? ErrorShape.TEI : ErrorShape.TRIAGE).reply(ctx, refused);
    }
}
