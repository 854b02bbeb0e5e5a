package dev.triage.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files written beside their target and moved into place whole, so no reader ever sees a partial one. */
public final class AtomicFiles {

    /** Fills the temporary file it is given. */
    @FunctionalInterface
    public interface Content<E extends Exception> {
        void writeTo(Path part) throws E;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through a {@code .part} file in its directory, moved over it only once
     * {@code content} returned; on failure (or an interrupted run) the part is removed and the target untouched.
     */
    public static <E extends Exception> Path write(Path target, Content<E> content) throws IOException, E {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        part.toFile().deleteOnExit(); // Ctrl-C: shutdown hooks still run
        try {
            content.writeTo(part);
            return Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
