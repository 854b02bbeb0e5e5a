import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most documents per second a BERT-style encoder can reach on this machine's cores, from its matrix
 * products alone: tokenizes a JSONL file as Triage does (HF truncation), counts each post's multiply-adds,
 * times ONNX Runtime's own SGEMM (MLAS, 1 thread) at the model's shapes, and prints the bound
 * {@code cores / sum(time of each post's GEMMs)}. Every other kernel (softmax, GELU, LayerNorm, ...) is taken as
 * free and scaling as perfect, so no engine on this machine can beat the bound with the same fp32 weights.
 * <p>
 * Run by deploy/engine-ceiling.sh: java -cp LIBS deploy/EngineCeiling.java FILE TOKENIZER MAXLEN LAYERS HIDDEN FFN
 */
public class EngineCeiling {

    private static final int[] ROWS = {16, 32, 64, 128, 256};

    public static void main(String[] args) throws Exception {
        // ORT's session set-up overflows the launcher's 1 MB main-thread stack beside DJL: run on a larger one.
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                run(args);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "ceiling", 64L << 20);
        worker.start();
        worker.join();
        if (failure[0] != null) {
            throw new RuntimeException(failure[0]);
        }
    }

    private static void run(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int maxLength = Integer.parseInt(args[2]);
        int layers = Integer.parseInt(args[3]);
        int hidden = Integer.parseInt(args[4]);
        int ffn = Integer.parseInt(args[5]);
        int[] lengths = tokenCounts(file, Path.of(args[1]), maxLength);
        int cores = Runtime.getRuntime().availableProcessors();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // Per layer and token: Q, K, V and attention output (hidden x hidden), then the two FFN products.
        Map<String, double[]> rate = new TreeMap<>();
        rate.put(hidden + "x" + hidden, sgemmRates(env, hidden, hidden));
        rate.put(hidden + "x" + ffn, sgemmRates(env, hidden, ffn));
        rate.put(ffn + "x" + hidden, sgemmRates(env, ffn, hidden));
        double best = rate.values().stream().flatMapToDouble(Arrays::stream).max().orElseThrow();

        double seconds = 0;
        double flops = 0;
        for (int s : lengths) {
            int row = nearestRow(s);
            double square = 2.0 * s * hidden * hidden;
            double wide = 2.0 * s * hidden * ffn;
            double attention = 2.0 * 2.0 * s * s * hidden; // QK^T and softmax x V, all heads; timed at the best rate
            seconds += layers * (4 * square / rate.get(hidden + "x" + hidden)[row]
                    + wide / rate.get(hidden + "x" + ffn)[row] + wide / rate.get(ffn + "x" + hidden)[row]
                    + attention / best) / 1e9;
            flops += layers * (4 * square + 2 * wide + attention);
        }
        IntSummary tokens = IntSummary.of(lengths);
        System.out.printf("posts %d, tokens %d (mean %.1f, median %d, %d at the %d cap)%n", lengths.length,
                tokens.sum, tokens.mean, tokens.median, tokens.atCap(maxLength), maxLength);
        System.out.printf("GEMM work: %.2f GFLOP per post (%d layers, hidden %d, FFN %d)%n",
                flops / lengths.length / 1e9, layers, hidden, ffn);
        System.out.println("ORT SGEMM, 1 thread, GFLOP/s by rows (M) for K x N:");
        System.out.printf("  %-10s%s%n", "K x N", Arrays.toString(ROWS));
        rate.forEach((shape, r) -> System.out.printf("  %-10s%s%n", shape, format(r)));
        double perCore = lengths.length / seconds;
        System.out.printf("bound, 1 core: %.1f posts/s; %d cores at perfect scaling: %.1f posts/s%n", perCore,
                cores, perCore * cores);
        System.out.printf("(other kernels free; a run at N posts/s is at N / %.1f of the bound)%n", perCore * cores);
    }

    private static int[] tokenCounts(Path file, Path tokenizerJson, int maxLength) throws Exception {
        Pattern text = Pattern.compile("\"text\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");
        List<Integer> lengths = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true).optTruncation(true).optMaxLength(maxLength).optPadding(false).build()) {
            for (String line : Files.readAllLines(file)) {
                Matcher m = text.matcher(line);
                if (m.find()) {
                    lengths.add(tokenizer.encode(unescape(m.group(1))).getIds().length);
                }
            }
        }
        return lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** JSON string escapes; enough for counting tokens (a \\uXXXX surrogate pair becomes two chars, as in JSON). */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private static int nearestRow(int rows) {
        int nearest = 0;
        for (int i = 1; i < ROWS.length; i++) {
            if (Math.abs(ROWS[i] - rows) < Math.abs(ROWS[nearest] - rows)) {
                nearest = i;
            }
        }
        return nearest;
    }

    /** Median GFLOP/s of a one-MatMul graph with a constant K x N weight, at 1 intra-op thread, per row count. */
    private static double[] sgemmRates(OrtEnvironment env, int k, int n) throws Exception {
        double[] rates = new double[ROWS.length];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(matMulModel(k, n), options)) {
                for (int i = 0; i < ROWS.length; i++) {
                    int m = ROWS[i];
                    float[] x = new float[m * k];
                    Arrays.fill(x, 0.25f);
                    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {m, k})) {
                        int calls = (int) Math.max(20, 4e9 / (2.0 * m * k * n)); // ~4 GFLOP per sample
                        for (int w = 0; w < calls / 4; w++) {
                            session.run(Map.of("x", input)).close();
                        }
                        List<Double> samples = new ArrayList<>();
                        for (int r = 0; r < 5; r++) {
                            long start = System.nanoTime();
                            for (int c = 0; c < calls; c++) {
                                session.run(Map.of("x", input)).close();
                            }
                            samples.add(2.0 * m * k * n * calls / (System.nanoTime() - start));
                        }
                        Collections.sort(samples);
                        rates[i] = samples.get(2);
                    }
                }
            }
        }
        return rates;
    }

    /** ModelProto bytes of y = MatMul(x[m, k], w[k, n]), w a constant initializer; opset 13. */
    private static byte[] matMulModel(int k, int n) {
        ByteBuffer weights = ByteBuffer.allocate(4 * k * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < k * n; i++) {
            weights.putFloat((float) Math.sin(i) * 0.05f); // not constant: nothing may special-case zeros
        }
        GraphProto graph = GraphProto.newBuilder().setName("gemm")
                .addNode(NodeProto.newBuilder().addInput("x").addInput("w").addOutput("y").setOpType("MatMul"))
                .addInitializer(TensorProto.newBuilder().setName("w").addDims(k).addDims(n)
                        .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(weights.array())))
                .addInput(valueInfo("x", k)).addOutput(valueInfo("y", n)).build();
        return ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build().toByteArray();
    }

    /** A float tensor [m, columns] with a symbolic first dimension. */
    private static ValueInfoProto valueInfo(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("m"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns)).build();
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static String format(double[] rates) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < rates.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("%.1f", rates[i]));
        }
        return s.append(']').toString();
    }

    private record IntSummary(long sum, double mean, int median, int[] sorted) {
        static IntSummary of(int[] values) {
            int[] sorted = values.clone();
            Arrays.sort(sorted);
            return new IntSummary(Arrays.stream(sorted).asLongStream().sum(), Arrays.stream(sorted).average().orElse(0),
                    sorted[sorted.length / 2], sorted);
        }

        long atCap(int cap) {
            return Arrays.stream(sorted).filter(v -> v >= cap).count();
        }
    }
}
