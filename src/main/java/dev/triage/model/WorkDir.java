package dev.triage.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;

/**
 * Where the engine keeps what it derives from the application: the embedded model extracted from the jar and one
 * copy of ONNX Runtime's and the tokenizers' native libraries. {@code writable} is where a start makes what it lacks;
 * {@code prepared}, if given, is a directory with the same layout made earlier by {@code triage prepare} (at
 * image build), looked in first and never written, so a new pod starts without redoing that work.
 */
public record WorkDir(Path writable, Optional<Path> prepared) {

    private static final Logger LOG = Logger.getLogger(WorkDir.class);

    public static WorkDir of(Path writable) {
        return new WorkDir(writable, Optional.empty());
    }

    /** The configured work dir, with the prepared one in front of it if configured. */
    public static WorkDir configured(TriageConfig.Model model) {
        return new WorkDir(model.workDir(), model.preparedDir());
    }

    /** The same sub-directory of both. */
    public WorkDir resolve(String child) {
        return new WorkDir(writable.resolve(child), prepared.map(dir -> dir.resolve(child)));
    }

    /** The prepared copy of {@code relative}, if there is one and it is a file of {@code size} bytes (-1: any). */
    public Optional<Path> preparedFile(String relative, long size) {
        if (prepared.isEmpty()) {
            return Optional.empty();
        }
        Path file = prepared.get().resolve(relative);
        try {
            if (size < 0 ? Files.isRegularFile(file) : isWhole(file, size)) {
                LOG.debugf("using prepared %s", file);
                return Optional.of(file);
            }
        } catch (IOException e) {
            LOG.debugf("prepared %s unreadable: %s", file, e);
        }
        return Optional.empty();
    }

    /** A copy is whole when it is a file of the size its source has (copies are moved into place complete). */
    static boolean isWhole(Path file, long size) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == size;
    }
}
