package dev.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    private List<LabelSpec> fewShotLabels(List<String> labelNames, Map<String, Integer> goldToIndex) {
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
                Integer index = goldToIndex.get(doc.label());
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

    /** Gold labels that map to no candidate: how many documents carry each, and the first line. */
    private record Unmapped(long firstLine, long docs) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> labelNames = labels();
        Optional<String> given = template();
        checkChunk(chunk);
        checkWritable("--json", json);
        Map<String, Integer> goldToIndex = goldIndex(labelNames);
        JsonlReader.requireReadable(in);

        // First pass, while the model loads: every gold label must have a candidate before any inference runs.
        long kept = 0;
        long skipped;
        Map<String, Unmapped> unmapped = new LinkedHashMap<>();
        try (DocSource source = new DocSource(in, true, onBadLine, this::note)) {
            DocSource.Doc doc;
            while ((doc = source.next()) != null) {
                if (goldToIndex.containsKey(doc.label())) {
                    kept++;
                } else {
                    long line = doc.line();
                    unmapped.merge(doc.label(), new Unmapped(line, 1),
                            (a, b) -> new Unmapped(a.firstLine(), a.docs() + 1));
                }
            }
            skipped = source.skipped();
        }
        long dropped = unmapped.values().stream().mapToLong(Unmapped::docs).sum();
        if (!unmapped.isEmpty() && !dropUnmapped) {
            List<String> named = new ArrayList<>();
            unmapped.forEach((gold, u) -> named.add(String.format(Locale.ROOT, "'%s' (%d docs, first on line %d)",
                    gold, u.docs(), u.firstLine())));
            throw CliException.usage("gold label" + (unmapped.size() > 1 ? "s " : " ")
                    + String.join(", ", named.subList(0, Math.min(10, named.size())))
                    + (named.size() > 10 ? " and " + (named.size() - 10) + " more" : "")
                    + (unmapped.size() > 1 ? " are" : " is") + " not among the labels " + labelNames
                    + "; map with --label-map GOLD=LABEL, or leave such documents out with --drop-unmapped");
        }
        if (kept == 0) {
            throw CliException.usage(in + " has no documents to evaluate");
        }

        List<LabelSpec> labelSpecs = fewShotLabels(labelNames, goldToIndex);
        ClassificationRequest request = new ClassificationRequest(List.of(), labelSpecs, given, false, longText);
        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        note("model " + describe(loaded) + ", labels " + labelNames + ", template \"" + hypothesis + "\"");
        EvalReport report = new EvalReport(labelNames);
        Progress shown = new Progress(err(), name(), OptionalLong.of(kept), progress);
        try (DocSource source = new DocSource(in, true, DocSource.OnBadLine.SKIP, message -> {
        })) {
            ChunkPipeline.run(source, chunk, shown, docs -> {
                List<DocSource.Doc> scored = docs.stream().filter(d -> goldToIndex.containsKey(d.label())).toList();
                if (scored.isEmpty()) {
                    return;
                }
                List<Classification> results = service.classify(
                        request.withTexts(scored.stream().map(DocSource.Doc::text).toList()), loaded).results();
                for (int i = 0; i < scored.size(); i++) {
                    report.add(goldToIndex.get(scored.get(i).label()), labelNames.indexOf(results.get(i).top()));
                }
                shown.add(scored.size());
            });
        }
        shown.finish();
        double seconds = shown.seconds();
        print(loaded, hypothesis, report, seconds, skipped, dropped);
        if (json != null) {
            writeJson(loaded, hypothesis, labelNames, report, seconds, skipped, dropped);
        }
        return 0;
    }

    /** Gold label to the index of its candidate label: mapped ones, and candidates standing for themselves. */
    private Map<String, Integer> goldIndex(List<String> labelNames) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labelNames.size(); i++) {
            index.put(labelNames.get(i), i);
        }
        Map<String, Integer> gold = new HashMap<>(index);
        for (Map.Entry<String, String> entry : labelMap.entrySet()) {
            String from = entry.getKey().trim();
            String to = entry.getValue().trim();
            if (from.isEmpty()) {
                throw CliException.usage("--label-map: empty gold label in '" + entry.getKey() + "=" + entry.getValue()
                        + "'");
            }
            Integer target = index.get(to);
            if (target == null) {
                throw CliException.usage("--label-map: '" + to + "' (for gold label '" + from
                        + "') is not one of the labels " + labelNames);
            }
            gold.put(from, target);
        }
        return gold;
    }

    private void print(Stack loaded, String hypothesis, EvalReport report, double seconds, long skipped,
            long dropped) {
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
            double seconds, long skipped, long dropped) {
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
        root.put("badLinesSkipped", skipped);
        root.put("unmappedDropped", dropped);
        root.setAll(report.json());
        try {
            DocSource.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, "--json: cannot write " + json + ": " + e.getMessage());
        }
        note("results written to " + json);
    }
}
