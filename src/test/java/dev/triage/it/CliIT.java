package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.TestSupport;

/**
 * The packaged command line on the real default model and the tutorial's data: each launch is a process that
 * starts the application (and loads the model, if its command needs one), so launches are few and each checks
 * several things.
 */
class CliIT {

    static final String TUTORIAL = TestSupport.TUTORIAL_777.toString();
    static final String LABELS = "motorcycles,baseball";
    static final String MAP = "rec.motorcycles=motorcycles,rec.sport.baseball=baseball";
    static final Path ALL_20NG = Path.of("src/data/20newsgroups/20ng-bydate-all-test.stripped.jsonl.gz");
    static final Pattern ACCURACY = Pattern.compile("(?m)^accuracy: ([0-9.]+) \\((\\d+)/(\\d+)\\)$");

    @TempDir
    Path tmp;

    @Test
    void evalReachesTheTutorialsAccuracyAndReportsPerClass() throws Exception {
        Path json = tmp.resolve("eval.json");
        CliRun result = CliRun.launch("eval", "--in", TUTORIAL, "--labels", LABELS, "--label-map", MAP,
                "--json", json.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        String out = result.getOutput();
        Matcher accuracy = ACCURACY.matcher(out);
        assertTrue(accuracy.find(), out);
        double printed = Double.parseDouble(accuracy.group(1));
        assertTrue(printed >= 0.92, "accuracy " + printed);
        assertEquals(777, Integer.parseInt(accuracy.group(3)));
        assertTrue(Pattern.compile("(?m)^macro-F1: 0\\.9\\d{3}$").matcher(out).find(), out);
        for (String row : List.of("motorcycles", "baseball", "macro avg", "weighted avg")) {
            assertTrue(Pattern.compile("(?m)^\\s*" + row + "(\\s+[01]\\.\\d{4}){3}\\s+\\d+$").matcher(out).find(),
                    "table row " + row + " in\n" + out);
        }
        assertTrue(Pattern.compile("(?m)^\\s*motorcycles(\\s+[01]\\.\\d{4}){3}\\s+392$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^\\s*baseball(\\s+[01]\\.\\d{4}){3}\\s+385$").matcher(out).find(), out);
        assertTrue(out.contains("confusion matrix (rows: gold, columns: predicted)"), out);

        JsonNode report = TestSupport.JSON.readTree(json.toFile());
        assertEquals(777, report.get("docs").asInt());
        assertEquals(printed, report.get("accuracy").asDouble(), 5e-5);
        assertEquals(Integer.parseInt(accuracy.group(2)), report.get("correct").asInt());
        assertEquals(List.of("motorcycles", "baseball"), names(report.get("perClass"), "label"));
        assertEquals(392, report.get("perClass").get(0).get("support").asInt());
        assertEquals(385, report.get("perClass").get(1).get("support").asInt());
        JsonNode matrix = report.get("confusion").get("matrix");
        long diagonal = matrix.get(0).get(0).asLong() + matrix.get(1).get(1).asLong();
        long all = diagonal + matrix.get(0).get(1).asLong() + matrix.get(1).get(0).asLong();
        assertEquals(777, all);
        assertEquals(report.get("correct").asLong(), diagonal);
        double f1 = report.get("macroAvg").get("f1").asDouble();
        assertEquals(f1, report.get("macroF1").asDouble(), 1e-12);
        assertTrue(f1 > 0.9, "macro-F1 " + f1);
        for (String field : List.of("seconds", "docsPerSecond", "weightedAvg", "model", "template")) {
            assertTrue(report.has(field), field + " in " + report);
        }
    }

    @Test
    void classifyWritesOneLinePerDocumentInInputOrder() throws Exception {
        List<JsonNode> docs = new ArrayList<>(TestSupport.tutorialDocuments().subList(0, 29));
        ObjectNode blank = TestSupport.JSON.createObjectNode().put("id", "blank").put("text", " \n\t ");
        docs.add(10, blank);
        Path in = write("thirty.jsonl", docs.stream().map(JsonNode::toString).toList());
        // --out through a symlink (to an earlier run's file): the file behind it is replaced, the link stays
        Path out = Files.createSymbolicLink(tmp.resolve("preds.jsonl"), write("earlier.jsonl", List.of("{}")));
        // --chunk 7: several chunks and a short last one, so ordering across chunks is exercised
        CliRun result = CliRun.launch("classify", "--in", in.toString(), "--labels", LABELS, "--out",
                out.toString(), "--chunk", "7");
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(Files.isSymbolicLink(out), "--out's symlink was replaced by a file");
        List<String> lines = Files.readAllLines(out);
        assertEquals(30, lines.size());
        int agree = 0;
        for (int i = 0; i < 30; i++) {
            JsonNode prediction = TestSupport.JSON.readTree(lines.get(i));
            assertEquals(docs.get(i).get("id"), prediction.get("id"), "line " + (i + 1));
            List<String> labels = names(prediction.get("labels"), null);
            assertEquals(2, labels.size());
            assertTrue(labels.containsAll(List.of("motorcycles", "baseball")), labels.toString());
            double first = prediction.get("scores").get(0).asDouble();
            double second = prediction.get("scores").get(1).asDouble();
            assertTrue(first >= second, "sorted: " + prediction);
            assertEquals(1.0, first + second, 1e-9);
            if (i == 10) {
                assertEquals(0.5, first, 1e-12, "a blank text favours no label: " + prediction);
            } else {
                String gold = TestSupport.TUTORIAL_LABELS.get(docs.get(i).get("label").asText());
                agree += gold.equals(labels.get(0)) ? 1 : 0;
            }
        }
        assertTrue(agree >= 25, agree + " of 29 agree with the gold label");
    }

    @Test
    void badLinesStopTheRunOrAreSkipped() throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "{\"id\": \"a\", \"text\": \"The shortstop turned a double play in the ninth inning.\"}",
                "{\"id\": \"b\", \"text\": \"I changed the oil and chain on my Harley before the ride.\"}",
                "",
                "{\"id\": \"c\", \"text\": oops}",
                "{\"id\": \"d\", \"title\": \"no text here\"}",
                "{\"id\": \"e\", \"text\": \"The pitcher struck out the side.\"}"));
        Path in = write("bad.jsonl", lines);
        Path previous = write("preds.jsonl", List.of("{\"id\": \"from an earlier run\"}"));
        CliRun failed = CliRun.launch("classify", "--in", in.toString(), "--labels", LABELS, "--out",
                previous.toString(), "--chunk", "1");
        assertEquals(2, failed.exitCode(), failed.getOutput());
        assertTrue(failed.getErrorOutput().contains("bad.jsonl line 4: not valid JSON"), failed.getErrorOutput());
        // The two predictions made before line 4 never reach --out: no shorter file that looks complete.
        assertEquals(List.of("{\"id\": \"from an earlier run\"}"), Files.readAllLines(previous));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of("bad.jsonl", "preds.jsonl"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no partial file left");
        }

        // skip: both bad lines are reported and left out; the rest is classified, to stdout
        CliRun skipped = CliRun.launch("classify", "--in", in.toString(), "--labels", LABELS,
                "--on-bad-line", "skip");
        assertEquals(0, skipped.exitCode(), skipped.getOutput() + skipped.getErrorOutput());
        String err = skipped.getErrorOutput();
        assertTrue(err.contains("skipping bad.jsonl line 4: not valid JSON"), err);
        assertTrue(err.contains("skipping bad.jsonl line 5: no \"text\""), err);
        assertTrue(err.contains("3 documents classified") && err.contains("2 bad lines skipped"), err);
        List<JsonNode> predictions = new ArrayList<>();
        for (String line : skipped.getOutputStream()) {
            if (line.startsWith("{")) {
                predictions.add(TestSupport.JSON.readTree(line));
            }
        }
        assertEquals(List.of("a", "b", "e"), names(predictions, "id"));
        assertEquals(List.of("baseball", "motorcycles", "baseball"),
                predictions.stream().map(p -> p.get("labels").get(0).asText()).toList());
    }

    /** A usage error: its arguments, and what stderr must name. */
    record Usage(String name, List<String> args, String named) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Usage> usageErrors() {
        return List.of(
                new Usage("missing input", List.of("classify", "--in", "/nonexistent/nope.jsonl", "--labels", LABELS),
                        "nope.jsonl does not exist"),
                new Usage("no labels", List.of("eval", "--in", TUTORIAL, "--labels", ""), "--labels"),
                new Usage("label map to an unknown label", List.of("eval", "--in", TUTORIAL, "--labels", LABELS,
                        "--label-map", "rec.motorcycles=cars,rec.sport.baseball=baseball"), "'cars'"),
                new Usage("gold label left unmapped", List.of("eval", "--in", TUTORIAL, "--labels", LABELS,
                        "--label-map", "rec.motorcycles=motorcycles"), "'rec.sport.baseball' (385 docs"),
                new Usage("template without {}", List.of("classify", "--in", TUTORIAL, "--labels", LABELS,
                        "--template", "no placeholder"), "{}"),
                new Usage("template twice", List.of("classify", "--in", TUTORIAL, "--labels", LABELS, "--template",
                        "About {}.", "--template", "About {}."), "--template: a template appears twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void badUsageExitsWithTwoAndSaysWhy(Usage usage) throws Exception {
        CliRun run = CliRun.launch(usage.args().toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.getErrorOutput());
        assertTrue(run.getErrorOutput().contains(usage.named()), run.getErrorOutput());
    }

    /** The build's version comes from the packaged application's config (help and unknown options: CommandLineTest). */
    @Test
    void versionExitsWithZero() throws Exception {
        CliRun version = CliRun.launch("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.getOutput().contains("triage 1.0.0"), version.getOutput());
    }

    @Test
    void benchReportsEveryWorkerCount() throws Exception {
        Path json = tmp.resolve("bench.json");
        CliRun result = CliRun.launch("bench", "--in", TUTORIAL, "--labels", LABELS, "--limit", "40",
                "--workers", "1,2", "--repeat", "1", "--json", json.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(Pattern.compile("(?m)^\\s+1\\s+[0-9.]+\\s+[0-9.]+").matcher(result.getOutput()).find(),
                result.getOutput());
        JsonNode bench = TestSupport.JSON.readTree(json.toFile());
        assertTrue(bench.get("machine").get("availableProcessors").asInt() >= 1);
        assertFalse(bench.get("machine").get("javaVersion").asText().isEmpty());
        assertEquals("all-minilm-l6-v2-q", bench.get("model").get("name").asText());
        assertEquals(40, bench.get("docs").asInt());
        assertTrue(bench.get("tokens").asLong() > 40, bench.toString());
        JsonNode results = bench.get("results");
        assertEquals(2, results.size());
        for (int i = 0; i < 2; i++) {
            JsonNode r = results.get(i);
            assertEquals(i + 1, r.get("workers").asInt());
            assertEquals(1, r.get("runs").size());
            double wall = r.get("wallSeconds").asDouble();
            assertTrue(wall > 0);
            assertEquals(40 / wall, r.get("docsPerSecond").asDouble(), 1e-6 * (40 / wall));
            assertEquals(bench.get("tokens").asLong() / wall, r.get("tokensPerSecond").asDouble(), 1e-3);
            assertTrue(r.get("p50Ms").asDouble() > 0 && r.get("p99Ms").asDouble() >= r.get("p50Ms").asDouble(),
                    r.toString());
            double model = r.get("modelSeconds").asDouble();
            assertTrue(model > 0, r.toString());
            assertEquals(model / (wall * (i + 1)), r.get("modelShare").asDouble(), 1e-9);
            assertTrue(r.get("modelShare").asDouble() <= 1.05, r.toString());
            assertTrue(r.has("speedup"));
        }
        assertEquals(1.0, results.get(0).get("speedup").asDouble(), 1e-12);
    }

    @Test
    void benchEmbedsBesideClassifying() throws Exception {
        Path json = tmp.resolve("bench-embed.json");
        CliRun result = CliRun.launch("bench", "--in", TUTORIAL, "--labels", LABELS, "--limit", "40",
                "--task", "classify,embed", "--request-size", "8", "--workers", "1", "--repeat", "1",
                "--json", json.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains("task: classify") && result.getOutput().contains("task: embed"),
                result.getOutput());
        JsonNode results = TestSupport.JSON.readTree(json.toFile()).get("results");
        assertEquals(List.of("classify", "embed"), List.of(results.get(0).get("task").asText(),
                results.get(1).get("task").asText()));
        JsonNode embed = results.get(1);
        assertTrue(embed.get("docsPerSecond").asDouble() > 0 && embed.get("modelSeconds").asDouble() > 0,
                embed.toString());
        assertEquals(1.0, embed.get("speedup").asDouble(), 1e-12);

        CliRun wrong = CliRun.launch("bench", "--in", TUTORIAL, "--labels", LABELS, "--task", "summarize");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.getErrorOutput().contains("--task must be classify or embed"), wrong.getErrorOutput());
    }

    @Test
    void evalReadsGzipAndGoldLabelsThatAreTheCandidates() throws Exception {
        // Every 126th post of the 20-group test split (sorted by group): 60 posts over all 20 groups, gzipped.
        List<String> sample = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(ALL_20NG)), StandardCharsets.UTF_8))) {
            int i = 0;
            for (String line; (line = reader.readLine()) != null; i++) {
                if (i % 126 == 0) {
                    sample.add(line);
                }
            }
        }
        assertEquals(60, sample.size());
        List<String> groups = sample.stream().map(l -> read(l).get("label").asText()).distinct().toList();
        assertEquals(20, groups.size());
        Path gz = tmp.resolve("sample.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((String.join("\n", sample) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path json = tmp.resolve("eval20.json");
        CliRun result = CliRun.launch("eval", "--in", gz.toString(), "--labels", String.join(",", groups),
                "--json", json.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        // 20 long names: the confusion matrix numbers its columns
        assertTrue(result.getOutput().contains("[19]"), result.getOutput());
        JsonNode report = TestSupport.JSON.readTree(json.toFile());
        assertEquals(60, report.get("docs").asInt());
        long cells = 0;
        for (JsonNode row : report.get("confusion").get("matrix")) {
            for (JsonNode cell : row) {
                cells += cell.asLong();
            }
        }
        assertEquals(60, cells);
        // chance is 1/20; the model reads group names well enough for far more than that
        assertTrue(report.get("accuracy").asDouble() > 0.15, report.get("accuracy").toString());
    }

    private static JsonNode read(String line) {
        try {
            return TestSupport.JSON.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(tmp.resolve(name), lines);
    }

    private static List<String> names(Iterable<JsonNode> nodes, String field) {
        List<String> names = new ArrayList<>();
        nodes.forEach(n -> names.add(field == null ? n.asText() : n.get(field).asText()));
        return names;
    }
}
