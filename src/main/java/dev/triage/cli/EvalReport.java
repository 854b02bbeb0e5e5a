package dev.triage.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Accuracy, per-class precision / recall / F1 and the confusion matrix of single-label predictions, with
 * scikit-learn's definitions: a class nobody predicted has precision 0, the macro average is the plain mean
 * over the classes that occur (as gold or as prediction), the weighted average weighs by support.
 */
final class EvalReport {

    /** One row of the report. */
    @RegisterForReflection
    record Scores(String label, double precision, double recall, double f1, long support) {
    }

    /** The report as --json writes it. */
    @RegisterForReflection
    record Json(long docs, long correct, double accuracy, double macroF1, List<Scores> perClass, Scores macroAvg,
            Scores weightedAvg, Confusion confusion) {
    }

    /** The confusion matrix over the classes that occur. */
    @RegisterForReflection
    record Confusion(String rows, String columns, List<String> labels, long[][] matrix) {
    }

    private final List<String> labels;
    private final long[][] confusion;
    private long docs;
    private long correct;

    EvalReport(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.confusion = new long[labels.size()][labels.size()];
    }

    void add(int gold, int predicted) {
        confusion[gold][predicted]++;
        docs++;
        if (gold == predicted) {
            correct++;
        }
    }

    long docs() {
        return docs;
    }

    long correct() {
        return correct;
    }

    double accuracy() {
        return docs == 0 ? 0 : (double) correct / docs;
    }

    /** Classes that occur as gold label or as prediction, in the candidates' order. */
    private List<Integer> present() {
        return IntStream.range(0, labels.size()).filter(c -> support(c) > 0 || predicted(c) > 0).boxed().toList();
    }

    private long support(int c) {
        return Arrays.stream(confusion[c]).sum();
    }

    private long predicted(int c) {
        return Arrays.stream(confusion).mapToLong(row -> row[c]).sum();
    }

    List<Scores> perClass() {
        List<Scores> rows = new ArrayList<>();
        for (int c : present()) {
            long tp = confusion[c][c];
            long support = support(c);
            long predicted = predicted(c);
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows.add(new Scores(labels.get(c), precision, recall, f1, support));
        }
        return rows;
    }

    /** One class's row, all zeros if it never occurs. */
    Scores scores(String label) {
        return perClass().stream().filter(r -> r.label().equals(label)).findFirst()
                .orElse(new Scores(label, 0, 0, 0, 0));
    }

    Scores macro() {
        return average("macro avg", r -> 1);
    }

    Scores weighted() {
        return average("weighted avg", Scores::support);
    }

    /** The rows' scores averaged with these weights (the weights of all rows sum to at least 1). */
    private Scores average(String label, ToDoubleFunction<Scores> weight) {
        List<Scores> rows = perClass();
        double total = Math.max(1, rows.stream().mapToDouble(weight).sum());
        ToDoubleFunction<ToDoubleFunction<Scores>> mean = score -> rows.stream()
                .mapToDouble(r -> weight.applyAsDouble(r) * score.applyAsDouble(r)).sum() / total;
        return new Scores(label, mean.applyAsDouble(Scores::precision), mean.applyAsDouble(Scores::recall),
                mean.applyAsDouble(Scores::f1), docs);
    }

    /** Like scikit-learn's classification_report, with 4 digits. */
    String table() {
        List<Scores> rows = perClass();
        int width = Math.max("weighted avg".length(), rows.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String row = "%" + width + "s %10.4f %10.4f %10.4f %10d%n";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%" + width + "s %10s %10s %10s %10s%n%n",
                "", "precision", "recall", "f1-score", "support"));
        rows.forEach(r -> table.append(format(row, r)));
        table.append(String.format(Locale.ROOT, "%n%" + width + "s %10s %10s %10.4f %10d%n", "accuracy", "", "",
                accuracy(), docs));
        List.of(macro(), weighted()).forEach(r -> table.append(format(row, r)));
        return table.toString();
    }

    private static String format(String row, Scores r) {
        return String.format(Locale.ROOT, row, r.label(), r.precision(), r.recall(), r.f1(), r.support());
    }

    /** Rows: gold, columns: predicted; columns are numbered when the names would make it too wide. */
    String confusionTable() {
        List<Integer> present = present();
        int nameWidth = present.stream().mapToInt(c -> labels.get(c).length()).max().orElse(0);
        long max = present.stream().flatMapToLong(g -> present.stream().mapToLong(p -> confusion[g][p])).max()
                .orElse(0);
        int indexWidth = String.valueOf(present.size() - 1).length() + 2;
        int cell = Math.max(String.valueOf(max).length(), 3);
        boolean named = present.size() * (Math.max(cell, nameWidth) + 2) + nameWidth <= 120;
        cell = Math.max(cell, named ? nameWidth : indexWidth);
        IntFunction<String> key = i -> named ? labels.get(present.get(i)) : "[" + i + "]";
        // a row starts with its name, or with its number and then its name (a format ignores arguments left over)
        String rowHead = named ? "%" + nameWidth + "s" : "%" + (indexWidth + 1) + "s %-" + nameWidth + "s";
        StringBuilder table = new StringBuilder("confusion matrix (rows: gold, columns: predicted)\n");
        table.append(String.format(Locale.ROOT, rowHead, "", ""));
        for (int i = 0; i < present.size(); i++) {
            table.append(String.format(Locale.ROOT, "  %" + cell + "s", key.apply(i)));
        }
        table.append('\n');
        for (int i = 0; i < present.size(); i++) {
            int gold = present.get(i);
            table.append(String.format(Locale.ROOT, rowHead, key.apply(i), labels.get(gold)));
            for (int p : present) {
                table.append(String.format(Locale.ROOT, "  %" + cell + "d", confusion[gold][p]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    Json json() {
        List<Integer> present = present();
        long[][] matrix = present.stream().map(g -> present.stream().mapToLong(p -> confusion[g][p]).toArray())
                .toArray(long[][]::new);
        return new Json(docs, correct, accuracy(), macro().f1(), perClass(), macro(),
                weighted(), new Confusion("gold", "predicted", present.stream().map(labels::get).toList(), matrix));
    }
}
