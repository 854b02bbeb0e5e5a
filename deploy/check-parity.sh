#!/usr/bin/env bash
# Same predictions with and without the fused graph? Classifies the tutorial's 777 posts twice with one
# model, once with triage.model.optimize-graph=false (the graph as exported, ORT's own optimisations only)
# and once as shipped, and prints how many top labels differ and the largest score difference.
#   deploy/check-parity.sh [all-minilm-l6-v2 | all-minilm-l6-v2-q | ...]     (default: all-minilm-l6-v2, fp32)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-all-minilm-l6-v2}
data=src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
top() { sed -E 's/.*"id":"([^"]*)","labels":\["([^"]*)".*"scores":\[([-0-9.eE]+).*/\1 \2 \3/' "$1"; }
for graph in false true; do
  TRIAGE_MODEL_NAME=$model TRIAGE_MODEL_OPTIMIZE_GRAPH=$graph deploy/triage classify --in "$data" \
    --labels motorcycle,baseball --progress none --out "$tmp/$graph.jsonl" 2>"$tmp/$graph.err" \
    || { cat "$tmp/$graph.err" >&2; exit 1; }
  top "$tmp/$graph.jsonl" > "$tmp/$graph.top"
done
grep -q "SkipLayerNormalization\|fused graph\|Fused" "$tmp/true.err" || echo "(fused graph taken from the cache)"
paste -d' ' "$tmp/false.top" "$tmp/true.top" | awk -v model="$model" '
  $1 != $4 { print "order differs at line " NR; exit 2 }
  { n++; if ($2 != $5) { flips++; print "  differs: " $1 " " $2 " " $3 " -> " $5 " " $6 }
    d = ($2 == $5) ? $3 - $6 : $3 - (1 - $6); if (d < 0) d = -d; if (d > max) max = d }
  END { printf "%s: %d docs, %d top labels differ, largest top-score difference %.2e\n", model, n, flips, max }'
