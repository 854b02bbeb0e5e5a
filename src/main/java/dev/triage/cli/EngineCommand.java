package dev.triage.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.triage.Engine;
import dev.triage.config.TriageConfig;
import dev.triage.model.ModelKind;
import dev.triage.scoring.LabelSpec;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every file command shares: the engine that serves HTTP, the input file, the labels, the template. */
abstract class EngineCommand implements Callable<Integer> {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE",
            description = "JSON Lines input, one {\"id\", \"text\", ...} object per line; gzip if it ends in .gz")
    Path in;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "LABEL",
            description = "Candidate labels, comma-separated")
    List<String> labels = new ArrayList<>();

    @Option(names = "--template", paramLabel = "TEMPLATE",
            description = "Hypothesis template with {} where the label goes (default: the server's)")
    String template;

    @Option(names = "--none-label", paramLabel = "NAME",
            description = "Add a catch-all label NAME that wins when none of --labels matches (scored from how well "
                    + "they match, never embedded)")
    String noneLabel;

    @Option(names = "--none-threshold", paramLabel = "STRENGTH",
            description = "The catch-all's threshold (a cosine, or an NLI entailment-minus-contradiction logit), "
                    + "e.g. from 'triage calibrate' (default: the model's)")
    Double noneThreshold;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    String name() {
        return spec.qualifiedName();
    }

    /** One line on stderr, prefixed with the command's name. */
    void note(String message) {
        err().println(name() + ": " + message);
        err().flush();
    }

    /** The labels, trimmed; none empty or repeated, at least one. */
    List<String> labels() {
        if (labels.stream().allMatch(String::isBlank)) {
            throw CliException.usage("--labels: no labels given; give the candidate labels comma-separated, "
                    + "e.g. --labels sports,politics");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String label : labels) {
            String name = label.trim();
            if (name.isEmpty()) {
                throw CliException.usage("--labels: empty label in '" + String.join(",", labels)
                        + "'; give the candidate labels comma-separated, e.g. --labels sports,politics");
            }
            if (!names.add(name)) {
                throw CliException.usage("--labels: label '" + name + "' appears twice");
            }
        }
        return List.copyOf(names);
    }

    /** The labels with the catch-all (--none-label) after them, if one is asked for. */
    List<LabelSpec> withCatchAll(List<LabelSpec> labelSpecs) {
        if (noneLabel == null) {
            if (noneThreshold != null) {
                throw CliException.usage("--none-threshold needs --none-label");
            }
            return labelSpecs;
        }
        String name = noneLabel.trim();
        if (name.isEmpty() || labelSpecs.stream().anyMatch(l -> l.name().equals(name))) {
            throw CliException.usage("--none-label must be a name that is not among --labels, not '" + noneLabel
                    + "'");
        }
        List<LabelSpec> all = new ArrayList<>(labelSpecs);
        all.add(LabelSpec.catchAll(name, noneThreshold == null ? OptionalDouble.empty()
                : OptionalDouble.of(noneThreshold)));
        return List.copyOf(all);
    }

    void checkTemplate() {
        if (template != null && !template.contains("{}")) {
            throw CliException.usage("--template must contain {} where the label goes, e.g. \"This example is about {}.\"");
        }
    }

    static void checkAtLeastOne(String option, long value) {
        if (value < 1) {
            throw CliException.usage(option + " must be at least 1, not " + value);
        }
    }

    /** An output file's directory must exist before hours of work are spent. */
    static void checkWritable(String option, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw CliException.usage(option + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw CliException.usage(option + ": " + file + " is a directory");
        }
    }

    /**
     * The serving engine, once loaded. A command-line run starts loading here, after the command has checked its
     * options and input, so a usage error answers at once instead of after the model load.
     */
    Engine.Loaded loaded() {
        return loaded(engine);
    }

    /** The engine once loaded, or a failure the command line reports in one line (exit code 1). */
    static Engine.Loaded loaded(Engine engine) {
        try {
            return engine.awaitLoaded(LOAD_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILURE, "interrupted while the model loaded");
        } catch (IllegalStateException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }

    /** The request's template, else the configured default, else the model kind's: as the HTTP function does. */
    String template(Engine.Loaded loaded) {
        if (template != null) {
            return template;
        }
        return config.scoring().defaultTemplate().orElse(loaded.scorer().defaultTemplate());
    }

    /** Characters past the configured limit are dropped before tokenizing, as for HTTP requests. */
    String cut(String text) {
        int max = config.limits().maxTextChars();
        return text.length() > max ? text.substring(0, max) : text;
    }

    /** The model, its kind and the serving pool's size. */
    static String describe(Engine.Loaded loaded) {
        return loaded.model().spec().name() + " (" + kind(loaded) + ", " + loaded.pool().size() + " workers)";
    }

    /** The model and its kind. */
    static String model(Engine.Loaded loaded) {
        return loaded.model().spec().name() + " (" + kind(loaded) + ")";
    }

    private static String kind(Engine.Loaded loaded) {
        return loaded.model().kind() == ModelKind.NLI ? "NLI" : "embedding";
    }
}
