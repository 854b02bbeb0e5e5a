package dev.triage.scoring;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.function.DoubleUnaryOperator;

/**
 * Fits the two numbers zero-shot scores need from a few labelled texts, as pure functions of the label
 * strengths ({@link ZeroShotScorer#strengths}): the temperature of the single-label softmax, and the threshold
 * at which a label is as likely present as not (the catch-all's, and multi-label's). Both by maximum likelihood,
 * so a handful of examples gives a smooth answer rather than the one cut that happens to split them best.
 */
public final class CalibrationFit {

    /** Temperatures searched, on a log scale: cosines need ~0.01-0.1, NLI logits ~1. */
    static final double MIN_TEMPERATURE = 0.002;
    static final double MAX_TEMPERATURE = 20;

    private CalibrationFit() {
    }

    /**
     * The temperature that makes {@code softmax(strengths / T)} most likely to pick the gold labels.
     *
     * @param strengths per text, per label
     * @param gold per text, the index of its label
     */
    public static double temperature(double[][] strengths, int[] gold) {
        return Math.exp(minimise(logT -> {
            double t = Math.exp(logT);
            double loss = 0;
            for (int i = 0; i < strengths.length; i++) {
                loss -= Math.log(Math.max(ScoreMath.softmax(strengths[i], t)[gold[i]], 1e-300));
            }
            return loss;
        }, Math.log(MIN_TEMPERATURE), Math.log(MAX_TEMPERATURE)));
    }

    /**
     * The threshold that makes {@code sigmoid((strength - threshold) / temperature)} the most likely account of
     * which strengths belong to a present label. With few or cleanly separated examples, it is the likelihood's
     * maximum at this fixed temperature; the slope is not fitted, as separable data would drive it to zero.
     *
     * @param strengths one per example
     * @param present whether the example's label is present (for the catch-all: whether a real label is)
     */
    public static double threshold(double[] strengths, boolean[] present, double temperature) {
        DoubleSummaryStatistics range = Arrays.stream(strengths).summaryStatistics();
        double margin = 10 * temperature;
        return minimise(threshold -> {
            double loss = 0;
            for (int i = 0; i < strengths.length; i++) {
                double z = (strengths[i] - threshold) / temperature;
                loss += softplus(present[i] ? -z : z); // -log sigmoid(+-z)
            }
            return loss;
        }, range.getMin() - margin, range.getMax() + margin);
    }

    /**
     * The cut of best expected F1 of "present" where a fraction {@code prior} is positive, each class normal with
     * the examples' mean and spread: smoother than the empirical cut, and the prior need not be the examples' own.
     */
    public static double expectedF1Threshold(double[] positives, double[] negatives, double prior) {
        if (positives.length < 2 || negatives.length < 2 || !(prior > 0 && prior < 1)) {
            throw new IllegalArgumentException("needs 2 strengths or more of each class and 0 < prior < 1");
        }
        double[] pos = meanAndSpread(positives);
        double[] neg = meanAndSpread(negatives);
        double lo = Math.min(pos[0] - 4 * pos[1], neg[0] - 4 * neg[1]);
        double hi = Math.max(pos[0] + 4 * pos[1], neg[0] + 4 * neg[1]);
        double best = lo;
        double bestF1 = -1;
        for (int i = 0; i <= 1000; i++) {
            double cut = lo + (hi - lo) * i / 1000;
            double tpr = ScoreMath.normalTail((cut - pos[0]) / pos[1]);
            double fpr = ScoreMath.normalTail((cut - neg[0]) / neg[1]);
            double f1 = 2 * prior * tpr / (prior * tpr + (1 - prior) * fpr + prior);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = cut;
            }
        }
        return best;
    }

    /** A threshold fitted on a few examples, taken halfway to the default: fewer and smaller losses (ACCURACY.md). */
    public static double towardDefault(double fitted, double defaultThreshold) {
        return (fitted + defaultThreshold) / 2;
    }

    /** Mean and standard deviation (plus 0.001, so identical strengths still spread). */
    private static double[] meanAndSpread(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return new double[] { mean, Math.sqrt(squares / values.length) + 1e-3 };
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** Golden-section search for the minimum of a unimodal (here: convex) function on [lo, hi]. */
    static double minimise(DoubleUnaryOperator f, double lo, double hi) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = lo;
        double b = hi;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        for (int i = 0; i < 200 && b - a > 1e-9 * (1 + Math.abs(a)); i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }
}
