package dev.triage.model;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * Whether a rewritten graph computes what the original does: both sessions on two real sentences, the second
 * padded so a fused attention must mask it exactly; every float output compared whole. A quantized graph (q8)
 * rounds by the batch's own range, so its bound is ORT's own spread between optimisation levels, measured here.
 *
 * @param modelFile the original graph, run again at ORT's BASIC level to measure that spread
 */
record FusionCheck(OrtEnvironment env, Path modelFile, Path tokenizerFile) {

    private static final Logger LOG = Logger.getLogger(FusionCheck.class);
    /** Per output: |fused - original| / |original| over the whole tensor; fp32 differs in summation order only. */
    static final double MAX_RELATIVE_ERROR = 1e-3;
    /** How far past ORT's own spread between optimisation levels a quantized rewrite may go. */
    static final double QUANTIZED_MARGIN = 1.5;
    private static final List<String> SENTENCES = List.of(
            "The pitcher threw a curveball and the batter struck out in the ninth inning.",
            "New tires for the motorcycle.");

    /** Ops that quantize activations by the batch's own range. */
    static boolean quantizesDynamically(NodeProto node) {
        return node.getOpType().startsWith("DynamicQuantize") || node.getOpType().equals("MatMulIntegerToFloat");
    }

    /** The largest relative difference of any output, its bound, and why the rewrite is refused if it is. */
    record Verdict(double worstError, double bound, Optional<String> mismatch) {
        @Override
        public String toString() {
            return mismatch.orElseGet(() -> String.format("outputs within %.2g of the original (relative; bound %.2g)",
                    worstError, bound));
        }
    }

    Verdict compare(OrtSession original, OrtSession rewritten, boolean dynamicallyQuantized) throws OrtException {
        Map<String, OnnxTensor> inputs = inputs(original);
        try {
            Map<String, float[]> want = floatOutputs(original, inputs);
            Map<String, float[]> have = floatOutputs(rewritten, inputs);
            Map<String, float[]> spread = null;
            Verdict worst = new Verdict(0, MAX_RELATIVE_ERROR, Optional.empty());
            for (Map.Entry<String, float[]> output : want.entrySet()) {
                String name = output.getKey();
                if (!have.containsKey(name)) {
                    return new Verdict(Double.POSITIVE_INFINITY, MAX_RELATIVE_ERROR,
                            Optional.of("output " + name + " missing from the fused graph"));
                }
                double error = relativeError(output.getValue(), have.get(name));
                double bound = MAX_RELATIVE_ERROR;
                if (!(error <= bound) && dynamicallyQuantized) {
                    spread = spread != null ? spread : basicLevelOutputs(inputs);
                    double own = relativeError(output.getValue(), spread.get(name));
                    bound = Math.max(bound, QUANTIZED_MARGIN * own);
                    LOG.infof("Quantized graph: output %s of the rewrite differs by %.3g, ORT's own BASIC vs ALL "
                            + "levels by %.3g", name, error, own);
                }
                if (!(error <= bound)) {
                    return new Verdict(error, bound, Optional.of(String.format(
                            "output %s differs by %.3g (relative), over %.3g", name, error, bound)));
                }
                if (error >= worst.worstError()) {
                    worst = new Verdict(error, bound, Optional.empty());
                }
            }
            return worst;
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private Map<String, float[]> basicLevelOutputs(Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession.SessionOptions options = OnnxModel.sessionOptions(OptLevel.BASIC_OPT);
                OrtSession basic = env.createSession(modelFile.toString(), options)) {
            return floatOutputs(basic, inputs);
        }
    }

    private Map<String, OnnxTensor> inputs(OrtSession session) throws OrtException {
        List<Encoded> rows;
        try (TextTokenizer tokenizer = TextTokenizer.open(tokenizerFile, 64, false)) {
            rows = SENTENCES.stream().map(tokenizer::encode).toList();
        }
        int width = rows.stream().mapToInt(Encoded::length).max().orElseThrow();
        long[] ids = new long[rows.size() * width];
        long[] mask = new long[ids.length];
        OnnxModel.pad(rows, width, LongBuffer.wrap(ids), LongBuffer.wrap(mask), null);
        long[] shape = { rows.size(), width };
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[] values = switch (name) {
                    case ModelSignature.INPUT_IDS -> ids;
                    case ModelSignature.ATTENTION_MASK -> mask;
                    default -> new long[ids.length];
                };
                inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            return inputs;
        } catch (OrtException | RuntimeException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static Map<String, float[]> floatOutputs(OrtSession session, Map<String, OnnxTensor> inputs)
            throws OrtException {
        Map<String, float[]> outputs = new HashMap<>();
        try (OrtSession.Result result = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> output : result) {
                if (output.getValue() instanceof OnnxTensor tensor && tensor.getInfo().type == OnnxJavaType.FLOAT) {
                    outputs.put(output.getKey(), tensor.getFloatBuffer().array());
                }
            }
        }
        return outputs;
    }

    static double relativeError(float[] want, float[] have) {
        if (have == null || want.length != have.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (double) (want[i] - have[i]) * (want[i] - have[i]);
            norm += (double) want[i] * want[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
    }
}
