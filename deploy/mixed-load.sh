#!/usr/bin/env bash
# Small requests under a background of big batches, FIFO vs fair scheduling (triage.pool.scheduling), over HTTP
# against the packaged server, restarted for each setting. Per round and setting: 2 clients send 2,048-text
# requests (20NG test split) while 4 clients send 1-text requests (the 777 posts) for --seconds; on the fair
# server, first the small requests' latency on an idle server (1 client, --idle seconds). Prints each run and
# the medians: small-request p50/p99, total docs/s, fair p99 / idle p99 and fair docs/s / FIFO docs/s.
# Takes /tmp/triage-bench.lock itself, so it never runs beside another benchmark.
#
#   deploy/mixed-load.sh [--rounds N] [--seconds S] [--idle S] [--small-client wrk|java]
#                        [--server-cpus LIST --client-cpus LIST]   (taskset lists, e.g. 0 and 1)
# The small clients are the JDK's HttpClient in deploy/MixedLoad.java (default; it costs the shared 2 cores ~0.2
# core at fair scheduling's ~130 requests/s) or wrk (C, installed from Debian if missing); the big clients are
# always MixedLoad.java. Each run also prints the server's CPU time and the client's. PERFORMANCE.md has both.
# --server-cpus/--client-cpus pin the server and the clients to separate cores (taskset), so that the clients'
# CPU, which grows with the requests fair scheduling answers, is not taken from the server as on a shared 2-core box.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TRIAGE_BENCH_LOCKED:-}" ]; then
  TRIAGE_BENCH_LOCKED=1 exec flock /tmp/triage-bench.lock "$0" "$@"
fi
rounds=3; seconds=60; idle=20; small_client=java; server_cpus=; client_cpus=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --idle) idle="$2"; shift ;;
    --small-client) small_client="$2"; shift ;;
    --server-cpus) server_cpus="$2"; shift ;;
    --client-cpus) client_cpus="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
source deploy/java-home.sh
source deploy/median.sh
server_pin=(); [ -z "$server_cpus" ] || server_pin=(taskset -c "$server_cpus") # exec'd: $! stays the JVM's pid
on_client_cpus() { if [ -n "$client_cpus" ]; then taskset -c "$client_cpus" "$@"; else "$@"; fi; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
if [ "$small_client" = wrk ] && ! command -v wrk >/dev/null; then
  apt-get install -y -qq wrk >/dev/null || { echo "wrk is missing and could not be installed: --small-client java" >&2; exit 1; }
fi
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
    "${server_pin[@]}" "$tmp/deploy/triage" >"$tmp/server.log" 2>&1 &
  server=$! # deploy/triage execs the JVM: this is its pid
  until curl -sf "localhost:$port/q/health/ready" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
"$JAVA_HOME/bin/javac" -d "$tmp/classes" deploy/MixedLoad.java # compiled once: no compile at every start
drive() { # seconds smallClients bigClients bigTexts
  on_client_cpus "$JAVA_HOME/bin/java" -cp "$tmp/classes" MixedLoad "http://localhost:$port/classify" "$small" "$big" "$@"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # the process's user + system CPU, in clock ticks
# wrk, one connection per client, closed loop like MixedLoad's clients: "small_requests=.. small_p50_ms=.. ..."
small_wrk() { # seconds clients
  on_client_cpus wrk -t"$2" -c"$2" -d"$1"s --timeout 600s -s deploy/small-requests.lua "http://localhost:$port/classify" \
    -- "$tmp/bodies.txt" | tail -1
}
# One timed mixed run: "small_... big_requests=.. docs_per_s=.. docs=.. client_cpu_s=.." whichever the small client.
mixed() { # seconds
  if [ "$small_client" = java ]; then
    drive "$1" 4 2 2048
    return
  fi
  drive "$1" 0 2 2048 >"$tmp/big.txt" &
  local big_pid=$! small_line big_line
  sleep 1 # the big requests go first, as in the all-Java run where the JVM starts every client at once
  small_line=$(small_wrk "$(($1 - 1))" 4)
  wait "$big_pid"
  big_line=$(cat "$tmp/big.txt")
  # docs/s over the big clients' window (>= the wrk window: it waits for its last reply), small texts included.
  awk -v s="$small_line" -v b="$big_line" 'BEGIN {
    n = split(b " " s, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] } # wrk wins small_*
    elapsed = v["docs"] / v["docs_per_s"]; docs = v["docs"] + v["small_requests"]
    printf "small_requests=%d small_p50_ms=%s small_p99_ms=%s big_requests=%d docs_per_s=%.1f refused=%d docs=%d client_cpu_s=%s\n",
      v["small_requests"], v["small_p50_ms"], v["small_p99_ms"], v["big_requests"], docs / elapsed,
      v["refused"] + v["small_non_200"], docs, v["client_cpu_s"] " (big client; wrk not counted)" }'
}
field() { sed "s/.*$1=\([^ ]*\).*/\1/" <<<"$2"; }

declare -A p50 p99 rate per_doc
idle_p99=()
if [ "$small_client" = wrk ]; then
  "$JAVA_HOME/bin/java" -cp "$tmp/classes" MixedLoad --bodies "$small" "$tmp/bodies.txt"
fi
[ -z "$server_cpus$client_cpus" ] || echo "server on CPUs ${server_cpus:-all}, clients on CPUs ${client_cpus:-all} (taskset)"
echo "$(nproc) CPUs; $rounds rounds; mixed: 2 clients x 2048 texts + 4 clients x 1 text ($small_client) for ${seconds}s"
for round in $(seq "$rounds"); do
  modes="fifo fair"; [ $((round % 2)) -eq 0 ] && modes="fair fifo"
  for mode in $modes; do
    start_server "$mode"
    drive 5 4 0 0 >/dev/null # warm-up, untimed
    if [ "$mode" = fair ]; then
      if [ "$small_client" = wrk ]; then line=$(small_wrk "$idle" 1); else line=$(drive "$idle" 1 0 0); fi
      echo "round $round idle  : $line"
      idle_p99+=("$(field small_p99_ms "$line")")
    fi
    cpu0=$(cpu_ticks "$server")
    line=$(mixed "$seconds")
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
