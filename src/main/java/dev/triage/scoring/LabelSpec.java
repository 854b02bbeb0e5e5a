package dev.triage.scoring;

import java.util.List;
import java.util.Optional;

/**
 * A candidate label: its name, and optionally a description and a few example texts (few-shot). Embedding
 * models build the label's vector from all three; NLI models use the name only.
 */
public record LabelSpec(String name, Optional<String> description, List<String> examples) {

    public static LabelSpec plain(String name) {
        return new LabelSpec(name, Optional.empty(), List.of());
    }

    public boolean fewShot() {
        return description.isPresent() || !examples.isEmpty();
    }
}
