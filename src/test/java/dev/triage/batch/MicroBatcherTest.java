package dev.triage.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.triage.model.Encoded;

/** How sequences are grouped into micro-batches. */
class MicroBatcherTest {

    private static List<Encoded> lengths(int... lengths) {
        return Arrays.stream(lengths).mapToObj(n -> new Encoded(new long[n], new long[n])).toList();
    }

    @Test
    void longestFirstAndEveryIndexExactlyOnce() {
        List<int[]> plan = new MicroBatcher(1, 4096).plan(lengths(3, 9, 5));
        assertEquals(3, plan.size());
        assertArrayEquals(new int[] { 1 }, plan.get(0));
        assertArrayEquals(new int[] { 2 }, plan.get(1));
        assertArrayEquals(new int[] { 0 }, plan.get(2));
    }

    @Test
    void aGroupHoldsAtMostMaxSizeRows() {
        List<int[]> plan = new MicroBatcher(2, 4096).plan(lengths(4, 4, 4, 4, 4));
        assertEquals(List.of(2, 2, 1), plan.stream().map(g -> g.length).toList());
    }

    @Test
    void paddedTokensStayWithinMaxTokens() {
        // the longest row (10) sets the padded width: 3 rows = 30 > 25, so groups of 2
        List<int[]> plan = new MicroBatcher(8, 25).plan(lengths(10, 9, 8, 7));
        assertEquals(List.of(2, 2), plan.stream().map(g -> g.length).toList());
        assertEquals(List.of(0, 1, 2, 3), plan.stream().flatMapToInt(IntStream::of).sorted().boxed().toList());
    }

    @Test
    void aRowLongerThanMaxTokensStillRunsAlone() {
        assertEquals(List.of(1, 1), new MicroBatcher(8, 5).plan(lengths(9, 9)).stream().map(g -> g.length).toList());
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher(1, 0));
    }
}
