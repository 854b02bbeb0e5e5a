package dev.triage.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.triage.scoring.CalibrationFit;

/**
 * What {@code triage calibrate} fits from the labelled texts' strengths, and how it prints it: each number with
 * the setting, request label and CLI option that apply it, and what the fit changes on those same texts.
 */
final class CalibrationReport {

    /** The fitted numbers; the temperature is NaN where it does not apply (NLI, or a single label). */
    record Fitted(double temperature, double threshold) {
    }

    private final PrintWriter out;
    private final List<String> labels;
    private final String catchAll;
    private final boolean nli;

    /** @param catchAll the catch-all label's name, or null if none was asked for */
    CalibrationReport(PrintWriter out, List<String> labels, String catchAll, boolean nli) {
        this.out = out;
        this.labels = labels;
        this.catchAll = catchAll;
        this.nli = nli;
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
        double temperature = Double.NaN;
        if (!nli && labelCount > 1 && real.size() > 1) {
            temperature = CalibrationFit.temperature(real.stream().map(CalibrateCommand.Example::strengths)
                    .toArray(double[][]::new), real.stream().mapToInt(CalibrateCommand.Example::gold).toArray());
        }
        List<Double> strengths = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        for (CalibrateCommand.Example e : examples) {
            if (withCatchAll) {
                strengths.add(Arrays.stream(e.strengths()).max().orElseThrow());
                present.add(e.gold() >= 0);
            } else {
                for (int l = 0; l < e.strengths().length; l++) {
                    strengths.add(e.strengths()[l]);
                    present.add(l == e.gold());
                }
            }
        }
        if (!present.contains(true) || !present.contains(false)) {
            throw CliException.usage("calibrating a threshold needs texts of "
                    + (withCatchAll ? "the labels and texts of none of them" : "two labels at least"));
        }
        double slope = Double.isNaN(temperature) ? defaultTemperature : temperature;
        boolean[] flags = new boolean[present.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = present.get(i);
        }
        double[] values = strengths.stream().mapToDouble(Double::doubleValue).toArray();
        double threshold = Double.isNaN(prior) ? CalibrationFit.threshold(values, flags, slope)
                : expectedF1(values, flags, prior);
        return new Fitted(temperature, threshold);
    }

    /** {@link CalibrationFit#expectedF1Threshold} of the strengths of texts the label is and is not right for. */
    private static double expectedF1(double[] values, boolean[] flags, double prior) {
        double[] positives = IntStream.range(0, values.length).filter(i -> flags[i]).mapToDouble(i -> values[i])
                .toArray();
        double[] negatives = IntStream.range(0, values.length).filter(i -> !flags[i]).mapToDouble(i -> values[i])
                .toArray();
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
        out.printf(Locale.ROOT, "%-12s %8s %8s  %s%n", "", "default", "fitted", "apply with");
        if (!Double.isNaN(fitted.temperature())) {
            out.printf(Locale.ROOT, "%-12s %8.4f %8.4f  triage.scoring.temperature=%s%n", "temperature",
                    defaultTemperature, fitted.temperature(), CalibrateCommand.format(fitted.temperature()));
        }
        String t = CalibrateCommand.format(fitted.threshold());
        if (catchAll != null) {
            out.printf(Locale.ROOT, "%-12s %8.4f %8.4f  label {\"name\": \"%s\", \"none\": true, \"threshold\": %s}%n",
                    "threshold", defaultThreshold, fitted.threshold(), catchAll, t);
            out.printf(Locale.ROOT, "%-12s %8s %8s  CLI --none-label %s --none-threshold %s%n", "", "", "", catchAll, t);
            if (!nli) {
                out.printf(Locale.ROOT, "%-12s %8s %8s  server default triage.scoring.none-threshold=%s%n", "", "", "",
                        t);
            }
        } else {
            out.printf(Locale.ROOT, "%-12s %8.4f %8.4f  triage.scoring.multi-label-threshold=%s%n", "threshold",
                    nli ? 0.0 : defaultThreshold, fitted.threshold(), t);
        }
        if (catchAll != null) {
            out.printf(Locale.ROOT, "%non these texts (fitted on them, so optimistic): accuracy %.4f -> %.4f, "
                    + "macro-F1 of the labels %.4f -> %.4f%n", accuracy(examples, defaultThreshold),
                    accuracy(examples, fitted.threshold()), macroF1(examples, defaultThreshold),
                    macroF1(examples, fitted.threshold()));
        }
        out.flush();
    }

    /** The label a catch-all request picks: the best real label if it reaches the threshold, else none (-1). */
    static int predicted(double[] strengths, double threshold) {
        int best = 0;
        for (int l = 1; l < strengths.length; l++) {
            if (strengths[l] > strengths[best]) {
                best = l;
            }
        }
        return strengths[best] >= threshold ? best : -1;
    }

    private static double accuracy(List<CalibrateCommand.Example> examples, double threshold) {
        return examples.stream().filter(e -> predicted(e.strengths(), threshold) == e.gold()).count()
                / (double) examples.size();
    }

    private double macroF1(List<CalibrateCommand.Example> examples, double threshold) {
        double sum = 0;
        for (int l = 0; l < labels.size(); l++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (CalibrateCommand.Example e : examples) {
                boolean p = predicted(e.strengths(), threshold) == l;
                boolean g = e.gold() == l;
                tp += p && g ? 1 : 0;
                fp += p && !g ? 1 : 0;
                fn += !p && g ? 1 : 0;
            }
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / labels.size();
    }
}
