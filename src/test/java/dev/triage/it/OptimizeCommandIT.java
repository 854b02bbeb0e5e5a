package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.triage.NliFixture;

/**
 * {@code triage optimize} on a model directory (the NLI fixture): what it fused, the check, the files written.
 * Refusing --out = --in is decided before any of that: CommandLineTest.
 */
class OptimizeCommandIT {

    @TempDir
    Path tmp;

    @Test
    void fusesADirectoryAndSaysWhatItFusedAndWhatTheCheckFound() throws Exception {
        Path out = tmp.resolve("fused");
        CliRun result = CliRun.launch("optimize", "--in", NliFixture.DIR.toString(), "--out", out.toString());
        String output = result.getOutput() + result.getErrorOutput();
        assertEquals(0, result.exitCode(), output);
        assertTrue(result.getOutput().contains("fused 2 attention blocks into Attention, 5 Add + LayerNormalization "
                + "pairs into SkipLayerNormalization"), output);
        assertTrue(result.getOutput().contains("check passed: outputs within"), output);
        for (String file : new String[] { "model.onnx", "tokenizer.json", "config.json", "tokenizer_config.json" }) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file + " in " + out);
        }
    }
}
