package dev.triage.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The graph a model's session really runs: ORT's own optimised graph with {@link AttentionFusion} and
 * {@link SkipLayerNormFusion} applied, made at the first start, checked against the original on a padded batch,
 * and kept in the work dir so later starts load it directly. Keyed by the model file (path, size, mtime), the ORT
 * version and this rewrite's version. A model the rewrite does not fit, or whose rewrite does not match, runs as
 * it was exported.
 */
final class FusedModelCache {

    private static final Logger LOG = Logger.getLogger(FusedModelCache.class);
    /** Bump when the rewrite changes, so no graph made by an older one is reused. */
    private static final String REWRITE_VERSION = "attention-skip-layer-norm-3";

    private final OrtEnvironment env;
    private final Path fused;
    private final Path unfusable;
    private final Optional<Path> preparedFused;
    private final boolean preparedUnfusable;
    private final Path optimized;
    private final Path candidate;
    private final FusionCheck check;

    FusedModelCache(ModelSpec spec, WorkDir dir, OrtEnvironment env) {
        this.env = env;
        this.check = new FusionCheck(env, spec.onnxFile(), spec.tokenizerFile());
        String key = key(spec.onnxFile(), env.getVersion());
        String base = spec.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + key;
        this.fused = dir.writable().resolve(base + ".fused.onnx");
        this.unfusable = dir.writable().resolve(base + ".unfusable");
        this.preparedFused = dir.preparedFile(fused.getFileName().toString(), -1);
        this.preparedUnfusable = dir.preparedFile(unfusable.getFileName().toString(), -1).isPresent();
        // Per start: two processes sharing the work dir may make the same graph at once; only the final,
        // verified file is shared (moved into place atomically).
        this.optimized = dir.writable().resolve(base + "." + UUID.randomUUID() + ".ort-optimized.onnx");
        this.candidate = optimized.resolveSibling(optimized.getFileName() + ".fused.part");
    }

    /**
     * The verified fused graph of an earlier start: this work dir's, made after a prepared one failed to load,
     * else the prepared one.
     */
    Optional<Path> cached() {
        return Files.isRegularFile(fused) ? Optional.of(fused) : preparedFused;
    }

    /** Forgets a cached graph that no longer loads (a partial copy, another ORT's file); a prepared one stays. */
    void discard() {
        deleteQuietly(fused);
    }

    /** An earlier start found nothing to fuse, or a fused graph that did not match: do not try again. */
    boolean knownUnfusable() {
        return preparedUnfusable || Files.exists(unfusable);
    }

    /** Where ORT saves its optimised graph while the first session opens (the directory is made here). */
    Path optimizedOutput() {
        try {
            Files.createDirectories(optimized.getParent());
        } catch (IOException e) {
            throw new ModelException("cannot create the model cache " + optimized.getParent()
                    + " (set triage.model.work-dir to a writable directory): " + e.getMessage(), e);
        }
        return optimized;
    }

    /**
     * Rewrites the graph ORT saved while opening {@code original}, checks the result against it and caches it.
     *
     * @return a session on the fused graph, or empty (the original session is then the one to use)
     */
    Optional<OrtSession> fuse(OrtSession original) {
        OrtSession session = null;
        boolean dynamicallyQuantized;
        try {
            String done;
            try (FileChannel in = FileChannel.open(optimized)) {
                OnnxGraph graph = OnnxGraph.read(in.map(FileChannel.MapMode.READ_ONLY, 0, in.size()));
                if (graph.hasSubgraphs()) {
                    return refuse("the graph has subgraphs", null, true);
                }
                dynamicallyQuantized = graph.nodes().stream().anyMatch(FusionCheck::quantizesDynamically);
                int attention = AttentionFusion.apply(graph);
                SkipLayerNormFusion.Result norms = SkipLayerNormFusion.apply(graph);
                if (!graph.edited()) {
                    return refuse("the graph has no attention block or Add + LayerNormalization pair to fuse", null,
                            true);
                }
                graph.write(candidate);
                List<String> parts = new ArrayList<>();
                if (attention > 0) {
                    parts.add(attention + " attention blocks into Attention");
                }
                if (norms.fused() > 0) {
                    int folded = norms.biasesFolded();
                    String biases = folded > 0 ? " (" + folded + " with their dense bias)" : "";
                    parts.add(norms.fused() + " Add + LayerNormalization pairs into SkipLayerNormalization" + biases);
                }
                done = String.join(", ", parts);
            }
            try (OrtSession.SessionOptions options = SessionTuning.options()) {
                session = env.createSession(candidate.toString(), options);
            }
            Optional<String> mismatch = check.mismatch(original, session, dynamicallyQuantized);
            if (mismatch.isPresent()) {
                return refuse(mismatch.get(), session, true);
            }
            Files.move(candidate, fused, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("Fused %s; cached %s", done, fused);
            return Optional.of(session);
        } catch (IOException | OrtException | RuntimeException e) {
            return refuse("rewrite failed: " + e, session, false); // may pass next time (disk, permissions)
        }
    }

    /** Removes this start's temporary graphs, whether or not {@link #fuse} ran (a start may fail before). */
    void deleteTemporaryFiles() {
        deleteQuietly(candidate);
        deleteQuietly(optimized);
    }

    /** @param remember true where the answer cannot change for this model and ORT: do not try again */
    private Optional<OrtSession> refuse(String why, OrtSession session, boolean remember) {
        LOG.warnf("Model graph not fused (%s); running it as exported", why);
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // Never used: nothing to recover.
            }
        }
        if (remember) {
            try {
                Files.writeString(unfusable, why + "\n");
            } catch (IOException e) {
                LOG.debugf("cannot record %s: %s", unfusable, e);
            }
        }
        return Optional.empty();
    }

    private static String key(Path model, String ortVersion) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String identity = model.toAbsolutePath().normalize() + "|" + Files.size(model) + "|"
                    + Files.getLastModifiedTime(model).toMillis() + "|ort " + ortVersion + "|" + REWRITE_VERSION;
            return HexFormat.of().formatHex(digest.digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (IOException e) {
            throw new ModelException("cannot read " + model + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", file, e);
        }
    }
}
