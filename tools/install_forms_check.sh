#!/usr/bin/env bash
# The three ways a user installs the collection, each into an empty path that is the only one
# configured (otherwise galaxy finds the collection elsewhere and says "already installed"),
# each followed by `ansible-doc` of one module from there:
#   1. a tarball built by `ansible-galaxy collection build`;
#   2. the git repository: `git+file:///...` of a local clone, the same form as a `git+https://`
#      URL (what is installed is the clone's HEAD, i.e. what is committed);
#   3. a collections/requirements.yml naming the tarball (`type: file`) and the git URL (`type: git`).
# Usage: tools/install_forms_check.sh [COLL]   (COLL: a collection tree, default: made with
# tools/collection_tree.py; ansible-galaxy/ansible-doc on PATH). No network needed.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
coll=${1:-$(python tools/collection_tree.py)}
coll=$(cd "$coll" && pwd) || { echo "install-forms: no collection tree at $coll"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
module=community.circleci.circleci_context
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ -f "${2:-}" ] && tail -20 "$2"; }

rendered() {  # rendered DIR: the module's doc renders from DIR alone
  ANSIBLE_COLLECTIONS_PATH=$1 ANSIBLE_NOCOLOR=1 ansible-doc "$module" > "$1.doc" 2>&1 \
    && grep -q "^> MODULE $module" "$1.doc"
}
installs() {  # installs NAME COMMAND...: COMMAND installs into $work/NAME; then ansible-doc from there
  local name=$1; shift
  local dest=$work/$name
  mkdir -p "$dest"
  if ! ANSIBLE_COLLECTIONS_PATH=$dest "$@" > "$work/$name.log" 2>&1; then
    fail "$name: install" "$work/$name.log"; return
  fi
  if [ -f "$dest/ansible_collections/community/circleci/MANIFEST.json" ]; then pass "$name: installed"
  else fail "$name: nothing installed" "$work/$name.log"; return; fi
  if rendered "$dest"; then pass "$name: ansible-doc $module"; else fail "$name: ansible-doc $module" "$dest.doc"; fi
}

# 1. tarball
(cd "$coll" && ansible-galaxy collection build --force --output-path "$work/dist" > /dev/null)
tarball=$(ls "$work"/dist/community-circleci-*.tar.gz)
installs tarball ansible-galaxy collection install --offline "$tarball" -p "$work/tarball"

# 2. git repository: a clone stands for the remote (git+https://github.com/... is the same form)
git clone --quiet "$repo" "$work/clone.git" --bare
installs git ansible-galaxy collection install "git+file://$work/clone.git" -p "$work/git"

# 3. requirements.yml, the form AWX / automation controller project syncs consume
cat > "$work/requirements.yml" <<YAML
---
collections:
  - name: $tarball
    type: file
YAML
installs requirements-file ansible-galaxy collection install --offline -r "$work/requirements.yml" -p "$work/requirements-file"
cat > "$work/requirements-git.yml" <<YAML
---
collections:
  - name: git+file://$work/clone.git
    type: git
    version: HEAD
YAML
installs requirements-git ansible-galaxy collection install -r "$work/requirements-git.yml" -p "$work/requirements-git"

echo "install-forms: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
