#!/usr/bin/env bash
# Check-mode audit (issue #7): tools/reliability/check_mode_audit.yml against the emulator that
# tools/emulator_run.py started. Connection settings come from the environment.
set -euo pipefail
: "${CIRCLECI_API_URL:?run me through tools/emulator_run.py}"
cd "$(dirname "$0")/../.."
out=$(mktemp); trap 'rm -f "$out"' EXIT
if ansible-playbook tools/reliability/check_mode_audit.yml >"$out" 2>&1; then
  grep -o 'check-mode audit: [^"]*' "$out" | tail -1
else
  tail -40 "$out"; echo "check-mode audit: FAILED"; exit 1
fi
