package dev.triage.model;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** One ONNX Runtime session shared by every worker ({@link OrtSession#run} is thread-safe; see SessionTuning). */
public final class OnnxModel implements AutoCloseable {

    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private final ModelSpec spec;
    private final ModelSignature signature;
    private final Optional<NliLabels> nliLabels;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final LongAdder runNanos = new LongAdder();
    private final NativeUseGate gate = new NativeUseGate("ONNX Runtime session");

    private OnnxModel(ModelSpec spec, ModelSignature signature, Optional<NliLabels> nliLabels, OrtEnvironment env,
            OrtSession session) {
        this.spec = spec;
        this.signature = signature;
        this.nliLabels = nliLabels;
        this.env = env;
        this.session = session;
    }

    /**
     * Opens the session on the model's graph as it is (the embedded models' graphs were fused at build time, a
     * user's directory may have been by {@code triage optimize}) and checks it against the scorer it will serve.
     */
    public static OnnxModel open(ModelSpec spec) {
        if (!Files.isRegularFile(spec.onnxFile())) {
            throw new ModelException("model file " + spec.onnxFile() + " does not exist");
        }
        OrtEnvironment env = NativeSetup.ortEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = SessionTuning.options()) {
            session = env.createSession(spec.onnxFile().toString(), options);
            boolean entail = NliLabels.entailmentId(spec.config()).isPresent();
            ModelSignature signature = ModelSignature.inspect(spec.onnxFile(), session.getInputInfo(),
                    session.getOutputInfo(), spec.kind(), entail);
            Optional<NliLabels> labels = signature.kind() == ModelKind.NLI
                    ? Optional.of(NliLabels.resolve(spec.onnxFile(), spec.config(), signature.width()))
                    : Optional.empty();
            return new OnnxModel(spec, signature, labels, env, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelException(spec.onnxFile() + " is not a loadable ONNX model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Vector width (embedding) or label count (NLI); -1 where the graph leaves it symbolic. */
    public int width() {
        return signature.width();
    }

    /** The ONNX Runtime the models run on. */
    public static String runtimeVersion() {
        return NativeSetup.ortEnvironment().getVersion();
    }

    public ModelKind kind() {
        return signature.kind();
    }

    public Optional<NliLabels> nliLabels() {
        return nliLabels;
    }

    /** Total nanoseconds spent inside {@link OrtSession#run}, over all threads. */
    public long runNanos() {
        return runNanos.sum();
    }

    /**
     * Runs one micro-batch, padded to its longest row.
     *
     * @return per row: the L2-normalised pooled embedding (embedding models) or the raw logits (NLI)
     */
    public float[][] run(List<Encoded> rows, InferenceScratch scratch) throws OrtException {
        int batch = rows.size();
        int seq = rows.stream().mapToInt(Encoded::length).max().orElse(0);
        int width = signature.width();
        boolean nli = signature.kind() == ModelKind.NLI;
        LongBuffer ids = scratch.ids(batch * seq);
        LongBuffer mask = scratch.mask(batch * seq);
        LongBuffer types = signature.tokenTypes() ? scratch.types(batch * seq) : null;
        pad(rows, seq, ids, mask, types);
        long[] inputShape = { batch, seq };
        long[] outputShape = nli ? new long[] { batch, width } : new long[] { batch, seq, width };
        FloatBuffer output = scratch.output(nli ? batch * width : batch * seq * width);
        gate.enter();
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids, inputShape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, inputShape);
                OnnxTensor typesTensor = types == null ? null : OnnxTensor.createTensor(env, types, inputShape);
                // ORT writes straight into the worker's buffer: nothing is copied out or allocated per call.
                OnnxTensor pinned = OnnxTensor.createTensor(env, output, outputShape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put(ModelSignature.INPUT_IDS, idsTensor);
            inputs.put(ModelSignature.ATTENTION_MASK, maskTensor);
            if (typesTensor != null) {
                inputs.put(ModelSignature.TOKEN_TYPE_IDS, typesTensor);
            }
            long start = System.nanoTime();
            try (OrtSession.Result ignored = session.run(inputs, Map.of(signature.output(), pinned))) {
                runNanos.add(System.nanoTime() - start);
            }
        } finally {
            gate.exit();
        }
        return nli ? logits(output, batch, width) : pool(output, rows, seq, width);
    }

    /** Row-major {@code rows x seq} inputs, each row padded with zeros (mask 0) after its last token. */
    static void pad(List<Encoded> rows, int seq, LongBuffer ids, LongBuffer mask, LongBuffer types) {
        for (int r = 0; r < rows.size(); r++) {
            Encoded row = rows.get(r);
            int base = r * seq;
            for (int t = 0; t < seq; t++) {
                boolean real = t < row.length();
                ids.put(base + t, real ? row.ids()[t] : 0L);
                mask.put(base + t, real ? 1L : 0L);
                if (types != null) {
                    types.put(base + t, real ? row.typeIds()[t] : 0L);
                }
            }
        }
    }

    private static float[][] logits(FloatBuffer output, int batch, int width) {
        float[][] result = new float[batch][width];
        for (int r = 0; r < batch; r++) {
            output.get(r * width, result[r]);
        }
        return result;
    }

    private float[][] pool(FloatBuffer hidden, List<Encoded> rows, int seq, int width) {
        float[][] result = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            int base = r * seq * width;
            int tokens = spec.pooling() == Pooling.CLS ? 1 : rows.get(r).length();
            double[] sum = new double[width];
            for (int t = 0; t < tokens; t++) {
                int offset = base + t * width;
                for (int h = 0; h < width; h++) {
                    sum[h] += hidden.get(offset + h);
                }
            }
            result[r] = Vectors.normalise(sum);
        }
        return result;
    }

    /** Waits for running {@link #run} calls (a micro-batch takes at most seconds) and refuses new ones first. */
    @Override
    public void close() {
        if (gate.closeAfterRunning(CLOSE_WAIT)) {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // Closing at shutdown: nothing left to do with the error.
            }
        }
    }
}
