package dev.triage.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks the native-image configuration in src/main/resources/META-INF/native-image/dev.triage/triage/ against
 * the ONNX Runtime and DJL tokenizers jars on the classpath. No native build happens here (there is no GraalVM
 * on this machine); what can be checked without one is:
 * <ul>
 * <li>every class, constructor and method named in jni-config.json / reflect-config.json exists;</li>
 * <li>every Java class that the JNI libraries name (FindClass, and the constructor signatures of ORT's JNI code,
 * read out of the .so files) is in jni-config.json, so an upgrade of either library that adds a JNI call-back
 * fails here instead of at run time in a native executable;</li>
 * <li>the resource patterns include the Linux JNI libraries and the embedded models;</li>
 * <li>the classes that load the native libraries in their static initialisers are initialised at run time.</li>
 * </ul>
 * Classes are looked up with {@code Class.forName(name, false, ...)}: nothing is initialised, no library loaded.
 */
class NativeImageConfigTest {

    static final String CONFIG_DIR = "src/main/resources/META-INF/native-image/dev.triage/triage/";
    static final String ORT_JNI = "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so";
    static final String ORT_LIB = "ai/onnxruntime/native/linux-x64/libonnxruntime.so";
    static final String DJL_JNI = "native/lib/linux-x86_64/cpu/libtokenizers.so";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClassLoader LOADER = NativeImageConfigTest.class.getClassLoader();
    private static final Pattern CLASS_NAME = Pattern.compile("(?:ai/onnxruntime|ai/djl|java)/[A-Za-z0-9_/$]+");
    /** A JNI method signature returning void (constructors), with at least one parameter. */
    private static final Pattern CTOR_SIGNATURE = Pattern.compile(
            "\\((?:\\[*[ZBCSIJFD]|\\[*L[A-Za-z0-9_/$]+;)+\\)V");

