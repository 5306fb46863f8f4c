#!/usr/bin/env bash
# ansible-lint (production profile) on the repository, antsibull-docs on the plugin docs,
# antsibull-changelog on the fragments. Usage: tools/lint.sh COLLECTION_ROOT
set -euo pipefail
coll=$1
repo=$(pwd)
echo "== ansible-lint (production profile)"
ansible-lint --offline --nocolor
echo "== antsibull-docs lint-collection-docs"
(cd "$coll" && antsibull-docs lint-collection-docs --plugin-docs .)
echo "== antsibull-changelog lint"
antsibull-changelog lint
echo "lint: 3 passed, 0 failed"
cd "$repo"
