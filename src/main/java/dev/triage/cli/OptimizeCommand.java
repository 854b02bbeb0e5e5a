package dev.triage.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import dev.triage.config.TriageConfig;
import dev.triage.model.GraphOptimizer;
import dev.triage.model.ModelException;
import dev.triage.model.NativeSetup;
import dev.triage.model.WorkDir;
import ai.onnxruntime.OrtException;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code triage optimize}: the graph rewrite the build applies to the embedded models, for a user's model
 * directory; serve the result with {@code triage.model.dir}.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = { "Fuse a model directory's ONNX graph for speed (self-attention blocks into Attention, "
                + "residual Add + LayerNormalization into SkipLayerNormalization), check the result against the "
                + "original on real sentences, and write it with the directory's other files into --out.",
                "A directory served without this runs its graph as exported." },
        footer = { "", "Exit codes: 0 fused (or nothing to fuse: the graph is copied as it is), 1 the check refused "
                + "the rewrite (nothing written), 2 bad usage." })
@Dependent
@Unremovable
@RegisterForReflection
public class OptimizeCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "DIR",
            description = "Model directory: model.onnx (or onnx/model.onnx), tokenizer.json, optional config.json")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the optimized directory goes")
    Path out;

    @Inject
    TriageConfig config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(in)) {
            throw CliException.usage("--in " + in + " is not a directory");
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw CliException.usage("--out must differ from --in (the original is kept)");
        }
        WorkDir work = WorkDir.of(config.model().workDir());
        NativeSetup.cacheOrtLibraries(work);
        NativeSetup.placeTokenizerLibrary(work);
        GraphOptimizer.Outcome outcome;
        try {
            outcome = GraphOptimizer.optimizeDirectory(in, out);
        } catch (ModelException | OrtException e) {
            throw new CliException(CliException.FAILURE, in + ": " + e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        switch (outcome.status()) {
            case FUSED -> stdout.printf("%s -> %s: %s%n", in, out, outcome.detail());
            case NOTHING_TO_FUSE -> stdout.printf("%s -> %s: not fused (%s); copied as it is%n", in, out,
                    outcome.detail());
            case CHECK_FAILED -> throw new CliException(CliException.FAILURE,
                    in + ": the rewrite was refused, nothing written: " + outcome.detail());
        }
        stdout.flush();
        return 0;
    }
}
