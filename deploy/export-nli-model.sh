#!/usr/bin/env bash
# Export a HuggingFace hub NLI (MNLI-style) model to the directory layout Triage loads:
#
#   <out-dir>/model.onnx             the cross-encoder (inputs input_ids, attention_mask[, token_type_ids];
#                                    output logits [batch, num_labels])
#   <out-dir>/tokenizer.json         the fast (Rust `tokenizers`) tokenizer
#   <out-dir>/config.json            with id2label / label2id (Triage finds the "entail..." label there)
#   <out-dir>/tokenizer_config.json, special_tokens_map.json, ... as optimum writes them
#
# Needs internet access (HuggingFace hub and PyPI), python3 (>= 3.9) with the venv module, and a few GB
# of disk for torch. Run it on a workstation or in a CI job, then ship the directory with the image or
# on a volume; Triage itself never downloads anything.
#
# Models known to fit (all zero-shot classifiers trained on MNLI and friends):
#   typeform/distilbert-base-uncased-mnli          small, fast on CPU; a good default
#   MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli   more accurate; its ONNX graph has no token_type_ids input
#   valhalla/distilbart-mnli-12-1                  no token_type_ids input
#   facebook/bart-large-mnli                       the transformers pipeline's default; large, slow on CPU
#   cross-encoder/nli-distilroberta-base           label order contradiction/entailment/neutral: fine, the
#                                                  loader reads label2id instead of assuming an order
#
# Environment:
#   PYTHON              python interpreter used to create the venv (default: python3)
#   TRIAGE_EXPORT_VENV  where the venv lives (default: ~/.cache/triage-export-venv; reused between runs)
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/export-nli-model.sh <hub-model-id> <out-dir> [--quantize]

Exports a HuggingFace hub NLI model (e.g. typeform/distilbert-base-uncased-mnli) with
`optimum-cli export onnx --task text-classification` into <out-dir>, in the layout Triage loads
(model.onnx, tokenizer.json, config.json, ...), then checks the result.

Options:
  --quantize   replace model.onnx by a dynamically int8-quantized copy (onnxruntime
               quantize_dynamic): about 4x smaller and faster on CPU, slightly less accurate
  -h, --help   show this help

Environment: PYTHON (default python3), TRIAGE_EXPORT_VENV (default ~/.cache/triage-export-venv).
Needs internet access to the HuggingFace hub and PyPI.
EOF
}

die() {
  echo "export-nli-model: error: $*" >&2
  exit 1
}

model_id=""
out_dir=""
quantize=false
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      usage
      exit 0
      ;;
    --quantize) quantize=true ;;
    -*) die "unknown option: $arg (see --help)" ;;
    *)
      if [[ -z "$model_id" ]]; then
        model_id="$arg"
      elif [[ -z "$out_dir" ]]; then
        out_dir="$arg"
      else
        die "too many arguments (see --help)"
      fi
      ;;
  esac
done
[[ -n "$model_id" && -n "$out_dir" ]] || {
  usage >&2
  exit 2
}

python="${PYTHON:-python3}"
venv="${TRIAGE_EXPORT_VENV:-$HOME/.cache/triage-export-venv}"
command -v "$python" >/dev/null 2>&1 || die "$python not found (set PYTHON=/path/to/python3)"

if [[ -e "$out_dir/model.onnx" ]]; then
  die "$out_dir/model.onnx already exists; remove it or choose another <out-dir>"
fi
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

# --- 1. venv with optimum -------------------------------------------------------------------------
if [[ ! -x "$venv/bin/python" ]]; then
  echo ">> creating venv $venv"
  "$python" -m venv "$venv" || die "could not create a venv (Debian/Ubuntu: apt-get install python3-venv)"
