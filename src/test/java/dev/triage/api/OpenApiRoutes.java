package dev.triage.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.funqy.Funq;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * The routes the running application registered on Vert.x's router (as every route class does, by observing it),
 * and the Funqy functions compiled into it: what {@link OpenApiDriftTest} holds the document against.
 */
@Singleton
public class OpenApiRoutes {

    private static final Path CLASSES = Path.of("target/classes");

    private volatile Router router;

    void capture(@Observes Router router) {
        this.router = router;
    }

    /**
     * Every path the application serves outside Quarkus' own /q: each route with a path, and for each
     * {@code @Funq} function its own path and {@code /}, where its CloudEvents arrive.
     */
    Set<String> applicationPaths() {
        Set<String> paths = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path != null && !path.equals("/q") && !path.startsWith("/q/")) {
                paths.add(path);
            }
        }
        for (String function : functions()) {
            paths.add("/" + function);
            paths.add("/");
        }
        return paths;
    }

    /** The names of the {@code @Funq} methods of every compiled application class. */
    static Set<String> functions() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                for (Method method : declaredMethods(name)) {
                    Funq funq = method.getAnnotation(Funq.class);
                    if (funq != null) {
                        names.add(funq.value().isEmpty() ? method.getName() : funq.value());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Iterable<Method> declaredMethods(String className) {
        try {
            return Arrays.asList(Class.forName(className, false, OpenApiRoutes.class.getClassLoader())
                    .getDeclaredMethods());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + className, e);
        }
    }
}
