#!/usr/bin/env bash
# Build, push and deploy Triage to Kubernetes, with or without Knative. See deploy/DEPLOY.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/deploy.sh [options] <knative|knative-demo|kubernetes>

Builds the app, builds and pushes its container image, renders the kustomize overlay
k8s/overlays/<target> with that image and applies it to the current kubectl context.

Targets:
  knative        Knative Service "triage" (scale to zero) + Broker "default" + Trigger on triage.classify
  knative-demo   knative + a sample consumer (event-display) of the triage.classified replies
  kubernetes     plain Kubernetes: Deployment + Service (80 -> 8080) + CPU HorizontalPodAutoscaler

Options:
  --native             build the native executable image (deploy/Dockerfile.native) instead of the JVM one
  --skip-build         do not build or push; deploy $IMAGE as it is in the registry
  --dry-run            only render the manifests with $IMAGE substituted and print them (nothing is built,
                       pushed or applied; needs only kustomize or kubectl)
  -o, --output FILE    with --dry-run: write the manifests to FILE instead of stdout
  -n, --namespace NS   deploy into NS (default: the namespace of the current kubectl context)
  -h, --help           show this help

Environment:
  IMAGE       required: the image reference to build, push and deploy, e.g.
              registry.example.com/team/triage:1.0.0  or  registry.example.com/team/triage@sha256:<digest>
  DOCKER      container CLI for build and push (default: docker; podman works too)
  KUSTOMIZE   renderer command (default: "kustomize build" if kustomize is installed, else "kubectl kustomize")

Examples:
  IMAGE=registry.example.com/triage:1.0.0 deploy/deploy.sh --dry-run knative
  IMAGE=registry.example.com/triage:1.0.0 deploy/deploy.sh knative
  IMAGE=registry.example.com/triage:1.0.0-native deploy/deploy.sh --native -n ml kubernetes
EOF
}

