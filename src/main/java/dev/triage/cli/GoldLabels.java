package dev.triage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How {@code triage eval} matches a file's gold labels to the candidate labels: each candidate stands for itself,
 * {@code --label-map} adds more, and every gold label in the file must have a candidate before any inference runs
 * (or its documents are dropped, with {@code --drop-unmapped}).
 */
final class GoldLabels {

    /** The documents a first pass over the input found: to evaluate, bad lines skipped, unmapped dropped. */
    record Census(long kept, long skipped, long dropped) {
    }

    /** Gold labels that map to no candidate: how many documents carry each, and the first line. */
    private record Unmapped(long firstLine, long docs) {
    }

    private final List<String> labelNames;
    private final Map<String, Integer> goldToIndex;

    GoldLabels(List<String> labelNames, Map<String, String> labelMap) {
        this.labelNames = labelNames;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labelNames.size(); i++) {
            index.put(labelNames.get(i), i);
        }
        goldToIndex = new HashMap<>(index);
        for (Map.Entry<String, String> entry : labelMap.entrySet()) {
            String from = entry.getKey().trim();
            String to = entry.getValue().trim();
            if (from.isEmpty()) {
                throw CliException.usage("--label-map: empty gold label in '" + entry.getKey() + "=" + entry.getValue()
                        + "'");
            }
            Integer target = index.get(to);
            if (target == null) {
                throw CliException.usage("--label-map: '" + to + "' (for gold label '" + from
                        + "') is not one of the labels " + labelNames);
            }
            goldToIndex.put(from, target);
        }
    }

    /** The index of the candidate a gold label maps to, or null. */
    Integer index(String gold) {
        return goldToIndex.get(gold);
    }

    /** A first pass over the input (while the model loads); refuses unmapped gold labels unless dropped. */
    Census census(Path in, DocSource.OnBadLine onBadLine, boolean dropUnmapped, Consumer<String> warn) {
        long kept = 0;
        long skipped;
        Map<String, Unmapped> unmapped = new LinkedHashMap<>();
        try (DocSource source = new DocSource(in, true, onBadLine, warn)) {
            for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                if (goldToIndex.containsKey(doc.label())) {
                    kept++;
                } else {
                    unmapped.merge(doc.label(), new Unmapped(doc.line(), 1),
                            (a, b) -> new Unmapped(a.firstLine(), a.docs() + 1));
                }
            }
            skipped = source.skipped();
        }
        if (!unmapped.isEmpty() && !dropUnmapped) {
            throw CliException.usage(unmappedMessage(unmapped));
        }
        if (kept == 0) {
            throw CliException.usage(in + " has no documents to evaluate");
        }
        return new Census(kept, skipped, unmapped.values().stream().mapToLong(Unmapped::docs).sum());
    }

    private String unmappedMessage(Map<String, Unmapped> unmapped) {
        List<String> named = new ArrayList<>();
        unmapped.forEach((gold, u) -> named.add(String.format(Locale.ROOT, "'%s' (%d docs, first on line %d)",
                gold, u.docs(), u.firstLine())));
        return "gold label" + (unmapped.size() > 1 ? "s " : " ")
                + String.join(", ", named.subList(0, Math.min(10, named.size())))
                + (named.size() > 10 ? " and " + (named.size() - 10) + " more" : "")
                + (unmapped.size() > 1 ? " are" : " is") + " not among the labels " + labelNames
                + "; map with --label-map GOLD=LABEL, or leave such documents out with --drop-unmapped";
    }
}
