package dev.triage.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.triage.pool.PoolSaturatedException;

/** Admission counts work and memory across requests, refuses the excess with the bound named, gives back. */
class AdmissionTest {

    @Test
    void workIsEstimatedFromCharactersCappedByWhatTheModelReads() {
        Admission.Work shortText = Admission.Work.of(List.of("a".repeat(300)), 256, 1, 0);
        assertEquals(102, shortText.tokens());
        Admission.Work longText = Admission.Work.of(List.of("a".repeat(100_000)), 256, 1, 0);
        assertEquals(256, longText.tokens(), "truncation: the model reads 256 tokens at most");
        Admission.Work chunked = Admission.Work.of(List.of("a".repeat(100_000)), 256, 32, 0);
        assertEquals(8192, chunked.tokens());
        assertEquals(32, chunked.sequences());
        assertTrue(longText.bytes() >= 200_000, "the text itself is held: " + longText.bytes());
    }

    @Test
    void fewShotExamplesCountAsWork() {
        List<String> examples = Collections.nCopies(100 * 64, "an example sentence of about sixty characters, as people write");
        Admission.Work work = Admission.Work.of(examples, 256, 1, 2048);
        assertEquals(6400, work.sequences());
        assertTrue(work.tokens() > 100_000, "64 examples x 100 labels: " + work.tokens());
    }

    @Test
    void theExcessIsRefusedNamingTheBoundAndCapacityComesBack() {
        Admission admission = new Admission(1000, 1 << 30, tokens -> (int) (tokens / 100));
        Admission.Work big = new Admission.Work(4, 800, 1000);
        Admission.Ticket first = admission.admit(big);
        PoolSaturatedException refused = assertThrows(PoolSaturatedException.class,
                () -> admission.admit(big));
        assertEquals("work", refused.reason());
        assertTrue(refused.getMessage().contains("triage.admission.max-work-tokens"), refused.getMessage());
        assertEquals(8, refused.retryAfterSeconds());
        Admission.Ticket small = admission.admit(new Admission.Work(1, 200, 10));
        first.close();
        first.close(); // given back once only
        assertEquals(200, admission.admittedTokens());
        admission.admit(big).close();
        small.close();
        assertEquals(0, admission.admittedTokens());
    }

    @Test
    void smallRequestsHaveAReserveBesideAFullBatchButBigOnesDoNot() {
        Admission admission = new Admission(1600, 1 << 30, tokens -> 1);
        try (Admission.Ticket full = admission.admit(new Admission.Work(2048, 1600, 1000))) {
            List<Admission.Ticket> small = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                small.add(admission.admit(new Admission.Work(1, 100, 10))); // 1/16 of the bound each
            }
            assertEquals(2000, admission.admittedTokens(), "the reserve is a quarter of the bound");
            assertEquals("work", assertThrows(PoolSaturatedException.class,
                    () -> admission.admit(new Admission.Work(1, 100, 10))).reason(), "the reserve is bounded too");
            small.forEach(Admission.Ticket::close);
            assertThrows(PoolSaturatedException.class, () -> admission.admit(new Admission.Work(2, 101, 10)),
                    "more than 1/16 of the bound is not small: no reserve");
        }
    }

    @Test
    void memoryIsBoundedAcrossRequestsButARequestAloneIsAlwaysAdmitted() {
        Admission admission = new Admission(Long.MAX_VALUE, 10 << 20, tokens -> 1);
        Admission.Work large = new Admission.Work(1, 1, 12 << 20);
        try (Admission.Ticket alone = admission.admit(large)) {
            PoolSaturatedException refused = assertThrows(PoolSaturatedException.class,
                    () -> admission.admit(new Admission.Work(1, 1, 1 << 20)));
            assertEquals("memory", refused.reason());
            assertTrue(refused.getMessage().contains("triage.admission.max-bytes"), refused.getMessage());
            assertEquals(1, refused.retryAfterSeconds());
        }
        assertEquals(0, admission.admittedBytes());
    }
}