    @ParameterizedTest
    @ValueSource(strings = { "jni-config.json", "reflect-config.json" })
    void everyConfiguredMemberExists(String file) throws Exception {
        for (JsonNode entry : readJson(file)) {
            String name = entry.path("name").asText();
            Class<?> type = load(name, file);
            for (JsonNode method : entry.path("methods")) {
                Class<?>[] params = parameterTypes(method.path("parameterTypes"), file);
                String methodName = method.path("name").asText();
                try {
                    if ("<init>".equals(methodName)) {
                        type.getDeclaredConstructor(params);
                    } else {
                        type.getDeclaredMethod(methodName, params);
                    }
                } catch (NoSuchMethodException e) {
                    fail(file + ": " + name + " has no " + methodName + Arrays.toString(params));
                }
            }
            for (JsonNode field : entry.path("fields")) {
                try {
                    type.getDeclaredField(field.path("name").asText());
                } catch (NoSuchFieldException e) {
                    fail(file + ": " + name + " has no field " + field.path("name").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { ORT_JNI, DJL_JNI })
    void everyClassTheJniLibraryNamesIsConfigured(String library) throws Exception {
        String text = new String(resourceBytes(library), StandardCharsets.ISO_8859_1);
        Set<String> named = new TreeSet<>();
        Matcher m = CLASS_NAME.matcher(text);
        while (m.find()) {
            // Rust string tables are not NUL-separated: take the longest prefix that is a class.
            String candidate = m.group();
            for (int end = candidate.length(); end > 0; end--) {
                String prefix = candidate.substring(0, end);
                if (LOADER.getResource(prefix + ".class") != null || isJdkClass(prefix)) {
                    named.add(prefix.replace('/', '.'));
                    break;
                }
            }
        }
        assertTrue(!named.isEmpty(), library + ": found no class names; has the library's layout changed?");
        Set<String> configured = new TreeSet<>();
        readJson("jni-config.json").forEach(e -> configured.add(e.path("name").asText()));
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(configured);
        assertTrue(missing.isEmpty(), library + " looks up " + missing + " via JNI: add them to jni-config.json");
    }

    @Test
    void everyConstructorOrtCallsFromJniIsConfigured() throws Exception {
        // ORT's JNI strings are NUL-terminated, so signatures can be read exactly (bounded by NULs).
        String text = new String(resourceBytes(ORT_JNI), StandardCharsets.ISO_8859_1);
        Set<String> signatures = new TreeSet<>();
        Matcher m = CTOR_SIGNATURE.matcher(text);
        while (m.find()) {
            boolean bounded = (m.start() == 0 || text.charAt(m.start() - 1) == 0)
                    && (m.end() == text.length() || text.charAt(m.end()) == 0);
            if (bounded) {
                signatures.add(m.group());
            }
        }
        assertTrue(!signatures.isEmpty(), "no constructor signatures found in " + ORT_JNI);
        Set<String> configured = new TreeSet<>();
        for (JsonNode entry : readJson("jni-config.json")) {
            for (JsonNode method : entry.path("methods")) {
                if ("<init>".equals(method.path("name").asText())) {
                    configured.add(signature(parameterTypes(method.path("parameterTypes"), "jni-config.json")));
                }
            }
        }
        Set<String> missing = new TreeSet<>(signatures);
        missing.removeAll(configured);
        assertTrue(missing.isEmpty(), ORT_JNI + " calls constructors " + missing
                + " that no jni-config.json entry declares");
    }

    @Test
    void resourcePatternsIncludeTheNativeLibrariesAndModels() throws Exception {
        List<Pattern> includes = new ArrayList<>();
        for (JsonNode include : readJson("resource-config.json").path("resources").path("includes")) {
            includes.add(Pattern.compile(include.path("pattern").asText()));
        }
        assertTrue(!includes.isEmpty(), "resource-config.json includes nothing");
        List<String> required = List.of(ORT_LIB, ORT_JNI, "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                DJL_JNI, "native/lib/linux-aarch64/cpu/libtokenizers.so", "native/lib/tokenizers.properties");
        for (String resource : required) {
            assertNotNull(LOADER.getResource(resource), resource + " is not on the classpath (library layout changed?)");
            assertTrue(includes.stream().anyMatch(p -> p.matcher(resource).matches()),
                    "resource-config.json must include " + resource);
        }
        for (String model : List.of("models/all-minilm-l6-v2-q/model.onnx", "models/all-minilm-l6-v2-q/tokenizer.json")) {
            assertTrue(includes.stream().anyMatch(p -> p.matcher(model).matches()),
                    "resource-config.json must include the embedded models: " + model);
        }
        // Windows and macOS libraries (and ORT's macOS debug symbols) would only bloat a Linux executable.
        for (String foreign : List.of("ai/onnxruntime/native/win-x64/onnxruntime.dll",
                "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", "native/lib/win-x86_64/cpu/tokenizers.dll")) {
            assertTrue(includes.stream().noneMatch(p -> p.matcher(foreign).matches()), "must not include " + foreign);
        }
    }

    @Test
    void libraryLoadingClassesAreInitialisedAtRunTime() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(config("native-image.properties"), StandardCharsets.UTF_8)) {
            props.load(in);
        }
        String args = props.getProperty("Args", "");
        Matcher m = Pattern.compile("--initialize-at-run-time=(\\S+)").matcher(args);
        assertTrue(m.find(), "native-image.properties must pass --initialize-at-run-time");
        List<String> runtime = Arrays.asList(m.group(1).split(","));
        for (String entry : runtime) {
            boolean isClass = LOADER.getResource(entry.replace('.', '/') + ".class") != null;
            boolean isPackage = LOADER.getResource(entry.replace('.', '/') + "/") != null;
            assertTrue(isClass || isPackage, "--initialize-at-run-time names " + entry + ", which is on no classpath");
        }
        // The classes whose static initialisers extract and load the JNI libraries.
        for (String cls : List.of("ai.onnxruntime.OnnxRuntime", "ai.onnxruntime.OrtEnvironment",
                "ai.onnxruntime.OrtSession", "ai.onnxruntime.OrtSession$SessionOptions", "ai.onnxruntime.OnnxTensor",
                "ai.onnxruntime.OnnxTensorLike", "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer",
                "ai.djl.huggingface.tokenizers.jni.TokenizersLibrary", "ai.djl.huggingface.tokenizers.jni.LibUtils")) {
            load(cls, "native-image.properties");
            String pkg = cls.substring(0, cls.lastIndexOf('.'));
            assertTrue(runtime.stream().anyMatch(r -> r.equals(cls) || pkg.equals(r) || pkg.startsWith(r + ".")),
                    cls + " must be initialised at run time (--initialize-at-run-time)");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    static Path config(String file) {
        Path path = Kustomize.projectRoot().resolve(CONFIG_DIR).resolve(file);
        assertTrue(Files.isRegularFile(path), "missing " + path);
        return path;
    }

    static JsonNode readJson(String file) throws IOException {
        return JSON.readTree(config(file).toFile());
    }

    static byte[] resourceBytes(String resource) throws IOException {
        try (InputStream in = LOADER.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the classpath");
            return in.readAllBytes();
        }
    }

    static boolean isJdkClass(String slashName) {
        if (!slashName.startsWith("java/")) {
            return false;
        }
        try {
            Class.forName(slashName.replace('/', '.'), false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static Class<?> load(String name, String where) {
        try {
            return Class.forName(name, false, LOADER);
        } catch (ClassNotFoundException e) {
            return fail(where + ": class " + name + " is not on the classpath");
        }
    }

    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "byte", byte.class,
            "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class,
            "double", double.class);

    static Class<?>[] parameterTypes(JsonNode types, String where) {
        List<Class<?>> result = new ArrayList<>();
        for (JsonNode t : types) {
            String name = t.asText();
            int dims = 0;
            while (name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2);
                dims++;
            }
            Class<?> type = PRIMITIVES.containsKey(name) ? PRIMITIVES.get(name) : load(name, where);
            for (int i = 0; i < dims; i++) {
                type = type.arrayType();
            }
            result.add(type);
        }
        return result.toArray(Class<?>[]::new);
    }

    /** The JNI signature of a void method with these parameters: (JJLai/onnxruntime/TensorInfo;)V. */
    static String signature(Class<?>[] params) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : params) {
            sb.append(p.descriptorString());
        }
        return sb.append(")V").toString();
    }

    @Test
    void signatureHelperMatchesJniNotation() {
        assertEquals("(JJLai/onnxruntime/TensorInfo;)V",
                signature(new Class<?>[] { long.class, long.class, load("ai.onnxruntime.TensorInfo", "test") }));
        assertEquals("([J[Ljava/lang/String;I)V", signature(new Class<?>[] { long[].class, String[].class, int.class }));
    }
}
