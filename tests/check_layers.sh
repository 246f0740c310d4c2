#!/bin/sh
# Checks that every #include "..." of the project points down the layers:
#
#   tools, examples -> engine's public headers -> {query, storage} -> storage/rdf -> storage/base
#
#   storage/base/   may include storage/base/
#   storage/rdf/    may include storage/base/, storage/rdf/ (no database)
#   storage/        may include storage/ (no query language, no engine)
#   query/          may include storage/base/, storage/rdf/, query/ (no store)
#   engine/export/  may include storage/base/, storage/rdf/, engine/export/
#                   and only the public headers of engine/ (PUBLIC_ENGINE
#                   below): the graph exports run on the public API
#   engine/capi/    the same for the C API (kgstore/kg.h): storage/base/,
#                   storage/rdf/, engine/capi/ and PUBLIC_ENGINE
#   engine/         may include storage/, query/, engine/
#   tools/, examples/  may include storage/base/, storage/rdf/, tools/ and
#                   only the public headers of engine/ (PUBLIC_ENGINE below)
#   tests/, bench/ and unit tests beside their modules (*_test.cc) may
#                   include anything (they test and measure internals)
#
# Prints every include against the direction and fails if there is one.
# docs/ARCHITECTURE.md explains each rule.
set -eu
root="${1:?usage: check_layers.sh <source root>}"
cd "$root"
PUBLIC_ENGINE="engine/database.h engine/query_result.h engine/request_text.h engine/iri_prefixes.h engine/graph_export.h"

allowed() {  # $1 = including file, $2 = included path
  case "$1" in
    storage/base/*) set -- "$2" "storage/base/" ;;
    storage/rdf/*) set -- "$2" "storage/base/ storage/rdf/" ;;
    storage/*) set -- "$2" "storage/" ;;
    query/*) set -- "$2" "storage/base/ storage/rdf/ query/" ;;
    engine/export/*) set -- "$2" "storage/base/ storage/rdf/ engine/export/ $PUBLIC_ENGINE" ;;
    engine/capi/*) set -- "$2" "storage/base/ storage/rdf/ engine/capi/ $PUBLIC_ENGINE" ;;
    engine/*) set -- "$2" "storage/ query/ engine/" ;;
    tools/*|examples/*) set -- "$2" "storage/base/ storage/rdf/ tools/ $PUBLIC_ENGINE" ;;
    *) return 0 ;;
  esac
  for prefix in $2; do
    case "$1" in
      "$prefix"*) return 0 ;;
    esac
  done
  return 1
}

bad=0
files=$(find storage query engine tools examples -type f \
          \( -name '*.cc' -o -name '*.h' -o -name '*.hpp' \) \
          ! -name '*_test.cc' | sort)
for f in $files; do
  grep -o '^#include "[^"]*"' "$f" | sed 's/^#include "\(.*\)"$/\1/' |
  while read -r inc; do
    case "$inc" in
      storage/*|query/*|engine/*|tools/*|examples/*|tests/*|bench/*) ;;
      *) continue ;;  # generated headers and third-party
    esac
    if ! allowed "$f" "$inc"; then
      echo "$f includes $inc: against the layer direction"
      echo x >> "${TMPDIR:-/tmp}/kg_layers_bad.$$"
    fi
  done
done
if [ -e "${TMPDIR:-/tmp}/kg_layers_bad.$$" ]; then
  rm -f "${TMPDIR:-/tmp}/kg_layers_bad.$$"
  exit 1
fi
echo "every include points down the layers"
