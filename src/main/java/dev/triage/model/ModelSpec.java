package dev.triage.model;

import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything known about a model before its session opens: where its files are and how to use it.
 *
 * @param name shown in replies ("all-minilm-l6-v2-q", or the directory's name)
 * @param onnxFile the ONNX graph
 * @param tokenizerFile the HuggingFace tokenizer.json
 * @param kind embedding or NLI as configured; empty = detect it from the graph and config.json
 * @param pooling for embedding models
 * @param maxLength tokens per sequence, specials included
 * @param config the directory's config.json, if it has one (label maps of NLI models)
 */
public record ModelSpec(String name, Path onnxFile, Path tokenizerFile, Optional<ModelKind> kind, Pooling pooling,
        int maxLength, Optional<JsonNode> config) {
}
