package dev.triage.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.scoring.LabelSpec;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    GoldIndex goldIndex;

    @Option(names = "--strengths-out", paramLabel = "FILE",
            description = "Also write each text's label strengths, {\"id\", \"label\", \"strengths\"} per line")
    Path strengthsOut;

    @Option(names = "--prior", paramLabel = "RATE",
            description = "Share of texts a label applies to where the threshold will serve (e.g. 0.05 for 1 in 20): "
                    + "the threshold becomes the cut of best expected F1 at that rate instead of the likelihood's "
                    + "50 %% point, so a balanced set of examples can calibrate a rare label")
    Double prior;

    /** One labelled text: its strengths per real label, and the index of its gold label (-1: none of them). */
    record Example(JsonNode id, String label, double[] strengths, @JsonIgnore int gold) {
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
        Map<String, Integer> goldToIndex = goldIndex.of(realNames);
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
        return IntStream.range(0, docs.size()).mapToObj(i -> new Example(docs.get(i).id(), docs.get(i).label(),
                strengths[i], goldToIndex.getOrDefault(docs.get(i).label(), -1))).toList();
    }

    /** One {@link Example} per line, without its gold index. */
    private void writeStrengths(List<Example> examples) throws IOException {
        try (Writer writer = Files.newBufferedWriter(strengthsOut, StandardCharsets.UTF_8)) {
            for (Example example : examples) {
                writer.write(DocSource.JSON.writeValueAsString(example));
                writer.write('\n');
            }
        }
        note("strengths written to " + strengthsOut);
    }
}
