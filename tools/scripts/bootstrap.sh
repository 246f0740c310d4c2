# Sourced by quickstart.sh and test.sh: installs the Debian 12 packages that
# are missing, then configures and builds kgstore (Release) in <repo>/build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail

KG_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KG_BUILD="${KG_BUILD_DIR:-$KG_REPO/build}"

KG_PACKAGES=(cmake ninja-build g++ librocksdb-dev libabsl-dev libboost-dev
             catch2 libbenchmark-dev libcli11-dev libxxhash-dev libexpat1-dev
             nlohmann-json3-dev libre2-dev pkg-config libssl-dev
             libedit-dev python3 python3-rdflib python3-pytest
             graphviz libxml2-utils chromium)

kg_install_packages() {
  local missing=()
  for p in "${KG_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "kgstore: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

kg_build() {
  cmake -S "$KG_REPO" -B "$KG_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    >/dev/null
  cmake --build "$KG_BUILD" -j "$(nproc)"
}

kg_install_packages
kg_build
