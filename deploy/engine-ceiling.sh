#!/usr/bin/env bash
# The fp32 ceiling of this machine for a BERT-style encoder: how many posts/s its matrix products alone allow,
# timed with ONNX Runtime's own SGEMM at the model's shapes (see deploy/EngineCeiling.java). Defaults: the
# tutorial's 777 posts, all-MiniLM-L6-v2 (6 layers, hidden 384, FFN 1536), max 256 tokens.
# Never run it beside another benchmark.
#
#   deploy/engine-ceiling.sh [FILE] [TOKENIZER_JSON] [MAXLEN] [LAYERS] [HIDDEN] [FFN]
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/java-home.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
data=${1:-$(cd ../shared/data/20newsgroups && pwd)/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl}
tokenizer=${2:-target/classes/models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json}
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp 'target/quarkus-app/lib/main/*' \
  deploy/EngineCeiling.java "$data" "$tokenizer" "${3:-256}" "${4:-6}" "${5:-384}" "${6:-1536}"
