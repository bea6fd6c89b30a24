#!/bin/sh
# Installs what `make fuzz` needs beyond the normal build: Debian's clang,
# libFuzzer and the ASan/UBSan runtimes. Only `make fuzz` calls this, so
# `make test` never needs clang. Skips what is present; runs
# `apt-get update` only when something is missing. Idempotent.
set -eu
PACKAGES="clang-14 libfuzzer-14-dev libclang-rt-14-dev"

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
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
