#!/usr/bin/env bash
# The README's second command (and .ci/run): install what is missing, build,
# and run the whole test suite through ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# The "stress" label (crash_recovery_stress: 1,000 kills, about 40 minutes)
# is run by hand: ctest --test-dir build -L stress. Its bounded version,
# crash_recovery_quick, is in the default suite.
ctest --test-dir "$KG_BUILD" -j "$(nproc)" --output-on-failure -LE stress "$@"
