package dev.triage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.triage.service.TestLimits;
import dev.triage.service.TriageException;

/** Item counts are enforced while the body streams by, before a tree exists. */
class BodyScanTest {

    private static final TestLimits LIMITS = new TestLimits(3, 2, 10, 100, 2, 100);

    private static void scan(String json, String root) {
        BodyScan.check(json.getBytes(StandardCharsets.UTF_8), root, LIMITS);
    }

    private static void rejects(String json, String root, String field, String says) {
        TriageException e = assertThrows(TriageException.class, () -> scan(json, root));
        assertEquals(Optional.ofNullable(field), e.field());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void withinTheLimitsPasses() {
        scan("{\"texts\":[\"a\",\"b\",\"c\"],\"labels\":[\"x\",{\"name\":\"y\",\"examples\":[\"1\",\"2\"]}]}", "");
    }

    @Test
    void textsFailAtTheFirstItemPastTheLimitWhateverItIs() {
        rejects("{\"texts\":[\"a\",\"b\",\"c\",\"d\"]}", "", "texts", "the limit is 3");
        rejects("{\"texts\":[[],[],[],[]]}", "", "texts", "the limit is 3");
    }

    @Test
    void labelsAndTheirAliasAndExamplesAreCounted() {
        rejects("{\"labels\":[\"a\",\"b\",\"c\"]}", "", "labels", "the limit is 2");
        rejects("{\"candidate_labels\":[\"a\",\"b\",\"c\"]}", "", "labels", "the limit is 2");
        rejects("{\"labels\":[{\"name\":\"a\",\"examples\":[\"1\",\"2\",\"3\"]}]}", "", "labels[0].examples",
                "the limit is 2");
    }

    @Test
    void aStructuredEventsDataIsScannedUnderItsRoot() {
        rejects("{\"id\":\"1\",\"data\":{\"texts\":[\"a\",\"b\",\"c\",\"d\"]}}", "data", "texts", "the limit is 3");
        scan("{\"id\":\"1\",\"texts\":[\"a\",\"b\",\"c\",\"d\"],\"data\":{}}", "data");
    }

    @Test
    void millionsOfTinyValuesAnywhereAreRefusedByTheTotal() {
        rejects("{\"other\":[" + "[],".repeat(10_000) + "[]]}", "", null, "JSON values");
    }

    @Test
    void anEmbeddingRequestsInputsAreCountedWhateverTheirItemsAre() {
        TriageException e = assertThrows(TriageException.class, () -> EmbedInputs.scan(
                "{\"inputs\":[{\"a\":1},\"b\",\"c\",\"d\"]}".getBytes(StandardCharsets.UTF_8), "inputs", 3));
        assertEquals(TriageException.Kind.TOO_LARGE, e.kind());
        assertEquals(Optional.of("inputs"), e.field());
        EmbedInputs.scan("{\"inputs\":[\"a\"],\"x\":{\"inputs\":[\"a\",\"b\",\"c\",\"d\"]}}"
                .getBytes(StandardCharsets.UTF_8), "inputs", 3);
    }

    @Test
    void malformedJsonIsLeftToTheBinder() {
        scan("{\"texts\":[\"a\",", "");
        scan("{\"texts\":1,\"texts\":2}", "");
    }
}
