package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
     * The documents {@code keep} accepts, classified in file order, a chunk at a time; returns how many were
     * classified. A (virtual) reader thread parses the next chunk meanwhile, so at most two chunks are in memory
     * and the cores never wait for the disk; inference still runs on the engine's pool.
     */
    long classify(ClassificationService service, ClassificationRequest request, Stack loaded, DocSource source,
            Progress shown, Predicate<DocSource.Doc> keep, Sink sink) throws Exception {
        SynchronousQueue<Supplier<List<DocSource.Doc>>> handoff = new SynchronousQueue<>();
        Thread reader = Thread.ofVirtual().name("triage-cli-reader").start(() -> read(source, handoff));
        // The reader stops first (the loop may have ended early, on its own failure), then the file is closed.
        try (source; AutoCloseable stopReader = () -> {
            reader.interrupt();
            reader.join(1000);
        }) {
            AtomicReference<List<DocSource.Doc>> current = new AtomicReference<>();
            return service.classifyInOrder(request, loaded, () -> {
                List<DocSource.Doc> kept = List.of();
                List<DocSource.Doc> docs;
                while (kept.isEmpty() && (docs = handoff.take().get()) != null) {
                    kept = docs.stream().filter(keep).toList();
                }
                current.set(kept);
                return kept.isEmpty() ? null : kept.stream().map(DocSource.Doc::text).toList();
            }, results -> sink.accept(current.get(), results));
        } catch (Exception | Error e) {
            shown.abandon(); // the error starts on a line of its own
            throw e;
        }
    }

    /** Hands over each chunk, then null; a bad line (fail mode) throws after the documents read before it. */
    private void read(DocSource source, SynchronousQueue<Supplier<List<DocSource.Doc>>> handoff) {
        try {
            while (true) {
                List<DocSource.Doc> chunk = new ArrayList<>(size);
                try {
                    DocSource.Doc doc;
                    while (chunk.size() < size && (doc = source.next()) != null) {
                        chunk.add(doc);
                    }
                } catch (RuntimeException e) {
                    handoff.put(() -> chunk);
                    handoff.put(() -> {
                        throw e;
                    });
                    return;
                }
                handoff.put(() -> chunk);
                if (chunk.size() < size) {
                    handoff.put(() -> null);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the classify loop stopped (its own failure): nothing more is wanted
        }
    }
}
