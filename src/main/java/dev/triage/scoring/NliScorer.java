package dev.triage.scoring;

import java.util.ArrayList;
import java.util.List;

import dev.triage.batch.BatchRunner;
import dev.triage.model.Encoded;
import dev.triage.model.NliLabels;
import dev.triage.model.TextTokenizer;

/**
 * Zero-shot with an NLI cross-encoder, with the semantics of transformers' ZeroShotClassificationPipeline:
 * every (text, hypothesis) pair is one sequence; single-label (more than one label, multiLabel false) is the
 * softmax of the entailment logits across labels; multiLabel, or a single label, is per label the softmax over
 * [contradiction, entailment], keeping entailment.
 */
public final class NliScorer implements ZeroShotScorer {

    private final TextTokenizer pairTokenizer;
    private final BatchRunner runner;
    private final NliLabels ids;

    public NliScorer(TextTokenizer pairTokenizer, BatchRunner runner, NliLabels ids) {
        this.pairTokenizer = pairTokenizer;
        this.runner = runner;
        this.ids = ids;
    }

    @Override
    public String defaultTemplate() {
        return "This example is {}.";
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        List<String> labels = command.labelNames();
        List<String> hypotheses = labels.stream().map(command::hypothesis).toList();
        List<Encoded> pairs = new ArrayList<>();
        for (String text : command.texts()) {
            if (!text.isBlank()) {
                for (String hypothesis : hypotheses) {
                    pairs.add(pairTokenizer.encodePair(text, hypothesis));
                }
            }
        }
        float[][] logits = runner.run(pairs);
        List<Classification> results = new ArrayList<>(command.texts().size());
        int row = 0;
        for (String text : command.texts()) {
            if (text.isBlank()) {
                results.add(Classification.uninformative(labels, command.multiLabel()));
                continue;
            }
            float[][] textLogits = new float[labels.size()][];
            for (int l = 0; l < labels.size(); l++) {
                textLogits[l] = logits[row++];
            }
            results.add(Classification.ranked(labels, scores(textLogits, command.multiLabel())));
        }
        return results;
    }

    @Override
    public List<String> notes(ClassifyCommand command) {
        return command.labels().stream().anyMatch(LabelSpec::fewShot)
                ? List.of("label descriptions and examples are ignored by NLI models; only label names are used")
                : List.of();
    }

    /** @param logits one row of model logits per label, for one text */
    public double[] scores(float[][] logits, boolean multiLabel) {
        double[] scores = new double[logits.length];
        if (multiLabel || logits.length == 1) {
            for (int l = 0; l < logits.length; l++) {
                scores[l] = ScoreMath.entailmentVsContradiction(logits[l][ids.contradiction()],
                        logits[l][ids.entailment()]);
            }
            return scores;
        }
        for (int l = 0; l < logits.length; l++) {
            scores[l] = logits[l][ids.entailment()];
        }
        return ScoreMath.softmax(scores, 1.0);
    }
}
