#!/usr/bin/env bash
# Installs the Debian 12 packages Baro needs to build, test and benchmark.
# Idempotent: asks apt only for what is missing, so a second run costs a dpkg query.
# Usage: tools/setup-debian.sh [--with-browser] [--with-bench] [--with-fuzz]
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache python3 sqlite3
  clang  # the partner example is built with GCC and Clang (tests/plugins/out_of_tree_test.sh)
  libboost-dev libboost-program-options-dev
  libsqlitecpp-dev libsqlite3-dev
  libre2-dev libutf8proc-dev libcsv-dev libxxhash-dev libfmt-dev libeigen3-dev
  nlohmann-json3-dev catch2
  libhyperscan-dev
  # the xlsx, dta and sav exporters; the `readstat` tool reads .dta and .sav back in their test
  libxlsxwriter-dev libreadstat-dev readstat
)
for arg in "$@"; do
  case "$arg" in
    --with-browser) packages+=(chromium) ;;
    --with-bench)   packages+=(hyperfine time) ;;
    --with-fuzz)    packages+=(clang libclang-rt-14-dev) ;;
    *) echo "setup-debian.sh: unknown option '$arg'" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup-debian.sh: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# An apt cache older than a day (or absent) cannot be trusted to know current versions.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
  $sudo apt-get update -q
fi
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
