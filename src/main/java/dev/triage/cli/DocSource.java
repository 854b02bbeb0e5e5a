package dev.triage.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * The documents of a JSON Lines file: {@code {"id": ..., "text": "...", "label": "..."}} per line. A line that
 * is not a JSON object with a string {@code text} (and, where gold labels are needed, a string {@code label})
 * is a bad line: it stops the run (exit 2, naming the line) or, with {@link OnBadLine#SKIP}, is reported and
 * skipped. A document without an {@code id} gets its line number.
 */
final class DocSource implements Closeable {

    /** What a bad line does. */
    enum OnBadLine {
        FAIL, SKIP
    }

    /** One document; {@code label} is null unless gold labels were asked for. */
    record Doc(long line, JsonNode id, String text, String label) {
    }

    /** At most this many skipped lines are reported one by one; the rest only in the count. */
    private static final int REPORTED = 10;
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;
    private final JsonlReader reader;
    private final boolean needLabel;
    private final OnBadLine onBadLine;
    private final Consumer<String> warn;
    private volatile long skipped;
    private long lastLine;

    DocSource(Path file, boolean needLabel, OnBadLine onBadLine, Consumer<String> warn) {
        this.file = file;
        this.reader = JsonlReader.open(file);
        this.needLabel = needLabel;
        this.onBadLine = onBadLine;
        this.warn = warn;
    }

    /** @return the next good document, or null at the end of the file */
    Doc next() {
        while (true) {
            JsonlReader.Line line;
            try {
                line = reader.next();
            } catch (IOException e) {
                throw CliException.usage(file + " is unreadable after line " + lastLine + ": " + e.getMessage());
            }
            if (line == null) {
                return null;
            }
            lastLine = line.number();
            try {
                JsonNode node = parse(line);
                JsonNode id = node.get("id");
                return new Doc(line.number(), id == null || id.isNull() ? LongNode.valueOf(line.number()) : id,
                        node.get("text").textValue(), needLabel ? node.get("label").textValue() : null);
            } catch (BadLine bad) {
                String message = file.getFileName() + " line " + line.number() + ": " + bad.getMessage();
                if (onBadLine == OnBadLine.FAIL) {
                    throw CliException.usage(message + " (--on-bad-line skip passes over bad lines)");
                }
                skipped++;
                if (skipped <= REPORTED) {
                    warn.accept("skipping " + message);
                } else if (skipped == REPORTED + 1) {
                    warn.accept("skipping more bad lines; only their number is reported");
                }
            }
        }
    }

    /** What is wrong with a line. */
    private static final class BadLine extends Exception {
        BadLine(String problem) {
            super(problem, null, false, false);
        }
    }

    private JsonNode parse(JsonlReader.Line line) throws BadLine {
        JsonNode node;
        try {
            node = JSON.readTree(line.text());
        } catch (JsonProcessingException e) {
            throw new BadLine("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new BadLine("not a JSON object");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            throw new BadLine(text == null ? "no \"text\"" : "\"text\" is not a string");
        }
        if (needLabel) {
            JsonNode label = node.get("label");
            if (label == null || !label.isTextual()) {
                throw new BadLine(label == null ? "no gold \"label\"" : "\"label\" is not a string");
            }
        }
        return node;
    }

    long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // read-only: nothing is lost
        }
    }
}
