#!/usr/bin/env bash
# Installs kgstore into a temporary prefix, then builds and runs the three
# host examples against that prefix alone, as a host application would:
#   - C   (examples/embed_example.c)   with pkg-config;
#   - C++ (examples/embed_example.cc)  with CMake's find_package(kgstore),
#                                      against the shared and the static
#                                      library;
#   - Python (examples/embed_example.py) through the installed binding.
# Each opens a store, loads the seed example, runs a property-path query
# and prints the people found; all four must print the same people.
# Also checks what the prefix holds: versioned soname, headers that include
# only each other (and absl, and for kg.h only standard C headers), the
# CMake and pkg-config packages, the kg tool.
#
#   check_install.sh SOURCE_ROOT BUILD_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kg-install-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
seed=$src/examples/seed/kazinform-2023-02-24.trig

fail() { echo "check_install: $*" >&2; exit 1; }
run() {  # run LOG command...: keeps quiet unless the command fails
  local log=$1; shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "failed: $*"; }
}

# ---- 1. install ----------------------------------------------------------
run "$work/install.log" cmake --install "$build" --prefix "$prefix"

version=$(sed -n 's/^#define KG_VERSION "\(.*\)"$/\1/p' \
  "$src/engine/capi/kgstore/kg.h")
[ -n "$version" ] || fail "no KG_VERSION in kg.h"
soversion=${version%.*}
libdir=$prefix/lib
[ -d "$libdir" ] || libdir=$(dirname "$(find "$prefix" -name 'libkgstore.a' | head -1)")
for f in include/kgstore/kg.h include/kgstore/database.h \
         include/kgstore/query_result.h include/kgstore/graph_export.h \
         include/kgstore/term.h bin/kg; do
  [ -e "$prefix/$f" ] || fail "the install has no $f"
done
for f in libkgstore.a "libkgstore.so.$version" "libkgstore.so.$soversion" \
         libkgstore.so pkgconfig/kgstore.pc cmake/kgstore/kgstoreConfig.cmake \
         cmake/kgstore/kgstoreConfigVersion.cmake; do
  [ -e "$libdir/$f" ] || fail "the install has no $libdir/$f"
done
readelf -d "$libdir/libkgstore.so" | grep -q "SONAME.*\[libkgstore.so.$soversion\]" ||
  fail "libkgstore.so's soname is not libkgstore.so.$soversion"
[ -e "$prefix/lib/python3/dist-packages/kgstore/__init__.py" ] ||
  fail "the install has no Python binding (lib/python3/dist-packages/kgstore)"

# Installed headers include only each other, absl and the standard library.
if grep -hE '^#include "' "$prefix"/include/kgstore/*.h |
   grep -vE '"(absl|kgstore)/'; then
  fail "an installed header includes an internal one (above)"
fi
if grep -E '^#include' "$prefix/include/kgstore/kg.h" |
   grep -vE '<(stddef|stdint)\.h>'; then
  fail "kg.h includes more than standard C headers (above)"
fi

expected_people() {  # the person lines of an example's output, sorted
  grep -E '^https://kgstore.example/id/[^ ]+  [^ ]' "$1" | sort
}

# ---- 2. C, with pkg-config -------------------------------------------------
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion kgstore)" = "$version" ] ||
  fail "pkg-config --modversion kgstore is not $version"
# shellcheck disable=SC2046
run "$work/c-build.log" cc -std=c99 -Wall -Wextra -pedantic -Werror \
  "$src/examples/embed_example.c" -o "$work/host_c" \
  $(pkg-config --cflags --libs kgstore) -Wl,-rpath,"$libdir"
run "$work/c.out" "$work/host_c" "$work/store_c" "$seed"
expected_people "$work/c.out" >"$work/c.people"
[ -s "$work/c.people" ] || { cat "$work/c.out"; fail "the C host found nobody"; }

# ---- 3. C++, with find_package, shared then static ---------------------------
for kind in shared static; do
  static=OFF; [ "$kind" = static ] && static=ON
  run "$work/cmake-$kind.log" cmake -S "$src/examples" -B "$work/cpp-$kind" \
    -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    -DKG_EXAMPLES_STATIC=$static
  run "$work/build-$kind.log" cmake --build "$work/cpp-$kind"
  if [ "$kind" = static ] &&
     ldd "$work/cpp-$kind/embed_example" | grep -q libkgstore; then
    fail "the static C++ host still loads libkgstore.so"
  fi
  run "$work/cpp-$kind.out" "$work/cpp-$kind/embed_example" \
    "$work/store_cpp_$kind" "$seed"
  expected_people "$work/cpp-$kind.out" >"$work/cpp-$kind.people"
  cmp -s "$work/c.people" "$work/cpp-$kind.people" ||
    { diff "$work/c.people" "$work/cpp-$kind.people"; \
      fail "the C++ ($kind) host found other people than the C host"; }
  run "$work/cpp-c-$kind.out" "$work/cpp-$kind/embed_example_c" \
    "$work/store_cc_$kind" "$seed"
done

# ---- 4. Python, through the installed binding ------------------------------
python=/usr/bin/python3
[ -x "$python" ] || python=python3
run "$work/py.out" env -u KGSTORE_LIBRARY \
  PYTHONPATH="$prefix/lib/python3/dist-packages" \
  "$python" "$src/examples/embed_example.py" "$work/store_py" "$seed"
expected_people "$work/py.out" >"$work/py.people"
cmp -s "$work/c.people" "$work/py.people" ||
  { diff "$work/c.people" "$work/py.people"; \
    fail "the Python host found other people than the C host"; }

# ---- 5. the installed kg tool reads what the hosts wrote ---------------------
run "$work/kg.out" "$prefix/bin/kg" query "$work/store_c" \
  "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"

echo "check_install: $(wc -l <"$work/c.people") people found by C, C++ (shared, static) and Python hosts against $prefix"
