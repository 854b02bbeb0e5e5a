#!/usr/bin/env bash
# Builds the stand-in for the public Temurin 25 JRE image, for machines that reach no container registry
# (ours: a FROM docker.io/... fails here). Users with a registry build deploy/Dockerfile.jvm from the public
# base unchanged; CI and our machines build it FROM the image this script makes:
#  - a Debian 12 "essential" rootfs made with mmdebstrap from Debian's mirror (the one apt is configured with),
#    plus libstdc++6, which ONNX Runtime's and the tokenizers' JNI libraries need; no docs, man pages, locales;
#  - a Java runtime jlinked from the local Temurin 25 with only the modules the application needs (jdeps over
#    target/quarkus-app, plus the ones it loads by name), at the eclipse-temurin path /opt/java/openjdk with
#    java on PATH, and its default CDS archive.
#   deploy/base-image.sh [TAG]        default TAG: localhost/triage-base:25-jre (needs target/quarkus-app)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-localhost/triage-base:25-jre}
source deploy/java-home.sh
source deploy/podman-env.sh
app=target/quarkus-app
[ -f "$app/quarkus-run.jar" ] || { echo "no $app: build it first with ./mvnw -B package -DskipTests" >&2; exit 1; }
command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >&2
start=$(date +%s)

# A base made before from the same inputs (this script, the JDK, the dependency jars that decide the modules)
# in the last 7 days is used as it is: the rootfs download is most of a CI run's image time. Older, it is made
# again, so Debian's updates get in.
inputs=$( { cat "$0"; cat "$JAVA_HOME/release"; (cd "$app" && find lib app quarkus-run.jar -name '*.jar' | sort); } \
  | sha256sum | cut -c1-16)
made=$(podman image inspect --format '{{index .Labels "triage.base.inputs"}} {{.Created.Unix}}' "$tag" 2>/dev/null || true)
if [ "${made% *}" = "$inputs" ] && [ $(( start - ${made#* } )) -lt $(( 7 * 86400 )) ]; then
  echo "== $tag: made from the same inputs $(( (start - ${made#* }) / 3600 )) h ago ($inputs), kept" >&2
  exit 0
fi

# The Debian mirror apt uses here (deb.debian.org unless this machine is set up otherwise).
mirror=${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
  2>/dev/null | grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+' | grep -v security | head -n 1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

work=target/base-image
rm -rf "$work" && mkdir -p "$work"
if [ -n "${BASE_ROOTFS_TAR:-}" ]; then # a rootfs made by an earlier run (development only; CI makes its own)
  cp "$BASE_ROOTFS_TAR" "$work/rootfs.tar"
else
  echo "== rootfs: Debian bookworm essential + libstdc++6 from $mirror" >&2
  mmdebstrap --quiet --variant=essential --include=libstdc++6 \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$work/rootfs.tar" "$mirror"
fi

# jdeps over the application's classes (unpacked without module-info: several dependency jars declare modules
# that are not on the class path, which stops jdeps); jdk.zipfs (jar: file systems) is found through a
# provider look-up it cannot see.
echo "== runtime: jdeps + jlink from $JAVA_HOME" >&2
for jar in "$app/quarkus-run.jar" "$app"/lib/boot/*.jar "$app"/lib/main/*.jar "$app"/app/*.jar "$app"/quarkus/*.jar; do
  unzip -q -o "$jar" '*.class' -x '*module-info.class' 'META-INF/versions/*' -d "$work/classes" 2>/dev/null || true
done
modules="$("$JAVA_HOME/bin/jdeps" -q --ignore-missing-deps --print-module-deps "$work/classes"),jdk.zipfs"
rm -rf "$work/classes"
echo "   modules: $modules" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$work/openjdk"

cat > "$work/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD rootfs.tar /
COPY openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CONTAINERFILE
podman build --quiet --label "triage.base.inputs=$inputs" --label "org.opencontainers.image.description=stand-in for eclipse-temurin:25-jre (deploy/base-image.sh)" \
  -t "$tag" "$work" >/dev/null
rm -rf "$work"
echo "== $tag: $(podman image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'), $(( $(date +%s) - start )) s" >&2
