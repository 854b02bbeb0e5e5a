package dev.triage.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Option;

/** --label-map: gold labels of a labelled file to candidate labels, for {@code eval} and {@code calibrate}. */
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
}
