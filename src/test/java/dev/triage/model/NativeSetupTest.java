package dev.triage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OrtEnvironment;

/** One copy of ORT's native libraries per jar, made once, complete, and reused by later starts. */
class NativeSetupTest {

    @TempDir
    Path dir;

    @Test
    void copiesOrtsLibrariesOnceAndReusesThem() throws Exception {
        String before = System.getProperty(NativeSetup.ORT_NATIVE_PATH);
        System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
        try {
            Path first = NativeSetup.cacheOrtLibraries(WorkDir.of(dir));
            assertNotNull(first, "the test classpath has ORT's jar with its bundled libraries");
            assertEquals(first.toString(), System.getProperty(NativeSetup.ORT_NATIVE_PATH));
            List<Path> files = list(first);
            assertEquals(List.of("libonnxruntime.so", "libonnxruntime4j_jni.so"),
                    files.stream().map(f -> f.getFileName().toString()).sorted().toList(), "no partial file left");
            for (Path file : files) {
                long size = OrtEnvironment.class.getResource("/ai/onnxruntime/native/linux-x64/" + file.getFileName())
                        .openConnection().getContentLengthLong();
                assertEquals(size, Files.size(file), file + " is a whole copy");
            }
            FileTime made = Files.getLastModifiedTime(files.get(0));

            System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            assertEquals(first, NativeSetup.cacheOrtLibraries(WorkDir.of(dir)), "the same jar maps to the same copy");
            assertEquals(made, Files.getLastModifiedTime(files.get(0)), "not copied again");

            Files.write(files.get(0), new byte[10]); // a truncated copy is replaced
            System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            NativeSetup.cacheOrtLibraries(WorkDir.of(dir));
            assertTrue(Files.size(files.get(0)) > 1_000_000, "the broken copy was made again");

            System.setProperty(NativeSetup.ORT_NATIVE_PATH, "/opt/ort");
            assertEquals(Path.of("/opt/ort"), NativeSetup.cacheOrtLibraries(WorkDir.of(dir)),
                    "an operator's path wins");
        } finally {
            // This JVM's ORT may not be loaded yet: never leave it pointing at a temp dir.
            if (before == null) {
                System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            } else {
                System.setProperty(NativeSetup.ORT_NATIVE_PATH, before);
            }
        }
    }

    @Test
    void aPreparedCopyIsUsedAsItIsAndAnIncompleteOneIsNot() throws Exception {
        String before = System.getProperty(NativeSetup.ORT_NATIVE_PATH);
        System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
        try {
            Path prepared = NativeSetup.cacheOrtLibraries(WorkDir.of(dir.resolve("prepared")));
            Path writable = dir.resolve("pod");
            System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            WorkDir pod = new WorkDir(writable, Optional.of(dir.resolve("prepared")));
            assertEquals(prepared, NativeSetup.cacheOrtLibraries(pod));
            assertFalse(Files.exists(writable), "nothing copied beside a complete prepared copy");

            Files.delete(list(prepared).get(1)); // a prepared dir missing a library is not used at all
            System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            Path made = NativeSetup.cacheOrtLibraries(pod);
            assertEquals(writable.resolve("native").resolve(prepared.getFileName()), made);
            assertEquals(2, list(made).size());
        } finally {
            if (before == null) {
                System.clearProperty(NativeSetup.ORT_NATIVE_PATH);
            } else {
                System.setProperty(NativeSetup.ORT_NATIVE_PATH, before);
            }
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
