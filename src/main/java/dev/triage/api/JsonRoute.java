package dev.triage.api;

import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.triage.service.TriageException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

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
            String type = RequestGuard.mediaType(ctx.request().getHeader("Content-Type"));
            if (ctx.request().method() != HttpMethod.POST) {
                shape.reply(ctx, RequestGuard.notAllowed(ctx, "POST", "POST a JSON body to " + path));
            } else if (!type.equals("application/json")) {
                shape.reply(ctx, TriageException.unsupportedMediaType("Content-Type", (type.isEmpty()
                        ? "no Content-Type" : "unsupported Content-Type '" + type + "'") + ": use application/json"));
            } else {
                ctx.next();
            }
        });
        router.post(path).order(RequestGuard.ORDER).handler(BodyHandler.create(false).setBodyLimit(maxBody));
        router.post(path).order(RequestGuard.ORDER).handler(ctx -> {
            byte[] body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
            executor.execute(() -> {
                try {
                    if (body != null) {
                        Utf8Check.require(body, null, "request body");
                    }
                    ErrorShape.send(ctx.response(), 200, answer.apply(body));
                } catch (RuntimeException e) {
                    shape.reply(ctx, e);
                }
            });
        });
    }

    /** A GET answered from memory, on the event loop. */
    static void get(Router router, String path, ErrorShape shape, Supplier<Object> answer) {
        router.route(path).order(RequestGuard.ORDER).handler(ctx -> {
            try {
                if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
                    throw RequestGuard.notAllowed(ctx, "GET", "GET " + path);
                }
                ErrorShape.send(ctx.response(), 200, answer.get());
            } catch (RuntimeException e) {
                shape.reply(ctx, e);
            }
        });
    }
}
