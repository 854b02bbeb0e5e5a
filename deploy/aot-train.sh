#!/usr/bin/env bash
# Makes a JDK 25 AOT cache (JEPs 483/514/515) for this build: one training run of the server, with the JVM
# settings it ships with, that loads the default model, answers a JSON POST and a binary CloudEvent, and is
# stopped (SIGTERM); the JVM writes the cache at exit.
#   deploy/aot-train.sh                   target/quarkus-app/app.aot, trained through deploy/triage, which then
#                                         starts from it (rebuilding the app makes a new quarkus-app: train again)
#   aot-train.sh CACHE COMMAND...         CACHE, trained by running COMMAND (deploy/Dockerfile.jvm does this at
#                                         image build, with the image's own java)
# Plain bash only (HTTP through /dev/tcp), so that it runs inside an image that has neither curl nor the repo.
set -euo pipefail
port=${AOT_TRAIN_PORT:-18099}
if [ $# -eq 0 ]; then
  cd "$(dirname "$0")/.."
  source deploy/java-home.sh
  app=target/quarkus-app
  [ -f "$app/quarkus-run.jar" ] || ./mvnw -B -q package -DskipTests
  cache="$(pwd)/$app/app.aot"
  launch=(env TRIAGE_AOT_OUTPUT="$cache" deploy/triage)
else
  cache=$1; shift
  launch=("$@")
fi

http() { # METHOD PATH BODY [HEADER...]: prints the status code
  local method=$1 path=$2 body=$3 status; shift 3
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  { printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n' "$method" "$path"
    for h in "$@"; do printf '%s\r\n' "$h"; done
    printf 'Content-Length: %s\r\n\r\n%s' "${#body}" "$body"; } >&3
  read -r _ status _ <&3
  cat <&3 >/dev/null
  exec 3<&-
  echo "$status"
}

log=$(mktemp)
trap 'rm -f "$log"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
rm -f "$cache"
# No shutdown delay: the training run has no load balancer to drain.
QUARKUS_HTTP_PORT=$port QUARKUS_SHUTDOWN_DELAY_ENABLED=false "${launch[@]}" >"$log" 2>&1 &
pid=$!
until [ "$(http GET /q/health/ready '' 2>/dev/null)" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.05
done
labels='"labels":["motorcycles","baseball"]'
ok=$(http POST /classify "{\"texts\":[\"I rebuilt the carburetor on my motorbike.\",\"He hit a home run in the ninth.\"],$labels}")
ce=$(http POST / "{\"texts\":[\"The pitcher threw a curveball.\"],$labels}" 'ce-specversion: 1.0' 'ce-id: aot-training' \
  'ce-type: triage.classify' 'ce-source: deploy/aot-train.sh')
[ "$ok $ce" = "200 200" ] || { echo "training requests answered $ok $ce" >&2; cat "$log" >&2; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -s "$cache" ] || { echo "no AOT cache written; the JVM said:" >&2; grep -i aot "$log" >&2; exit 1; }
echo "AOT cache: $cache ($(( $(stat -c %s "$cache") / 1048576 )) MB)"