die() { echo "deploy.sh: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Temporary files and directories, removed on exit whatever happens.
temps=()
cleanup() { [[ ${#temps[@]} -eq 0 ]] || rm -rf "${temps[@]}"; }
trap cleanup EXIT

native=false
skip_build=false
dry_run=false
output=""
namespace=""
target=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --native) native=true ;;
    --skip-build) skip_build=true ;;
    --dry-run) dry_run=true ;;
    -o|--output) [[ $# -ge 2 ]] || die "$1 needs a file name"; output="$2"; shift ;;
    -n|--namespace) [[ $# -ge 2 ]] || die "$1 needs a namespace"; namespace="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [[ -z "$target" ]] || die "only one target, got '$target' and '$1'"; target="$1" ;;
  esac
  shift
done

[[ -n "$target" ]] || { usage >&2; die "missing target (knative, knative-demo or kubernetes)"; }
case "$target" in
  knative|knative-demo|kubernetes) ;;
  *) die "unknown target '$target' (knative, knative-demo or kubernetes)" ;;
esac
overlay="$ROOT/k8s/overlays/$target"
[[ -f "$overlay/kustomization.yaml" ]] || die "no overlay at $overlay"

IMAGE="${IMAGE:-}"
[[ -n "$IMAGE" ]] || die "IMAGE is not set. Set it to the image to build and deploy, e.g.
  IMAGE=registry.example.com/team/triage:1.0.0 deploy/deploy.sh $target"
[[ "$IMAGE" =~ ^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$ ]] || die "IMAGE is not an image reference: '$IMAGE'"
[[ -z "$output" || "$dry_run" == true ]] || die "--output only goes with --dry-run"

# --- the renderer -------------------------------------------------------------------------------------------
render_cmd=()
if [[ -n "${KUSTOMIZE:-}" ]]; then
  read -r -a render_cmd <<<"$KUSTOMIZE"
elif command -v kustomize >/dev/null 2>&1; then
  render_cmd=(kustomize build)
elif command -v kubectl >/dev/null 2>&1; then
  render_cmd=(kubectl kustomize)
else
  die "neither kustomize nor kubectl is installed (see deploy/DEPLOY.md, or run deploy/install-kubectl.sh)"
fi

# Splits an image reference into name, tag and digest (registry ports are not tags: localhost:5000/triage).
split_image() {
  local ref="$1" last
  img_digest="" img_tag=""
  if [[ "$ref" == *@* ]]; then
    img_digest="${ref#*@}"
    ref="${ref%%@*}"
  fi
  last="${ref##*/}"
  if [[ "$last" == *:* ]]; then
    img_tag="${last##*:}"
    ref="${ref%:*}"
  fi
  img_name="$ref"
}

# Prints the image of the container named "triage" in rendered manifests. kustomize prints every map with
# sorted keys, so inside a container "image:" always comes before "name:" at the same column.
triage_image() {
  awk '
    /^---/ { split("", img) }
    {
      col = match($0, /[^ -]/)
      key = substr($0, col)
      if (key ~ /^image: /) { img[col] = substr(key, 8) }
      else if (key ~ /^name: triage$/ && (col in img)) { print img[col]; exit }
    }'
}

# Renders the overlay into the file $1 with $IMAGE (and the namespace) substituted. The overlay is not
# modified: a copy of k8s/ gets a wrapper kustomization that re-targets whatever image the overlay sets.
render() {
  local out="$1" work current wrapper
  work="$(mktemp -d)"
  temps+=("$work")
  cp -R "$ROOT/k8s" "$work/k8s"
  "${render_cmd[@]}" "$work/k8s/overlays/$target" >"$work/plain.yaml" \
    || die "rendering k8s/overlays/$target with '${render_cmd[*]}' failed"
  current="$(triage_image <"$work/plain.yaml")"
  [[ -n "$current" ]] || die "found no container named 'triage' in k8s/overlays/$target"
  split_image "$current"
  local current_name="$img_name"
  split_image "$IMAGE"

  wrapper="$work/k8s/.deploy"
  mkdir -p "$wrapper"
  {
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "resources:"
    echo "  - ../overlays/$target"
    [[ -z "$namespace" ]] || echo "namespace: $namespace"
    echo "images:"
    # Quoted: a tag such as 2.0 would otherwise be read as a number and rejected.
    echo "  - name: \"$current_name\""
    echo "    newName: \"$img_name\""
    if [[ -n "$img_digest" ]]; then
      echo "    digest: \"$img_digest\""
    else
      echo "    newTag: \"${img_tag:-latest}\""
    fi
  } >"$wrapper/kustomization.yaml"
  "${render_cmd[@]}" "$wrapper" >"$out" || die "rendering with image $IMAGE failed"

  local got expected="$IMAGE"
  [[ -n "$img_digest" || -n "$img_tag" ]] || expected="$IMAGE:latest"
  got="$(triage_image <"$out")"
  [[ "$got" == "$expected" ]] || die "image substitution failed: rendered '$got', wanted '$expected'"
}

if [[ "$dry_run" == true ]]; then
  log "Rendering k8s/overlays/$target with image $IMAGE (dry run: nothing is built, pushed or applied)"
  tmp_out="$(mktemp)"
  temps+=("$tmp_out")
  render "$tmp_out"
  if [[ -n "$output" ]]; then
    cp "$tmp_out" "$output"
    log "Wrote $output"
  else
    cat "$tmp_out"
  fi
  exit 0
fi

# --- build and push -----------------------------------------------------------------------------------------
DOCKER="${DOCKER:-docker}"
if [[ "$skip_build" == false ]]; then
  command -v "$DOCKER" >/dev/null 2>&1 || die "'$DOCKER' not found: install Docker or Podman, or set DOCKER"
  cd "$ROOT"
  if [[ "$native" == true ]]; then
    # The Maven build runs inside the builder stage of the Dockerfile (Mandrel), not on this machine.
    log "Building the native image $IMAGE (takes several minutes and ~6 GB of RAM)"
    "$DOCKER" build -f deploy/Dockerfile.native -t "$IMAGE" .
  else
    log "Building the application (./mvnw -B package -DskipTests)"
    ./mvnw -B package -DskipTests
    [[ -f target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app/quarkus-run.jar is missing after the build"
    log "Building the JVM image $IMAGE"
    "$DOCKER" build -f deploy/Dockerfile.jvm -t "$IMAGE" .
  fi
  log "Pushing $IMAGE"
  "$DOCKER" push "$IMAGE"
fi

# --- deploy -------------------------------------------------------------------------------------------------
command -v kubectl >/dev/null 2>&1 || die "kubectl is required to deploy"
kns=()
[[ -z "$namespace" ]] || kns=(-n "$namespace")

if [[ "$target" == knative* ]]; then
  kubectl api-resources --api-group=serving.knative.dev -o name 2>/dev/null | grep -q '^services\.' \
    || die "Knative Serving is not installed in this cluster (no services.serving.knative.dev); use the kubernetes target"
  kubectl api-resources --api-group=eventing.knative.dev -o name 2>/dev/null | grep -q '^triggers\.' \
    || die "Knative Eventing is not installed in this cluster (no triggers.eventing.knative.dev)"
fi

manifests="$(mktemp)"
temps+=("$manifests")
render "$manifests"
log "Applying k8s/overlays/$target with image $IMAGE"
kubectl apply "${kns[@]}" -f "$manifests"

if [[ "$target" == knative* ]]; then
  log "Waiting for the Knative Service to become Ready (first start: JVM + model load)"
  kubectl wait "${kns[@]}" --for=condition=Ready ksvc/triage --timeout=300s
  url="$(kubectl get "${kns[@]}" ksvc triage -o jsonpath='{.status.url}')"
  ns_shown="${namespace:-$(kubectl config view --minify -o jsonpath='{..namespace}')}"
  ns_shown="${ns_shown:-default}"
  cat <<EOF

Triage is deployed: $url   (also: kn service describe triage -o url)

  # plain JSON
  curl -sS -X POST "$url/classify" -H 'Content-Type: application/json' \\
    -d '{"texts":["The GPU fan is rattling"],"labels":["hardware","sports"]}'

  # a binary-mode CloudEvent; the reply is a triage.classified event
  curl -sS -i -X POST "$url" -H 'Content-Type: application/json' \\
    -H 'ce-specversion: 1.0' -H 'ce-type: triage.classify' -H 'ce-source: cli' -H 'ce-id: 1' \\
    -d '{"texts":["The GPU fan is rattling"],"labels":["hardware","sports"]}'

  # through the Broker (from a pod inside the cluster):
  #   POST http://broker-ingress.knative-eventing.svc.cluster.local/$ns_shown/default  with ce-type: triage.classify
EOF
else
  log "Waiting for the rollout (a pod is Ready once its model is loaded)"
  kubectl rollout status "${kns[@]}" deployment/triage --timeout=300s
  cat <<EOF

Triage is deployed: http://triage.<namespace>.svc.cluster.local/classify inside the cluster. From here:

  kubectl port-forward ${kns[*]} svc/triage 8080:80 &
  curl -sS -X POST http://localhost:8080/classify -H 'Content-Type: application/json' \\
    -d '{"texts":["The GPU fan is rattling"],"labels":["hardware","sports"]}'
EOF
fi
