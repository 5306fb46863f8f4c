#!/usr/bin/env bash
# ansible-test integration against the emulator that tools/emulator_run.py started.
# Usage (from the repository root): tools/integration.sh COLLECTION_ROOT [FAULTS_JSON] [ansible-test args...]
# ANSIBLE_TEST and ANSIBLE_TEST_PYTHON choose another ansible-core and Python (the version matrix:
# tools/core_matrix.py); default: ansible-test on PATH with Python 3.11.
set -euo pipefail
root=$1; faults=${2:-}; shift 2 || shift $#
: "${CIRCLECI_API_URL:?run me through tools/emulator_run.py}"
{
  echo "---"
  echo "circleci_api_url: $CIRCLECI_API_URL"
  echo "circleci_token: $CIRCLECI_TOKEN"
  echo "circleci_emulator_url: $CIRCLECI_EMULATOR_URL"
  if [ -n "$faults" ]; then echo "circleci_emulator_faults: $faults"; fi
} > "$root/tests/integration/integration_config.yml"
cd "$root"
exec "${ANSIBLE_TEST:-ansible-test}" integration --venv --python "${ANSIBLE_TEST_PYTHON:-3.11}" --requirements --color no "$@"
