package dev.triage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.triage.scoring.CalibrationFit;
import dev.triage.scoring.LabelSpec;

/**
 * {@code eval --examples FILE}: a few labelled texts per gold label (the first N of at least 20 words) become the
 * label's examples; with --one-vs-rest the catch-all's threshold is also fitted on them (see {@link #threshold}).
 *
 * @param byGold each gold label's examples
 */
record FewShotCalibration(Map<String, List<String>> byGold, Map<String, Integer> goldToIndex) {

    private static final int MIN_WORDS = 20;

    static FewShotCalibration read(Path file, int perLabel, Map<String, Integer> goldToIndex) {
        return new FewShotCalibration(firstPer(file, perLabel, DocSource.Doc::label), goldToIndex);
    }

    /**
     * The first {@code perKey} texts of at least {@value #MIN_WORDS} words of each key, keys in the order they first
     * occur in the labelled file (bad lines passed over).
     */
    static <K> Map<K, List<String>> firstPer(Path file, int perKey, Function<DocSource.Doc, K> keyOf) {
        Map<K, List<String>> byKey = new LinkedHashMap<>();
        try (DocSource source = new DocSource(file, true, DocSource.OnBadLine.SKIP, message -> {
        })) {
            for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                List<String> texts = byKey.computeIfAbsent(keyOf.apply(doc), k -> new ArrayList<>());
                if (texts.size() < perKey && doc.text().strip().split("\\s+").length >= MIN_WORDS) {
                    texts.add(doc.text());
                }
            }
        }
        return byKey;
    }

    /** Each gold label's examples, of the gold labels that map to candidate {@code index} (-1: to none of them). */
    private List<List<String>> lists(int index, boolean matching) {
        return byGold.entrySet().stream().filter(e -> (goldToIndex.getOrDefault(e.getKey(), -1) == index) == matching)
                .map(Map.Entry::getValue).toList();
    }

    private List<String> of(int index, boolean matching) {
        return lists(index, matching).stream().flatMap(List::stream).toList();
    }

    LabelSpec label(LabelSpec plain, int index) {
        List<String> examples = of(index, true);
        if (examples.size() < 2) {
            throw CliException.usage("--examples: fewer than 2 examples of at least " + MIN_WORDS + " words for '"
                    + plain.name() + "'");
        }
        return new LabelSpec(plain.name(), plain.description(), examples);
    }

    /**
     * The catch-all with the examples of every other gold label as its own (texts that are none of the label),
     * taken in turn from each gold label so that at most {@code max} cover them all.
     */
    LabelSpec noneLabel(LabelSpec catchAll, int index, int max) {
        List<List<String>> others = new ArrayList<>(lists(index, false));
        List<String> picked = new ArrayList<>();
        for (int round = 0; picked.size() < max && !others.isEmpty(); round++) {
            int r = round;
            others.removeIf(list -> list.size() <= r);
            for (int g = 0; g < others.size() && picked.size() < max; g++) {
                picked.add(others.get(g).get(r));
            }
        }
        return LabelSpec.catchAll(catchAll.name(), catchAll.threshold(), picked);
    }

    /**
     * The catch-all threshold of best expected F1 ({@link CalibrationFit#expectedF1Threshold}) between the label's
     * examples and the other labels' (or the catch-all's own), each scored leave-one-out where it is one of the
     * label's examples; the prior is the label's share of the examples, as the file holds the same number per
     * label. The fit is then taken halfway to the default ({@link CalibrationFit#towardDefault}).
     *
     * @param scorer label strengths of texts, as the service computes them
     */
    double threshold(BiFunction<List<String>, List<LabelSpec>, double[][]> scorer, LabelSpec plain, int index,
            LabelSpec catchAll, double defaultThreshold) {
        List<String> positives = of(index, true);
        List<String> others = of(index, false);
        double[] left = leaveOneOut(scorer, positives,
                without -> List.of(new LabelSpec(plain.name(), plain.description(), without), catchAll));
        LabelSpec all = new LabelSpec(plain.name(), plain.description(), positives);
        double[] rest = catchAll.examples().isEmpty()
                ? Arrays.stream(scorer.apply(others, List.of(all, catchAll))).mapToDouble(s -> s[0]).toArray()
                : leaveOneOut(scorer, catchAll.examples(), // the catch-all's own examples, left out of it in turn
                        without -> List.of(all, LabelSpec.catchAll(catchAll.name(), catchAll.threshold(), without)));
        double prior = positives.size() / (double) (positives.size() + others.size());
        return CalibrationFit.towardDefault(CalibrationFit.expectedF1Threshold(left, rest, prior), defaultThreshold);
    }

    /** Each text's strength for the first label, the labels made from the other texts (its own would flatter it). */
    private static double[] leaveOneOut(BiFunction<List<String>, List<LabelSpec>, double[][]> scorer,
            List<String> texts, Function<List<String>, List<LabelSpec>> labelsWithout) {
        double[] strengths = new double[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            List<String> others = new ArrayList<>(texts);
            others.remove(i);
            strengths[i] = scorer.apply(List.of(texts.get(i)), labelsWithout.apply(others))[0][0];
        }
        return strengths;
    }
}
