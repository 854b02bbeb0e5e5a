package dev.triage.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded model as the packaged app sees it (a jar on the class path, whose entries record their CRC-32): a
 * cached copy corrupted in place (same size, same date) is detected and made again; starts racing on
 * an empty work dir all end with the same, whole copy.
 */
class CachedModelContentTest {

    static final String MODEL = "all-minilm-l6-v2-q";
    static final Path BUILT = Path.of("target/classes/models", MODEL);

    @Test
    void aSameSizeCorruptedCachedModelIsDetectedAndMadeAgain(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("work");
        try (URLClassLoader jar = modelJar(tmp)) {
            ModelSpec first = locate(jar, work);
            byte[] original = Files.readAllBytes(first.onnxFile());
            assertArrayEquals(Files.readAllBytes(BUILT.resolve(MODEL + ".onnx")), original);

            FileTime stamp = Files.getLastModifiedTime(first.onnxFile());
            byte[] corrupt = original.clone();
            for (int i = corrupt.length / 2; i < corrupt.length / 2 + 64; i++) {
                corrupt[i] ^= 0x5a;
            }
            Files.write(first.onnxFile(), corrupt);
            Files.setLastModifiedTime(first.onnxFile(), stamp);
            assertEquals(original.length, Files.size(first.onnxFile()));
            assertEquals(stamp, Files.getLastModifiedTime(first.onnxFile()));

            ModelSpec again = locate(jar, work);
            assertEquals(first.onnxFile(), again.onnxFile());
            assertArrayEquals(original, Files.readAllBytes(again.onnxFile()), "the corrupted copy was used");
            assertEquals(List.of(), leftovers(work), "temporary files left behind");
        }
    }

    @Test
    void concurrentStartsOnAnEmptyWorkDirAgree(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("work");
        try (URLClassLoader jar = modelJar(tmp); ExecutorService starts = Executors.newFixedThreadPool(4)) {
            List<Future<ModelSpec>> specs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                specs.add(starts.submit((Callable<ModelSpec>) () -> locate(jar, work)));
            }
            byte[] expected = Files.readAllBytes(BUILT.resolve(MODEL + ".onnx"));
            for (Future<ModelSpec> spec : specs) {
                assertArrayEquals(expected, Files.readAllBytes(spec.get().onnxFile()));
            }
            assertEquals(List.of(), leftovers(work));
        }
    }

    private static ModelSpec locate(ClassLoader jar, Path work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(jar);
        try {
            return ModelLocator.embedded(MODEL, WorkDir.of(work), Optional.empty(), OptionalInt.empty());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** A jar holding the model directory the build made (target/classes/models/...). */
    private static URLClassLoader modelJar(Path tmp) throws IOException {
        Path jar = tmp.resolve("models.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(BUILT)) {
            for (Path file : files.toList()) {
                zip.putNextEntry(new ZipEntry("models/" + MODEL + "/" + file.getFileName()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return new URLClassLoader(new URL[] { jar.toUri().toURL() }, null);
    }

    private static List<Path> leftovers(Path work) throws IOException {
        try (Stream<Path> all = Files.walk(work)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
