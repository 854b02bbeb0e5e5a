package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.triage.model.TextTokenizer;

/** Long texts are cut into overlapping token windows that are substrings of the original. */
class TextWindowsTest {

    static final Path TOKENIZER = Path.of("target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json");

    @Test
    void windowsOverlapCoverTheTextAndKeepItsCharacters() {
        try (TextTokenizer tokenizer = TextTokenizer.open(TOKENIZER, 256, false)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                text.append("Word").append(i).append(" Zürich 😀 ");
            }
            List<String> windows = tokenizer.windows(text.toString(), 50, 10, 100);
            assertTrue(windows.size() > 3, "windows: " + windows.size());
            for (String window : windows) {
                assertTrue(text.indexOf(window) >= 0, "not a substring: " + window);
                assertTrue(tokenizer.countTokens(window) <= 50, "too long: " + tokenizer.countTokens(window));
            }
            assertTrue(text.toString().startsWith(windows.get(0)));
            assertTrue(text.toString().strip().endsWith(windows.get(windows.size() - 1)));
            // Neighbours share their overlap: the next window starts inside the previous one.
            String first = windows.get(0);
            String second = windows.get(1);
            assertTrue(first.contains(second.substring(0, 10)), first + " / " + second);
            assertEquals(List.of("short text"), tokenizer.windows("short text", 50, 10, 100));
            assertEquals(2, tokenizer.windows(text.toString(), 50, 10, 2).size());
        }
    }
}
