#!/usr/bin/env bash
# Small requests under a background of big batches, FIFO vs fair scheduling (triage.pool.scheduling), over HTTP
# against the packaged server, restarted for each setting. Per round and setting: 2 clients send 2,048-text
# requests (20NG test split) while 4 clients send 1-text requests (the 777 posts) for --seconds; on the fair
# server, first the small requests' latency on an idle server (1 client, --idle seconds). Prints each run and
# the medians: small-request p50/p99, total docs/s, fair p99 / idle p99 and fair docs/s / FIFO docs/s.
# Takes /tmp/triage-bench.lock itself, so it never runs beside another benchmark.
#
#   deploy/mixed-load.sh [--rounds N] [--seconds S] [--idle S]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TRIAGE_BENCH_LOCKED:-}" ]; then
  TRIAGE_BENCH_LOCKED=1 exec flock /tmp/triage-bench.lock "$0" "$@"
fi
rounds=3; seconds=60; idle=20
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --idle) idle="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
source deploy/java-home.sh
source deploy/median.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
small=src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz
big=src/data/20newsgroups/20ng-bydate-all-test.stripped.jsonl.gz
port=${MIXED_LOAD_PORT:-18151}
tmp=$(mktemp -d)
server=
trap 'rm -rf "$tmp"; [ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT
# A snapshot of the build, run as deploy/triage runs it: a rebuild meanwhile does not change what is measured.
mkdir -p "$tmp/deploy" "$tmp/target"
cp deploy/triage deploy/java-home.sh deploy/jvm.options "$tmp/deploy/"
cp -r target/quarkus-app "$tmp/target/"

start_server() { # $1 = fair|fifo
  # A generous deadline: the comparison is about order of service, not about FIFO timing big requests out. The
  # admission work bound is lifted so that both big clients' requests are queued at once (by default one
  # 2,048-text request holds the whole bound: the second would get 503, small ones fit in the reserve).
  TRIAGE_POOL_SCHEDULING=$1 TRIAGE_BATCH_DEADLINE=600s QUARKUS_HTTP_IDLE_TIMEOUT=720s \
    TRIAGE_ADMISSION_MAX_WORK_TOKENS=1000000000 QUARKUS_HTTP_PORT=$port TRIAGE_MODEL_WORK_DIR=target/triage-work-bench \
    "$tmp/deploy/triage" >"$tmp/server.log" 2>&1 &
  server=$! # deploy/triage execs the JVM: this is its pid
  until curl -sf "localhost:$port/q/health/ready" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
drive() { # seconds smallClients bigClients bigTexts
  "$JAVA_HOME/bin/java" deploy/MixedLoad.java "http://localhost:$port/classify" "$small" "$big" "$@"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # the process's user + system CPU, in clock ticks
field() { sed "s/.*$1=\([^ ]*\).*/\1/" <<<"$2"; }

declare -A p50 p99 rate per_doc
idle_p99=()
echo "$(nproc) CPUs; $rounds rounds; mixed: 2 clients x 2048 texts + 4 clients x 1 text for ${seconds}s"
for round in $(seq "$rounds"); do
  modes="fifo fair"; [ $((round % 2)) -eq 0 ] && modes="fair fifo"
  for mode in $modes; do
    start_server "$mode"
    drive 5 4 0 0 >/dev/null # warm-up, untimed
    if [ "$mode" = fair ]; then
      line=$(drive "$idle" 1 0 0)
      echo "round $round idle  : $line"
      idle_p99+=("$(field small_p99_ms "$line")")
    fi
    cpu0=$(cpu_ticks "$server")
    line=$(drive "$seconds" 4 2 2048)
    cpu_s=$(awk -v a="$cpu0" -v b="$(cpu_ticks "$server")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')
    echo "round $round $mode  : $line server_cpu_s=$cpu_s"
    per_doc[$mode]+=" $(awk -v c="$cpu_s" -v d="$(field docs "$line")" 'BEGIN { printf "%.2f", 1000 * c / d }')"
    p50[$mode]+=" $(field small_p50_ms "$line")"
    p99[$mode]+=" $(field small_p99_ms "$line")"
    rate[$mode]+=" $(field docs_per_s "$line")"
    stop_server
  done
done
idle_median=$(median "${idle_p99[@]}")
echo "== medians over $rounds rounds"
echo "idle server  : small p99 ${idle_median} ms"
for mode in fifo fair; do
  # shellcheck disable=SC2086
  echo "$mode mixed   : small p50 $(median ${p50[$mode]}) ms, p99 $(median ${p99[$mode]}) ms, $(median ${rate[$mode]}) docs/s," \
    "server CPU $(median ${per_doc[$mode]}) ms/doc"
done
# shellcheck disable=SC2086
awk -v fair="$(median ${p99[fair]})" -v idle="$idle_median" -v r1="$(median ${rate[fair]})" \
  -v r0="$(median ${rate[fifo]})" 'BEGIN { printf "fair p99 / idle p99 = %.2f (target <= 3); fair docs/s / fifo docs/s = %.3f (target >= 0.95)\n", fair / idle, r1 / r0 }'
