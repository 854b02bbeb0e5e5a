package dev.triage.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.scoring.LabelSpec;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triage calibrate}: from a few labelled texts, the temperature and the threshold the scores need for
 * this model, template and label set, printed as the settings, request label and CLI options that apply them.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit the softmax temperature and the catch-all / multi-label threshold to a few labelled "
                + "texts and print the settings to use.")
@Dependent
@Unremovable
@RegisterForReflection
public class CalibrateCommand extends EngineCommand {

    @Option(names = "--label-map", split = ",", paramLabel = "GOLD=LABEL",
            description = "Gold label to candidate label; with --none-label, gold labels not mapped count as none")
    Map<String, String> labelMap = new LinkedHashMap<>();

    @Option(names = "--strengths-out", paramLabel = "FILE",
            description = "Also write each text's label strengths, {\"id\", \"label\", \"strengths\"} per line")
    Path strengthsOut;

    @Option(names = "--prior", paramLabel = "RATE",
            description = "Share of texts a label applies to where the threshold will serve (e.g. 0.05 for 1 in 20): "
                    + "the threshold becomes the cut of best expected F1 at that rate instead of the likelihood's "
                    + "50 %% point, so a balanced set of examples can calibrate a rare label")
    Double prior;

    /** One labelled text: its strengths per real label, and the index of its gold label (-1: none of them). */
    record Example(com.fasterxml.jackson.databind.JsonNode id, String label, double[] strengths, int gold) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> realNames = labels();
        List<LabelSpec> specs = withCatchAll(realNames.stream().map(LabelSpec::plain).toList());
        template();
        checkWritable("--strengths-out", strengthsOut);
        if (prior != null && !(prior > 0 && prior < 1)) {
            throw CliException.usage("--prior must be between 0 and 1, not " + prior);
        }
        Map<String, Integer> goldToIndex = GoldIndex.of(realNames, labelMap);
        DocSource.requireReadable(in);
        List<DocSource.Doc> docs = readDocs(goldToIndex);
        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        note("model " + describe(loaded) + ", " + docs.size() + " labelled texts, template \"" + hypothesis + "\"");
        List<Example> examples = score(loaded, docs, specs, goldToIndex);
        if (strengthsOut != null) {
            writeStrengths(examples);
        }
        boolean nli = loaded.nli();
        double defaultTemperature = nli ? 1.0 : config.scoring().temperature();
        double defaultThreshold = catchAllThreshold(loaded);
        CalibrationReport.Fitted fitted = CalibrationReport.fit(examples, realNames.size(), noneLabel != null, nli,
                defaultTemperature, prior == null ? Double.NaN : prior);
        new CalibrationReport(out(), realNames, noneLabel == null ? null : noneLabel.trim(), nli)
                .print(model(loaded), hypothesis, examples, fitted, defaultTemperature, defaultThreshold);
        return 0;
    }

    /** Every labelled text whose gold label has a candidate (or, with a catch-all, every one). */
    private List<DocSource.Doc> readDocs(Map<String, Integer> goldToIndex) {
        List<DocSource.Doc> docs = new ArrayList<>();
        try (DocSource source = new DocSource(in, true, DocSource.OnBadLine.FAIL, this::note)) {
            for (DocSource.Doc doc = source.next(); doc != null; doc = source.next()) {
                if (!goldToIndex.containsKey(doc.label()) && noneLabel == null) {
                    throw CliException.usage(in.getFileName() + " line " + doc.line() + ": gold label '"
                            + doc.label() + "' is not among the labels; map it with --label-map GOLD=LABEL, or "
                            + "give --none-label to count it as none of them");
                }
                if (!doc.text().isBlank()) {
                    docs.add(doc);
                }
            }
        }
        if (docs.isEmpty()) {
            throw CliException.usage(in + " has no labelled texts to calibrate on");
        }
        return docs;
    }

    private List<Example> score(Stack loaded, List<DocSource.Doc> docs, List<LabelSpec> specs,
            Map<String, Integer> goldToIndex) {
        double[][] strengths = strengths(loaded, docs.stream().map(DocSource.Doc::text).toList(), specs);
        List<Example> examples = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            DocSource.Doc doc = docs.get(i);
            examples.add(new Example(doc.id(), doc.label(), strengths[i], goldToIndex.getOrDefault(doc.label(), -1)));
        }
        return examples;
    }

    private void writeStrengths(List<Example> examples) throws IOException {
        try (Writer writer = Files.newBufferedWriter(strengthsOut, StandardCharsets.UTF_8)) {
            for (Example example : examples) {
                ObjectNode line = DocSource.JSON.createObjectNode();
                line.set("id", example.id());
                line.put("label", example.label());
                var values = line.putArray("strengths");
                for (double s : example.strengths()) {
                    values.add(s);
                }
                writer.write(DocSource.JSON.writeValueAsString(line));
                writer.write('\n');
            }
        }
        note("strengths written to " + strengthsOut);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
