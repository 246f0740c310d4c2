#!/usr/bin/env bash
# `kg query` against `sqlite3` on a tiny database (issue 18, item 2): the
# wall time of one one-shot process each, measured alternately in one run.
#
#   bench/startup/run.sh [BUILD_DIR]        (default: build)
#
# Builds the seed example store with BUILD_DIR/tools/kg and a one-table,
# one-row SQLite database in a temporary directory, then times
#   sqlite3 t.db 'SELECT * FROM t'                      (one row)
#   kg query SEED 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 1' (one row)
#   kg query SEED 'ASK { ?s ?p ?o }'
#   kg --version, /bin/true                             (for scale)
# with bench/startup/alternate.py (every command once per round, the
# order rotating) and, if installed, hyperfine (each command in turn).
# Environment: RUNS (default 60), WARMUP (5), KG_BEFORE=path of another kg
# binary to time beside (e.g. one built with -DKG_TOOL_STATIC=OFF).
# Needs sqlite3 and python3 (apt-get install sqlite3 hyperfine).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "${1:-$REPO/build}" && pwd)
KG=$BUILD/tools/kg
RUNS=${RUNS:-60}
WARMUP=${WARMUP:-5}
for tool in sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: needs $tool" >&2; exit 2; }
done
[[ -x $KG ]] || { echo "run.sh: no $KG (build the kg target)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$KG" load "$WORK/seed" "$REPO/examples/seed/kazinform-2023-02-24.trig" \
  >/dev/null 2>&1
sqlite3 "$WORK/t.db" \
  "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'one');"

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nproc:   $(nproc)"
echo "RAM:     $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
echo "kernel:  $(uname -r)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
echo "kg:      $KG ($(ldd "$KG" | wc -l) lines of ldd, $(stat -c %s "$KG") bytes)"
if [[ -n ${KG_BEFORE:-} ]]; then
  echo "before:  $KG_BEFORE ($(ldd "$KG_BEFORE" | wc -l) lines of ldd)"
fi
echo "seed:    $("$KG" query "$WORK/seed" 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' --format tsv | tail -1) quads"
echo

SELECT1='SELECT ?s WHERE { ?s ?p ?o } LIMIT 1'
ASK='ASK { ?s ?p ?o }'
cmds=("sqlite3=sqlite3 $WORK/t.db 'SELECT * FROM t'"
      "kg query (1 row)=$KG query $WORK/seed '$SELECT1'"
      "kg query (ASK)=$KG query $WORK/seed '$ASK'")
if [[ -n ${KG_BEFORE:-} ]]; then
  cmds+=("before: kg query (1 row)=$KG_BEFORE query $WORK/seed '$SELECT1'")
fi
cmds+=("kg --version=$KG --version" "/bin/true=/bin/true")
echo "== alternating (bench/startup/alternate.py $RUNS $WARMUP)"
python3 "$REPO/bench/startup/alternate.py" "$RUNS" "$WARMUP" "${cmds[@]}"

if command -v hyperfine >/dev/null; then
  echo
  echo "== hyperfine -N -w $WARMUP -r $RUNS (each command in turn)"
  hyperfine -N -w "$WARMUP" -r "$RUNS" --style basic \
    --export-json "$WORK/hyperfine.json" \
    "sqlite3 $WORK/t.db 'SELECT * FROM t'" \
    "$KG query $WORK/seed '$SELECT1'" >/dev/null 2>&1
  python3 - "$WORK/hyperfine.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
for x in r:
    print(f"{x['median'] * 1e3:8.2f} ms median  {x['mean'] * 1e3:8.2f} ms mean  "
          f"{x['median'] / base:5.2f}x  {x['command'].split('/')[-1][:60]}")
PY
fi
