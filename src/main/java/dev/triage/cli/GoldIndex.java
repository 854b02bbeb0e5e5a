package dev.triage.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gold labels of a labelled file to candidate labels, for {@code eval} and {@code calibrate}. */
final class GoldIndex {

    private GoldIndex() {
    }

    /** Gold label to the index of its candidate label: mapped ones, and candidates standing for themselves. */
    static Map<String, Integer> of(List<String> labelNames, Map<String, String> labelMap) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labelNames.size(); i++) {
            index.put(labelNames.get(i), i);
        }
        Map<String, Integer> gold = new HashMap<>(index);
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
            gold.put(from, target);
        }
        return gold;
    }
}
