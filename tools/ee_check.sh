#!/usr/bin/env bash
# The execution environment definition makes a build context with no network:
# `ansible-builder create -f meta/execution-environment.yml` (no image is built; that needs
# podman or docker). Checks the context and the collection-side reading of the same file.
# Usage: tools/ee_check.sh    (ansible-builder on PATH, e.g. .venv/bin)
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $what"; else failed=$((failed + 1)); echo "FAIL: $what"; fi
}
ctx=$work/context
# No network: pip and galaxy must not be asked for anything by `create`.
if env http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
     HTTPS_PROXY=http://127.0.0.1:9 ansible-builder create -f meta/execution-environment.yml -c "$ctx" \
     --output-filename Containerfile > "$work/create.log" 2>&1; then
  passed=$((passed + 1)); echo "ok: ansible-builder create"
else
  failed=$((failed + 1)); echo "FAIL: ansible-builder create"; cat "$work/create.log"
fi
check "the context has a Containerfile" test -s "$ctx/Containerfile"
check "the context's Python requirements are the collection's" \
  diff <(grep -v '^#' requirements.txt) <(grep -v '^#' "$ctx/_build/requirements.txt" 2>/dev/null)
check "meta/requirements.txt holds the same lines as requirements.txt" \
  diff <(grep -v '^#' requirements.txt) <(grep -v '^#' meta/requirements.txt)
check "the context's galaxy requirements name community.circleci" \
  grep -q 'name: community.circleci' "$ctx/_build/requirements.yml"
check "the Containerfile installs the Python and galaxy requirements" \
  grep -q 'ansible-galaxy collection install .*-r requirements.yml' "$ctx/Containerfile"
# An EE that installs this collection reads the same file relative to the collection root
# (ansible-builder's introspect.py): it must find requests there.
check "introspection of the collection finds requests" bash -c '
  python - "$1" "$2" <<"PY"
import os, shutil, sys, importlib.util
ctx, root = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("introspect", os.path.join(ctx, "_build/scripts/introspect.py"))
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
dest = os.path.join(ctx, "probe", "ansible_collections", "community", "circleci")
os.makedirs(os.path.join(dest, "meta"))
for f in ("meta/execution-environment.yml", "requirements.txt"):
    shutil.copy(os.path.join(root, f), os.path.join(dest, f))
pip, _ = mod.process_collection(dest)
print("introspected:", pip)
sys.exit(0 if any(l.startswith("requests") for l in pip) else 1)
PY' _ "$ctx" "$PWD"
echo "ee: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
