package dev.triage.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.scoring.LabelSpec;
import dev.triage.service.Stack;

/**
 * {@code eval --one-vs-rest}: each real label in turn against the catch-all, as a request with labels
 * {@code [label, catch-all]} would be answered; documents of every other gold label are the rest. Reports each
 * label's accuracy and its own (positive class) precision, recall and F1.
 */
final class OneVsRest {

    private final EvalCommand eval;
    private final Stack loaded;
    private final String hypothesis;

    OneVsRest(EvalCommand eval, Stack loaded, String hypothesis) {
        this.eval = eval;
        this.loaded = loaded;
        this.hypothesis = hypothesis;
    }

    /** @param labelSpecs the real labels, then the catch-all */
    void run(List<LabelSpec> labelSpecs, Map<String, Integer> goldToIndex, long kept) throws Exception {
        LabelSpec catchAll = labelSpecs.get(labelSpecs.size() - 1);
        var out = eval.out();
        out.printf(Locale.ROOT, "model: %s%ntemplate: %s%ninput: %s%n", EngineCommand.describe(loaded), hypothesis,
                eval.in);
        out.printf(Locale.ROOT, "%-20s %-28s %9s %9s %9s %9s %9s %9s%n", "one-vs-rest", "setup", "accuracy",
                "precision", "recall", "f1", "support", "docs/s");
        ArrayNode rows = DocSource.JSON.createArrayNode();
        FewShotCalibration fewShot = eval.examples == null ? null
                : FewShotCalibration.read(eval.examples, eval.examplesPerLabel, goldToIndex);
        for (int g = 0; g < labelSpecs.size() - 1; g++) {
            LabelSpec label = labelSpecs.get(g);
            row(rows, "zero-shot", label, catchAll, g, goldToIndex, kept);
            if (fewShot != null) {
                LabelSpec withExamples = fewShot.label(label, g);
                row(rows, "few-shot", withExamples, catchAll, g, goldToIndex, kept);
                double threshold = fewShot.threshold((texts, labels) -> eval.strengths(loaded, texts, labels), label, g,
                        catchAll, eval.catchAllThreshold(loaded));
                row(rows, String.format(Locale.ROOT, "few-shot, threshold %.3f", threshold), withExamples,
                        LabelSpec.catchAll(catchAll.name(), OptionalDouble.of(threshold)), g, goldToIndex, kept);
                LabelSpec none = fewShot.noneLabel(catchAll, g, eval.config.limits().maxExamples());
                row(rows, "few-shot+none, request fit", withExamples, none, g, goldToIndex, kept);
                double fitted = fewShot.threshold((texts, labels) -> eval.strengths(loaded, texts, labels), label, g,
                        none, eval.catchAllThreshold(loaded));
                row(rows, String.format(Locale.ROOT, "few-shot+none, thr %.3f", fitted), withExamples,
                        LabelSpec.catchAll(none.name(), OptionalDouble.of(fitted), none.examples()), g, goldToIndex,
                        kept);
            }
        }
        if (eval.json != null) {
            ObjectNode root = DocSource.JSON.createObjectNode();
            root.put("input", eval.in.toString());
            root.put("model", loaded.model().spec().name());
            root.put("template", hypothesis);
            root.put("catchAll", catchAll.name());
            root.set("oneVsRest", rows);
            EngineCommand.writeJson(eval.json, root);
        }
    }

    /** One label against the catch-all over the whole file: one line of the table, one row of the JSON. */
    private void row(ArrayNode rows, String setup, LabelSpec label, LabelSpec catchAll, int positive,
            Map<String, Integer> goldToIndex, long kept) throws Exception {
        long start = System.nanoTime();
        EvalReport report = eval.evaluate(loaded, List.of(label, catchAll), gold -> {
            Integer index = goldToIndex.get(gold);
            return index == null ? null : index == positive ? 0 : 1;
        }, kept);
        double seconds = (System.nanoTime() - start) / 1e9;
        EvalReport.Scores scores = report.perClass().stream().filter(r -> r.label().equals(label.name())).findFirst()
                .orElse(new EvalReport.Scores(label.name(), 0, 0, 0, 0));
        eval.out().printf(Locale.ROOT, "%-20s %-28s %9.4f %9.4f %9.4f %9.4f %9d %9.1f%n", scores.label(), setup,
                report.accuracy(), scores.precision(), scores.recall(), scores.f1(), scores.support(),
                report.docs() / seconds);
        eval.out().flush();
        ObjectNode row = rows.addObject();
        row.put("label", scores.label());
        row.put("setup", setup);
        row.put("accuracy", report.accuracy());
        row.put("precision", scores.precision());
        row.put("recall", scores.recall());
        row.put("f1", scores.f1());
        row.put("support", scores.support());
        row.put("docs", report.docs());
    }
}
