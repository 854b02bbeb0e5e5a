package dev.triage.model;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where entailment and contradiction sit in an NLI model's logits, found the way
 * transformers' ZeroShotClassificationPipeline finds them.
 */
public record NliLabels(int count, int entailment, int contradiction) {

    public NliLabels {
        if (count < 2) {
            throw new ModelException("an NLI model needs at least 2 logits, it has " + count);
        }
        if (entailment < 0 || entailment >= count || contradiction < 0 || contradiction >= count) {
            throw new ModelException("entailment id " + entailment + " / contradiction id " + contradiction
                    + " outside the " + count + " logits");
        }
    }

    /** The first label2id entry whose lower-cased name starts with "entail", else id2label's, else none. */
    static Optional<Integer> entailmentId(Optional<JsonNode> config) {
        return config.flatMap(c -> c.path("label2id").properties().stream()
                .filter(entry -> isEntailment(entry.getKey())).map(entry -> entry.getValue().asInt()).findFirst()
                .or(() -> id2label(c).entrySet().stream()
                        .filter(entry -> isEntailment(entry.getValue())).map(Map.Entry::getKey).findFirst()));
    }

    private static boolean isEntailment(String label) {
        return label.toLowerCase(Locale.ROOT).startsWith("entail");
    }

    /**
     * Resolves the ids for a model with {@code logits} outputs. Without any entailment label HF uses the last
     * column; Triage does too, loudly, but only when the user said the model is NLI.
     */
    static NliLabels resolve(Path file, Optional<JsonNode> config, int logits) {
        Path configFile = file.resolveSibling("config.json");
        Map<Integer, String> id2label = config.map(NliLabels::id2label).orElse(Map.of());
        if (!id2label.isEmpty() && logits > 0 && id2label.size() != logits) {
            throw new ModelException(configFile + ": id2label has " + id2label.size() + " labels but " + file
                    + " outputs " + logits + " logits");
        }
        Optional<Integer> entailment = entailmentId(config);
        if (entailment.isEmpty()) {
            Logger.getLogger(NliLabels.class).warnf("%s: no label starting with 'entail' in config.json; using the "
                    + "last logit as entailment, as transformers does", configFile);
        }
        int count = logits > 0 ? logits : id2label.size();
        if (count <= 0) {
            throw new ModelException(file + ": the number of logits is symbolic and " + configFile
                    + " has no id2label to tell it");
        }
        int entail = entailment.orElse(count - 1);
        // HF: contradiction = 0 unless entailment is 0, then the last column.
        return new NliLabels(count, entail, entail == 0 ? count - 1 : 0);
    }

    private static Map<Integer, String> id2label(JsonNode config) {
        Map<Integer, String> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : config.path("id2label").properties()) {
            try {
                labels.put(Integer.parseInt(entry.getKey()), entry.getValue().asText());
            } catch (NumberFormatException e) {
                throw new ModelException("config.json id2label key '" + entry.getKey() + "' is not a number");
            }
        }
        return labels;
    }
}
