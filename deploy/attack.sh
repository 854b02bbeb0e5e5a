#!/usr/bin/env bash
# A bounded loopback attack on the packaged app, started here as deploy/triage starts it (256 MB heap):
#   1 x 16 MiB body of one-character strings; 32 concurrent valid requests at the body limit; 32 of 2,048 long
#   texts; a 100-label x 64-example few-shot request beside 20 small ones; 2,000 stalled uploads; a normal request.
# Checks: the process stays up; every reply is 200, a 4xx or 503 + Retry-After; the normal request afterwards
# succeeds; the server closes stalled uploads within triage.http.body-timeout (+10 s slack). Prints peak RSS.
# Loopback only; at most ~10 minutes. A benchmark-class load: run it under flock /tmp/triage-bench.lock.
#   deploy/attack.sh [PORT]        (default 18089; work dir target/attack-work)
#   deploy/attack.sh --steady MINUTES [PORT]   instead: steady load (ATTACK_CLIENTS=32 clients x 16 tutorial posts a
#                                  request) for MINUTES, RSS every 30 s, after 2 min vs at the end, and the peak
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/java-home.sh"
mode=()
if [ "${1:-}" = --steady ]; then
  mode=(steady "${2:?--steady MINUTES}" "$here/../src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz")
  shift 2
fi
port=${1:-18089}
body_timeout=${TRIAGE_HTTP_BODY_TIMEOUT:-30s}
log="$here/../target/attack-server.log"
mkdir -p "$here/../target"
QUARKUS_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 TRIAGE_MODEL_WORK_DIR="$here/../target/attack-work" \
  TRIAGE_HTTP_BODY_TIMEOUT=$body_timeout "$here/triage" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "server exited at start; see $log" >&2; exit 2; }
  sleep 0.1
done
echo "server pid $server on 127.0.0.1:$port (log: $log)"
status=0
"$JAVA_HOME/bin/java" -Xmx1g "$here/Attack.java" "$port" "$server" "${body_timeout%s}" "${mode[@]}" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "server is DOWN; last log lines:"; tail -5 "$log"; status=1
fi
exit $status
