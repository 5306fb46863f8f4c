#!/usr/bin/env bash
# The collection as a user gets it: build the tarball, install it offline into an empty
# path, and render every plugin's documentation from there. Usage: tools/install_check.sh COLL
set -euo pipefail
coll=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$coll" && ansible-galaxy collection build --force --output-path "$work/dist" >/dev/null)
tarball=$(ls "$work"/dist/community-circleci-*.tar.gz)
echo "built $(basename "$tarball")"
# Only the new path is configured: otherwise galaxy finds the collection elsewhere and installs nothing.
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
ansible-galaxy collection install --offline "$tarball" -p "$work/collections" >/dev/null
passed=0; failed=0
# Nothing that is not collection content went into the tarball.
for unwanted in emulator tools .venv build tests/output Makefile; do
  if tar -tzf "$tarball" | grep -q "^$unwanted"; then echo "FAIL: $unwanted is in the tarball"; failed=$((failed + 1)); fi
done
for module in "$coll"/plugins/modules/*.py; do
  name=community.circleci.$(basename "$module" .py)
  if ANSIBLE_NOCOLOR=1 ansible-doc "$name" > "$work/doc.txt" 2>&1 \
     && grep -q "^> MODULE $name" "$work/doc.txt"; then
    passed=$((passed + 1))
  else
    echo "FAIL: ansible-doc $name"; cat "$work/doc.txt"; failed=$((failed + 1))
  fi
done
echo "install-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
