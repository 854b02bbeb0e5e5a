package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.Classification;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.ClassificationService;
import dev.triage.service.Stack;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Option;

/** --chunk and --progress, and the chunked classify loop, for the commands that stream a whole file. */
@RegisterForReflection
final class Chunking {

    /** Takes each classified chunk: the documents kept, and their results in the same order. */
    @FunctionalInterface
    interface Sink {
        void accept(List<DocSource.Doc> docs, List<Classification> results) throws Exception;
    }

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "256",
            description = "Documents classified per step; about two chunks are held in memory (default: 256)")
    int size;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "Progress on stderr: a redrawn line on a terminal, else a line every 5 s (default: auto)")
    Progress.Mode progress;

    /** Documents per step must fit in one request. */
    void check(TriageConfig.Limits limits) {
        EngineCommand.checkAtLeastOne("--chunk", size);
        if (size > limits.maxTexts()) {
            throw CliException.usage("--chunk " + size + " is over triage.limits.max-texts (" + limits.maxTexts()
                    + "), the most texts one request may hold");
        }
    }

    /**
     * The documents {@code keep} accepts, classified in file order, a chunk at a time (a reader thread parses the
     * next chunk meanwhile); returns how many were classified.
     */
    long classify(ClassificationService service, ClassificationRequest request, Stack loaded, DocSource source,
            Progress shown, Predicate<DocSource.Doc> keep, Sink sink) throws Exception {
        try (source; ChunkPipeline chunks = new ChunkPipeline(source, size)) {
            List<List<DocSource.Doc>> current = new ArrayList<>(List.of(List.of()));
            return service.classifyInOrder(request, loaded, () -> {
                List<DocSource.Doc> kept = List.of();
                List<DocSource.Doc> docs;
                while (kept.isEmpty() && (docs = chunks.next()) != null) {
                    kept = docs.stream().filter(keep).toList();
                }
                current.set(0, kept);
                return kept.isEmpty() ? null : kept.stream().map(DocSource.Doc::text).toList();
            }, results -> sink.accept(current.getFirst(), results));
        } catch (Exception | Error e) {
            shown.abandon(); // the error starts on a line of its own
            throw e;
        }
    }
}
