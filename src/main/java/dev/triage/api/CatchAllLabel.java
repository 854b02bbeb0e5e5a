package dev.triage.api;

import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.scoring.LabelSpec;
import dev.triage.service.TriageException;

/**
 * The request binding of a catch-all label, {@code {"name": "other", "none": true, "threshold": 0.4}}: the label
 * that wins when none of the others matches. The threshold (optional) is what {@code triage calibrate} prints.
 * What a catch-all may be (one at most, examples but no description) is checked with every other label rule in
 * {@link dev.triage.service.RequestRules}.
 */
final class CatchAllLabel {

    private CatchAllLabel() {
    }

    /**
     * @param none the label's raw "none" member, {@code threshold} its raw "threshold" (null: absent)
     * @param field the label's position, e.g. {@code labels[2]}, for error messages
     * @param bound the label as bound so far (name, description, examples)
     */
    static LabelSpec bind(JsonNode none, JsonNode threshold, String field, LabelSpec bound) {
        if (none == null || !none.isBoolean()) {
            throw TriageException.badInput(field + ".none", none == null
                    ? "'threshold' is only for the catch-all label; add \"none\": true"
                    : "must be true or false, not " + JsonKind.of(none));
        }
        if (!none.booleanValue()) {
            if (threshold != null) {
                throw TriageException.badInput(field + ".threshold",
                        "is only for the catch-all label (\"none\": true)");
            }
            return bound;
        }
        OptionalDouble cut = OptionalDouble.empty();
        if (threshold != null && !threshold.isNull()) {
            if (!threshold.isNumber()) {
                throw TriageException.badInput(field + ".threshold",
                        "must be a number, not " + JsonKind.of(threshold));
            }
            cut = OptionalDouble.of(threshold.doubleValue());
        }
        return new LabelSpec(bound.name(), bound.description(), bound.examples(), true, cut);
    }
}
