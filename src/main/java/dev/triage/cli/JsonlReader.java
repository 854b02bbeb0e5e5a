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
import java.util.zip.GZIPInputStream;

/**
 * Lines of a JSON Lines file, streamed (gzip-compressed if the file starts with gzip's magic bytes, as
 * {@code .gz} files do), with their 1-based line numbers. Blank lines are no records and are passed over.
 */
final class JsonlReader implements Closeable {

    /** One non-blank line. */
    record Line(long number, String text) {
    }

    private final BufferedReader reader;
    private long number;

    private JsonlReader(BufferedReader reader) {
        this.reader = reader;
    }

    /** @throws CliException (exit 2) if the file is missing or unreadable */
    static JsonlReader open(Path file) {
        requireReadable(file);
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            if (gzip(file)) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new JsonlReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    static void requireReadable(Path file) {
        if (!Files.exists(file)) {
            throw CliException.usage("input file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliException.usage("input " + file + " is not a readable file");
        }
    }

    static boolean gzip(Path file) throws IOException {
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
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8), 1 << 16)) {
                return OptionalLong.of(lines.lines().filter(l -> !l.isBlank()).count());
            }
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the next non-blank line, or null at the end */
    Line next() throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            number++;
            if (!text.isBlank()) {
                return new Line(number, text);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
