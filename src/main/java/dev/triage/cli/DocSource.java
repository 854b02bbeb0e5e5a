package dev.triage.cli;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * The documents of a JSON Lines file, streamed (gzip-compressed if it starts with gzip's magic bytes, as {@code .gz}
 * files do): {@code {"id": ..., "text": "...", "label": "..."}} per line, blank lines passed over but counted. A
 * line that is not a JSON object with a string {@code text} (and, where gold labels are needed, a string
 * {@code label}) is a bad line: it stops the run (exit 2, naming the line) or, with {@link OnBadLine#SKIP}, is
 * reported and skipped. A document without an {@code id} gets its line number.
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
    private final BufferedReader reader;
    private final boolean needLabel;
    private final OnBadLine onBadLine;
    private final Consumer<String> warn;
    private volatile long skipped;
    private long number;
    private long lastRecord;

    /** @throws CliException (exit 2) if the file is missing or unreadable */
    DocSource(Path file, boolean needLabel, OnBadLine onBadLine, Consumer<String> warn) {
        requireReadable(file);
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            this.reader = utf8(gzip(file) ? new GZIPInputStream(in, 1 << 16) : in);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        this.file = file;
        this.needLabel = needLabel;
        this.onBadLine = onBadLine;
        this.warn = warn;
    }

    static void requireReadable(Path file) {
        if (!Files.exists(file)) {
            throw CliException.usage("input file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliException.usage("input " + file + " is not a readable file");
        }
    }

    private static BufferedReader utf8(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static boolean gzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Non-blank lines of an uncompressed file (a total for progress); empty for a compressed or unreadable one. */
    static OptionalLong countRecords(Path file) {
        try {
            if (gzip(file)) {
                return OptionalLong.empty();
            }
            try (BufferedReader lines = utf8(Files.newInputStream(file))) {
                return OptionalLong.of(lines.lines().filter(l -> !l.isBlank()).count());
            }
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the next good document, or null at the end of the file */
    Doc next() {
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw CliException.usage(file + " is unreadable after line " + lastRecord + ": " + e.getMessage());
            }
            if (line == null) {
                return null;
            }
            number++;
            if (line.isBlank()) {
                continue;
            }
            lastRecord = number;
            JsonNode node = null;
            String problem;
            try {
                node = JSON.readTree(line);
                problem = problem(node);
            } catch (JsonProcessingException e) {
                problem = "not valid JSON (" + e.getOriginalMessage() + ")";
            }
            if (problem == null) {
                JsonNode id = node.get("id");
                return new Doc(number, id == null || id.isNull() ? LongNode.valueOf(number) : id,
                        node.get("text").textValue(), needLabel ? node.get("label").textValue() : null);
            }
            skip(file.getFileName() + " line " + number + ": " + problem);
        }
    }

    /** What is wrong with a parsed line, null if nothing. */
    private String problem(JsonNode node) {
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            return text == null ? "no \"text\"" : "\"text\" is not a string";
        }
        JsonNode label = node.get("label");
        if (needLabel && (label == null || !label.isTextual())) {
            return label == null ? "no gold \"label\"" : "\"label\" is not a string";
        }
        return null;
    }

    private void skip(String badLine) {
        if (onBadLine == OnBadLine.FAIL) {
            throw CliException.usage(badLine + " (--on-bad-line skip passes over bad lines)");
        }
        skipped++;
        if (skipped <= REPORTED) {
            warn.accept("skipping " + badLine);
        } else if (skipped == REPORTED + 1) {
            warn.accept("skipping more bad lines; only their number is reported");
        }
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
