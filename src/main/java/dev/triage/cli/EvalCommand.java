package dev.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.scoring.Classification;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
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

    @Option(names = "--label-map", split = ",", paramLabel = "GOLD=LABEL",
            description = "Gold label to candidate label, e.g. rec.motorcycles=motorcycles; gold labels not mapped "
                    + "must be candidate labels themselves")
    Map<String, String> labelMap = new LinkedHashMap<>();

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

    @Option(names = "--on-bad-line", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A line that is not JSON with string \"text\" and \"label\": stop with exit code 2 "
                    + "(fail, default) or report and skip it (skip)")
    DocSource.OnBadLine onBadLine;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "256",
            description = "Documents classified per step (default: 256)")
    int chunk;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "Progress on stderr (default: auto)")
    Progress.Mode progress;

    /** Plain labels, or with --examples each label's first N substantial texts from that file. */
    private List<LabelSpec> fewShotLabels(List<String> labelNames, GoldLabels gold) {
        if (examples == null) {
            return labelNames.stream().map(LabelSpec::plain).toList();
        }
        checkAtLeastOne("--examples-per-label", examplesPerLabel);
        JsonlReader.requireReadable(examples);
        List<List<String>> picked = new ArrayList<>();
        labelNames.forEach(l -> picked.add(new ArrayList<>()));
        try (DocSource source = new DocSource(examples, true, DocSource.OnBadLine.SKIP, message -> {
        })) {
            for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                Integer index = gold.index(doc.label());
                if (index != null && picked.get(index).size() < examplesPerLabel
                        && doc.text().strip().split("\\s+").length >= 20) {
                    picked.get(index).add(doc.text());
                }
            }
        }
        List<LabelSpec> specs = new ArrayList<>();
        for (int l = 0; l < labelNames.size(); l++) {
            if (picked.get(l).isEmpty()) {
                throw CliException.usage("--examples: " + examples + " has no example for label '"
                        + labelNames.get(l) + "'");
            }
            specs.add(new LabelSpec(labelNames.get(l), Optional.empty(), List.copyOf(picked.get(l))));
        }
        service.rules().labels(specs);
        note("few-shot: " + specs.stream().mapToInt(s -> s.examples().size()).sum() + " examples from " + examples);
        return specs;
    }

    @Override
    public Integer call() throws Exception {
        List<String> labelNames = labels();
        Optional<String> given = template();
        checkChunk(chunk);
        checkWritable("--json", json);
        GoldLabels gold = new GoldLabels(labelNames, labelMap);
        JsonlReader.requireReadable(in);
        GoldLabels.Census census = gold.census(in, onBadLine, dropUnmapped, this::note);

        List<LabelSpec> labelSpecs = fewShotLabels(labelNames, gold);
        ClassificationRequest request = new ClassificationRequest(List.of(), labelSpecs, given, false, longText);
        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        note("model " + describe(loaded) + ", labels " + labelNames + ", template \"" + hypothesis + "\"");
        EvalReport report = new EvalReport(labelNames);
        Progress shown = new Progress(err(), name(), OptionalLong.of(census.kept()), progress);
        score(request, loaded, gold, report, shown);
        double seconds = shown.seconds();
        print(loaded, hypothesis, report, seconds, census);
        if (json != null) {
            writeJson(loaded, hypothesis, labelNames, report, seconds, census);
        }
        return 0;
    }

    /** The second pass: documents with a mapped gold label, classified a chunk at a time into the report. */
    private void score(ClassificationRequest request, Stack loaded, GoldLabels gold, EvalReport report,
            Progress shown) throws Exception {
        List<String> names = request.labels().stream().map(LabelSpec::name).toList();
        try (DocSource source = new DocSource(in, true, DocSource.OnBadLine.SKIP, message -> {
        })) {
            ChunkPipeline.run(source, chunk, shown, docs -> {
                List<DocSource.Doc> scored = docs.stream().filter(d -> gold.index(d.label()) != null).toList();
                if (scored.isEmpty()) {
                    return;
                }
                List<Classification> results = service.classify(
                        request.withTexts(scored.stream().map(DocSource.Doc::text).toList()), loaded).results();
                for (int i = 0; i < scored.size(); i++) {
                    report.add(gold.index(scored.get(i).label()), names.indexOf(results.get(i).top()));
                }
                shown.add(scored.size());
            });
        }
        shown.finish();
    }

    private void print(Stack loaded, String hypothesis, EvalReport report, double seconds, GoldLabels.Census census) {
        long skipped = census.skipped();
        long dropped = census.dropped();
        var out = out();
        out.printf(Locale.ROOT, "model: %s%n", describe(loaded));
        out.printf(Locale.ROOT, "template: %s%n", hypothesis);
        out.printf(Locale.ROOT, "input: %s%n", in);
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
        out.flush();
    }

    private void writeJson(Stack loaded, String hypothesis, List<String> labelNames, EvalReport report,
            double seconds, GoldLabels.Census census) {
        ObjectNode root = DocSource.JSON.createObjectNode();
        root.put("input", in.toString());
        root.put("model", loaded.model().spec().name());
        root.put("kind", loaded.model().kind().name().toLowerCase(Locale.ROOT));
        root.put("workers", loaded.pool().size());
        root.put("template", hypothesis);
        labelNames.forEach(root.putArray("labels")::add);
        ObjectNode map = root.putObject("labelMap");
        labelMap.forEach(map::put);
        root.put("seconds", seconds);
        root.put("docsPerSecond", report.docs() / Math.max(seconds, 1e-9));
        root.put("badLinesSkipped", census.skipped());
        root.put("unmappedDropped", census.dropped());
        root.setAll(report.json());
        try {
            DocSource.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, "--json: cannot write " + json + ": " + e.getMessage());
        }
        note("results written to " + json);
    }
}
