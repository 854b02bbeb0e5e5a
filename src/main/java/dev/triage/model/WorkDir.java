package dev.triage.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.triage.config.TriageConfig;

/**
 * Where the engine keeps what it derives from the application: the embedded model extracted from the jar and one
 * copy of ONNX Runtime's and the tokenizers' native libraries. {@code writable} is where a start makes what it lacks;
 * {@code prepared}, if given, is a directory with the same layout made earlier by {@code triage prepare} (at
 * image build), looked in first and never written, so a new pod starts without redoing that work.
 */
public record WorkDir(Path writable, Optional<Path> prepared) {

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

    /**
     * The directory that holds every one of {@code files} (relative path to content): the prepared one if all match
     * there (checked at every start), else the writable one, where what is missing or different is made again.
     */
    Path holding(Map<String, ExpectedContent> files) throws IOException {
        Optional<Path> ready = prepared.filter(dir -> files.entrySet().stream()
                .allMatch(file -> file.getValue().matches(dir.resolve(file.getKey()))));
        if (ready.isPresent()) {
            return ready.get();
        }
        for (Map.Entry<String, ExpectedContent> file : files.entrySet()) {
            file.getValue().materialise(writable.resolve(file.getKey()));
        }
        return writable;
    }
}
