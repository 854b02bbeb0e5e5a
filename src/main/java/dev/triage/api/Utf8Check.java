package dev.triage.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import dev.triage.service.TriageException;

/**
 * A body must be well-formed UTF-8 (RFC 8259 section 8.1). Jackson's decoder refuses most malformed bytes but
 * decodes overlong forms ({@code c0 af} as '/'), the classic way to smuggle a character past a byte-level check;
 * the JDK's decoder refuses every ill-formed sequence, so the body goes through it first, in a small window.
 */
final class Utf8Check {

    private static final int WINDOW_CHARS = 8192;
    private static final int SHOWN_BYTES = 4;

    private Utf8Check() {
    }

    /**
     * @param field the error's field (null for a whole body)
     * @param what  the body as the client knows it ("request body", "CloudEvent data")
     */
    static void require(byte[] body, String field, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer window = CharBuffer.allocate(WINDOW_CHARS);
        for (CoderResult result = decoder.decode(in, window, true); !result.isUnderflow();
                result = decoder.decode(in, window, true)) {
            if (result.isError()) {
                int at = in.position();
                String from = HexFormat.ofDelimiter(" ").formatHex(body, at, Math.min(body.length, at + SHOWN_BYTES));
                throw TriageException.badInput(field, what + " is not valid UTF-8: an ill-formed sequence at byte "
                        + at + " (" + from + " ...); overlong forms, encoded surrogates and cut sequences are refused");
            }
            window.clear();
        }
    }
}
