#!/bin/sh
# Installs Debian packages, skipping what is present: those named as
# arguments (the test and fuzzing set-ups' extras), or with none the ones
# ember needs to build and test (python3-ipython: optional, `ember shell`
# uses it when it is there). Runs `apt-get update` only when something is
# missing. Idempotent.
set -eu
PACKAGES=${*:-"cmake ninja-build g++ pkg-config python3-dev pybind11-dev libprotobuf-dev
protobuf-compiler libasio-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
zlib1g-dev libbz2-dev libzstd-dev liblz4-dev libsnappy-dev libxxhash-dev libssl-dev
libcurl4-openssl-dev libgtest-dev libgmock-dev libbenchmark-dev python3-cloudpickle
python3-pytest python3-pytest-xdist python3-pytest-timeout python3-hypothesis
python3-psutil python3-dask python3-numpy python3-venv python3-pip python3-ipython zstd lz4 procps
iproute2 openjdk-17-jdk-headless maven"}

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
