package dev.triage.scoring;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.triage.model.Sha256;

/**
 * The texts a label's vector is made of, by the key their vectors are cached under: its hypotheses (one per
 * template), its description and its examples (by content hash, as examples are long and repeat across requests).
 */
final class LabelParts {

    private LabelParts() {
    }

    static Map<String, String> of(LabelSpec label, ClassifyCommand command) {
        Map<String, String> parts = new LinkedHashMap<>();
        command.hypotheses(label.name()).forEach(hypothesis -> parts.put("h:" + hypothesis, hypothesis));
        label.description().ifPresent(d -> parts.put("d:" + d, d));
        parts.putAll(examples(label));
        return parts;
    }

    static Map<String, String> examples(LabelSpec label) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String example : label.examples()) {
            parts.put("e:" + Sha256.hex(example), example);
        }
        return parts;
    }

    static boolean isExample(Map.Entry<String, String> part) {
        return part.getKey().startsWith("e:");
    }

    static boolean isDescription(Map.Entry<String, String> part) {
        return part.getKey().startsWith("d:");
    }
}
