package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.triage.NliFixture;
import dev.triage.model.ModelException;
import dev.triage.model.ModelKind;
import dev.triage.model.ModelLocator;
import dev.triage.model.OnnxModel;

/** A model that does not fit what it is configured for is refused at load, naming the file and the mismatch. */
class ModelValidationTest {

    static String failure(Path dir, Optional<ModelKind> kind) {
        ModelException e = assertThrows(ModelException.class,
                () -> OnnxModel.open(ModelLocator.fromDirectory(dir, kind, OptionalInt.empty())).close());
        return e.getMessage();
    }

    @Test
    void classifierWithoutEntailmentLabelIsNotTakenForNli() {
        Path dir = NliFixture.withConfigText("""
                {"id2label": {"0": "positive", "1": "neutral", "2": "negative"},
                 "label2id": {"positive": 0, "neutral": 1, "negative": 2}}""");
        String message = failure(dir, Optional.empty());
        assertTrue(message.contains("no label starting with 'entail'"), message);
        assertTrue(message.contains("model.onnx"), message);
    }

    @Test
    void explicitNliWithoutEntailmentLabelUsesTheLastColumnAsHfDoes() {
        Path dir = NliFixture.withConfigText("""
                {"id2label": {"0": "a", "1": "b", "2": "c"}, "label2id": {"a": 0, "b": 1, "c": 2}}""");
        try (OnnxModel model = OnnxModel.open(ModelLocator.fromDirectory(dir, Optional.of(ModelKind.NLI),
                OptionalInt.empty()))) {
            assertEquals(2, model.nliLabels().orElseThrow().entailment());
            assertEquals(0, model.nliLabels().orElseThrow().contradiction());
        }
    }

    @Test
    void labelCountMustMatchTheLogits() {
        Path dir = NliFixture.withConfigText("""
                {"id2label": {"0": "entailment", "1": "contradiction"},
                 "label2id": {"entailment": 0, "contradiction": 1}}""");
        String message = failure(dir, Optional.empty());
        assertTrue(message.contains("id2label has 2 labels") && message.contains("outputs 3 logits"), message);
    }

    @Test
    void nliModelCannotServeAsEmbeddingModel() {
        String message = failure(NliFixture.withConfig("config.json"), Optional.of(ModelKind.EMBEDDING));
        assertTrue(message.contains("needs an output 'last_hidden_state'"), message);
        assertTrue(message.contains("logits"), message);
    }

    @Test
    void embeddedSentenceEncoderCannotBeNli() {
        ModelException e = assertThrows(ModelException.class, () -> ModelLocator.embedded("all-minilm-l6-v2-q",
                dev.triage.model.WorkDir.of(Path.of("target/triage-work")), Optional.of(ModelKind.NLI), OptionalInt.empty()));
        assertTrue(e.getMessage().contains("sentence encoder"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() {
        assertTrue(assertThrows(ModelException.class, () -> ModelLocator.fromDirectory(Path.of("/nonexistent/model"),
                Optional.empty(), OptionalInt.empty())).getMessage().contains("/nonexistent/model does not exist"));
        Path onlyModel = NliFixture.withConfig("config.json");
        onlyModel.resolve("tokenizer.json").toFile().delete();
        assertTrue(assertThrows(ModelException.class, () -> ModelLocator.fromDirectory(onlyModel, Optional.empty(),
                OptionalInt.empty())).getMessage().contains("has no tokenizer.json"));
    }
}
