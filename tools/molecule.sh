#!/usr/bin/env bash
# The molecule scenario(s) of the collection, no Docker needed.
# Usage: tools/molecule.sh [TREE_BASE [SCENARIO...]]   (default: build/molecule, every scenario)
# Mirrors the repository into TREE_BASE/ansible_collections/community/circleci (plus the
# examples/org/ definitions the scenarios apply), runs `molecule test -s NAME` there, and ends
# with `molecule: N passed, N failed` (one count per scenario step).
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
base=${1:-build/molecule}; shift || true
root=$(python tools/collection_tree.py "$base") || exit 1
mkdir -p "$root/examples"
rm -rf "$root/examples/org"; cp -R examples/org "$root/examples/org"
export ANSIBLE_COLLECTIONS_PATH
ANSIBLE_COLLECTIONS_PATH=$(cd "$root/../../.." && pwd)
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  for d in extensions/molecule/*/molecule.yml; do scenarios+=("$(basename "$(dirname "$d")")"); done
fi
passed=0; failed=0
log=$(mktemp)
for s in "${scenarios[@]}"; do
  echo "== molecule test -s $s ($root)"
  (cd "$root" && molecule test -s "$s") 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  recap=$(sed "s/\x1b\[[0-9;]*m//g" "$log" | grep -E "^$s +: actions=" | tail -n 1)
  ok=$(sed -nE "s/.*successful=([0-9]+).*/\1/p" <<<"$recap"); ok=${ok:-0}
  bad=$(sed -nE "s/.* failed=([0-9]+).*/\1/p" <<<"$recap"); bad=${bad:-0}
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  passed=$((passed + ok)); failed=$((failed + bad))
done
rm -f "$log"
cd "$repo"
echo "molecule: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
