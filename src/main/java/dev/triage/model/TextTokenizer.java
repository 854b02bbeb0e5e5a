package dev.triage.model;

import java.io.IOException;
import java.nio.file.Path;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * A HuggingFace tokenizer.json driven through DJL's Rust binding, with the truncation the scorer needs and
 * never any padding (micro-batches pad themselves to their longest member).
 */
public final class TextTokenizer implements AutoCloseable {

    static {
        NativeSetup.configure();
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /**
     * @param pairs true for NLI: pairs are truncated HF's {@code only_first} way (the text is cut, never the
     *        hypothesis); false: single texts, cut at the end
     */
    public static TextTokenizer open(Path tokenizerJson, int maxLength, boolean pairs) {
        // The files' own truncation/padding sections (the MiniLM jar says Fixed 128) are overridden here.
        HuggingFaceTokenizer.Builder builder = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optMaxLength(maxLength)
                .optPadding(false);
        if (pairs) {
            builder.optTruncateFirstOnly();
        } else {
            builder.optTruncation(true);
        }
        try {
            return new TextTokenizer(builder.build(), maxLength);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(tokenizerJson + " is not a usable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    public Encoded encode(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        return new Encoded(encoding.getIds(), encoding.getTypeIds());
    }

    /** An NLI pair: the text is the premise, the hypothesis is kept whole. */
    public Encoded encodePair(String text, String hypothesis) {
        Encoding encoding = tokenizer.encode(text, hypothesis, true, false);
        return new Encoded(encoding.getIds(), encoding.getTypeIds());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
