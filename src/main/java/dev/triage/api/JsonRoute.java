package dev.triage.api;

import java.util.concurrent.Executor;
import java.util.function.Function;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.triage.service.TriageException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * A JSON-in, JSON-out route outside Funqy (whose routes are one per function name and answer errors in one
 * shape): method and media type checked, the body bounded by quarkus.http.limits.max-body-size, the work done on
 * a request thread (it waits for the pool), every failure answered in the route's {@link ErrorShape}.
 */
final class JsonRoute {

    private JsonRoute() {
    }

    static void post(Router router, String path, ErrorShape shape, Executor executor, Function<byte[], Object> answer) {
        long maxBody = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .asLongValue();
        router.route(path).order(RequestGuard.ORDER).handler(ctx -> {
            if (ctx.request().method() != HttpMethod.POST) {
                ctx.response().putHeader("Allow", "POST");
                shape.reply(ctx, new TriageException(TriageException.Kind.METHOD_NOT_ALLOWED, null, "method "
                        + ctx.request().method() + " is not allowed: POST a JSON body to " + path, null));
                return;
            }
            String type = RequestGuard.mediaType(ctx.request().getHeader("Content-Type"));
            if (!type.equals("application/json")) {
                shape.reply(ctx, TriageException.unsupportedMediaType("Content-Type", (type.isEmpty()
                        ? "no Content-Type" : "unsupported Content-Type '" + type + "'") + ": use application/json"));
                return;
            }
            ctx.next();
        });
        router.post(path).order(RequestGuard.ORDER)
                .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(maxBody));
        router.post(path).order(RequestGuard.ORDER).handler(ctx -> {
            byte[] body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
            executor.execute(() -> {
                try {
                    if (body != null) {
                        Utf8Check.require(body, null, "request body");
                    }
                    reply(ctx.response(), answer.apply(body));
                } catch (RuntimeException e) {
                    shape.reply(ctx, e);
                }
            });
        });
    }

    /** A GET answered from memory, on the event loop. */
    static void get(Router router, String path, ErrorShape shape, java.util.function.Supplier<Object> answer) {
        router.route(path).order(RequestGuard.ORDER).handler(ctx -> {
            if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
                ctx.response().putHeader("Allow", "GET");
                shape.reply(ctx, new TriageException(TriageException.Kind.METHOD_NOT_ALLOWED, null, "method "
                        + ctx.request().method() + " is not allowed: GET " + path, null));
                return;
            }
            try {
                reply(ctx.response(), answer.get());
            } catch (RuntimeException e) {
                shape.reply(ctx, e);
            }
        });
    }

    private static void reply(io.vertx.core.http.HttpServerResponse response, Object body) {
        response.putHeader("Content-Type", "application/json").end(Json.encode(body));
    }
}
