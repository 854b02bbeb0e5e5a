#!/usr/bin/env bash
# Triage vs the transformers.js peer (../shared/peers/transformersjs) on the same machine, file, ONNX model
# and max length (256), alternating A B A B in fresh processes. Prints docs/s per run, the ratio per pair
# and its median, and each side's peak RSS. Never run it beside another benchmark.
#
#   deploy/compare-peer.sh [--pairs N] [--model q8|fp32] [--peer best|default] [--triage cli|http]
#     peer best    = 2 workers x 1 ORT thread, batch 1 (its hand-tuned best)
#     peer default = 1 process, ORT default threads, batch 1 ("as users run it")
#     triage cli   = `bench` at all cores, requests of 1 doc;  http = the server, POST /classify in batches of 64
# Triage runs as deploy/triage launches it (its shipped JVM settings), with the fused-graph cache warm (one
# untimed start makes it). The peer is set up in a copy under target/peer, never inside ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=3; model=q8; peer=best; mode=cli
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs="$2"; shift ;;
    --model) model="$2"; shift ;;
    --peer) peer="$2"; shift ;;
    --triage) mode="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
source deploy/java-home.sh
source deploy/median.sh
data=$(cd ../shared/data/20newsgroups && pwd)/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl
peerdir=$(pwd)/target/peer/transformersjs
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
if [ ! -d "$peerdir/node_modules" ] || [ ! -d "$peerdir/model" ]; then
  echo "== setting up the peer in $peerdir (npm ci + model dirs from the Maven Central jars)" >&2
  rm -rf "$peerdir"; mkdir -p "$(dirname "$peerdir")"
  cp -r ../shared/peers/transformersjs "$peerdir"; chmod -R u+w "$peerdir"
  (cd "$peerdir" && SKIP_VERIFY=1 bash setup.sh >&2)
fi
case "$model" in
  q8) triage_model=all-minilm-l6-v2-q; peer_model=all-MiniLM-L6-v2-q ;;
  fp32) triage_model=all-minilm-l6-v2; peer_model=all-MiniLM-L6-v2 ;;
  *) echo "--model q8|fp32" >&2; exit 2 ;;
esac
case "$peer" in
  best) peer_args=(--workers 2 --threads 1 --batch-size 1) ;;
  default) peer_args=(--workers 1 --batch-size 1) ;;
  *) echo "--peer best|default" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
cores=$(nproc)

run_triage() { # -> "docs/s peakRSSkB"
  if [ "$mode" = cli ]; then
    /usr/bin/time -f '%M' -o "$tmp/rss" env TRIAGE_MODEL_NAME=$triage_model deploy/triage \
      bench --in "$data" --labels motorcycle,baseball \
      --workers "$cores" --repeat 1 --json "$tmp/t.json" >/dev/null 2>"$tmp/t.err"
    rate=$(tr -d ' \n' < "$tmp/t.json" | sed 's/.*"results":\[{[^]]*"docsPerSecond":\([0-9.]*\).*/\1/')
  else
    TRIAGE_MODEL_NAME=$triage_model QUARKUS_HTTP_PORT=18090 deploy/triage >"$tmp/server.log" 2>&1 &
    server=$! # deploy/triage execs the JVM: this is its pid
    until curl -sf localhost:18090/q/health/ready >/dev/null; do
      kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
      sleep 0.2
    done
    rate=$("$JAVA_HOME/bin/java" deploy/HttpBatches.java "$data" http://localhost:18090/classify 64)
    awk '/^VmHWM/ { print $2 }' "/proc/$server/status" > "$tmp/rss"
    kill "$server"; wait "$server" 2>/dev/null || true; server=
  fi
  echo "$rate $(cat "$tmp/rss")"
}
run_peer() {
  /usr/bin/time -f '%M' -o "$tmp/rss" node "$peerdir/bench.mjs" --model "$peer_model" --data "$data" \
    --labels motorcycle,baseball --max-length 256 "${peer_args[@]}" >"$tmp/p.json" 2>"$tmp/p.err"
  rate=$(sed 's/.*"docs_per_sec":\([0-9.]*\).*/\1/' "$tmp/p.json")
  echo "$rate $(cat "$tmp/rss")"
}

# Untimed: makes the fused-graph cache, as any first start of a deployment would.
env TRIAGE_MODEL_NAME=$triage_model deploy/triage bench --in "$data" --labels motorcycle,baseball --limit 8 \
  --repeat 1 >/dev/null 2>&1
echo "model $model | triage $mode at $cores workers | peer $peer (${peer_args[*]}) | $pairs pairs A B"
printf '%-5s %14s %14s %8s %14s %14s\n' pair triage_docs/s peer_docs/s ratio triage_rssMB peer_rssMB
ratios=(); trss=(); prss=()
for i in $(seq 1 "$pairs"); do
  read -r t tr < <(run_triage)
  read -r p pr < <(run_peer)
  r=$(awk -v a="$t" -v b="$p" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$r"); trss+=("$tr"); prss+=("$pr")
  printf '%-5s %14.1f %14.1f %8s %14.0f %14.0f\n' "$i" "$t" "$p" "$r" "$((tr / 1024))" "$((pr / 1024))"
done
echo "median ratio (triage / peer): $(median "${ratios[@]}")"
echo "peak RSS MB, median: triage $(( $(median "${trss[@]}" | cut -d. -f1) / 1024 )), peer $(( $(median "${prss[@]}" | cut -d. -f1) / 1024 ))"
