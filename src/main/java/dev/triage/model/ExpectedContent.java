package dev.triage.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

/**
 * What a file copied out of the application must hold, by content: the SHA-256 the build wrote beside the
 * resource ({@code <resource>.sha256}), else the CRC-32 its jar entry records. A cached copy is used only when
 * its content matches (size and date prove nothing: a copy corrupted in place keeps both), and a copy is made
 * beside its target under a unique name, checked, then moved into place atomically, so concurrent starts agree.
 */
public record ExpectedContent(URL resource, String algorithm, String value) {

    private static final int BUFFER = 1 << 16;

    /** The expected content of a classpath resource; null if there is no such resource. */
    public static ExpectedContent of(URL resource) throws IOException {
        URL manifest = new URL(resource, fileName(resource) + ".sha256");
        try (InputStream in = manifest.openStream()) {
            String hex = new String(in.readNBytes(200), StandardCharsets.US_ASCII).strip().split("\\s+")[0];
            return new ExpectedContent(resource, "SHA-256", hex.toLowerCase(java.util.Locale.ROOT));
        } catch (IOException noManifest) {
            URLConnection connection = resource.openConnection();
            if (connection instanceof JarURLConnection jar && jar.getJarEntry().getCrc() >= 0) {
                return new ExpectedContent(resource, "CRC32", Long.toHexString(jar.getJarEntry().getCrc()));
            }
            try (InputStream in = resource.openStream()) {
                return new ExpectedContent(resource, "SHA-256", Sha256.hex(in));
            }
        }
    }

    /** Whether {@code file} exists and holds exactly the expected content. */
    public boolean matches(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return value.equals(digest(in, algorithm));
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** {@code target} holding the expected content: kept if it does, else made again (part file, check, move). */
    public Path materialise(Path target) throws IOException {
        if (matches(target)) {
            return target;
        }
        return AtomicFiles.write(target, part -> {
            try (InputStream in = resource.openStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!matches(part)) {
                throw new IOException(resource + " does not match its " + algorithm + " " + value
                        + " (the application itself is damaged)");
            }
        });
    }

    private static String digest(InputStream in, String algorithm) throws IOException {
        if (!algorithm.equals("CRC32")) {
            return Sha256.hex(in);
        }
        byte[] buffer = new byte[BUFFER];
        Checksum crc = new CRC32();
        for (int n; (n = in.read(buffer)) > 0;) {
            crc.update(buffer, 0, n);
        }
        return Long.toHexString(crc.getValue());
    }

    private static String fileName(URL resource) {
        String path = resource.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
