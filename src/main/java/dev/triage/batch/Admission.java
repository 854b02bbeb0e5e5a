package dev.triage.batch;

import java.util.Collection;
import java.util.function.LongToIntFunction;

import dev.triage.pool.PoolSaturatedException;

/**
 * Bounds what all admitted requests hold together, estimated from their strings before anything is tokenized:
 * work (tokens the model will run: texts, chunks, label hypotheses, few-shot examples) and memory (their
 * strings, token ids and outputs). A request that would cross a bound while others are admitted is refused at
 * once; a request alone is always admitted (the per-request limits bound it), so any valid request can run.
 */
public final class Admission {

    /** Estimated cost of one request. */
    public record Work(long sequences, long tokens, long bytes) {

        /** Bytes per character in a Java string (UTF-16 at worst) and per string object. */
        static final int CHAR_BYTES = 2;
        static final int STRING_BYTES = 48;
        /** Token ids and type ids (long each) of one token, as the tokenizer hands them over. */
        static final int TOKEN_BYTES = 16;
        /** WordPiece on English runs ~4 characters a token; 3 keeps the estimate on the safe side. */
        static final int CHARS_PER_TOKEN = 3;

        /**
         * @param maxTokens tokens the model reads per sequence (specials included)
         * @param windows sequences a text may become (1; or max-chunks with long-text chunking)
         * @param outputBytes bytes of the model's output kept per sequence (an embedding: 4 x hidden size)
         */
        public static Work of(Collection<String> texts, int maxTokens, int windows, int outputBytes) {
            long sequences = 0;
            long tokens = 0;
            long chars = 0;
            for (String text : texts) {
                long length = text.length();
                chars += length;
                long wanted = length / CHARS_PER_TOKEN + 2;
                long perText = Math.min(wanted, (long) maxTokens * windows);
                long pieces = Math.max(1, Math.min(windows, (wanted + maxTokens - 1) / maxTokens));
                sequences += pieces;
                tokens += perText;
            }
            long bytes = chars * CHAR_BYTES + texts.size() * (long) STRING_BYTES + tokens * TOKEN_BYTES
                    + sequences * outputBytes;
            return new Work(sequences, tokens, bytes);
        }

        /** The same work n times (NLI: every text once per label). */
        public Work times(long n) {
            return new Work(sequences * n, tokens * n, bytes * n);
        }

        public Work plus(Work other) {
            return new Work(sequences + other.sequences, tokens + other.tokens, bytes + other.bytes);
        }
    }

    /** An admitted request's share; closing it gives the share back (once). */
    public final class Ticket implements AutoCloseable {
        private final Work work;
        private boolean closed;

        private Ticket(Work work) {
            this.work = work;
        }

        @Override
        public void close() {
            synchronized (Admission.this) {
                if (!closed) {
                    closed = true;
                    tokens -= work.tokens();
                    bytes -= work.bytes();
                    admitted--;
                }
            }
        }
    }

    private final long maxTokens;
    private final long maxBytes;
    private final LongToIntFunction retryAfterSeconds;
    private long tokens;
    private long bytes;
    private int admitted;

    /** @param retryAfterSeconds the Retry-After for that many tokens of admitted work */
    public Admission(long maxTokens, long maxBytes, LongToIntFunction retryAfterSeconds) {
        if (maxTokens < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("admission bounds must be >= 1");
        }
        this.maxTokens = maxTokens;
        this.maxBytes = maxBytes;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Admits the request or refuses it at once.
     *
     * @throws PoolSaturatedException (reason "work" or "memory") when others are admitted and this one would cross
     *         a bound
     */
    public synchronized Ticket admit(Work work) {
        long bound = workBoundFor(work);
        if (admitted > 0 && tokens + work.tokens() > bound) {
            throw refused("work", tokens + " estimated tokens of work are admitted; this request adds "
                    + work.tokens() + "; the bound is " + bound + " (triage.admission.max-work-tokens"
                    + (bound > maxTokens ? ", plus the small requests' reserve)" : ")"));
        }
        if (admitted > 0 && bytes + work.bytes() > maxBytes) {
            throw refused("memory", (bytes >> 20) + " MiB are held by admitted requests; this request needs "
                    + (work.bytes() >> 20) + " MiB more; the bound is " + (maxBytes >> 20)
                    + " MiB (triage.admission.max-bytes)");
        }
        tokens += work.tokens();
        bytes += work.bytes();
        admitted++;
        return new Ticket(work);
    }

    /**
     * A small request (at most 1/16 of the bound) may also use a reserve of a quarter of the bound: the pool
     * serves requests in turns, so it answers within about one micro-batch time even beside a full batch, which
     * would otherwise take the whole bound and leave every small request a 503.
     */
    long workBoundFor(Work work) {
        boolean small = work.tokens() <= maxTokens / 16;
        return small ? maxTokens + Math.min(maxTokens / 4, Long.MAX_VALUE - maxTokens) : maxTokens;
    }

    private PoolSaturatedException refused(String reason, String message) {
        return new PoolSaturatedException(reason, "overloaded: " + message, retryAfterSeconds.applyAsInt(tokens));
    }

    public synchronized long admittedTokens() {
        return tokens;
    }

    public synchronized long admittedBytes() {
        return bytes;
    }
}