fi
vpy="$venv/bin/python"
echo ">> installing optimum, transformers and onnxruntime into $venv"
"$vpy" -m pip install --quiet --upgrade pip
# sentencepiece + protobuf let transformers convert slow (SentencePiece) tokenizers to tokenizer.json.
"$vpy" -m pip install --quiet --upgrade "optimum[exporters,onnxruntime]" transformers sentencepiece protobuf
if ! "$venv/bin/optimum-cli" export onnx --help >/dev/null 2>&1; then
  # optimum >= 2 moved the ONNX exporter into the separate optimum-onnx package.
  echo ">> optimum-cli has no 'export onnx'; installing optimum-onnx"
  "$vpy" -m pip install --quiet --upgrade "optimum-onnx[onnxruntime]"
  "$venv/bin/optimum-cli" export onnx --help >/dev/null 2>&1 ||
    die "optimum-cli export onnx is still unavailable in $venv"
fi

# --- 2. export ------------------------------------------------------------------------------------
echo ">> exporting $model_id to $out_dir"
"$venv/bin/optimum-cli" export onnx --model "$model_id" --task text-classification "$out_dir"
[[ -s "$out_dir/model.onnx" ]] || die "optimum did not write $out_dir/model.onnx"

if [[ ! -s "$out_dir/tokenizer.json" ]]; then
  echo ">> no tokenizer.json written; trying to convert the tokenizer to a fast one"
  "$vpy" - "$model_id" "$out_dir" <<'PY' || true
import sys
from transformers import AutoTokenizer
tok = AutoTokenizer.from_pretrained(sys.argv[1], use_fast=True)
if tok.is_fast:
    tok.save_pretrained(sys.argv[2])
PY
fi
[[ -s "$out_dir/tokenizer.json" ]] ||
  die "$model_id has only a slow (Python) tokenizer: no tokenizer.json could be produced, and Triage needs one. Choose a model with a fast tokenizer."

# --- 3. optional dynamic int8 quantization --------------------------------------------------------
if [[ "$quantize" == true ]]; then
  echo ">> quantizing model.onnx to int8 (dynamic)"
  "$vpy" - "$out_dir" <<'PY'
import os, sys
from onnxruntime.quantization import QuantType, quantize_dynamic
out = sys.argv[1]
src, tmp = os.path.join(out, "model.onnx"), os.path.join(out, "model.int8.tmp.onnx")
quantize_dynamic(src, tmp, weight_type=QuantType.QInt8)
before, after = os.path.getsize(src), os.path.getsize(tmp)
os.replace(tmp, src)
if os.path.exists(src + "_data"):  # external weights of the fp32 model (models > 2 GB) are now unused
    os.remove(src + "_data")
print("   model.onnx: %.1f MB -> %.1f MB" % (before / 1e6, after / 1e6))
PY
fi

# --- 4. checks ------------------------------------------------------------------------------------
echo ">> checking $out_dir"
"$vpy" - "$out_dir" <<'PY'
import json, os, sys
import onnxruntime as ort
out = sys.argv[1]
for name in ("model.onnx", "tokenizer.json", "config.json"):
    if not os.path.isfile(os.path.join(out, name)):
        sys.exit("missing %s in %s" % (name, out))
with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
    config = json.load(f)
id2label = config.get("id2label") or {}
entail = [l for l in id2label.values() if str(l).lower().startswith("entail")]
if not entail:
    sys.exit("config.json id2label %s has no label starting with 'entail': not an NLI model Triage can use" % id2label)
sess = ort.InferenceSession(os.path.join(out, "model.onnx"), providers=["CPUExecutionProvider"])
inputs = [i.name for i in sess.get_inputs()]
outputs = [(o.name, o.shape) for o in sess.get_outputs()]
if "input_ids" not in inputs or "attention_mask" not in inputs:
    sys.exit("model.onnx inputs %s lack input_ids/attention_mask" % inputs)
print("   labels:  %s" % {int(k): v for k, v in id2label.items()})
print("   inputs:  %s" % inputs)
print("   outputs: %s" % outputs)
PY

size="$(du -sh "$out_dir" | cut -f1)"
cat <<EOF

Done: $out_dir ($size)

Run Triage with it:
  TRIAGE_MODEL_DIR=$out_dir java -jar target/quarkus-app/quarkus-run.jar

Kubernetes / Knative: put the directory on a volume (PVC, or an image layer / init container that
copies it), mount it read-only in the Triage container, e.g. at /models/nli, and set the container
environment variable TRIAGE_MODEL_DIR=/models/nli.
EOF
