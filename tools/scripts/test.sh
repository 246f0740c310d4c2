#!/usr/bin/env bash
# The README's second command (and .ci/run): install what is missing, build,
# and run the whole test suite through ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
ctest --test-dir "$KG_BUILD" -j "$(nproc)" --output-on-failure "$@"
