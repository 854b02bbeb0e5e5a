package dev.triage.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * Rewrites a model's graph for speed before it is served: ONNX Runtime's own optimised graph, then
 * {@link AttentionFusion} and {@link SkipLayerNormFusion}, checked against the original by {@link FusionCheck}.
 * The build runs it over the embedded models ({@link EmbeddedModelFusion}), {@code triage optimize} over a user's
 * model directory; a serving start only loads the result.
 */
public final class GraphOptimizer {

    /** Recorded in the fused graph's metadata, with the ONNX Runtime version that made it. */
    static final String REWRITE_VERSION = "attention-skip-layer-norm-4";
    static final String STAMP = "triage.graph-rewrite";

    public enum Status {
        /** The fused graph is written and passed the check. */
        FUSED,
        /** The graph has nothing the rewrite knows: run it as exported. Nothing written. */
        NOTHING_TO_FUSE,
        /** The rewrite does not compute what the original does. Nothing written. */
        CHECK_FAILED
    }

    /** @param detail what was fused and the check's result, or why nothing was */
    public record Outcome(Status status, String detail) {
    }

    private GraphOptimizer() {
    }

    /**
     * Fuses {@code model} into {@code target} (only on {@link Status#FUSED}; moved into place whole).
     *
     * @param tokenizer the model's tokenizer.json: the check runs real sentences
     */
    public static Outcome optimize(Path model, Path tokenizer, Path target) throws IOException, OrtException {
        OrtEnvironment env = NativeSetup.ortEnvironment();
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String part = target.getFileName() + "." + UUID.randomUUID();
        Path optimized = dir.resolve(part + ".ort-extended.part");
        Path candidate = dir.resolve(part + ".fused.part");
        // ORT's EXTENDED level, not ALL: its fusions pick CPU kernels that choose their instructions (AVX2,
        // AVX-512, VNNI) when they run, while ALL adds layout rewrites made for the CPU at hand. So the saved graph
        // runs on any x86-64 CPU ORT supports; the serving session applies ALL on the machine it serves from.
        try (OrtSession.SessionOptions options = OnnxModel.sessionOptions(OptLevel.EXTENDED_OPT)) {
            options.setOptimizedModelFilePath(optimized.toString());
            try (OrtSession original = env.createSession(model.toString(), options)) {
                return fuse(env, original, optimized, candidate, target, new FusionCheck(env, model, tokenizer));
            }
        } finally {
            Files.deleteIfExists(optimized);
            Files.deleteIfExists(candidate);
        }
    }

    /**
     * {@link #optimize} for a model directory ({@link ModelLocator#fromDirectory}'s layout): the fused graph at
     * the same place under {@code out}, every other file copied. On {@link Status#NOTHING_TO_FUSE} the graph is
     * copied as it is; on {@link Status#CHECK_FAILED} nothing is.
     */
    public static Outcome optimizeDirectory(Path in, Path out) throws IOException, OrtException {
        ModelSpec spec = ModelLocator.fromDirectory(in, Optional.empty(), OptionalInt.empty());
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new ModelException("the output directory must not be the input directory " + in);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(in)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        Outcome outcome = optimize(spec.onnxFile(), spec.tokenizerFile(), out.resolve(in.relativize(spec.onnxFile())));
        if (outcome.status() == Status.CHECK_FAILED) {
            return outcome;
        }
        for (Path file : files) {
            if (outcome.status() == Status.NOTHING_TO_FUSE || !Files.isSameFile(file, spec.onnxFile())) {
                Path copy = out.resolve(in.relativize(file));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return outcome;
    }

    private static Outcome fuse(OrtEnvironment env, OrtSession original, Path optimized, Path candidate, Path target,
            FusionCheck check) throws IOException, OrtException {
        OnnxGraph graph = OnnxGraph.read(optimized);
        if (graph.hasSubgraphs()) {
            return new Outcome(Status.NOTHING_TO_FUSE, "the graph has subgraphs");
        }
        boolean dynamicallyQuantized = graph.nodes().stream().anyMatch(FusionCheck::quantizesDynamically);
        int attention = AttentionFusion.apply(graph);
        SkipLayerNormFusion.Result norms = SkipLayerNormFusion.apply(graph);
        if (!graph.edited()) {
            return new Outcome(Status.NOTHING_TO_FUSE,
                    "the graph has no attention block or Add + LayerNormalization pair to fuse");
        }
        graph.stamp(STAMP, REWRITE_VERSION + " (onnxruntime " + env.getVersion() + ")");
        graph.write(candidate);
        FusionCheck.Verdict verdict;
        try (OrtSession.SessionOptions options = OnnxModel.sessionOptions(OptLevel.ALL_OPT);
                OrtSession fused = env.createSession(candidate.toString(), options)) {
            verdict = check.compare(original, fused, dynamicallyQuantized);
        }
        String done = describe(attention, norms);
        if (verdict.mismatch().isPresent()) {
            return new Outcome(Status.CHECK_FAILED, done + "; check failed: " + verdict);
        }
        Files.move(candidate, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Outcome(Status.FUSED, done + "; check passed: " + verdict);
    }

    private static String describe(int attention, SkipLayerNormFusion.Result norms) {
        List<String> parts = new ArrayList<>();
        if (attention > 0) {
            parts.add(attention + " attention blocks into Attention");
        }
        if (norms.fused() > 0) {
            int folded = norms.biasesFolded();
            String biases = folded > 0 ? " (" + folded + " with their dense bias)" : "";
            parts.add(norms.fused() + " Add + LayerNormalization pairs into SkipLayerNormalization" + biases);
        }
        return "fused " + String.join(", ", parts);
    }
}
