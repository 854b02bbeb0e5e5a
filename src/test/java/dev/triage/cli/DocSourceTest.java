package dev.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading JSON Lines input for the CLI: line numbers, blank lines, gzip, and bad lines named by number. */
class DocSourceTest {

    @TempDir
    Path dir;

    private Path plain(String content) throws IOException {
        return Files.writeString(dir.resolve("in.jsonl"), content);
    }

    private Path gzipped(String content) throws IOException {
        Path file = dir.resolve("in.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static List<DocSource.Doc> lines(Path file) {
        List<DocSource.Doc> lines = new ArrayList<>();
        try (DocSource docs = open(file)) {
            for (DocSource.Doc doc = docs.next(); doc != null; doc = docs.next()) {
                lines.add(doc);
            }
        }
        return lines;
    }

    private static DocSource open(Path file) {
        return new DocSource(file, false, DocSource.OnBadLine.FAIL, w -> { });
    }

    private static final String WITH_BLANKS = "{\"text\":\"a\"}\n\n   \n{\"text\":\"b\"}\r\n\t\n{\"text\":\"c\"}";

    @Test
    void blankLinesArePassedOverButStillCounted() throws IOException {
        List<DocSource.Doc> lines = lines(plain(WITH_BLANKS));
        assertEquals(List.of(1L, 4L, 6L), lines.stream().map(DocSource.Doc::line).toList());
        assertEquals("b", lines.get(1).text());
        assertEquals(OptionalLong.of(3), DocSource.countRecords(plain(WITH_BLANKS)));
        assertEquals(OptionalLong.of(2), DocSource.countRecords(plain("{}\n{}\n\n")));
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotItsName() throws IOException {
        Path gz = gzipped(WITH_BLANKS);
        assertEquals(lines(plain(WITH_BLANKS)), lines(gz));
        Path disguised = Files.move(gz, dir.resolve("no-suffix.jsonl"));
        assertEquals(3, lines(disguised).size());
        assertEquals(OptionalLong.empty(), DocSource.countRecords(disguised), "a gzip file is not read twice");
    }

    @Test
    void aMissingFileIsAUsageError() {
        CliException e = assertThrows(CliException.class, () -> open(dir.resolve("absent.jsonl")));
        assertEquals(CliException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(CliException.class, () -> open(dir));
    }

    @Test
    void aMalformedLineIsNamedByItsNumber() throws IOException {
        Path file = plain("{\"text\":\"a\"}\n\n{\"text\": oops}\n{\"text\":\"c\"}\n");
        try (DocSource docs = new DocSource(file, false, DocSource.OnBadLine.FAIL, w -> { })) {
            assertEquals("a", docs.next().text());
            CliException e = assertThrows(CliException.class, docs::next);
            assertEquals(CliException.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("in.jsonl line 3: not valid JSON"), e.getMessage());
        }
    }

    @Test
    void skippedBadLinesAreReportedByNumberAndTheRestIsRead() throws IOException {
        Path file = plain("[1]\n{\"text\":\"a\"}\n{\"text\":7}\n{\"id\":\"x\",\"text\":\"b\",\"label\":\"l\"}\n"
                + "{\"text\":\"c\"}\n");
        List<String> warnings = new ArrayList<>();
        try (DocSource docs = new DocSource(file, true, DocSource.OnBadLine.SKIP, warnings::add)) {
            DocSource.Doc doc = docs.next();
            assertEquals(4, doc.line());
            assertEquals("x", doc.id().asText());
            assertEquals("l", doc.label());
            assertNull(docs.next());
            assertEquals(4, docs.skipped());
        }
        assertEquals(List.of("skipping in.jsonl line 1: not a JSON object", "skipping in.jsonl line 2: no gold \"label\"",
                "skipping in.jsonl line 3: \"text\" is not a string", "skipping in.jsonl line 5: no gold \"label\""),
                warnings);
    }

    @Test
    void aDocumentWithoutIdIsKnownByItsLineNumber() throws IOException {
        try (DocSource docs = new DocSource(plain("\n{\"text\":\"a\"}\n"), false, DocSource.OnBadLine.FAIL, w -> { })) {
            assertEquals(2, docs.next().id().asLong());
        }
    }
}
