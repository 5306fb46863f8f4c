#!/usr/bin/env bash
# `make demo`: build the collection's tarball, install it into build/demo, start
# circleci-emulator, run examples/demo.yml twice (the second run must report changed=0),
# stop the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
python tools/collection_tree.py >/dev/null
rm -rf build/demo; mkdir -p build/demo
(cd build/collections/ansible_collections/community/circleci \
  && ansible-galaxy collection build --force --output-path "$OLDPWD/build/demo" >/dev/null)
# Only the demo's path is configured, so that the playbook uses the collection installed from the tarball.
export ANSIBLE_COLLECTIONS_PATH="$PWD/build/demo/collections"
ansible-galaxy collection install --offline build/demo/community-circleci-*.tar.gz -p build/demo/collections
python tools/emulator_run.py -- bash -c '
  set -euo pipefail
  echo; echo "=== first run: converges the org"
  ansible-playbook -i examples/inventory.yml examples/demo.yml
  echo; echo "=== second run: nothing left to change"
  ansible-playbook -i examples/inventory.yml examples/demo.yml | tee build/demo/second-run.log
  grep -Eq "localhost +: ok=[0-9]+ +changed=0 " build/demo/second-run.log \
    || { echo "demo: the second run changed something" >&2; exit 1; }
  echo; echo "demo: second run changed=0"
'
