package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

import dev.triage.scoring.LabelSpec;
import dev.triage.service.Stack;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code eval --one-vs-rest}: each real label in turn against the catch-all, as a request with labels
 * {@code [label, catch-all]} would be answered; documents of every other gold label are the rest. Reports each
 * label's accuracy and its own (positive class) precision, recall and F1.
 *
 * @param kept the documents to score (see {@link GoldIndex.GoldCount})
 */
record OneVsRest(EvalCommand eval, Stack loaded, String hypothesis, Map<String, Integer> goldToIndex, long kept) {

    /** One line of the table, as --json writes it. */
    @RegisterForReflection
    record Row(String label, String setup, double accuracy, double precision, double recall, double f1, long support,
            long docs) {
    }

    /** What --json writes. */
    @RegisterForReflection
    record Json(String input, String model, String template, String catchAll, List<Row> oneVsRest) {
    }

    /** @param labelSpecs the real labels, then the catch-all */
    void run(List<LabelSpec> labelSpecs) throws Exception {
        LabelSpec catchAll = labelSpecs.get(labelSpecs.size() - 1);
        var out = eval.out();
        out.printf(Locale.ROOT, "model: %s%ntemplate: %s%ninput: %s%n", EngineCommand.describe(loaded), hypothesis,
                eval.in);
        out.printf(Locale.ROOT, "%-20s %-28s %9s %9s %9s %9s %9s %9s%n", "one-vs-rest", "setup", "accuracy",
                "precision", "recall", "f1", "support", "docs/s");
        FewShotCalibration fewShot = eval.examples == null ? null
                : FewShotCalibration.read(eval.examples, eval.examplesPerLabel, goldToIndex);
        BiFunction<List<String>, List<LabelSpec>, double[][]> scorer = (texts, labels) -> eval.strengths(loaded,
                texts, labels);
        double defaultThreshold = eval.catchAllThreshold(loaded);
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < labelSpecs.size() - 1; g++) {
            LabelSpec label = labelSpecs.get(g);
            row(rows, "zero-shot", label, catchAll, g);
            if (fewShot != null) {
                LabelSpec withExamples = fewShot.label(label, g);
                row(rows, "few-shot", withExamples, catchAll, g);
                double threshold = fewShot.threshold(scorer, label, g, catchAll, defaultThreshold);
                row(rows, String.format(Locale.ROOT, "few-shot, threshold %.3f", threshold), withExamples,
                        LabelSpec.catchAll(catchAll.name(), OptionalDouble.of(threshold)), g);
                LabelSpec none = fewShot.noneLabel(catchAll, g, eval.config.limits().maxExamples());
                row(rows, "few-shot+none, request fit", withExamples, none, g);
                double fitted = fewShot.threshold(scorer, label, g, none, defaultThreshold);
                row(rows, String.format(Locale.ROOT, "few-shot+none, thr %.3f", fitted), withExamples,
                        LabelSpec.catchAll(none.name(), OptionalDouble.of(fitted), none.examples()), g);
            }
        }
        if (eval.json != null) {
            EngineCommand.writeJson(eval.json, DocSource.JSON.valueToTree(new Json(eval.in.toString(),
                    loaded.model().spec().name(), hypothesis, catchAll.name(), rows)));
        }
    }

    /** One label against the catch-all over the whole file: one line of the table, one row of the JSON. */
    private void row(List<Row> rows, String setup, LabelSpec label, LabelSpec catchAll, int positive)
            throws Exception {
        long start = System.nanoTime();
        EvalReport report = eval.evaluate(loaded, List.of(label, catchAll), gold -> {
            Integer index = goldToIndex.get(gold);
            return index == null ? null : index == positive ? 0 : 1;
        }, kept);
        double seconds = (System.nanoTime() - start) / 1e9;
        EvalReport.Scores scores = report.scores(label.name());
        eval.out().printf(Locale.ROOT, "%-20s %-28s %9.4f %9.4f %9.4f %9.4f %9d %9.1f%n", scores.label(), setup,
                report.accuracy(), scores.precision(), scores.recall(), scores.f1(), scores.support(),
                report.docs() / seconds);
        eval.out().flush();
        rows.add(new Row(scores.label(), setup, report.accuracy(), scores.precision(), scores.recall(), scores.f1(),
                scores.support(), report.docs()));
    }
}
