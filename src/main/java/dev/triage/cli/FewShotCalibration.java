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
 * {@code eval --one-vs-rest --examples FILE}: a few labelled texts per gold label (the first N of at least 20
 * words) become the label's examples, and the catch-all's threshold is fitted on them (see {@link #threshold}).
 */
final class FewShotCalibration {

    private static final int MIN_WORDS = 20;

    private final Map<String, List<String>> byGold;
    private final Map<String, Integer> goldToIndex;

    private FewShotCalibration(Map<String, List<String>> byGold, Map<String, Integer> goldToIndex) {
        this.byGold = byGold;
        this.goldToIndex = goldToIndex;
    }

    static FewShotCalibration read(Path file, int perLabel, Map<String, Integer> goldToIndex) {
        DocSource.requireReadable(file);
        Map<String, List<String>> byGold = new LinkedHashMap<>();
        try (DocSource source = new DocSource(file, true, DocSource.OnBadLine.SKIP, message -> {
        })) {
            for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                List<String> texts = byGold.computeIfAbsent(doc.label(), l -> new ArrayList<>());
                if (texts.size() < perLabel && doc.text().strip().split("\\s+").length >= MIN_WORDS) {
                    texts.add(doc.text());
                }
            }
        }
        return new FewShotCalibration(byGold, goldToIndex);
    }

    /** Examples of gold labels that map to candidate {@code index} (or, for -1, to none of them). */
    private List<String> of(int index, boolean matching) {
        List<String> texts = new ArrayList<>();
        byGold.forEach((gold, list) -> {
            if ((goldToIndex.getOrDefault(gold, -1) == index) == matching) {
                texts.addAll(list);
            }
        });
        return texts;
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
        List<List<String>> others = new ArrayList<>();
        byGold.forEach((gold, list) -> {
            if (goldToIndex.getOrDefault(gold, -1) != index && !list.isEmpty()) {
                others.add(list);
            }
        });
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
     * The catch-all threshold fitted on the examples: the cut of best expected F1
     * ({@link CalibrationFit#expectedF1Threshold}) between the label's positives, each scored leave-one-out
     * against the label made of the other examples (its own example would match too well), and the examples of
     * every other label, scored against the label made of all. The prior is the positives' share of the
     * examples, as the file holds the same number per label: 1 in 20 for the 20 newsgroups, the task's own rate.
     * The fit is then taken halfway to the default ({@link CalibrationFit#towardDefault}).
     *
     * @param scorer label strengths of texts, as the service computes them
     * @param defaultThreshold the threshold in force without calibration
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
