#!/usr/bin/env bash
# The README's second command (and .ci/run): install what is missing, build,
# and run the whole test suite through ctest.
#
#   tools/scripts/test.sh [--sanitize] [ctest arguments...]
#
# --sanitize (CI runs it; docs/TESTING.md, "Sanitizers" and "Fuzzing"):
# afterwards, also build with clang, AddressSanitizer + UBSan and the
# libFuzzer targets in <repo>/build-asan (KG_ASAN_BUILD_DIR), run the fast
# suite there (every test but the labels in KG_SANITIZE_SKIP_LABELS), then
# fuzz each target for KG_FUZZ_SECONDS (default 30; `ctest -L fuzz`).
# Every stage runs; the exit status is non-zero if any failed.
set -euo pipefail
KG_WANT_SANITIZERS=0
if [ "${1:-}" = "--sanitize" ]; then
  KG_WANT_SANITIZERS=1
  shift
fi
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
failed=0
# The "stress" label (crash_recovery_stress: 1,000 kills, about 40 minutes;
# fault_injection_stress; the full-size hostile inputs) is run by hand:
# ctest --test-dir build -L stress. Their bounded versions are in the
# default suite.
ctest --test-dir "$KG_BUILD" -j "$(nproc)" --output-on-failure -LE stress "$@" ||
  failed=1

if [ "$KG_WANT_SANITIZERS" = 1 ]; then
  # Not under the sanitizers: the fuzz runs (next step), the benchmarks and
  # stress runs (long), the Python binding and the install test (hosts that
  # are not built with the sanitizers cannot load or link the instrumented
  # library), and the W3C evaluation runner (the slowest, ~550 queries).
  skip_labels="${KG_SANITIZE_SKIP_LABELS:-fuzz|bench|stress|python}"
  skip_tests="${KG_SANITIZE_SKIP_TESTS:-^install_and_embed$|^sparql_eval_conformance$}"
  kg_build_sanitized
  (
    # libedit leaks a few wcsdup copies at exit (the shell tests); UBSan
    # aborts (-fno-sanitize-recover) and prints where.
    export LSAN_OPTIONS="suppressions=$KG_REPO/tests/lsan.supp"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    status=0
    ctest --test-dir "$KG_ASAN_BUILD" -j "$(nproc)" --output-on-failure \
      -LE "$skip_labels" -E "$skip_tests" || status=1
    ctest --test-dir "$KG_ASAN_BUILD" -j "$(nproc)" --output-on-failure \
      -L fuzz || status=1
    exit $status
  ) || failed=1
fi
exit $failed
