package dev.triage.scoring;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A candidate label: its name, and optionally a description and a few example texts (few-shot). Embedding
 * models build the label's vector from all three; NLI models use the name only. A catch-all label
 * ({@code none}) means "none of the others": its name is never embedded, its score comes from how strongly the
 * real labels match ({@link CatchAll}), with an optional threshold of its own in place of the model's default;
 * its examples (texts that are none of the others) sharpen what sets the few-shot labels' examples apart.
 */
public record LabelSpec(String name, Optional<String> description, List<String> examples, boolean none,
        OptionalDouble threshold) {

    public LabelSpec(String name, Optional<String> description, List<String> examples) {
        this(name, description, examples, false, OptionalDouble.empty());
    }

    public static LabelSpec plain(String name) {
        return new LabelSpec(name, Optional.empty(), List.of());
    }

    /** The catch-all label "none of the others", scored at the model's default threshold unless one is given. */
    public static LabelSpec catchAll(String name, OptionalDouble threshold) {
        return catchAll(name, threshold, List.of());
    }

    /** @param examples texts that are none of the other labels (embedding models; NLI models ignore them) */
    public static LabelSpec catchAll(String name, OptionalDouble threshold, List<String> examples) {
        return new LabelSpec(name, Optional.empty(), examples, true, threshold);
    }

    public boolean fewShot() {
        return description.isPresent() || !examples.isEmpty();
    }
}
