package dev.triage.model;

/** How token vectors become one sentence vector (sentence-transformers' pooling modes). */
public enum Pooling {
    MEAN,
    CLS;

    static Pooling parse(String value, String where) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            default -> throw new ModelException(where + ": pooling '" + value + "' is not supported (mean or cls)");
        };
    }
}
