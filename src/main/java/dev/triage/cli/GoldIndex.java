package dev.triage.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Option;

/**
 * --label-map: gold labels of a labelled file to candidate labels, for {@code eval} and {@code calibrate}; and
 * eval's first pass over those gold labels.
 */
@RegisterForReflection
final class GoldIndex {

    @Option(names = "--label-map", split = ",", paramLabel = "GOLD=LABEL",
            description = "Gold label to candidate label, e.g. rec.motorcycles=motorcycles; gold labels not mapped "
                    + "must be candidate labels themselves (or, with --none-label, count as none of them)")
    Map<String, String> labelMap = new LinkedHashMap<>();

    /** Gold label to the index of its candidate label: mapped ones, and candidates standing for themselves. */
    Map<String, Integer> of(List<String> labelNames) {
        Map<String, Integer> index = IntStream.range(0, labelNames.size()).boxed() // names are unique
                .collect(Collectors.toMap(labelNames::get, i -> i));
        Map<String, Integer> gold = new HashMap<>(index);
        labelMap.forEach((key, value) -> {
            String from = key.trim();
            String to = value.trim();
            if (from.isEmpty()) {
                throw CliException.usage("--label-map: empty gold label in '" + key + "=" + value + "'");
            }
            Integer target = index.get(to);
            if (target == null) {
                throw CliException.usage("--label-map: '" + to + "' (for gold label '" + from
                        + "') is not one of the labels " + labelNames);
            }
            gold.put(from, target);
        });
        return gold;
    }

    /**
     * The first pass of {@code eval}, while the model loads: every gold label must have a candidate before any
     * inference runs.
     *
     * @param kept documents to score
     * @param skipped bad lines skipped
     * @param dropped documents with a gold label that maps to no candidate, left out (--drop-unmapped)
     */
    record GoldCount(long kept, long skipped, long dropped) {

        /** Gold labels that map to no candidate: how many documents carry each, and the first line. */
        private record Unmapped(long firstLine, long docs) {
        }

        /**
         * With a catch-all ({@code noneIndex >= 0}) every gold label not mapped counts as "none of these" and is
         * added to {@code goldToIndex}.
         */
        static GoldCount of(Path in, DocSource.OnBadLine onBadLine, Consumer<String> note,
                Map<String, Integer> goldToIndex, int noneIndex, List<String> labelNames, boolean dropUnmapped) {
            long kept = 0;
            long skipped;
            Map<String, Unmapped> unmapped = new LinkedHashMap<>();
            try (DocSource source = new DocSource(in, true, onBadLine, note)) {
                for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                    if (noneIndex >= 0) {
                        goldToIndex.putIfAbsent(doc.label(), noneIndex);
                    }
                    if (goldToIndex.containsKey(doc.label())) {
                        kept++;
                    } else {
                        unmapped.merge(doc.label(), new Unmapped(doc.line(), 1),
                                (a, b) -> new Unmapped(a.firstLine(), a.docs() + 1));
                    }
                }
                skipped = source.skipped();
            }
            long dropped = unmapped.values().stream().mapToLong(Unmapped::docs).sum();
            if (!unmapped.isEmpty() && !dropUnmapped) {
                List<String> named = unmapped.entrySet().stream().limit(10).map(e -> String.format(Locale.ROOT,
                        "'%s' (%d docs, first on line %d)", e.getKey(), e.getValue().docs(), e.getValue().firstLine()))
                        .toList();
                throw CliException.usage("gold label" + (unmapped.size() > 1 ? "s " : " ") + String.join(", ", named)
                        + (unmapped.size() > 10 ? " and " + (unmapped.size() - 10) + " more" : "")
                        + (unmapped.size() > 1 ? " are" : " is") + " not among the labels " + labelNames
                        + "; map with --label-map GOLD=LABEL, or leave such documents out with --drop-unmapped");
            }
            if (kept == 0) {
                throw CliException.usage(in + " has no documents to evaluate");
            }
            return new GoldCount(kept, skipped, dropped);
        }
    }
}
