package dev.triage.scoring;

/** The probability maps of zero-shot scoring. */
public final class ScoreMath {

    private ScoreMath() {
    }

    /** Numerically stable softmax of {@code values / temperature}. */
    public static double[] softmax(double[] values, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v / temperature);
        }
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.exp(values[i] / temperature - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** P(entailment) of the two-way softmax over [contradiction, entailment]. */
    public static double entailmentVsContradiction(double contradiction, double entailment) {
        return sigmoid(entailment - contradiction);
    }
}
