#!/bin/sh
# Installs the test-only reference systems, cached between runs:
#   Debian packages      tmux (ember shell typed into a terminal) and Jupyter's
#                        kernel, nbclient and ipywidgets (the notebook progress bar)
#   $BUILD/venv          a venv (--system-site-packages) with the PyPI
#                        packages of tests/requirements.txt (PySpark, moto),
#                        every one at its version in tests/constraints.txt
#   ~/.m2 + $BUILD/java  Hadoop's jars from Maven Central (tests/java/pom.xml),
#                        their class path in $BUILD/java/classpath.txt, and
#                        the Java tools of tests/java/src compiled against it
#   chromium, node       Debian's packages, for the web UI's browser test,
#                        when missing (chromium's path: /usr/bin/chromium)
#   $BUILD/node          playwright-core from npm (tests/ui/package.json)
# Each step reruns only when its inputs changed. Idempotent.
set -eu
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$BUILD"
OUT=$(cd "$BUILD" && pwd)

stamp_ok() {  # stamp_ok STAMP FILE...: true when STAMP records FILEs' contents
  [ -f "$1" ] && [ "$(cat "$1")" = "$(shift; cat "$@" | sha256sum)" ]
}
write_stamp() {
  stamp=$1; shift
  cat "$@" | sha256sum > "$stamp"
}

"$ROOT/scripts/install-deps.sh" tmux python3-ipykernel python3-nbclient python3-nbformat python3-ipywidgets

VENV=$OUT/venv
REQ=$ROOT/tests/requirements.txt
CONSTRAINTS=$ROOT/tests/constraints.txt
if ! stamp_ok "$VENV/.stamp" "$REQ" "$CONSTRAINTS"; then
  echo "installing test packages into $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv --system-site-packages "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" -c "$CONSTRAINTS"
  write_stamp "$VENV/.stamp" "$REQ" "$CONSTRAINTS"
fi

JAVA_OUT=$OUT/java
POM=$ROOT/tests/java/pom.xml
mkdir -p "$JAVA_OUT"
if ! stamp_ok "$JAVA_OUT/.pom-stamp" "$POM"; then
  echo "resolving Hadoop's jars from Maven Central"
  mvn -q -B -f "$POM" dependency:build-classpath -Dmdep.outputFile="$JAVA_OUT/classpath.txt"
  write_stamp "$JAVA_OUT/.pom-stamp" "$POM"
fi
SOURCES=$(find "$ROOT/tests/java/src" -name '*.java' | sort)
if [ -n "$SOURCES" ]; then
  # shellcheck disable=SC2086
  if ! stamp_ok "$JAVA_OUT/.src-stamp" "$JAVA_OUT/classpath.txt" $SOURCES; then
    echo "compiling the Java test tools"
    rm -rf "$JAVA_OUT/classes"
    # shellcheck disable=SC2086
    javac -nowarn -d "$JAVA_OUT/classes" -cp "$(cat "$JAVA_OUT/classpath.txt")" $SOURCES
    # shellcheck disable=SC2086
    write_stamp "$JAVA_OUT/.src-stamp" "$JAVA_OUT/classpath.txt" $SOURCES
  fi
fi

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
if [ -n "$need" ]; then
  echo "installing:$need"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi
NODE_OUT=$OUT/node
PACKAGE=$ROOT/tests/ui/package.json
if ! stamp_ok "$NODE_OUT/.stamp" "$PACKAGE"; then
  echo "installing playwright-core into $NODE_OUT"
  mkdir -p "$NODE_OUT"
  cp "$PACKAGE" "$NODE_OUT/package.json"
  (cd "$NODE_OUT" && npm install --no-audit --no-fund --loglevel=error)
  write_stamp "$NODE_OUT/.stamp" "$PACKAGE"
fi
