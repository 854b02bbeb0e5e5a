package dev.triage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;

/**
 * Streams a file's documents in chunks: one (virtual) thread reads and parses the next chunk while the caller
 * classifies the current one, so at most two chunks are in memory and the cores never wait for the disk.
 * The reader never runs inference; classification still happens on the engine's pool.
 */
final class ChunkPipeline implements AutoCloseable {

    private record Failed(RuntimeException error) {
    }

    private static final Object END = new Object();

    private final SynchronousQueue<Object> handoff = new SynchronousQueue<>();
    private final Thread reader;
    private boolean ended;

    ChunkPipeline(DocSource source, int chunkSize) {
        reader = Thread.ofVirtual().name("triage-cli-reader").start(() -> read(source, chunkSize, handoff));
    }

    /** The next chunk in file order, null at the end; a bad line (fail mode) throws after the chunk before it. */
    List<DocSource.Doc> next() throws InterruptedException {
        if (ended) {
            return null;
        }
        Object item = handoff.take();
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failed failed) {
            ended = true;
            throw failed.error();
        }
        @SuppressWarnings("unchecked")
        List<DocSource.Doc> chunk = (List<DocSource.Doc>) item;
        return chunk;
    }

    /** Stops the reader (the consumer may have stopped early, on its own failure). */
    @Override
    public void close() throws InterruptedException {
        reader.interrupt();
        reader.join(1000);
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
