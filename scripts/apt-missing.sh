#!/usr/bin/env bash
# Install, in one apt-get, the Debian packages of the programs that are missing:
#   bash scripts/apt-missing.sh PROGRAM=PACKAGE[,PACKAGE...] ...
# As root, or through sudo; without either it says what is missing and goes on (what needs it skips).
set -euo pipefail

missing=()
for pair in "$@"; do
  program=${pair%%=*}
  packages=${pair#*=}
  if ! command -v "$program" >/dev/null 2>&1; then
    IFS=, read -r -a more <<<"$packages"
    missing+=("${more[@]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "missing Debian packages: ${missing[*]} (install them with apt-get install)" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
