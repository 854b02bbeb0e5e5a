#!/usr/bin/env bash
# Start-to-ready of the packaged server: from exec to the first 200 of /q/health/ready (model loaded, every
# worker warmed; the graph was fused at build), N starts, each a fresh process; prints each and the median.
# The first start after a build (or each with --cold) also extracts the model from the jar.
#   --pod: every start on an empty work dir, as a new pod with an emptyDir /tmp starts.
#   --prepared: the same, on a directory 'triage prepare' made first, as a pod of deploy/Dockerfile.jvm's image.
#   deploy/startup.sh [--starts N] [--cold|--pod|--prepared] [--model NAME]      (JVM settings: deploy/triage)
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/median.sh
starts=5; cold=0; pod=0; prepared=; model=all-minilm-l6-v2-q
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) starts="$2"; shift ;;
    --cold) cold=1 ;;
    --pod) pod=1 ;;
    --prepared) pod=1; prepared=1 ;;
    --model) model="$2"; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
work=$(mktemp -d); port=18093
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
prep=()
if [ -n "$prepared" ]; then
  TRIAGE_MODEL_NAME=$model TRIAGE_MODEL_WORK_DIR="$work/prepared" deploy/triage prepare >"$work/log" 2>&1 \
    || { cat "$work/log" >&2; exit 1; }
  prep=(TRIAGE_MODEL_PREPARED_DIR="$work/prepared")
fi
times=()
for i in $(seq 1 "$starts"); do
  [ "$cold" = 1 ] && rm -rf "$work/models"
  dir=$work
  [ "$pod" = 1 ] && { dir="$work/pod"; rm -rf "$dir"; mkdir "$dir"; }
  t0=$(date +%s%N)
  env "${prep[@]}" TRIAGE_MODEL_NAME=$model TRIAGE_MODEL_WORK_DIR="$dir" QUARKUS_HTTP_PORT=$port \
    deploy/triage >"$work/log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "localhost:$port/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  times+=("$ms")
  printf 'start %d: %d ms to ready\n' "$i" "$ms"
done
printf 'median of %d starts: %.0f ms\n' "${#times[@]}" "$(median "${times[@]}")"
