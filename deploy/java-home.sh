# Sourced by the scripts: use the caller's JAVA_HOME if it is a JDK 21+, else the Temurin 25 that our
# machines ship (their default java is 17, too old for virtual threads).
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[ -x "$JAVA_HOME/bin/java" ] || { echo "no JDK 21+ found (expected $JAVA_HOME)" >&2; exit 1; }
