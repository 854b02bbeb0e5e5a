package dev.triage.model;

/** What a model computes, which decides how (text, label) pairs are scored. */
public enum ModelKind {
    /** A sentence encoder: texts and label hypotheses are embedded separately and compared by cosine. */
    EMBEDDING,
    /** A cross-encoder trained on NLI: each (text, hypothesis) pair gets entailment logits. */
    NLI
}
