package dev.triage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code triage eval}: classifies a labelled JSON Lines file and compares the top label with each line's gold
 * {@code label}: accuracy, macro-F1, a per-class report like scikit-learn's classification_report and the
 * confusion matrix.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score the engine on a labelled JSON Lines file: accuracy, macro-F1, per-class precision / "
                + "recall / F1 and the confusion matrix.")
@Dependent
@Unremovable
@RegisterForReflection
public class EvalCommand extends EngineCommand {

    @Mixin
    GoldIndex goldIndex;

    @Option(names = "--drop-unmapped",
            description = "Leave out documents whose gold label maps to no candidate (default: that is an error)")
    boolean dropUnmapped;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON")
    Path json;

    @Option(names = "--examples", paramLabel = "FILE",
            description = "Few-shot: labelled JSON Lines (gold labels mapped like --in's) from which each label "
                    + "takes its first --examples-per-label texts of at least 20 words as examples")
    Path examples;

    @Option(names = "--examples-per-label", paramLabel = "N", defaultValue = "8",
            description = "Few-shot examples per label (default: 8)")
    int examplesPerLabel;

    @Option(names = "--long-text", paramLabel = "truncate|chunk", defaultValue = "truncate",
            description = "Texts longer than the model reads: truncate (default, HF) or chunk (score windows)")
    LongText longText;

    @Option(names = "--positive", paramLabel = "LABEL",
            description = "Also print this label's F1 (default: with --none-label, the first of --labels)")
    String positive;

    @Option(names = "--one-vs-rest",
            description = "With --none-label: score each of --labels on its own against the catch-all, labels "
                    + "[LABEL, NONE] (gold labels not mapped to LABEL count as NONE), and report each one's F1")
    boolean oneVsRest;

    @Option(names = "--on-bad-line", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A line that is not JSON with string \"text\" and \"label\": stop with exit code 2 "
                    + "(fail, default) or report and skip it (skip)")
    DocSource.OnBadLine onBadLine;

    @Mixin
    Chunking chunking;

    /** Plain labels, or with --examples each label's first N substantial texts from that file. */
    private List<LabelSpec> fewShotLabels(List<String> labelNames, Map<String, Integer> goldToIndex) {
        if (examples == null) {
            return labelNames.stream().map(LabelSpec::plain).toList();
        }
        checkAtLeastOne("--examples-per-label", examplesPerLabel);
        Map<Integer, List<String>> picked = FewShotCalibration.firstPer(examples, examplesPerLabel,
                doc -> goldToIndex.getOrDefault(doc.label(), -1));
        List<LabelSpec> specs = new ArrayList<>();
        for (int l = 0; l < labelNames.size(); l++) {
            List<String> texts = picked.getOrDefault(l, List.of());
            if (texts.isEmpty()) {
                throw CliException.usage("--examples: " + examples + " has no example for label '"
                        + labelNames.get(l) + "'");
            }
            specs.add(new LabelSpec(labelNames.get(l), Optional.empty(), List.copyOf(texts)));
        }
        service.rules().labels(specs);
        note("few-shot: " + specs.stream().mapToInt(s -> s.examples().size()).sum() + " examples from " + examples);
        return specs;
    }

    @Override
    public Integer call() throws Exception {
        List<String> realNames = labels();
        List<String> labelNames = withCatchAll(realNames.stream().map(LabelSpec::plain).toList()).stream()
                .map(LabelSpec::name).toList();
        int noneIndex = noneLabel == null ? -1 : labelNames.size() - 1;
        if (oneVsRest && noneIndex < 0) {
            throw CliException.usage("--one-vs-rest needs --none-label");
        }
        if (positive != null && !realNames.contains(positive)) {
            throw CliException.usage("--positive: '" + positive + "' is not one of the labels " + realNames);
        }
        template();
        chunking.check(config.limits());
        checkWritable("--json", json);
        Map<String, Integer> goldToIndex = goldIndex.of(labelNames);
        GoldIndex.GoldCount counted = GoldIndex.GoldCount.of(in, onBadLine, this::note, goldToIndex, noneIndex,
                labelNames, dropUnmapped);

        // one-vs-rest builds its own few-shot labels, next to the zero-shot ones
        List<LabelSpec> labelSpecs = withCatchAll(oneVsRest ? realNames.stream().map(LabelSpec::plain).toList()
                : fewShotLabels(realNames, goldToIndex));
        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        note("model " + describe(loaded) + ", labels " + labelNames + (noneIndex < 0 ? "" : " ('" + noneLabel.trim()
                + "' the catch-all)") + ", template \"" + hypothesis + "\"");
        if (oneVsRest) {
            new OneVsRest(this, loaded, hypothesis, goldToIndex, counted.kept()).run(labelSpecs);
            return 0;
        }
        long start = System.nanoTime();
        EvalReport report = evaluate(loaded, labelSpecs, goldToIndex::get, counted.kept());
        double seconds = (System.nanoTime() - start) / 1e9;
        String positiveLabel = positive != null ? positive : noneIndex >= 0 ? realNames.get(0) : null;
        print(loaded, hypothesis, report, seconds, counted, positiveLabel);
        if (json != null) {
            writeJson(loaded, hypothesis, labelNames, report, seconds, counted, positiveLabel);
        }
        return 0;
    }

