package dev.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.ClassificationService;
import dev.triage.service.Engine;
import dev.triage.service.RequestRules;
import dev.triage.service.Stack;
import dev.triage.service.TriageException;

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

    @Inject
    ClassificationService service;

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE",
            description = "JSON Lines input, one {\"id\", \"text\", ...} object per line; gzip if it ends in .gz")
    Path in;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "LABEL",
            description = "Candidate labels, comma-separated")
    List<String> labels = new ArrayList<>();

    @Option(names = "--template", paramLabel = "TEMPLATE",
            description = "Hypothesis template with {} where the label goes (default: the server's); repeat it for "
                    + "an ensemble (embedding models: each label's hypotheses averaged)")
    List<String> templates = new ArrayList<>();

    @Option(names = "--none-label", paramLabel = "NAME",
            description = "Add a catch-all label NAME that wins when none of --labels matches (scored from how well "
                    + "they match, never embedded)")
    String noneLabel;

    @Option(names = "--none-threshold", paramLabel = "STRENGTH",
            description = "The catch-all's threshold (a cosine, or an NLI entailment-minus-contradiction logit), "
                    + "e.g. from 'triage calibrate' (default: the model's)")
    Double noneThreshold;

    /** The catch-all threshold in force: --none-threshold, else the one the service uses (NLI: 0). */
    double catchAllThreshold(Stack loaded) {
        return loaded.nli() ? 0.0 : noneThreshold != null ? noneThreshold : loaded.catchAllThreshold();
    }

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

    /** The labels, trimmed, checked by the service's rules (at least one, none blank or repeated). */
    List<String> labels() {
        List<String> names = labels.stream().map(String::trim).toList();
        service.rules().labels(names.stream().map(LabelSpec::plain).toList());
        return names;
    }

    /** The labels with the catch-all (--none-label) after them, if one is asked for, checked by the service's rules. */
    List<LabelSpec> withCatchAll(List<LabelSpec> labelSpecs) {
        if (noneLabel == null) {
            if (noneThreshold != null) {
                throw CliException.usage("--none-threshold needs --none-label");
            }
            return labelSpecs;
        }
        List<LabelSpec> all = new ArrayList<>(labelSpecs);
        all.add(LabelSpec.catchAll(noneLabel.trim(), noneThreshold == null ? OptionalDouble.empty()
                : OptionalDouble.of(noneThreshold)));
        try {
            service.rules().labels(all);
        } catch (TriageException e) {
            // --labels passed the same rules alone, so what fails is the catch-all's name or threshold
            throw CliException.usage("--none-label must be a name that is not among --labels, with a finite "
                    + "--none-threshold, not '" + noneLabel + "': " + e.getMessage());
        }
        return List.copyOf(all);
    }

    /** The templates given (none: the server's default), checked by the service's rules. */
    List<String> template() {
        try {
            RequestRules.templates(templates);
        } catch (TriageException e) {
            throw CliException.usage("--template: " + e.getMessage());
        }
        return List.copyOf(templates);
    }

    static void checkAtLeastOne(String option, long value) {
        if (value < 1) {
            throw CliException.usage(option + " must be at least 1, not " + value);
        }
    }

    /** Writes a JSON report for --json; failing that is exit code 1. */
    static void writeJson(Path json, Object root) {
        try {
            DocSource.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, "--json: cannot write " + json + ": " + e.getMessage());
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

    /** Loads the serving stack (once); called after the options and input are checked, so usage errors come first. */
    Stack loaded() {
        return loaded(engine);
    }

    /** The stack once loaded, or a failure the command line reports in one line (exit code 1). */
    static Stack loaded(Engine engine) {
        try {
            return engine.awaitLoaded(LOAD_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILURE, "interrupted while the model loaded");
        } catch (IllegalStateException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
    }

    /**
     * How strongly each real label matches each text (see {@link ClassificationService#strengths}), under the same
     * rules as classifying, in steps that fit one request.
     */
    double[][] strengths(Stack loaded, List<String> texts, List<LabelSpec> labelSpecs) {
        int step = Math.max(1, Math.min(config.limits().maxTexts(),
                loaded.nli() ? config.limits().maxPairs() / labelSpecs.size() : Integer.MAX_VALUE));
        double[][] all = new double[texts.size()][];
        for (int from = 0; from < texts.size(); from += step) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + step));
            double[][] scored = service.strengths(new ClassificationRequest(part, labelSpecs, template(), false,
                    LongText.TRUNCATE), loaded);
            System.arraycopy(scored, 0, all, from, scored.length);
        }
        return all;
    }

    /** The template(s) the service will use for this command's requests, joined by " | ". */
    String hypothesis(Stack loaded) {
        return String.join(" | ", service.templates(new ClassificationRequest(List.of(), List.of(), template(), false,
                LongText.TRUNCATE), loaded));
    }

    /** The model, its kind and the serving pool's size. */
    static String describe(Stack loaded) {
        return loaded.model().spec().name() + " (" + kind(loaded) + ", " + loaded.pool().size() + " workers)";
    }

    /** The model and its kind. */
    static String model(Stack loaded) {
        return loaded.model().spec().name() + " (" + kind(loaded) + ")";
    }

    private static String kind(Stack loaded) {
        return loaded.nli() ? "NLI" : "embedding";
    }
}
