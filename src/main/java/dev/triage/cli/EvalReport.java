package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    List<Integer> present() {
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            if (support(c) > 0 || predicted(c) > 0) {
                present.add(c);
            }
        }
        return present;
    }

    private long support(int c) {
        long sum = 0;
        for (long n : confusion[c]) {
            sum += n;
        }
        return sum;
    }

    private long predicted(int c) {
        long sum = 0;
        for (long[] row : confusion) {
            sum += row[c];
        }
        return sum;
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

    /** F1 of one class, 0 if it never occurs. */
    double f1(String label) {
        return perClass().stream().filter(r -> r.label().equals(label)).mapToDouble(Scores::f1).findFirst().orElse(0);
    }

    Scores macro() {
        List<Scores> rows = perClass();
        int n = Math.max(1, rows.size());
        return new Scores("macro avg", rows.stream().mapToDouble(Scores::precision).sum() / n,
                rows.stream().mapToDouble(Scores::recall).sum() / n, rows.stream().mapToDouble(Scores::f1).sum() / n,
                docs);
    }

    Scores weighted() {
        List<Scores> rows = perClass();
        double total = Math.max(1, docs);
        return new Scores("weighted avg", rows.stream().mapToDouble(r -> r.precision() * r.support()).sum() / total,
                rows.stream().mapToDouble(r -> r.recall() * r.support()).sum() / total,
                rows.stream().mapToDouble(r -> r.f1() * r.support()).sum() / total, docs);
    }

    /** Like scikit-learn's classification_report, with 4 digits. */
    String table() {
        List<Scores> rows = perClass();
        int width = "weighted avg".length();
        for (Scores row : rows) {
            width = Math.max(width, row.label().length());
        }
        String head = "%" + width + "s %10s %10s %10s %10s%n";
        String row = "%" + width + "s %10.4f %10.4f %10.4f %10d%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, head, "", "precision", "recall", "f1-score", "support")).append('\n');
        for (Scores r : rows) {
            table.append(String.format(Locale.ROOT, row, r.label(), r.precision(), r.recall(), r.f1(), r.support()));
        }
        table.append('\n');
        table.append(String.format(Locale.ROOT, "%" + width + "s %10s %10s %10.4f %10d%n", "accuracy", "", "",
                accuracy(), docs));
        for (Scores r : List.of(macro(), weighted())) {
            table.append(String.format(Locale.ROOT, row, r.label(), r.precision(), r.recall(), r.f1(), r.support()));
        }
        return table.toString();
    }

    /** Rows: gold, columns: predicted; columns are numbered when the names would make it too wide. */
    String confusionTable() {
        List<Integer> present = present();
        int nameWidth = 0;
        long max = 0;
        for (int c : present) {
            nameWidth = Math.max(nameWidth, labels.get(c).length());
            for (int p : present) {
                max = Math.max(max, confusion[c][p]);
            }
        }
        int cell = Math.max(String.valueOf(max).length(), 3);
        boolean named = present.size() * (Math.max(cell, nameWidth) + 2) + nameWidth <= 120;
        if (named) {
            cell = Math.max(cell, nameWidth);
        } else {
            cell = Math.max(cell, String.valueOf(present.size() - 1).length() + 2);
        }
        StringBuilder table = new StringBuilder("confusion matrix (rows: gold, columns: predicted)\n");
        String rowHead = named ? "%" + nameWidth + "s" : "%" + (String.valueOf(present.size() - 1).length() + 3)
                + "s %-" + nameWidth + "s";
        table.append(named ? String.format(Locale.ROOT, rowHead, "")
                : String.format(Locale.ROOT, rowHead, "", ""));
        for (int i = 0; i < present.size(); i++) {
            String header = named ? labels.get(present.get(i)) : "[" + i + "]";
            table.append("  ").append(String.format(Locale.ROOT, "%" + cell + "s", header));
        }
        table.append('\n');
        for (int i = 0; i < present.size(); i++) {
            int gold = present.get(i);
            table.append(named ? String.format(Locale.ROOT, rowHead, labels.get(gold))
                    : String.format(Locale.ROOT, rowHead, "[" + i + "]", labels.get(gold)));
            for (int p : present) {
                table.append("  ").append(String.format(Locale.ROOT, "%" + cell + "d", confusion[gold][p]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    ObjectNode json() {
        ObjectNode json = DocSource.JSON.createObjectNode();
        json.put("docs", docs);
        json.put("correct", correct);
        json.put("accuracy", accuracy());
        json.put("macroF1", macro().f1());
        ArrayNode classes = json.putArray("perClass");
        perClass().forEach(r -> classes.add(DocSource.JSON.<ObjectNode>valueToTree(r)));
        json.set("macroAvg", DocSource.JSON.valueToTree(macro()));
        json.set("weightedAvg", DocSource.JSON.valueToTree(weighted()));
        ObjectNode matrix = json.putObject("confusion");
        matrix.put("rows", "gold");
        matrix.put("columns", "predicted");
        ArrayNode names = matrix.putArray("labels");
        ArrayNode counts = matrix.putArray("matrix");
        for (int gold : present()) {
            names.add(labels.get(gold));
            ArrayNode row = counts.addArray();
            for (int p : present()) {
                row.add(confusion[gold][p]);
            }
        }
        return json;
    }
}