    /**
     * Classifies every document whose gold label has a candidate, through the service as HTTP would, and compares
     * the top label with it.
     *
     * @param goldOf a gold label's candidate index among {@code labelSpecs}, null if it has none
     */
    EvalReport evaluate(Stack loaded, List<LabelSpec> labelSpecs, Function<String, Integer> goldOf, long kept)
            throws Exception {
        List<String> labelNames = labelSpecs.stream().map(LabelSpec::name).toList();
        ClassificationRequest request = new ClassificationRequest(List.of(), labelSpecs, template(), false, longText);
        EvalReport report = new EvalReport(labelNames);
        Progress shown = new Progress(err(), name(), OptionalLong.of(kept), chunking.progress);
        DocSource source = new DocSource(in, true, DocSource.OnBadLine.SKIP, message -> {
        });
        chunking.classify(service, request, loaded, source, shown, d -> goldOf.apply(d.label()) != null,
                (scored, results) -> {
                    for (int i = 0; i < scored.size(); i++) {
                        report.add(goldOf.apply(scored.get(i).label()), labelNames.indexOf(results.get(i).top()));
                    }
                    shown.add(scored.size());
                });
        shown.finish();
        return report;
    }

    private void print(Stack loaded, String hypothesis, EvalReport report, double seconds, GoldIndex.GoldCount counted,
            String positiveLabel) {
        long skipped = counted.skipped();
        long dropped = counted.dropped();
        var out = out();
        out.printf(Locale.ROOT, "model: %s%ntemplate: %s%ninput: %s%n", describe(loaded), hypothesis, in);
        out.printf(Locale.ROOT, "docs: %d%s%s%n", report.docs(),
                skipped > 0 ? String.format(Locale.ROOT, " (%d bad line%s skipped)", skipped, skipped == 1 ? "" : "s")
                        : "",
                dropped > 0 ? String.format(Locale.ROOT, " (%d with unmapped gold labels dropped)", dropped) : "");
        out.printf(Locale.ROOT, "seconds: %.2f%n", seconds);
        out.printf(Locale.ROOT, "docs/s: %.1f%n", report.docs() / Math.max(seconds, 1e-9));
        out.printf(Locale.ROOT, "accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.docs());
        out.printf(Locale.ROOT, "macro-F1: %.4f%n%n", report.macro().f1());
        out.print(report.table());
        out.println();
        out.print(report.confusionTable());
        if (positiveLabel != null) {
            out.printf(Locale.ROOT, "positive class %s: F1 %.4f%n", positiveLabel, report.scores(positiveLabel).f1());
        }
        out.flush();
    }

    /** What --json writes: the run, then the report's fields, then the positive class if there is one. */
    @RegisterForReflection
    record Json(String input, String model, String kind, int workers, String template, List<String> labels,
            Map<String, String> labelMap, double seconds, double docsPerSecond, long badLinesSkipped,
            long unmappedDropped, @JsonUnwrapped EvalReport.Json report,
            @JsonInclude(JsonInclude.Include.NON_NULL) String positive,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double positiveF1) {
    }

    private void writeJson(Stack loaded, String hypothesis, List<String> labelNames, EvalReport report,
            double seconds, GoldIndex.GoldCount counted, String positiveLabel) {
        writeJson(json, new Json(in.toString(), loaded.model().spec().name(),
                loaded.model().kind().name().toLowerCase(Locale.ROOT), loaded.pool().size(), hypothesis, labelNames,
                goldIndex.labelMap, seconds, report.docs() / Math.max(seconds, 1e-9), counted.skipped(),
                counted.dropped(), report.json(), positiveLabel,
                positiveLabel == null ? null : report.scores(positiveLabel).f1()));
        note("results written to " + json);
    }
}
