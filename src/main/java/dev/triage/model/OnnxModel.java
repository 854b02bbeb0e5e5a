package dev.triage.model;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** One ONNX Runtime session shared by every worker ({@link OrtSession#run} is thread-safe). */
public final class OnnxModel implements AutoCloseable {

    /** How long closing waits for running native calls (a micro-batch or an encode takes at most seconds). */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

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
        try (OrtSession.SessionOptions options = sessionOptions(OptLevel.ALL_OPT)) {
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

    /**
     * One intra-op and one inter-op thread: parallelism comes from the worker pool (one worker per core sharing
     * this session), so ORT's own threads would only oversubscribe the cores.
     */
    static OrtSession.SessionOptions sessionOptions(OptLevel level) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(level);
        // A memory pattern is planned per input shape; every sequence length is a new shape (deploy/PERFORMANCE.md).
        options.setMemoryPatternOptimization(false);
        // No thread is ever idle-spinning for work that another thread could do.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Vector width (embedding) or label count (NLI); -1 where the graph leaves it symbolic. */
    public int width() {
        return signature.width();
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

    /** Waits for running {@link #run} calls and refuses new ones first. */
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
