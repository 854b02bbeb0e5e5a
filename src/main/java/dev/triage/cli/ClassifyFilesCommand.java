package dev.triage.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.model.AtomicFiles;
import dev.triage.scoring.Classification;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage classify}: the file streamed in chunks through the serving engine, one output line per document. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify every document of a JSON Lines file; writes {\"id\", \"labels\", \"scores\"} "
                + "per document, in input order, labels sorted by score.")
@Dependent
@Unremovable
@RegisterForReflection
public class ClassifyFilesCommand extends EngineCommand {

    @Option(names = "--out", paramLabel = "FILE", description = "Where the predictions go (default: stdout)")
    Path outFile;

    @Option(names = "--multi-label", description = "Independent per-label scores instead of one distribution")
    boolean multiLabel;

    @Option(names = "--on-bad-line", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A line that is not JSON with a string \"text\": stop with exit code 2 (fail, default) "
                    + "or report and skip it (skip)")
    DocSource.OnBadLine onBadLine;

    @Mixin
    Chunking chunking;

    @Override
    public Integer call() throws Exception {
        List<String> labelNames = labels();
        List<LabelSpec> labelSpecs = withCatchAll(labelNames.stream().map(LabelSpec::plain).toList());
        List<String> given = template();
        chunking.check(config.limits());
        checkWritable("--out", outFile);
        DocSource.requireReadable(in);
        OptionalLong total = chunking.progress == Progress.Mode.NONE ? OptionalLong.empty()
                : DocSource.countRecords(in);
        Stack loaded = loaded();
        String catchAll = noneLabel == null ? "" : " + catch-all '" + noneLabel.trim() + "'";
        note("model " + describe(loaded) + ", labels " + labelNames + catchAll + ", template \""
                + hypothesis(loaded) + "\"");

        // Predictions on a terminal: a bar redrawn between them would only garble both.
        Progress.Mode mode = chunking.progress == Progress.Mode.AUTO && outFile == null
                && Progress.stdoutIsTerminal() ? Progress.Mode.LINES : chunking.progress;
        Progress shown = new Progress(err(), name(), total, mode);
        ClassificationRequest request = new ClassificationRequest(List.of(), labelSpecs, given, multiLabel,
                LongText.TRUNCATE);
        long[] written = { 0 };
        // A device or pipe (--out /dev/stdout) is written as it is; a symlink's file is replaced, not the link.
        if (outFile == null || Files.exists(outFile) && !Files.isRegularFile(outFile)) {
            written[0] = classifyAll(request, loaded, shown, outFile);
        } else {
            // A failed or interrupted run never leaves a shorter file that looks complete, nor clobbers an old one.
            Path target = Files.exists(outFile) ? outFile.toRealPath() : outFile;
            AtomicFiles.write(target, part -> written[0] = classifyAll(request, loaded, shown, part));
        }
        note(String.format(Locale.ROOT, "%,d documents classified in %.1f s (%.1f docs/s)%s%s", written[0],
                shown.seconds(), written[0] / Math.max(shown.seconds(), 1e-9),
                shown.skippedLines() > 0 ? String.format(Locale.ROOT, ", %,d bad line%s skipped",
                        shown.skippedLines(), shown.skippedLines() == 1 ? "" : "s") : "",
                outFile == null ? "" : ", written to " + outFile));
        return 0;
    }

    /** Every document, in input order, to {@code file} (stdout if null); returns how many were written. */
    private long classifyAll(ClassificationRequest request, Stack loaded, Progress shown, Path file)
            throws Exception {
        try (Writer writer = open(file)) {
            DocSource source = new DocSource(in, false, onBadLine, message -> shown.message(name() + ": " + message));
            long count = chunking.classify(service, request, loaded, source, shown, doc -> true, (docs, results) -> {
                for (int i = 0; i < docs.size(); i++) {
                    writer.write(line(docs.get(i), results.get(i)) + "\n");
                }
                shown.skipped(source.skipped());
                shown.add(docs.size());
            });
            writer.flush();
            shown.skipped(source.skipped());
            shown.finish();
            return count;
        } catch (Exception | Error e) {
            shown.abandon(); // the error starts on a line of its own
            throw e;
        }
    }

    private static String line(DocSource.Doc doc, Classification result) throws IOException {
        ObjectNode node = DocSource.JSON.createObjectNode().set("id", doc.id());
        result.labels().forEach(node.putArray("labels")::add);
        result.scores().forEach(node.putArray("scores")::add);
        return DocSource.JSON.writeValueAsString(node);
    }

    private static Writer open(Path file) {
        if (file == null) {
            // Not closed for real: stdout belongs to the process.
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("--out: cannot write " + file + ": " + e.getMessage());
        }
    }
}
