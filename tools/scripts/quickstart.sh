#!/usr/bin/env bash
# The README's first command: install what is missing, build, load the
# bundled seed example into the default store and show what it holds.
#   Default store: ${KG_HOME:-~/.local/share/kgstore}/seed
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

KG="$KG_BUILD/tools/kg"
STORE="${KG_HOME:-$HOME/.local/share/kgstore}/seed"
SEED="$KG_REPO/examples/seed/kazinform-2023-02-24.trig"

# The example store is rebuilt from the seed file each time, so running this
# twice gives the same store (blank nodes would otherwise be loaded twice).
rm -rf "$STORE"
mkdir -p "$(dirname "$STORE")"
"$KG" load "$STORE" "$SEED"
echo
echo "== the store: $STORE"
"$KG" stats "$STORE" | awk 'NR <= 12'
echo "   ... ('kg stats' shows every predicate)"
# The example queries (examples/queries/*.rq), each with its comment line.
for q in "$KG_REPO"/examples/queries/*.rq; do
  echo
  echo "== $(basename "$q" .rq): $(sed -n 's/^# //p' "$q" | head -2 | tr '\n' ' ')"
  "$KG" query "$STORE" -f "$q"
done
echo
echo "Next: $KG shell $STORE   |   $KG query $STORE 'SELECT * { ?s ?p ?o } LIMIT 10'   |   $KG --help"
