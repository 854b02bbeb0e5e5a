package dev.triage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import dev.triage.scoring.CalibrationFit;
import dev.triage.scoring.LabelSpec;

/**
 * {@code eval --one-vs-rest --examples FILE}: a few labelled texts per gold label (the first N of at least 20
 * words) become the label's examples, and the catch-all's threshold is fitted on them. A label's own examples
 * match its vector too well, so the threshold is cross-fitted: the positives of one half are scored against the
 * vector made from the other half.
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
        JsonlReader.requireReadable(file);
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
     * The threshold that maximises F1 on the examples, the positives scored by the other half's vector.
     *
     * @param scorer label strengths of texts, as the service computes them
     */
    double threshold(BiFunction<List<String>, List<LabelSpec>, double[][]> scorer, LabelSpec plain, int index,
            LabelSpec catchAll) {
        List<String> positives = of(index, true);
        List<String> negatives = of(index, false);
        List<List<String>> halves = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < positives.size(); i++) {
            halves.get(i % 2).add(positives.get(i));
        }
        List<Double> strengths = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        for (int h = 0; h < 2; h++) {
            LabelSpec fromHalf = new LabelSpec(plain.name(), Optional.empty(), halves.get(h));
            List<String> texts = new ArrayList<>(halves.get(1 - h));
            texts.addAll(negatives);
            double[][] scored = scorer.apply(texts, List.of(fromHalf, catchAll));
            for (int t = 0; t < texts.size(); t++) {
                strengths.add(scored[t][0]);
                present.add(t < halves.get(1 - h).size());
            }
        }
        boolean[] flags = new boolean[present.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = present.get(i);
        }
        return CalibrationFit.bestF1Threshold(strengths.stream().mapToDouble(Double::doubleValue).toArray(), flags);
    }
}
