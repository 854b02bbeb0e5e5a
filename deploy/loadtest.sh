#!/usr/bin/env bash
# Load test against a running Triage on loopback. See the usage below.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/loadtest.sh [options]

Drives N concurrent clients against a running Triage for at most T seconds or M requests, a random mix
of valid requests (plain HTTP, binary and structured CloudEvents; the top label of every text is checked)
and invalid ones (truncated JSON, wrong types, duplicate labels, bad UTF-8, bad CloudEvents, GET, ...).
Prints counts per status and per kind, latency p50/p90/p99/max, and whether any 5xx occurred.

Exit code 0 when every reply was as expected; 1 on any 5xx other than 503 (503 = overloaded, with
Retry-After, is allowed), a valid request refused with a 4xx, an invalid one accepted, a reply that is not
JSON, or a wrong label; 2 on bad arguments, a non-loopback URL, or a service that is not ready.

Options:
  -u, --url URL        base URL (default http://localhost:8080; loopback hosts only)
  -c, --clients N      concurrent clients (default 16, at most 256)
  -t, --seconds T      stop after T seconds (default 30, at most 600)
  -n, --requests M     stop after M requests (default 5000, at most 200000)
  -i, --invalid F      share of invalid requests, 0..1 (default 0.3)
  -s, --seed S         random seed (default 1)
  -h, --help           show this help

Environment: JAVA_HOME, a JDK 21+ (default /usr/lib/jvm/temurin-25-jdk-amd64 when unset).

Example, against the packaged app:
  ./mvnw -B -q package -DskipTests && java -jar target/quarkus-app/quarkus-run.jar &
  deploy/loadtest.sh --clients 16 --seconds 30
USAGE
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -u|--url) ARGS+=(--url "$2"); shift 2 ;;
    -c|--clients) ARGS+=(--clients "$2"); shift 2 ;;
    -t|--seconds) ARGS+=(--seconds "$2"); shift 2 ;;
    -n|--requests) ARGS+=(--requests "$2"); shift 2 ;;
    -i|--invalid) ARGS+=(--invalid "$2"); shift 2 ;;
    -s|--seed) ARGS+=(--seed "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "loadtest: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
  echo "loadtest: $JAVA_HOME/bin/java is not a JDK 21+; set JAVA_HOME" >&2
  exit 2
fi
# A JDK-only single-file program (it is also compiled with the tests, so it cannot rot).
exec "$JAVA_HOME/bin/java" "$ROOT/src/test/java/dev/triage/reliability/LoadDriver.java" ${ARGS[@]+"${ARGS[@]}"}
