#!/usr/bin/env bash
# Checks what `./mvnw package -Dnative -Dquarkus.native.sources-only=true` generated (target/native-sources;
# -Dnative activates the pom's native profile, as deploy/Dockerfile.native's build does, checked below): the
# native-image command line and the runner jar it compiles carry the ONNX Runtime
# and DJL tokenizers configuration. No native toolchain exists on our machines, so this is as far as a native
# build is verified here; native-image reads META-INF/native-image/** from the jars named in its arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/native-sources
args="$dir/native-image.args"
jar=$(ls "$dir"/*-runner.jar 2>/dev/null | head -n 1)
[ -f "$args" ] && [ -n "$jar" ] || { echo "no native sources in $dir: run the sources-only build first" >&2; exit 1; }
fail=0
need() { # description, command...
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what" >&2; fail=1; fi
}
conf=META-INF/native-image/dev.triage/triage
need "deploy/Dockerfile.native builds with -Dnative (the activation checked here)" \
  grep -qE '^RUN \./mvnw .*package .*-Dnative( |$)' deploy/Dockerfile.native
need "args compile the runner jar $(basename "$jar")" grep -q -- "$(basename "$jar")" "$args"
need "args allow native access (JNI libraries)" grep -q -- "--enable-native-access=ALL-UNNAMED" "$args"
need "runner jar carries $conf/native-image.properties" sh -c "unzip -p '$jar' $conf/native-image.properties | grep -q -- '--initialize-at-run-time=.*ai.onnxruntime.*ai.djl'"
for cls in TensorInfo SequenceInfo MapInfo OrtException OnnxSparseTensor OnnxTensor; do
  need "jni-config.json declares ai.onnxruntime.$cls" sh -c "unzip -p '$jar' $conf/jni-config.json | grep -q '\"ai.onnxruntime.$cls\"'"
done
need "jni-config.json declares DJL's CharSpan" sh -c "unzip -p '$jar' $conf/jni-config.json | grep -q 'ai.djl.huggingface.tokenizers.jni.CharSpan'"
need "resource-config.json includes ai/onnxruntime/native" sh -c "unzip -p '$jar' $conf/resource-config.json | grep -q 'ai/onnxruntime/native'"
need "resource-config.json includes native/lib" sh -c "unzip -p '$jar' $conf/resource-config.json | grep -q 'native/lib'"
need "resource-config.json includes the models" sh -c "unzip -p '$jar' $conf/resource-config.json | grep -q 'models/'"
need "ONNX Runtime jar is on the native classpath" sh -c "ls $dir/lib | grep -q onnxruntime"
need "DJL tokenizers jar is on the native classpath" sh -c "ls $dir/lib | grep -q tokenizers"
exit $fail
