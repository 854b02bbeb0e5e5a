package dev.triage.scoring;

import java.util.List;

/** Scores every text against every label; one implementation per kind of model. */
public interface ZeroShotScorer {

    /** @return one classification per text, in the texts' order */
    List<Classification> classify(ClassifyCommand command);

    /**
     * How strongly each real label (the catch-all left out) matches each text: the cosine (embedding models) or
     * the entailment-minus-contradiction logit (NLI); null for a blank text. What calibration fits.
     */
    double[][] strengths(ClassifyCommand command);

    /** The template used when a request gives none. */
    String defaultTemplate();

    /** Anything the caller should know about how the request was treated (e.g. ignored options). */
    default List<String> notes(ClassifyCommand command) {
        return List.of();
    }

    /** A scorer that changes how another classifies and answers everything else as that one does. */
    interface Wrapper extends ZeroShotScorer {

        /** The scorer wrapped. */
        ZeroShotScorer scorer();

        @Override
        default String defaultTemplate() {
            return scorer().defaultTemplate();
        }

        @Override
        default double[][] strengths(ClassifyCommand command) {
            return scorer().strengths(command);
        }

        @Override
        default List<String> notes(ClassifyCommand command) {
            return scorer().notes(command);
        }
    }
}
