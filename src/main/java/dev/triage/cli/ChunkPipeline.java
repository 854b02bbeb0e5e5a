package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;

/**
 * Streams a file's documents in chunks: one (virtual) thread reads and parses the next chunk while the caller
 * classifies the current one, so at most two chunks are in memory and the cores never wait for the disk.
 * The reader never runs inference; classification still happens on the engine's pool.
 */
final class ChunkPipeline {

    /** What is done with each chunk, in file order, on the caller's thread. */
    @FunctionalInterface
    interface ChunkHandler {
        void accept(List<DocSource.Doc> chunk) throws Exception;
    }

    private record Failed(RuntimeException error) {
    }

    private static final Object END = new Object();

    private ChunkPipeline() {
    }

    /** @param progress told when the run fails, so the error starts on a line of its own */
    static void run(DocSource source, int chunkSize, Progress progress, ChunkHandler handler) throws Exception {
        SynchronousQueue<Object> handoff = new SynchronousQueue<>();
        Thread reader = Thread.ofVirtual().name("triage-cli-reader").start(() -> read(source, chunkSize, handoff));
        try {
            while (true) {
                Object item = handoff.take();
                if (item == END) {
                    return;
                }
                if (item instanceof Failed failed) {
                    throw failed.error();
                }
                @SuppressWarnings("unchecked")
                List<DocSource.Doc> chunk = (List<DocSource.Doc>) item;
                handler.accept(chunk);
            }
        } catch (Exception | Error e) {
            progress.abandon();
            throw e;
        } finally {
            reader.interrupt();
            reader.join(1000);
        }
    }

    /** Hands over full chunks; a bad line (fail mode) comes after the documents read before it. */
    private static void read(DocSource source, int chunkSize, SynchronousQueue<Object> handoff) {
        try {
            while (true) {
                List<DocSource.Doc> chunk = new ArrayList<>(chunkSize);
                try {
                    DocSource.Doc doc;
                    while (chunk.size() < chunkSize && (doc = source.next()) != null) {
                        chunk.add(doc);
                    }
                } catch (RuntimeException e) {
                    if (!chunk.isEmpty()) {
                        handoff.put(chunk);
                    }
                    handoff.put(new Failed(e));
                    return;
                }
                if (!chunk.isEmpty()) {
                    handoff.put(chunk);
                }
                if (chunk.size() < chunkSize) {
                    handoff.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the consumer stopped (its own failure): nothing more is wanted
        }
    }
}
