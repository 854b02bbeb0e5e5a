package dev.triage.model;

/** Small vector maths shared by pooling and scoring. */
public final class Vectors {

    private Vectors() {
    }

    /** A sum (of token vectors, or weighted vectors) scaled to unit length; all zeros stays zeros. */
    static float[] normalise(double[] sum) {
        double norm = 0;
        for (double v : sum) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[sum.length];
        if (norm == 0) {
            return unit;
        }
        for (int i = 0; i < sum.length; i++) {
            unit[i] = (float) (sum[i] / norm);
        }
        return unit;
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Unit vector of a weighted sum of unit vectors. */
    public static float[] weightedMean(float[][] vectors, double[] weights) {
        double[] sum = new double[vectors[0].length];
        for (int v = 0; v < vectors.length; v++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += weights[v] * vectors[v][i];
            }
        }
        return normalise(sum);
    }
}
