package dev.triage.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * What a file copied out of the application must hold: the CRC-32 its jar entry records (cheap enough to check at
 * every start). A cached copy is used only when its content matches; a new one is written beside its target,
 * checked, then moved into place atomically, so concurrent starts agree.
 */
public record ExpectedContent(URL resource, long crc) {

    /** The expected content of a classpath resource: its jar entry's CRC-32, or computed where there is none. */
    public static ExpectedContent of(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar && jar.getJarEntry().getCrc() >= 0) {
            return new ExpectedContent(resource, jar.getJarEntry().getCrc());
        }
        try (InputStream in = resource.openStream()) {
            return new ExpectedContent(resource, crc(in));
        }
    }

    /** Whether {@code file} exists and holds exactly the expected content. */
    public boolean matches(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return crc == crc(in);
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
                throw new IOException(resource + " does not match its CRC-32 " + Long.toHexString(crc)
                        + " (the application itself is damaged)");
            }
        });
    }

    private static long crc(InputStream in) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
        checked.transferTo(OutputStream.nullOutputStream());
        return checked.getChecksum().getValue();
    }
}
