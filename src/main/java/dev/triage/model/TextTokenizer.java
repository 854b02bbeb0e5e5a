package dev.triage.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

/**
 * A HuggingFace tokenizer.json driven through DJL's Rust binding, with the truncation the scorer needs and
 * never any padding (micro-batches pad themselves to their longest member).
 */
public final class TextTokenizer implements AutoCloseable {

    static {
        NativeSetup.configure();
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path tokenizerJson;
    /**
     * No truncation, no specials: finds where the tokens of a long text are, to cut it into windows. Made on
     * first use: only chunking needs it, and each tokenizer instance holds ~14 MB of native vocabulary.
     */
    private HuggingFaceTokenizer spans;
    private final int maxLength;
    private final NativeUseGate gate = new NativeUseGate("tokenizer");

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path tokenizerJson, int maxLength) {
        this.tokenizer = tokenizer;
        this.tokenizerJson = tokenizerJson;
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
            return new TextTokenizer(builder.build(), tokenizerJson, maxLength);
        } catch (IOException | RuntimeException e) {
            throw new ModelException(tokenizerJson + " is not a usable HuggingFace tokenizer.json: "
                    + e.getMessage(), e);
        }
    }

    private synchronized HuggingFaceTokenizer spans() {
        if (spans == null) {
            try {
                spans = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optAddSpecialTokens(false)
                        .optPadding(false).optTruncation(false).build();
            } catch (IOException e) {
                throw new ModelException(tokenizerJson + " can no longer be read: " + e.getMessage(), e);
            }
        }
        return spans;
    }

    public int maxLength() {
        return maxLength;
    }

    public Encoded encode(String text) {
        return gate.call(() -> encoded(tokenizer.encode(text, true, false)));
    }

    /** An NLI pair: the text is the premise, the hypothesis is kept whole. */
    public Encoded encodePair(String text, String hypothesis) {
        return gate.call(() -> encoded(tokenizer.encode(text, hypothesis, true, false)));
    }

    private static Encoded encoded(Encoding encoding) {
        return new Encoded(encoding.getIds(), encoding.getTypeIds());
    }

    /** Tokens of the text alone, without specials and without truncation. */
    public int countTokens(String text) {
        return gate.call(() -> spans().encode(text, false, false).getIds().length);
    }

    /**
     * Cuts a text into overlapping windows of at most {@code tokensPerWindow} tokens (specials not counted),
     * each starting {@code tokensPerWindow - overlap} tokens after the previous one, as substrings of the
     * original text (so a cased model sees the original casing).
     */
    public List<String> windows(String text, int tokensPerWindow, int overlap, int maxWindows) {
        CharSpan[] tokens = gate.call(() -> spans().encode(text, false, false).getCharTokenSpans());
        if (tokens.length <= tokensPerWindow) {
            return List.of(text);
        }
        int step = Math.max(1, tokensPerWindow - Math.max(0, overlap));
        List<String> windows = new ArrayList<>();
        for (int first = 0; first < tokens.length && windows.size() < maxWindows; first += step) {
            int last = Math.min(tokens.length, first + tokensPerWindow) - 1;
            // The tokenizer counts code points; Java strings index UTF-16 units.
            int from = text.offsetByCodePoints(0, tokens[first].getStart());
            int to = text.offsetByCodePoints(0, tokens[last].getEnd());
            windows.add(text.substring(from, to));
            if (last == tokens.length - 1) {
                break;
            }
        }
        return windows;
    }

    /** Waits for running encodes and refuses new ones first: freeing under one crashes or corrupts it. */
    @Override
    public void close() {
        if (!gate.closeAfterRunning(OnnxModel.CLOSE_WAIT)) {
            return;
        }
        synchronized (this) {
            tokenizer.close();
            if (spans != null) {
                spans.close();
            }
        }
    }
}
