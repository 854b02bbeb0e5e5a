package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.TestSupport;

/**
 * The catch-all on the command line: calibrate, eval --one-vs-rest and classify --none-label, on posts of the
 * 20NG test split shipped in src/data (rec.motorcycles against a few other groups).
 */
class CatchAllCliIT {

    static final Pattern THRESHOLD = Pattern.compile("(?m)^threshold\\s+([0-9.-]+)\\s+([0-9.-]+)\\s+label "
            + "\\{\"name\": \"other\", \"none\": true, \"threshold\": ([0-9.-]+)\\}$");
    static final Pattern RESUBSTITUTION = Pattern.compile("accuracy ([0-9.]+) -> ([0-9.]+)");

    @TempDir
    Path tmp;

    /** Every n-th post of the groups given, in file order, at most {@code max} per group. */
    static List<String> posts(List<String> groups, int every, int max) throws IOException {
        List<String> picked = new ArrayList<>();
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(CliIT.ALL_20NG)), StandardCharsets.UTF_8))) {
            int i = 0;
            for (String line; (line = reader.readLine()) != null; i++) {
                JsonNode doc = TestSupport.JSON.readTree(line);
                String group = doc.get("label").asText();
                if (groups.contains(group) && i % every == 0 && doc.get("text").asText().split("\\s+").length > 30
                        && counts.merge(group, 1, Integer::sum) <= max) {
                    picked.add(line);
                }
            }
        }
        return picked;
    }

    @Test
    void calibrateFitsAThresholdThatSeparatesTheLabelFromTheRest() throws Exception {
        Path labelled = Files.write(tmp.resolve("labelled.jsonl"), posts(List.of("rec.motorcycles", "sci.med",
                "comp.graphics", "talk.politics.mideast", "misc.forsale"), 3, 12));
        Path strengths = tmp.resolve("strengths.jsonl");
        CliRun result = CliRun.launch("calibrate", "--in", labelled.toString(), "--labels", "motorcycles",
                "--label-map", "rec.motorcycles=motorcycles", "--none-label", "other", "--strengths-out",
                strengths.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        String out = result.getOutput();
        Matcher threshold = THRESHOLD.matcher(out);
        assertTrue(threshold.find(), out);
        assertEquals(threshold.group(2), threshold.group(3));
        assertTrue(out.contains("CLI --none-label other --none-threshold " + threshold.group(3)), out);
        assertTrue(out.contains("calibrated on 60 labelled texts (12 of the labels, 48 of none of them)"), out);
        Matcher fit = RESUBSTITUTION.matcher(out);
        assertTrue(fit.find(), out);
        assertTrue(Double.parseDouble(fit.group(2)) >= Double.parseDouble(fit.group(1)), out);
        assertTrue(Double.parseDouble(fit.group(2)) >= 0.85, out);
        List<String> lines = Files.readAllLines(strengths);
        assertEquals(60, lines.size());
        assertEquals(1, TestSupport.JSON.readTree(lines.get(0)).get("strengths").size());
    }

    @Test
    void evalOneVsRestReportsZeroShotAndFewShotAndClassifyWritesTheCatchAll() throws Exception {
        List<String> groups = List.of("rec.motorcycles", "sci.med", "comp.graphics", "talk.politics.mideast");
        Path test = Files.write(tmp.resolve("test.jsonl"), posts(groups, 5, 15));
        Path examples = Files.write(tmp.resolve("examples.jsonl"), posts(groups, 7, 4));
        Path json = tmp.resolve("ovr.json");
        CliRun result = CliRun.launch("eval", "--in", test.toString(), "--labels", "motorcycles,medicine",
                "--label-map", "rec.motorcycles=motorcycles,sci.med=medicine", "--none-label", "other",
                "--one-vs-rest", "--examples", examples.toString(), "--examples-per-label", "4", "--json",
                json.toString());
        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        JsonNode rows = TestSupport.JSON.readTree(json.toFile()).get("oneVsRest");
        assertEquals(10, rows.size(), rows.toString());
        for (JsonNode row : rows) {
            assertEquals(15, row.get("support").asInt(), row.toString());
            assertEquals(60, row.get("docs").asInt(), row.toString());
            assertTrue(row.get("f1").asDouble() > 0.5, row.toString());
        }
        assertEquals("zero-shot", rows.get(0).get("setup").asText());
        assertEquals("few-shot", rows.get(1).get("setup").asText());
        assertTrue(rows.get(2).get("setup").asText().startsWith("few-shot, threshold "), rows.toString());
        assertEquals("few-shot+none, request fit", rows.get(3).get("setup").asText(), "the other groups' examples "
                + "on the catch-all, the threshold fitted by the request");
        assertTrue(rows.get(4).get("setup").asText().startsWith("few-shot+none, thr "), rows.toString());

        Path out = tmp.resolve("preds.jsonl");
        CliRun classified = CliRun.launch("classify", "--in", test.toString(), "--labels", "motorcycles",
                "--none-label", "other", "--out", out.toString());
        assertEquals(0, classified.exitCode(), classified.getOutput() + classified.getErrorOutput());
        List<String> predictions = Files.readAllLines(out);
        assertEquals(60, predictions.size());
        long other = predictions.stream().filter(l -> l.contains("\"labels\":[\"other\"")).count();
        assertTrue(other >= 30 && other < 60, "catch-all first on " + other + " of 60");
    }

    @Test
    void catchAllUsageErrorsExitWithTwo() throws Exception {
        CliRun clash = CliRun.launch("classify", "--in", "x.jsonl", "--labels", "a,other", "--none-label",
                "other");
        assertEquals(2, clash.exitCode());
        assertTrue(clash.getErrorOutput().contains("--none-label must be a name that is not among --labels"),
                clash.getErrorOutput());
        CliRun ovr = CliRun.launch("eval", "--in", "x.jsonl", "--labels", "a", "--one-vs-rest");
        assertEquals(2, ovr.exitCode());
        assertTrue(ovr.getErrorOutput().contains("--one-vs-rest needs --none-label"), ovr.getErrorOutput());
    }
}
