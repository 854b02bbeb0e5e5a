package dev.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import dev.triage.service.Engine;
import dev.triage.service.Stack;
import dev.triage.config.TriageConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code triage prepare}: loads the configured model once, as a server start would, so the work dir ends up
 * holding everything a start derives (the extracted model, ONNX Runtime's and the tokenizers' libraries). Run at
 * image build; pods given that directory as {@code triage.model.prepared-dir} start without redoing it.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Load the model once and leave in triage.model.work-dir what every start would otherwise "
                + "make (extracted model, ONNX Runtime's and the tokenizers' libraries); for an image build, with "
                + "triage.model.prepared-dir pointing at the result at run time.")
@Dependent
@Unremovable
@RegisterForReflection
public class PrepareCommand implements Callable<Integer> {

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config.model().preparedDir().isPresent()) {
            // It would find everything there and write nothing, then report an empty work dir as prepared.
            throw CliException.usage("prepare fills triage.model.work-dir, so triage.model.prepared-dir must be unset "
                    + "(it is " + config.model().preparedDir().get() + ": unset TRIAGE_MODEL_PREPARED_DIR)");
        }
        Stack loaded = EngineCommand.loaded(engine);
        Path dir = config.model().workDir().toAbsolutePath();
        List<Path> files = files(dir);
        long bytes = files.stream().mapToLong(file -> file.toFile().length()).sum();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("prepared %s for %s: %d files, %.1f MB%n", dir, loaded.model().spec().name(), files.size(),
                bytes / 1e6);
        files.forEach(file -> out.println("  " + dir.relativize(file)));
        out.println("start with triage.model.prepared-dir=" + dir + " (TRIAGE_MODEL_PREPARED_DIR) to use them as "
                + "they are; the directory may then be read-only");
        out.flush();
        return 0;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
