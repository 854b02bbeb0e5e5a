package dev.triage.api;

import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.scoring.LabelSpec;

/**
 * The request binding of a catch-all label, {@code {"name": "other", "none": true, "threshold": 0.4}}: the label
 * that wins when none of the others matches. Its score is derived from the real labels, so it takes no
 * description or examples; the threshold (optional) is what {@code triage calibrate} prints.
 */
final class CatchAllLabel {

    private CatchAllLabel() {
    }

    /** @param field the label's position, e.g. {@code labels[2]}, for error messages */
    static LabelSpec bind(JsonNode item, String field, String name, boolean fewShot) {
        JsonNode none = item.get("none");
        if (none == null || !none.isBoolean()) {
            throw ApiException.badRequest(field + ".none", none == null
                    ? "'threshold' is only for the catch-all label; add \"none\": true"
                    : "must be true or false, not " + ClassifyRequest.kind(none));
        }
        if (!none.booleanValue()) {
            if (item.has("threshold")) {
                throw ApiException.badRequest(field + ".threshold", "is only for the catch-all label (\"none\": true)");
            }
            return new LabelSpec(name, java.util.Optional.empty(), List.of());
        }
        if (fewShot) {
            throw ApiException.badRequest(field, "the catch-all label (\"none\": true) takes no description or "
                    + "examples: its score comes from how well the other labels match");
        }
        OptionalDouble threshold = OptionalDouble.empty();
        JsonNode t = item.get("threshold");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || !Double.isFinite(t.doubleValue())) {
                throw ApiException.badRequest(field + ".threshold", "must be a number, not " + ClassifyRequest.kind(t));
            }
            threshold = OptionalDouble.of(t.doubleValue());
        }
        return LabelSpec.catchAll(name, threshold);
    }

    /** One catch-all at most, and at least one label that is not. */
    static void checkSet(List<LabelSpec> labels) {
        long catchAlls = labels.stream().filter(LabelSpec::none).count();
        if (catchAlls > 1) {
            throw ApiException.badRequest("labels", "only one label can be the catch-all (\"none\": true), not "
                    + catchAlls);
        }
        if (catchAlls == labels.size()) {
            throw ApiException.badRequest("labels", "the catch-all label needs at least one other label to stand "
                    + "against");
        }
    }
}
