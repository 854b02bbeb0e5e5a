#!/usr/bin/env bash
# Makes target/quarkus-app/app.aot, a JDK 25 AOT cache (JEPs 483/514/515) for this build: one training run of
# the server through deploy/triage (so with the JVM settings it ships with) that loads the default model,
# answers a JSON POST and a binary CloudEvent, and exits; the JVM writes the cache at exit. deploy/triage then
# starts from it. Rebuilding the app (./mvnw package) makes a new quarkus-app: train again.
#   deploy/aot-train.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/java-home.sh
app=target/quarkus-app
[ -f "$app/quarkus-run.jar" ] || ./mvnw -B -q package -DskipTests
port=18099; log=$(mktemp)
trap 'rm -f "$log"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
rm -f "$app/app.aot"
# No shutdown delay: the training run has no load balancer to drain.
TRIAGE_AOT_OUTPUT="$(pwd)/$app/app.aot" QUARKUS_HTTP_PORT=$port QUARKUS_SHUTDOWN_DELAY_ENABLED=false \
  deploy/triage >"$log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "localhost:$port/q/health/ready"; do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.05
done
curl -sf "localhost:$port/classify" -H 'Content-Type: application/json' \
  -d '{"texts":["I rebuilt the carburetor on my motorbike.","He hit a home run in the ninth."],"labels":["motorcycles","baseball"]}' >/dev/null
curl -sf "localhost:$port/" -H 'Content-Type: application/json' -H 'ce-specversion: 1.0' -H 'ce-id: aot-training' \
  -H 'ce-type: triage.classify' -H 'ce-source: deploy/aot-train.sh' \
  -d '{"texts":["The pitcher threw a curveball."],"labels":["motorcycles","baseball"]}' >/dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -s "$app/app.aot" ] || { echo "no AOT cache written; the JVM said:" >&2; grep -i aot "$log" >&2; exit 1; }
echo "AOT cache: $app/app.aot ($(( $(stat -c %s "$app/app.aot") / 1048576 )) MB); deploy/triage uses it"
