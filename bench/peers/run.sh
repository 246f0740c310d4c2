#!/usr/bin/env bash
# bench/peers/run.sh: kgstore side by side with SQLite, Kùzu, Oxigraph and
# Virtuoso on the same generated data and the same queries. See bench/README.md.
#
#   bench/peers/run.sh [--triples N] [--runs R] [--only kgstore,sqlite,...]
#                      [--work DIR] [--out FILE.md] [--peer-timeout SECONDS]
#
# Systems: kgstore (in-process driver kg_peer_driver, default options),
# kgstore-preload (the same with OpenOptions::preload_adjacencies; the
# preload is in its open time), kgstore-cli (kg query per query: process
# start + store open included), sqlite, sqlite-dict, duckdb, kuzu,
# oxigraph, virtuoso. Default: all of them. Peers are installed into
# $KG_PEERS_CACHE (default ~/.cache/kgstore-peers), never into the repository.
# Every step has a time limit; a peer that fails to install, start or load is
# reported and skipped.
set -u
ORIG_ARGS="$*"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TRIPLES=1000000 RUNS=5 ONLY=kgstore,kgstore-preload,kgstore-cli,sqlite,sqlite-dict,duckdb,kuzu,oxigraph,virtuoso
WORK="" OUT="" PEER_TIMEOUT=1200
CACHE=${KG_PEERS_CACHE:-$HOME/.cache/kgstore-peers}
BUILD=${KG_BUILD:-$ROOT/build}          # where tools/kg and bench/kg_generate are
DRIVER_BUILD=${KG_DRIVER_BUILD:-$BUILD}  # where bench/kg_peer_driver is (or gets built)
while [ $# -gt 0 ]; do
  case "$1" in
    --triples) TRIPLES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --peer-timeout) PEER_TIMEOUT=$2; shift 2 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
