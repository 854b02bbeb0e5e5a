package dev.triage.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.triage.scoring.CalibrationFit;

/**
 * What {@code triage calibrate} fits from the labelled texts' strengths, and how it prints it: each number with
 * the setting, request label and CLI option that apply it, and what the fit changes on those same texts.
 *
 * @param catchAll the catch-all label's name, or null if none was asked for
 */
record CalibrationReport(PrintWriter out, List<String> labels, String catchAll, boolean nli) {

    /** The fitted numbers; the temperature is NaN where it does not apply (NLI, or a single label). */
    record Fitted(double temperature, double threshold) {
    }

    /** One strength the threshold is fitted on, and whether the label it measures is right. */
    private record Point(double strength, boolean present) {
    }

    /**
     * Temperature from the texts with a real gold label (embedding models, two labels or more); threshold from
     * the best label's strength (catch-all: is any label right?) or from every label's (multi-label: is it this
     * one?), at the temperature the scores will use; with a prior, the cut of best expected F1 at that rate.
     *
     * @param prior the share of texts a label applies to where the threshold is used, or NaN (likelihood)
     */
    static Fitted fit(List<CalibrateCommand.Example> examples, int labelCount, boolean withCatchAll, boolean nli,
            double defaultTemperature, double prior) {
        List<CalibrateCommand.Example> real = examples.stream().filter(e -> e.gold() >= 0).toList();
        double temperature = !nli && labelCount > 1 && real.size() > 1
                ? CalibrationFit.temperature(real.stream().map(CalibrateCommand.Example::strengths)
                        .toArray(double[][]::new), real.stream().mapToInt(CalibrateCommand.Example::gold).toArray())
                : Double.NaN;
        // the catch-all asks whether any label is right (the best strength), multi-label whether each one is
        List<Point> points = examples.stream().flatMap(e -> withCatchAll
                ? Stream.of(new Point(Arrays.stream(e.strengths()).max().orElseThrow(), e.gold() >= 0))
                : IntStream.range(0, e.strengths().length).mapToObj(l -> new Point(e.strengths()[l], l == e.gold())))
                .toList();
        if (points.stream().allMatch(Point::present) || points.stream().noneMatch(Point::present)) {
            throw CliException.usage("calibrating a threshold needs texts of "
                    + (withCatchAll ? "the labels and texts of none of them" : "two labels at least"));
        }
        if (!Double.isNaN(prior)) {
            return new Fitted(temperature, expectedF1(points, prior));
        }
        boolean[] flags = new boolean[points.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = points.get(i).present();
        }
        double[] values = points.stream().mapToDouble(Point::strength).toArray();
        double slope = Double.isNaN(temperature) ? defaultTemperature : temperature;
        return new Fitted(temperature, CalibrationFit.threshold(values, flags, slope));
    }

    /** {@link CalibrationFit#expectedF1Threshold} of the strengths of texts the label is and is not right for. */
    private static double expectedF1(List<Point> points, double prior) {
        double[] positives = points.stream().filter(Point::present).mapToDouble(Point::strength).toArray();
        double[] negatives = points.stream().filter(p -> !p.present()).mapToDouble(Point::strength).toArray();
        if (positives.length < 2 || negatives.length < 2) {
            throw CliException.usage("--prior needs 2 texts or more of each kind (the label right, and not)");
        }
        return CalibrationFit.expectedF1Threshold(positives, negatives, prior);
    }

    void print(String model, String template, List<CalibrateCommand.Example> examples, Fitted fitted,
            double defaultTemperature, double defaultThreshold) {
        long none = examples.stream().filter(e -> e.gold() < 0).count();
        out.printf(Locale.ROOT, "calibrated on %d labelled texts (%d of the labels%s), model %s, template \"%s\"%n%n",
                examples.size(), examples.size() - none, catchAll == null ? "" : ", " + none + " of none of them",
                model, template);
        line("", "default", "fitted", "apply with");
        if (!Double.isNaN(fitted.temperature())) {
            line("temperature", format(defaultTemperature), format(fitted.temperature()),
                    "triage.scoring.temperature=" + format(fitted.temperature()));
        }
        String t = format(fitted.threshold());
        if (catchAll != null) {
            line("threshold", format(defaultThreshold), t,
                    "label {\"name\": \"" + catchAll + "\", \"none\": true, \"threshold\": " + t + "}");
            line("", "", "", "CLI --none-label " + catchAll + " --none-threshold " + t);
            if (!nli) {
                line("", "", "", "server default triage.scoring.none-threshold=" + t);
            }
            out.printf(Locale.ROOT, "%non these texts (fitted on them, so optimistic): accuracy %.4f -> %.4f, "
                    + "macro-F1 of the labels %.4f -> %.4f%n", accuracy(examples, defaultThreshold),
                    accuracy(examples, fitted.threshold()), macroF1(examples, defaultThreshold),
                    macroF1(examples, fitted.threshold()));
        } else {
            line("threshold", format(nli ? 0.0 : defaultThreshold), t, "triage.scoring.multi-label-threshold=" + t);
        }
        out.flush();
    }

    /** One line of the table: what, its default and fitted values, and how to apply it. */
    private void line(String name, String defaultValue, String fittedValue, String apply) {
        out.printf(Locale.ROOT, "%-12s %8s %8s  %s%n", name, defaultValue, fittedValue, apply);
    }

    /** The label a catch-all request picks: the best real label if it reaches the threshold, else none (-1). */
    private static int predicted(double[] strengths, double threshold) {
        int best = IntStream.range(0, strengths.length).reduce((a, b) -> strengths[b] > strengths[a] ? b : a)
                .orElseThrow();
        return strengths[best] >= threshold ? best : -1;
    }

    private static double accuracy(List<CalibrateCommand.Example> examples, double threshold) {
        return examples.stream().filter(e -> predicted(e.strengths(), threshold) == e.gold()).count()
                / (double) examples.size();
    }

    private double macroF1(List<CalibrateCommand.Example> examples, double threshold) {
        double sum = 0;
        for (int l = 0; l < labels.size(); l++) {
            int label = l;
            long tp = examples.stream().filter(e -> e.gold() == label && predicted(e.strengths(), threshold) == label)
                    .count();
            long wrong = examples.stream() // false positives and false negatives
                    .filter(e -> (e.gold() == label) != (predicted(e.strengths(), threshold) == label)).count();
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + wrong);
        }
        return sum / labels.size();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
