#!/bin/sh
# Fails if a file of the project refers to the team's shared folder that sits
# beside a checkout on the developers' machines: a clone on its own must carry
# everything its build and tests read (tests/data/ holds the third-party data).
# Third-party data under tests/data/ is left as it came and not searched.
set -eu
root="${1:?usage: check_self_contained.sh <source root>}"
# The pattern is built from two pieces so this file does not match itself.
dir="sha"; dir="${dir}red"
pattern="\\.\\./${dir}\\b|[^a-z_]${dir}/(conformance|schemas|datasets|seed|tools)\\b"
hits=$(grep -rInE "$pattern" "$root" \
         --exclude-dir=.git --exclude-dir='build*' --exclude-dir=node_modules \
         --exclude-dir=data || true)
if [ -n "$hits" ]; then
  echo "files refer to a folder outside the repository:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no file refers to a folder outside the repository"
