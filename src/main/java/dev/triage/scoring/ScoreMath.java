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

    /** P(Z > z) for a standard normal Z; Abramowitz and Stegun 7.1.26 for erfc, absolute error below 1e-7. */
    public static double normalTail(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x);
        return z >= 0 ? erfc / 2 : 1 - erfc / 2;
    }

    /** P(entailment) of the two-way softmax over [contradiction, entailment]. */
    public static double entailmentVsContradiction(double contradiction, double entailment) {
        return sigmoid(entailment - contradiction);
    }
}
