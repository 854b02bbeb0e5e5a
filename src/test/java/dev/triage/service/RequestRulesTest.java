package dev.triage.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;

/** The request rules every front end shares, without a model. */
class RequestRulesTest {

    private final RequestRules rules = new RequestRules(new TestLimits(3, 2, 10, 5, 2, 4));

    private static void rejects(String field, String says, Executable call) {
        TriageException e = assertThrows(TriageException.class, call);
        assertEquals(TriageException.Kind.BAD_INPUT, e.kind());
        assertEquals(Optional.of(field), e.field());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    private static ClassificationRequest request(List<String> texts, List<String> labels, String template) {
        return ClassificationRequest.of(texts, labels, Optional.ofNullable(template), false);
    }

    @Test
    void textsNeedOneAndAtMostMaxTexts() {
        rules.check(request(List.of("a", "b", "c"), List.of("x"), null));
        rejects("texts", "is empty", () -> rules.check(request(List.of(), List.of("x"), null)));
        rejects("texts", "has 4 items; the limit is 3", () -> rules.check(request(List.of("a", "b", "c", "d"),
                List.of("x"), null)));
    }

    @Test
    void aCatchAllIsOneAtMostNeverAloneWithExamplesButNoDescriptionAndAFiniteThreshold() {
        LabelSpec other = LabelSpec.catchAll("other", OptionalDouble.empty());
        rules.labels(List.of(LabelSpec.plain("a"), other));
        rules.labels(List.of(LabelSpec.plain("a"), LabelSpec.catchAll("other", OptionalDouble.empty(), List.of("x"))));
        rejects("labels", "only one label can be the catch-all", () -> rules.labels(List.of(other,
                LabelSpec.catchAll("rest", OptionalDouble.of(0.3)))));
        rejects("labels", "needs at least one other label", () -> rules.labels(List.of(other)));
        rejects("labels[1].description", "takes no description", () -> rules.labels(List.of(LabelSpec.plain("a"),
                new LabelSpec("other", Optional.of("x"), List.of(), true, OptionalDouble.empty()))));
        rejects("labels[1].examples", "has 3 items; the limit is 2", () -> rules.labels(List.of(LabelSpec.plain("a"),
                LabelSpec.catchAll("other", OptionalDouble.empty(), List.of("x", "y", "z")))));
        rejects("labels[1].threshold", "must be a finite number", () -> rules.labels(List.of(LabelSpec.plain("a"),
                LabelSpec.catchAll("other", OptionalDouble.of(Double.NaN)))));
    }

    @Test
    void labelsAreNamedDistinctAndWithinLimits() {
        rejects("labels", "is empty", () -> rules.labels(List.of()));
        rejects("labels", "has 3 items; the limit is 2", () -> rules.labels(plain("a", "b", "c")));
        rejects("labels[1]", "is blank", () -> rules.labels(plain("a", " ")));
        rejects("labels[0]", "has 11 characters; the limit is 10", () -> rules.labels(plain("abcdefghijk")));
        rejects("labels[0]", "unpaired UTF-16 surrogate", () -> rules.labels(plain("a\ud800")));
        rejects("labels", "label 'a' appears twice", () -> rules.labels(plain("a", "a")));
    }

    @Test
    void fewShotLabelsKeepTheirExamplesAndDescriptionsWithinLimits() {
        LabelSpec ok = new LabelSpec("a", Optional.of("about a"), List.of("one", "two"));
        rules.labels(List.of(ok));
        rejects("labels[0].examples", "has 3 items; the limit is 2", () -> rules.labels(List.of(
                new LabelSpec("a", Optional.empty(), List.of("1", "2", "3")))));
        rejects("labels[0].examples[1]", "is blank", () -> rules.labels(List.of(
                new LabelSpec("a", Optional.empty(), List.of("1", "")))));
        rejects("labels[0].description", "non-blank", () -> rules.labels(List.of(
                new LabelSpec("a", Optional.of(" "), List.of()))));
        rejects("labels[0].description", "unpaired UTF-16 surrogate", () -> rules.labels(List.of(
                new LabelSpec("a", Optional.of("x\udc00"), List.of()))));
    }

    @Test
    void aTemplateHasThePlaceholderAndIsASentence() {
        RequestRules.templates(List.of("This is about {}."));
        rejects("hypothesisTemplate", "must contain {}", () -> RequestRules.templates(List.of("no placeholder")));
        rejects("hypothesisTemplate", "the limit is 1000",
                () -> RequestRules.templates(List.of("{}" + "x".repeat(RequestRules.MAX_TEMPLATE_CHARS))));
        rejects("hypothesisTemplate", "unpaired", () -> RequestRules.templates(List.of("{} \ud800")));
    }

    @Test
    void anEnsembleHoldsDistinctWellFormedTemplatesUpToTheLimit() {
        RequestRules.templates(List.of());
        RequestRules.templates(List.of("A post about {}.", "This is a discussion of {}."));
        rejects("hypothesisTemplate", "must contain {}", () -> RequestRules.templates(List.of("no placeholder")));
        rejects("hypothesisTemplates[1]", "must contain {}",
                () -> RequestRules.templates(List.of("About {}.", "no placeholder")));
        rejects("hypothesisTemplates", "appears twice", () -> RequestRules.templates(List.of("{}.", "{}.")));
        List<String> many = java.util.stream.IntStream.rangeClosed(0, RequestRules.MAX_TEMPLATES)
                .mapToObj(i -> "Template " + i + " about {}.").toList();
        rejects("hypothesisTemplates", "the limit is " + RequestRules.MAX_TEMPLATES,
                () -> RequestRules.templates(many));
    }

    @Test
    void nliPairsAreTextsTimesLabels() {
        rules.pairs(2, 2);
        rejects("texts", "3 texts x 2 labels = 6 NLI pairs; the limit is 4", () -> rules.pairs(3, 2));
    }

    @Test
    void textsDescriptionsAndExamplesAreCutToMaxTextChars() {
        ClassificationRequest cut = rules.cut(new ClassificationRequest(List.of("abcdefgh", "ab"),
                List.of(new LabelSpec("a", Optional.of("123456"), List.of("zyxwvu"))), List.of(), false,
                LongText.TRUNCATE));
        assertEquals(List.of("abcde", "ab"), cut.texts());
        assertEquals(Optional.of("12345"), cut.labels().get(0).description());
        assertEquals(List.of("zyxwv"), cut.labels().get(0).examples());
        LabelSpec none = rules.cut(new ClassificationRequest(List.of("x"), List.of(LabelSpec.plain("a"),
                LabelSpec.catchAll("other", OptionalDouble.of(0.3), List.of("abcdefg"))), List.of(), false,
                LongText.TRUNCATE)).labels().get(1);
        assertEquals(LabelSpec.catchAll("other", OptionalDouble.of(0.3), List.of("abcde")), none,
                "a cut catch-all stays the catch-all, with its threshold");
    }

    @Test
    void wellFormedMeansNoLoneSurrogateHalf() {
        assertTrue(RequestRules.wellFormed("plain \ud83d\ude00 emoji"));
        assertEquals(false, RequestRules.wellFormed("\ude00 low first"));
        assertEquals(false, RequestRules.wellFormed("high last \ud83d"));
    }

    private static List<LabelSpec> plain(String... names) {
        return Arrays.stream(names).map(LabelSpec::plain).toList();
    }
}
