package dev.triage.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * ORT session options. One intra-op and one inter-op thread: parallelism comes from the worker pool (one
 * worker per core sharing this session), so ORT's own threads would only oversubscribe the cores.
 */
final class SessionTuning {

    private SessionTuning() {
    }

    static OrtSession.SessionOptions options() throws OrtException {
        return options(OptLevel.ALL_OPT);
    }

    /** @param level EXTENDED where ORT saves the optimised graph: ALL adds layout rewrites tied to this CPU */
    static OrtSession.SessionOptions options(OptLevel level) throws OrtException {
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
}
