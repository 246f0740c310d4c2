#!/bin/sh
# One bounded libFuzzer run, as the ctest entries fuzz:<name> (label "fuzz")
# call it; see docs/TESTING.md, "Fuzzing".
#
#   run_fuzz.sh <fuzzer> <name> <seed-list> <regressions-dir> <dictionary>
#               <seconds> <work-dir> [more libFuzzer flags]
#
# The scratch corpus <work-dir>/corpus/<name>/ receives the seeds (the files
# the seed list names, and the regression inputs) and keeps what libFuzzer
# adds, so a later run starts from there. Crashes, timeouts, leaks and
# out-of-memory inputs go to <work-dir>/artifacts/<name>/, and the run
# fails.
set -eu
fuzzer=$1 name=$2 seeds=$3 regressions=$4 dict=$5 seconds=$6 work=$7
shift 7
corpus=$work/corpus/$name
artifacts=$work/artifacts/$name
mkdir -p "$corpus" "$artifacts"
# Seeds named by their path under the suites (files of one name live in
# several folders).
sed -e 's|^\(.*/w3c/\)\(.*\)$|\1\2 \2|' "$seeds" |
  while read -r path rel; do
    dest="$corpus/seed-$(printf '%s' "$rel" | tr '/' '_')"
    [ -e "$dest" ] || cp "$path" "$dest"
  done
if [ -d "$regressions" ]; then
  for f in "$regressions"/*; do
    [ -f "$f" ] && cp "$f" "$corpus/regression-$(basename "$f")"
  done
fi
echo "fuzzing $name for $seconds s from $(ls "$corpus" | wc -l) inputs" >&2
# Inputs up to 8 KiB (longer seeds are cut): enough for any nesting limit,
# and short inputs run many times faster.
exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -max_len=8192 -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" \
  "$corpus"
