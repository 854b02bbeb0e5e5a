#!/usr/bin/env bash
# Same predictions with and without the fused graph? Classifies the tutorial's 777 posts twice with one
# model: once from a model directory holding the graph as exported (target/models-exported, what the build
# unpacked before fusing; served with triage.model.dir, ORT's own optimisations only) and once as shipped
# (the embedded graph the build fused), and prints how many top labels differ and the largest score difference.
#   deploy/check-parity.sh [all-minilm-l6-v2 | all-minilm-l6-v2-q | ...]     (default: all-minilm-l6-v2, fp32)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-all-minilm-l6-v2}
data=src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The exported graph as a user's model directory, with the embedded model's token limit and pooling.
props=src/main/resources/models/$model/model.properties
prop() { sed -n "s/^$1=//p" "$props"; }
exported=$tmp/exported; mkdir -p "$exported/1_Pooling"
ln -s "$PWD/target/models-exported/$model/$(prop onnx)" "$exported/model.onnx"
ln -s "$PWD/target/models-exported/$model/$(prop tokenizer)" "$exported/tokenizer.json"
echo "{\"model_max_length\": $(prop max-length)}" > "$exported/tokenizer_config.json"
[ "$(prop pooling)" = cls ] && echo '{"pooling_mode_cls_token": true}' > "$exported/1_Pooling/config.json"
top() { sed -E 's/.*"id":"([^"]*)","labels":\["([^"]*)".*"scores":\[([-0-9.eE]+).*/\1 \2 \3/' "$1"; }
for graph in exported fused; do
  source=(TRIAGE_MODEL_NAME="$model"); [ $graph = exported ] && source+=(TRIAGE_MODEL_DIR="$exported")
  env "${source[@]}" deploy/triage classify --in "$data" \
    --labels motorcycle,baseball --progress none --out "$tmp/$graph.jsonl" 2>"$tmp/$graph.err" \
    || { cat "$tmp/$graph.err" >&2; exit 1; }
  top "$tmp/$graph.jsonl" > "$tmp/$graph.top"
done
paste -d' ' "$tmp/exported.top" "$tmp/fused.top" | awk -v model="$model" '
  $1 != $4 { print "order differs at line " NR; exit 2 }
  { n++; if ($2 != $5) { flips++; print "  differs: " $1 " " $2 " " $3 " -> " $5 " " $6 }
    d = ($2 == $5) ? $3 - $6 : $3 - (1 - $6); if (d < 0) d = -d; if (d > max) max = d }
  END { printf "%s: %d docs, %d top labels differ, largest top-score difference %.2e\n", model, n, flips, max }'