WORK=${WORK:-${TMPDIR:-/tmp}/kgstore-peers-$TRIPLES}
OUT=${OUT:-$WORK/peers.md}
mkdir -p "$CACHE" "$WORK/res" || exit 1
RES=$WORK/res
log() { printf '[peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
want() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
skip() { log "SKIP $1: $2"; printf '{"system":"%s","fatal":"%s","queries":{}}\n' "$1" "$(printf '%s' "$2" | tr '"\n' "' ")" > "$RES/$1.json"; }
rm -f "$RES"/*.json

# ---- 1. tools and peers --------------------------------------------------
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
apt_install() {  # apt_install BINARY PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing Debian package $2"
  timeout 900 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >"$WORK/apt-$2.log" 2>&1 ||
    { timeout 300 $SUDO apt-get update -q >/dev/null 2>&1 &&
      timeout 900 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >>"$WORK/apt-$2.log" 2>&1; }
  command -v "$1" >/dev/null 2>&1
}
NPM_DIR=$CACHE/npm
npm_install() {  # npm_install MODULE SPEC
  [ -d "$NPM_DIR/node_modules/$1" ] && return 0
  command -v npm >/dev/null || { log "npm missing"; return 1; }
  mkdir -p "$NPM_DIR"; [ -f "$NPM_DIR/package.json" ] || echo '{"name":"kgstore-peers","private":true}' > "$NPM_DIR/package.json"
  log "installing npm $2 into $NPM_DIR"
  (cd "$NPM_DIR" && timeout 900 npm install --no-audit --no-fund "$2" >>"$NPM_DIR/install.log" 2>&1)
}
export NODE_PATH=$NPM_DIR/node_modules
command -v node >/dev/null || { log "node is required for the drivers"; exit 1; }
[ -x /usr/bin/time ] || apt_install /usr/bin/time time

KG=$BUILD/tools/kg GEN=$BUILD/bench/kg_generate DRIVER=$DRIVER_BUILD/bench/kg_peer_driver
[ -x "$GEN" ] || timeout 1800 cmake --build "$BUILD" --target kg_generate >&2 || { log "cannot build kg_generate"; exit 1; }
if { want kgstore || want kgstore-preload; } && [ ! -x "$DRIVER" ]; then
  log "building kg_peer_driver in $DRIVER_BUILD"
  timeout 3600 cmake --build "$DRIVER_BUILD" --target kg_peer_driver >&2 || log "kg_peer_driver did not build"
fi

# ---- 2. data ---------------------------------------------------------------
DATA=$WORK/data.nt CONV=$WORK/conv
if [ ! -s "$DATA" ]; then
  log "generating $TRIPLES triples"
  timeout 3600 "$GEN" --triples "$TRIPLES" -o "$DATA" || { log "generator failed"; exit 1; }
fi
if { want sqlite || want sqlite-dict || want duckdb || want kuzu; } && [ ! -s "$CONV/kuzu/schema.json" ]; then
  log "converting to TSV (SQLite) and CSV (Kùzu)"
  timeout 10800 node --max-old-space-size=16384 "$HERE/convert.js" "$DATA" "$CONV" || { log "converter failed"; exit 1; }
  wc -l < "$CONV/sqlite/triples.tsv" | tr -d ' ' > "$CONV/count.txt"
fi
QDIR=$HERE/queries

# ---- 3. systems, one at a time ------------------------------------------------
# Every load starts with its input in the page cache, so that load times
# measure parsing and indexing, not how much of the file the last system
# left cached (a 10M run reads 1.3 GB per system).
warm() { local f; for f in "$@"; do if [ -d "$f" ]; then cat "$f"/* >/dev/null 2>&1; else cat "$f" >/dev/null 2>&1; fi; done; true; }
rss_of() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | tail -1; }
peak() { local m=0 v; for v in "$@"; do [ -n "$v" ] && [ "$v" -gt "$m" ] && m=$v; done; echo "$m"; }

if want kgstore || want kgstore-preload || want kgstore-cli; then
  STORE=$WORK/kgstore
  rm -rf "$STORE"
  log "kgstore: load"
  warm "$DATA"
  if timeout "$PEER_TIMEOUT" /usr/bin/time -v "$KG" load "$STORE" "$DATA" 2>"$WORK/kg-load.err"; then
    LOAD_S=$(sed -n 's/.* in \([0-9.]*\)s .*/\1/p' "$WORK/kg-load.err" | head -1)
    LOAD_RSS=$(rss_of "$WORK/kg-load.err"); DISK=$(du -sb "$STORE" | cut -f1)
    for SYS in kgstore kgstore-preload; do
      want $SYS || continue
      if [ -x "$DRIVER" ]; then
        # kgstore-preload: adjacencies built at open, with a budget of
        # KG_PRELOAD_BUDGET_MIB (default 1024) -- a configured store, as the
        # peers' buffer pools are sized by their defaults.
        FLAG=""; [ $SYS = kgstore-preload ] && FLAG="--preload-adjacencies --adjacency-budget-mib ${KG_PRELOAD_BUDGET_MIB:-1024}"
        log "$SYS: queries in-process (kg_peer_driver $FLAG)"
        timeout "$PEER_TIMEOUT" /usr/bin/time -v "$DRIVER" $FLAG "$STORE" "$QDIR/sparql" "$RUNS" "$RES/$SYS.q.json" 60000 2>"$WORK/$SYS-driver.err"
        Q_RSS=$(rss_of "$WORK/$SYS-driver.err")
        node -e '
          const fs=require("fs"); const [f,o,sys,s,n,d,r]=process.argv.slice(1);
          let q={queries:{}}; try{q=JSON.parse(fs.readFileSync(f,"utf8"))}catch(e){}
          fs.writeFileSync(o, JSON.stringify({system:sys, load:{seconds:+s,triples:+n,disk_bytes:+d}, peak_rss_kb:+r, open_ms:q.open_ms, queries:q.queries}));
        ' "$RES/$SYS.q.json" "$RES/$SYS.json" "$SYS" "$LOAD_S" "$TRIPLES" "$DISK" "$(peak "$LOAD_RSS" "$Q_RSS")"
        rm -f "$RES/$SYS.q.json"
      else
        skip $SYS "kg_peer_driver not built"
      fi
    done
    if want kgstore-cli; then
      log "kgstore-cli: queries through kg query (one process per run)"
      timeout "$PEER_TIMEOUT" node "$HERE/kg_cli.js" "$KG" "$STORE" "$QDIR/sparql" "$RUNS" "$RES/kgstore-cli.json" "$LOAD_S" "$TRIPLES" "$DISK" "$LOAD_RSS" || log "kgstore-cli: stopped (time limit?)"
    fi
  else
    for SYS in kgstore kgstore-preload; do want $SYS && skip $SYS "kg load failed: $(tail -2 "$WORK/kg-load.err" | head -1)"; done
  fi
fi

run_node_peer() {  # run_node_peer SYSTEM ARGS...
  local sys=$1; shift
  log "$sys: load + queries"
  timeout "$PEER_TIMEOUT" node --max-old-space-size=16384 "$HERE/peer.js" "$sys" --runs "$RUNS" --out "$RES/$sys.json" "$@" 2>"$WORK/$sys.log"
  local rc=$?
  [ $rc = 124 ] && log "$sys: hit the ${PEER_TIMEOUT}s limit; queries not finished are reported as not run"
  [ $rc != 0 ] && [ $rc != 124 ] && log "$sys: exited with $rc (see $WORK/$sys.log)"
  [ -s "$RES/$sys.json" ] || skip "$sys" "failed before loading: $(tail -1 "$WORK/$sys.log")"
}

if want sqlite || want sqlite-dict; then
  if npm_install better-sqlite3 better-sqlite3@12; then
    want sqlite && { rm -rf "$WORK/sqlite"; warm "$CONV/sqlite/triples.tsv"; run_node_peer sqlite --tsv "$CONV/sqlite/triples.tsv" --db "$WORK/sqlite"; }
    want sqlite-dict && { rm -rf "$WORK/sqlite-dict"; warm "$CONV/sqlite/triples.tsv"; run_node_peer sqlite-dict --tsv "$CONV/sqlite/triples.tsv" --db "$WORK/sqlite-dict"; }
  else
    want sqlite && skip sqlite "npm install better-sqlite3@12 failed"
    want sqlite-dict && skip sqlite-dict "npm install better-sqlite3@12 failed"
  fi
fi
if want duckdb; then
  if npm_install @duckdb/node-api @duckdb/node-api; then rm -rf "$WORK/duckdb"; warm "$CONV/sqlite/triples.tsv"; run_node_peer duckdb --tsv "$CONV/sqlite/triples.tsv" --db "$WORK/duckdb"
  else skip duckdb "npm install @duckdb/node-api failed"; fi
fi
if want kuzu; then
  if npm_install kuzu kuzu; then warm "$CONV/kuzu"; run_node_peer kuzu --conv "$CONV/kuzu" --db "$WORK/kuzu/db"
  else skip kuzu "npm install kuzu failed"; fi
fi
if want oxigraph; then
  if npm_install oxigraph oxigraph; then warm "$DATA"; run_node_peer oxigraph --nt "$DATA"
  else skip oxigraph "npm install oxigraph failed"; fi
fi
if want virtuoso; then
  if apt_install virtuoso-t virtuoso-opensource && command -v isql-vt >/dev/null; then
    VDIR=$WORK/virtuoso; rm -rf "$VDIR"; mkdir -p "$VDIR"
    VPORT=${KG_VIRTUOSO_PORT:-21111} HPORT=${KG_VIRTUOSO_HTTP:-28890}
    # Its own config: data in $VDIR, loopback ports, 2 GiB of buffers, no
    # row cap, and a 300 s limit (partial "anytime" answers count as errors).
    sed -e "s#/var/lib/virtuoso-opensource-7/db#$VDIR#g" \
        -e "s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$VPORT#" \
        -e "s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$HPORT#" \
        -e "s#^DirsAllowed.*#DirsAllowed = ., $WORK, /usr/share/virtuoso-opensource-7/vad#" \
        -e "s#^NumberOfBuffers .*#NumberOfBuffers = 170000#" \
        -e "s#^MaxDirtyBuffers .*#MaxDirtyBuffers = 130000#" \
        -e "s#^ResultSetMaxRows .*#ResultSetMaxRows = 100000000#" \
        -e "s#^MaxQueryExecutionTime .*#MaxQueryExecutionTime = 300#" \
        -e "s#^ThreadsPerQuery .*#ThreadsPerQuery = 2#" \
        -e "s#^DefaultHost .*#DefaultHost = 127.0.0.1:$HPORT#" \
        -e "/^Load[0-9]/d" \
        /etc/virtuoso-opensource-7/virtuoso.ini > "$VDIR/virtuoso.ini"
    warm "$DATA"
    log "virtuoso: starting on 127.0.0.1:$VPORT (HTTP $HPORT)"
    (cd "$VDIR" && exec virtuoso-t -f -c "$VDIR/virtuoso.ini" >"$VDIR/stdout.log" 2>&1) &
    VPID=$!
    # wait for the pid of the server itself (the subshell execs it)
    UP=0
    for _ in $(seq 1 120); do
      if timeout 10 isql-vt "$VPORT" dba dba VERBOSE=OFF BANNER=OFF 'exec=select 1;' >/dev/null 2>&1; then UP=1; break; fi
      kill -0 "$VPID" 2>/dev/null || break; sleep 1
    done
    if [ $UP = 1 ]; then
      run_node_peer virtuoso --nt "$DATA" --db "$VDIR" --isql "$(command -v isql-vt)" --isqlport "$VPORT" --httpport "$HPORT"
      VRSS=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$VPID/status 2>/dev/null)
      [ -n "$VRSS" ] && node -e 'const fs=require("fs");const f=process.argv[1];const j=JSON.parse(fs.readFileSync(f));j.peak_rss_kb=Number(process.argv[2]);j.rss_note="server process VmHWM";fs.writeFileSync(f,JSON.stringify(j))' "$RES/virtuoso.json" "$VRSS"
      timeout 60 isql-vt "$VPORT" dba dba 'exec=shutdown;' >/dev/null 2>&1
    else
      skip virtuoso "server did not start: $(tail -3 "$VDIR/virtuoso.log" "$VDIR/stdout.log" 2>/dev/null | tr '\n' ' ')"
    fi
    sleep 2; kill "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null
  else
    skip virtuoso "apt-get install virtuoso-opensource failed"
  fi
fi

# ---- 4. answers and the table -------------------------------------------------
FILES=()
for s in kgstore kgstore-preload kgstore-cli sqlite sqlite-dict duckdb kuzu oxigraph virtuoso; do
  [ -s "$RES/$s.json" ] && FILES+=("$RES/$s.json")
done
{
  echo "Peers: $TRIPLES triples, $RUNS warm runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM"
  echo
  node "$HERE/compare.js" --md "$OUT.body" "${FILES[@]}"
} | tee "$WORK/peers.txt"
{ echo "Command: \`bench/peers/run.sh $ORIG_ARGS\` (resolved: --triples $TRIPLES --runs $RUNS --only $ONLY --peer-timeout $PEER_TIMEOUT; kgstore binaries: $BUILD, driver: $DRIVER_BUILD)"; echo; cat "$OUT.body"; } > "$OUT"; rm -f "$OUT.body"
log "table: $OUT; raw answers and times: $RES/*.json"
