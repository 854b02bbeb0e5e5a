package dev.triage.pool;

import java.util.Arrays;

/**
 * Nanoseconds per padded token of one worker: the median of the last runs, not a mean, which one run stalled on a
 * busy machine would skew until a drain planned on it refused work that fits.
 */
final class SpeedEstimate {

    private static final int WINDOW = 64;

    private final double[] recent = new double[WINDOW];
    private int count;
    private int next;

    synchronized void record(long nanos, long cells) {
        if (cells > 0) {
            recent[next] = (double) nanos / cells;
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
        }
    }

    /** @return the median of the recorded runs, 0 before any */
    synchronized double nanosPerCell() {
        if (count == 0) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }
}
