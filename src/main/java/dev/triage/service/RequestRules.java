package dev.triage.service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.LabelSpec;

/**
 * The rules every request obeys, whoever sends it: limits, label and template rules. Each failure is a
 * {@link TriageException.Kind#BAD_INPUT} naming the request field (as HTTP names it; the CLI maps it to its
 * option). Pure: no model needed, so the command line checks its options before loading one.
 */
public final class RequestRules {

    /**
     * Characters of a hypothesis template: a sentence, copied once per label (each copy embedded, or paired with
     * every text), so a huge one would cost memory out of all proportion to the body.
     */
    public static final int MAX_TEMPLATE_CHARS = 1000;
    /** Templates of one ensemble: each multiplies the label (and catch-all background) vectors to embed. */
    public static final int MAX_TEMPLATES = 16;
    public static final String UNPAIRED_SURROGATE =
            "contains an unpaired UTF-16 surrogate (e.g. \\ud800 alone), which is not a character";

    private final TriageConfig.Limits limits;

    public RequestRules(TriageConfig.Limits limits) {
        this.limits = limits;
    }

    /** Every rule that does not depend on the model. */
    public void check(ClassificationRequest request) {
        count("texts", request.texts().size(), limits.maxTexts());
        labels(request.labels());
        templates(request.hypothesisTemplates());
    }

    /**
     * An ensemble: at most {@value #MAX_TEMPLATES} distinct templates, each well formed (named as
     * {@code hypothesisTemplates[i]}); one template is named {@code hypothesisTemplate}, as a request gives it.
     */
    public static void templates(List<String> templates) {
        if (templates.size() == 1) {
            template("hypothesisTemplate", templates.get(0));
            return;
        }
        count("hypothesisTemplates", templates.size(), MAX_TEMPLATES, templates.isEmpty());
        for (int i = 0; i < templates.size(); i++) {
            template("hypothesisTemplates[" + i + "]", templates.get(i));
        }
        if (new HashSet<>(templates).size() < templates.size()) {
            throw TriageException.badInput("hypothesisTemplates", "a template appears twice");
        }
    }

    /** Labels: at least one, at most max-labels, named, distinct; few-shot parts within limits; catch-all rules. */
    public void labels(List<LabelSpec> labels) {
        count("labels", labels.size(), limits.maxLabels());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            LabelSpec label = labels.get(i);
            String field = "labels[" + i + "]";
            name(field, label.name(), limits.maxLabelChars());
            label.description().ifPresent(d -> description(field + ".description", d));
            count(field + ".examples", label.examples().size(), limits.maxExamples(), label.examples().isEmpty());
            for (int e = 0; e < label.examples().size(); e++) {
                name(field + ".examples[" + e + "]", label.examples().get(e), Integer.MAX_VALUE);
            }
        }
        for (LabelSpec label : labels) {
            if (!seen.add(label.name())) {
                throw TriageException.badInput("labels", "label '" + label.name() + "' appears twice");
            }
        }
        catchAll(labels);
    }

    /**
     * One catch-all at most, with no description (examples are texts that are none of the others), a finite
     * threshold, and a real label to stand against.
     */
    private static void catchAll(List<LabelSpec> labels) {
        long catchAlls = labels.stream().filter(LabelSpec::none).count();
        for (int i = 0; i < labels.size(); i++) {
            LabelSpec label = labels.get(i);
            if (label.none() && label.description().isPresent()) {
                throw TriageException.badInput("labels[" + i + "].description", "the catch-all label (\"none\": "
                        + "true) takes no description: its score comes from how well the other labels match (its "
                        + "examples, texts that are none of them, may be given)");
            }
            if (label.threshold().isPresent() && !Double.isFinite(label.threshold().getAsDouble())) {
                throw TriageException.badInput("labels[" + i + "].threshold", "must be a finite number");
            }
        }
        if (catchAlls > 1) {
            throw TriageException.badInput("labels", "only one label can be the catch-all (\"none\": true), not "
                    + catchAlls);
        }
        if (catchAlls > 0 && catchAlls == labels.size()) {
            throw TriageException.badInput("labels", "the catch-all label needs at least one other label to stand "
                    + "against");
        }
    }

    /** A template is a sentence with {@code {}} where the label goes. */
    private static void template(String field, String template) {
        chars(field, template, MAX_TEMPLATE_CHARS);
        if (!template.contains("{}")) {
            throw TriageException.badInput(field,
                    "must contain {} where the label goes, e.g. \"This example is about {}.\"");
        }
    }

    /** NLI models run one model input per (text, label) pair. */
    public void pairs(int texts, int labels) {
        long pairs = (long) texts * labels;
        if (pairs > limits.maxPairs()) {
            throw TriageException.badInput("texts", texts + " texts x " + labels + " labels = " + pairs
                    + " NLI pairs; the limit is " + limits.maxPairs());
        }
    }

    /** Characters past max-text-chars are dropped before tokenizing (the model reads max-length tokens anyway). */
    public String cut(String text) {
        return text.length() > limits.maxTextChars() ? text.substring(0, limits.maxTextChars()) : text;
    }

    /** The request with every text, description and example cut. */
    ClassificationRequest cut(ClassificationRequest request) {
        List<LabelSpec> labels = request.labels().stream().map(l -> l.fewShot()
                ? new LabelSpec(l.name(), l.description().map(this::cut), l.examples().stream().map(this::cut).toList(),
                        l.none(), l.threshold())
                : l).toList();
        return new ClassificationRequest(request.texts().stream().map(this::cut).toList(), labels,
                request.hypothesisTemplates(), request.multiLabel(), request.longText());
    }

    /** An item count: at least one, at most {@code max}. */
    public static void count(String field, int size, int max) {
        count(field, size, max, false);
    }

    private static void count(String field, int size, int max, boolean emptyAllowed) {
        if (size == 0 && !emptyAllowed) {
            throw TriageException.badInput(field, "'" + field + "' is empty; give at least one");
        }
        if (size > max) {
            throw TriageException.badInput(field, "'" + field + "' has " + size + " items; the limit is " + max
                    + " per request (split the batch)");
        }
    }

    /** A name (label or example): non-blank, at most {@code maxChars}, no lone surrogate. */
    private static void name(String field, String value, int maxChars) {
        if (value.isBlank()) {
            throw TriageException.badInput(field, "is blank");
        }
        chars(field, value, maxChars);
    }

    private static void description(String field, String value) {
        if (value.isBlank()) {
            throw TriageException.badInput(field, "must be a non-blank string");
        }
        chars(field, value, Integer.MAX_VALUE);
    }

    /** At most {@code maxChars}, well formed (label names come back in the reply, where a lone half is '?'). */
    private static void chars(String field, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw TriageException.badInput(field, "has " + value.length() + " characters; the limit is " + maxChars);
        }
        if (!wellFormed(value)) {
            throw TriageException.badInput(field, UNPAIRED_SURROGATE);
        }
    }

    /** No lone surrogate halves (JSON escapes like \ud800 let them in; UTF-8 cannot carry them). */
    public static boolean wellFormed(String value) {
        return value.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE);
    }
}
