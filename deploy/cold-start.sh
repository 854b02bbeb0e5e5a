#!/usr/bin/env bash
# Cold start as a Knative user sees it: from `podman run` of the image (as a pod: --read-only --tmpfs /tmp
# --user 1001 --memory 1g) to the first 200 reply of a classify request sent at once and retried every 20 ms
# (what the activator does while a pod starts). Median of RUNS at --cpus 2 and --cpus 1, with the image's AOT
# cache and without it (same image, entrypoint without -XX:AOTCache). To show what bounds it: podman's own
# start of a container that does nothing, and the JVM's own "ready N ms after JVM start" log line. Then the
# image's size and layers. Takes /tmp/triage-bench.lock so that no two benchmarks run at once.
#   deploy/cold-start.sh [RUNS]        (after deploy/image-test.sh built localhost/triage:test; TRIAGE_IMAGE)
set -euo pipefail
if [ "${TRIAGE_BENCH_LOCKED:-}" != 1 ]; then export TRIAGE_BENCH_LOCKED=1; exec flock /tmp/triage-bench.lock bash "$0" "$@"; fi
cd "$(dirname "$0")/.."
source deploy/java-home.sh
source deploy/podman-env.sh
source deploy/median.sh
runs=${1:-5}
image=${TRIAGE_IMAGE:-localhost/triage:test}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
name=triage-cold-start
trap 'podman rm -f "$name" >/dev/null 2>&1 || true' EXIT
pod=(--read-only --tmpfs /tmp --user 1001 --memory 1g -e QUARKUS_HTTP_PORT="$port")
no_aot='["java", "@/deployments/jvm.options", "-jar", "/deployments/quarkus-run.jar"]'

ms() { echo $(( $(date +%s%N) / 1000000 )); }
echo "== $image, $runs runs each, $(nproc) host CPUs, podman storage $TRIAGE_PODMAN_STORAGE (load $(cut -d' ' -f1 /proc/loadavg))"
noop=()
for i in $(seq "$runs"); do
  podman rm -f "$name" >/dev/null 2>&1 || true
  t=$(ms); podman run --name "$name" "${pod[@]}" --entrypoint true "$image"; noop+=($(( $(ms) - t ))) # no --rm: removal is after a pod's life
done
echo "podman run of a container that does nothing: median $(median "${noop[@]}") ms (${noop[*]})"

printf '%-8s %-8s %14s %14s   %s\n' cpus aot "first 200 ms" "JVM ready ms" "runs (first 200)"
for cpus in 2 1; do
  for aot in with without; do
    first=(); ready=()
    for i in $(seq "$runs"); do
      podman rm -f "$name" >/dev/null 2>&1 || true
      entry=(); [ "$aot" = without ] && entry=(--entrypoint "$no_aot")
      first+=("$("$JAVA_HOME/bin/java" deploy/ImageChecks.java cold "http://127.0.0.1:$port" -- \
        podman run -d --name "$name" --cpus "$cpus" "${pod[@]}" "${entry[@]}" "$image")")
      ready+=("$(podman logs "$name" 2>&1 | sed -n 's/.*ready \([0-9]*\) ms after JVM start.*/\1/p' | head -n 1)")
      podman stop -t 40 "$name" >/dev/null
    done
    printf '%-8s %-8s %14s %14s   %s\n' "$cpus" "$aot" "$(median "${first[@]}")" "$(median "${ready[@]}")" "${first[*]}"
  done
done

echo "== image: $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'), layers (newest first):"
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$image" | cut -c1-150
