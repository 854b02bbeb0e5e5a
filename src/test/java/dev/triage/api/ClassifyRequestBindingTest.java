package dev.triage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.TestLimits;
import dev.triage.service.TriageException;

/** How a JSON body becomes a request, without booting the application. */
class ClassifyRequestBindingTest {

    private static ClassificationRequest bind(String json) throws Exception {
        JsonNode body = StrictJson.MAPPER.readTree(json);
        return ClassifyRequest.from(body, new TestLimits(3, 2, 10, 100, 2, 100));
    }

    private static void rejects(String json, String field, String says) {
        TriageException e = assertThrows(TriageException.class, () -> bind(json));
        assertEquals(400, ErrorReplies.status(e.kind()));
        assertEquals(Optional.ofNullable(field), e.field());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void ownNamesAndHuggingFaceNamesBindAlike() throws Exception {
        ClassificationRequest own = bind("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"hypothesisTemplate\":\"{}!\","
                + "\"multiLabel\":true,\"longText\":\"chunk\"}");
        ClassificationRequest hf = bind("{\"texts\":[\"t\"],\"candidate_labels\":[\"a\"],"
                + "\"hypothesis_template\":\"{}!\",\"multi_label\":true,\"longText\":\"chunk\"}");
        assertEquals(own, hf);
        assertEquals(List.of("{}!"), own.hypothesisTemplates());
        assertEquals(LongText.CHUNK, own.longText());
    }

    @Test
    void anEnsembleOfTemplatesBindsUnderEitherNameAndNotBesideOneTemplate() throws Exception {
        ClassificationRequest own = bind("{\"texts\":[\"t\"],\"labels\":[\"a\"],"
                + "\"hypothesisTemplates\":[\"About {}.\",\"A post about {}.\"]}");
        assertEquals(List.of("About {}.", "A post about {}."), own.hypothesisTemplates());
        assertEquals(own, bind("{\"texts\":[\"t\"],\"labels\":[\"a\"],"
                + "\"hypothesis_templates\":[\"About {}.\",\"A post about {}.\"]}"));
        assertEquals(List.of(), bind("{\"texts\":[\"t\"],\"labels\":[\"a\"]}").hypothesisTemplates());
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"hypothesisTemplate\":\"{}\",\"hypothesisTemplates\":[\"{}!\"]}",
                "hypothesisTemplates", "not both");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"hypothesisTemplates\":[]}", "hypothesisTemplates",
                "is empty");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"hypothesisTemplates\":\"{}\"}", "hypothesisTemplates",
                "must be an array of strings");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"hypothesisTemplates\":[\"{}\",\"none\"]}",
                "hypothesisTemplates[1]", "must contain {}");
    }

    @Test
    void aFieldAndItsAliasTogetherAreRefused() {
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"candidate_labels\":[\"b\"]}", "candidate_labels",
                "same field");
    }

    @Test
    void unknownFieldsAreRefused() {
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"multilabel\":true}", "multilabel", "unknown field");
        rejects("{\"texts\":[\"t\"],\"labels\":[{\"name\":\"a\",\"colour\":1}]}", "labels[0].colour",
                "unknown field");
    }

    @Test
    void labelObjectsCarryDescriptionAndExamples() throws Exception {
        ClassificationRequest r = bind("{\"texts\":[\"t\"],\"labels\":[\"a\",{\"name\":\"b\",\"description\":\"d\","
                + "\"examples\":[\"e1\",\"e2\"]}]}");
        assertEquals("b", r.labels().get(1).name());
        assertEquals(Optional.of("d"), r.labels().get(1).description());
        assertEquals(List.of("e1", "e2"), r.labels().get(1).examples());
    }

    @Test
    void wrongShapesNameTheirField() {
        rejects("[1]", null, "must be a JSON object");
        rejects("{\"texts\":\"t\",\"labels\":[\"a\"]}", "texts", "array");
        rejects("{\"texts\":[\"t\",1],\"labels\":[\"a\"]}", "texts[1]", "must be a string");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"multiLabel\":\"yes\"}", "multiLabel", "true or false");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"longText\":\"cut\"}", "longText", "truncate");
        rejects("{\"texts\":[\"t\"],\"labels\":[{\"description\":\"d\"}]}", "labels[0].name", "needs a \"name\"");
    }

    @Test
    void countsOverTheLimitsAreRefused() {
        rejects("{\"texts\":[\"1\",\"2\",\"3\",\"4\"],\"labels\":[\"a\"]}", "texts", "the limit is 3");
        rejects("{\"texts\":[\"t\"],\"labels\":[\"a\",\"b\",\"c\"]}", "labels", "the limit is 2");
        rejects("{\"texts\":[\"t\"],\"labels\":[{\"name\":\"a\",\"examples\":[\"1\",\"2\",\"3\"]}]}",
                "labels[0].examples", "the limit is 2");
    }

    @Test
    void theStrictMapperRefusesDuplicateKeysAndTrailingValues() {
        Exception duplicate = assertThrows(Exception.class,
                () -> bind("{\"texts\":[\"t\"],\"labels\":[\"a\"],\"texts\":[\"u\"]}"));
        assertTrue(duplicate.getMessage().contains("Duplicate field 'texts'"), duplicate.getMessage());
        assertThrows(Exception.class, () -> bind("{\"texts\":[\"t\"],\"labels\":[\"a\"]} {}"));
    }
}
