package dev.triage.model;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import ai.djl.util.Utils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * Settings the native libraries read once, before they load: DJL never calls home and ORT's telemetry is off
 * (Triage runs offline), and ORT's and DJL's libraries live in the work dir instead of a new temp dir per start
 * (deploy/PERFORMANCE.md), so a prepared work dir holds every native library a start needs.
 */
public final class NativeSetup {

    private static final Logger LOG = Logger.getLogger(NativeSetup.class);
    static final String ORT_NATIVE_PATH = "onnxruntime.native.path";
    private static final List<String> ORT_LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    static final String ORT_TELEMETRY_OPT_OUT = "ORT_DISABLE_TELEMETRY";
    static final String DJL_ENGINE_CACHE = "ENGINE_CACHE_DIR";
    private static boolean telemetryChecked;

    private NativeSetup() {
    }

    public static synchronized void configure() {
        for (String key : List.of("OPT_OUT_TRACKING", "ai.djl.offline", "DJL_OFFLINE")) {
            System.getProperties().putIfAbsent(key, "true");
        }
    }

    /** ORT's environment, with its telemetry off as far as the process environment allows. */
    public static synchronized OrtEnvironment ortEnvironment() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (!telemetryChecked && !"1".equals(System.getenv(ORT_TELEMETRY_OPT_OUT))) {
            LOG.warnf("%s=1 is not set: ONNX Runtime keeps a device id and usage events under ~/.cache/Microsoft "
                    + "(its events are turned off now, but only the variable, set before start, stops all of it; "
                    + "deploy/triage and the images set it)", ORT_TELEMETRY_OPT_OUT);
            try {
                env.setTelemetry(false);
            } catch (OrtException e) {
                LOG.debugf("cannot turn ORT telemetry off: %s", e);
            }
        }
        telemetryChecked = true;
        return env;
    }

    /**
     * Before ONNX Runtime first loads: its libraries, keyed by the jar they come from, in {@code work}'s native
     * directory (see {@link WorkDir#holding}). Any failure only logs: ORT then extracts them itself.
     *
     * @return the directory ORT will load from, or null if left to ORT
     */
    public static synchronized Path cacheOrtLibraries(WorkDir work) {
        if (System.getProperty(ORT_NATIVE_PATH) != null) {
            return Path.of(System.getProperty(ORT_NATIVE_PATH)); // the operator's choice
        }
        WorkDir dir = work.resolve("native");
        try {
            String resourceDir = "/ai/onnxruntime/native/" + platform() + "/";
            Map<String, ExpectedContent> libraries = new LinkedHashMap<>();
            StringBuilder identity = new StringBuilder();
            for (String library : ORT_LIBRARIES) {
                String file = System.mapLibraryName(library);
                URL url = OrtEnvironment.class.getResource(resourceDir + file);
                if (url == null) {
                    return null; // not a jar with bundled libraries (native image, or a custom build)
                }
                libraries.put(file, ExpectedContent.of(url));
                identity.append(url).append('|').append(Long.toHexString(libraries.get(file).crc())).append('\n');
            }
            String name = "ort-" + Sha256.hex(identity.toString()).substring(0, 16);
            Path target = dir.resolve(name).holding(libraries);
            System.setProperty(ORT_NATIVE_PATH, target.toString());
            return target;
        } catch (IOException | RuntimeException e) {
            LOG.infof("ONNX Runtime libraries not cached in %s (%s); ORT extracts them itself", dir.writable(),
                    e.toString());
            return null;
        }
    }

    /**
     * Before the first tokenizer: DJL keeps its library in {@code work}'s djl dir, the prepared one if it holds
     * this DJL version's copy (DJL then only reads it), else the writable one. An operator's ENGINE_CACHE_DIR wins.
     *
     * @return the directory DJL will use
     */
    public static synchronized Path placeTokenizerLibrary(WorkDir work) {
        String chosen = Utils.getEnvOrSystemProperty(DJL_ENGINE_CACHE);
        if (chosen != null) {
            return Path.of(chosen);
        }
        WorkDir dir = work.resolve("djl");
        Path target = dir.prepared().filter(NativeSetup::holdsTokenizerLibrary).orElse(dir.writable());
        System.setProperty(DJL_ENGINE_CACHE, target.toString());
        return target;
    }

    /** DJL's layout: tokenizers/{tokenizers version}-{DJL version}-{flavour}-{os}-{arch}/libtokenizers.so. */
    private static boolean holdsTokenizerLibrary(Path djlDir) {
        String version = "-" + ai.djl.engine.Engine.getDjlVersion() + "-";
        String library = System.mapLibraryName("tokenizers");
        try (var versions = Files.list(djlDir.resolve("tokenizers"))) {
            return versions.anyMatch(v -> v.getFileName().toString().contains(version)
                    && Files.isRegularFile(v.resolve(library)));
        } catch (IOException e) {
            return false;
        }
    }

    /** The folder name ORT's jar uses for this OS and CPU. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : os;
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch;
        return osPart + "-" + archPart;
    }
}
