package dev.triage.scoring;

import java.util.Arrays;
import java.util.List;

import dev.triage.batch.BatchRunner;
import dev.triage.model.NliLabels;
import dev.triage.model.TextTokenizer;

/**
 * Zero-shot with an NLI cross-encoder, with the semantics of transformers' ZeroShotClassificationPipeline:
 * every (text, hypothesis) pair is one sequence; single-label (more than one label, multiLabel false) is the
 * softmax of the entailment logits across labels; multiLabel, or a single label, is per label the softmax over
 * [contradiction, entailment], keeping entailment.
 */
public record NliScorer(TextTokenizer pairTokenizer, BatchRunner runner, NliLabels ids) implements ZeroShotScorer {

    /** A catch-all label is scored 1 - max P(entailment vs contradiction), unless the label sets a threshold. */
    private static final CatchAll.Calibration CATCH_ALL = new CatchAll.Calibration(0.0, 1.0);

    @Override
    public String defaultTemplate() {
        return "This example is {}.";
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        return Classification.perText(command, logits(command), textLogits -> scores(textLogits, command));
    }

    @Override
    public double[][] strengths(ClassifyCommand command) {
        return Arrays.stream(logits(command)).map(this::strengths).toArray(double[][]::new);
    }

    /** Per text, one row of logits per real label, from one pool run; null for a blank text. */
    private float[][][] logits(ClassifyCommand command) {
        if (command.templates().size() != 1) { // a pair per template would multiply the pairs
            throw new IllegalArgumentException("NLI models take one template, not " + command.templates().size());
        }
        List<String> hypotheses = command.realLabels().stream().map(l -> command.hypotheses(l.name()).get(0))
                .toList();
        float[][] rows = runner.run(command.texts().stream().filter(text -> !text.isBlank())
                .flatMap(text -> hypotheses.stream().map(h -> pairTokenizer.encodePair(text, h))).toList());
        float[][][] logits = new float[command.texts().size()][][];
        int row = 0;
        for (int t = 0; t < logits.length; t++) {
            if (!command.texts().get(t).isBlank()) {
                logits[t] = Arrays.copyOfRange(rows, row, row + hypotheses.size());
                row += hypotheses.size();
            }
        }
        return logits;
    }

    /** Entailment minus contradiction logit per label (null for a blank text): what the catch-all compares. */
    private double[] strengths(float[][] logits) {
        return logits == null ? null
                : Arrays.stream(logits).mapToDouble(l -> l[ids.entailment()] - l[ids.contradiction()]).toArray();
    }

    @Override
    public List<String> notes(ClassifyCommand command) {
        return command.labels().stream().anyMatch(LabelSpec::fewShot)
                ? List.of("label descriptions and examples are ignored by NLI models; only label names are used")
                : List.of();
    }

    /** Scores of every label of the command; a catch-all's from the real labels' entailment evidence. */
    private double[] scores(float[][] logits, ClassifyCommand command) {
        if (command.catchAll().isEmpty()) {
            return scores(logits, command.multiLabel());
        }
        // single-label: the real labels keep HF's softmax of entailment logits among themselves
        double[] distribution = logits.length == 1 ? new double[] { 1.0 } : scores(logits, false);
        return CatchAll.scores(command.labels(), strengths(logits), distribution,
                CATCH_ALL.forLabel(command.catchAll().get()), command.multiLabel());
    }

    /** @param logits one row of model logits per label, for one text */
    private double[] scores(float[][] logits, boolean multiLabel) {
        if (multiLabel || logits.length == 1) {
            return Arrays.stream(logits)
                    .mapToDouble(l -> ScoreMath.entailmentVsContradiction(l[ids.contradiction()], l[ids.entailment()]))
                    .toArray();
        }
        return ScoreMath.softmax(Arrays.stream(logits).mapToDouble(l -> l[ids.entailment()]).toArray(), 1.0);
    }
}
