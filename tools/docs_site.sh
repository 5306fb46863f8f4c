#!/usr/bin/env bash
# The collection's documentation site, built as community collections build theirs: antsibull-docs
# sphinx-init, antsibull-docs collection (plugin, role and guide pages), Sphinx with warnings as
# errors. Offline: see tools/docs_site/offline.py. Then tools/docs_site/check.py checks the pages.
# Usage: tools/docs_site.sh [COLLECTIONS_PATH]   (default build/collections, from tools/collection_tree.py)
# Writes build/docs-site/ (the site: build/docs-site/build/html/). See docs/dev/DOCS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSIBLE_COLLECTIONS_PATH=$(cd "${1:-build/collections}" && pwd)
export ANSIBLE_COLLECTIONS_PATH
site=build/docs-site
rm -rf "$site"
mkdir -p "$site"
chmod 700 "$site"  # antsibull-docs writes only into a folder no one else can write to
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$site" \
  --project community.circleci --copyright "community.circleci contributors" \
  --title "community.circleci" --html-short-title "community.circleci" \
  --index-rst-source tools/docs_site/index.rst \
  community.circleci
python tools/docs_site/offline.py "$site"
# build.sh (written by sphinx-init): antsibull-docs collection --fail-on-error, then
# sphinx-build -W --keep-going (every warning is reported, and any fails the build)
"$site/build.sh"
python tools/docs_site/check.py "$site/build/html" "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/community/circleci"
