# Sourced by quickstart.sh and test.sh: installs the Debian 12 packages that
# are missing, then configures and builds kgstore (Release) in <repo>/build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
# With KG_WANT_SANITIZERS=1 (test.sh --sanitize) it also installs clang and
# its runtime libraries and defines kg_build_sanitized (<repo>/build-asan).
set -euo pipefail

KG_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KG_BUILD="${KG_BUILD_DIR:-$KG_REPO/build}"

KG_PACKAGES=(cmake ninja-build g++ librocksdb-dev libabsl-dev libboost-dev
             catch2 libbenchmark-dev libcli11-dev libxxhash-dev libexpat1-dev
             nlohmann-json3-dev libre2-dev pkg-config libssl-dev
             libedit-dev python3 python3-rdflib python3-pytest
             graphviz libxml2-utils chromium)
# test.sh --sanitize only: clang, and clang 14's runtime libraries (ASan,
# UBSan, libFuzzer: libclang_rt.*.a), which Debian ships apart.
KG_SANITIZER_PACKAGES=(clang libclang-rt-14-dev)
if [ "${KG_WANT_SANITIZERS:-0}" = 1 ]; then
  KG_PACKAGES+=("${KG_SANITIZER_PACKAGES[@]}")
fi
KG_ASAN_BUILD="${KG_ASAN_BUILD_DIR:-$KG_REPO/build-asan}"

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

# clang with AddressSanitizer + UndefinedBehaviorSanitizer (UB aborts) and
# the libFuzzer targets (KG_FUZZ), at -O1: one build for both the fast
# suite under the sanitizers and the fuzz runs. No benchmarks.
kg_build_sanitized() {
  cmake -S "$KG_REPO" -B "$KG_ASAN_BUILD" -G Ninja \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_C_FLAGS_DEBUG=-O1 -gline-tables-only" \
    "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" \
    -DKG_SANITIZE="address;undefined" -DKG_FUZZ=ON -DKG_BUILD_BENCH=OFF \
    -DKG_FUZZ_SECONDS="${KG_FUZZ_SECONDS:-30}" \
    >/dev/null
  cmake --build "$KG_ASAN_BUILD" -j "$(nproc)"
}

kg_install_packages
kg_build
