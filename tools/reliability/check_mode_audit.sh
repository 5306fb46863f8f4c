#!/usr/bin/env bash
# Check-mode audit (issue #7): tools/reliability/check_mode_audit.yml against the emulator that
# tools/emulator_run.py started. Connection settings come from the environment.
set -euo pipefail
: "${CIRCLECI_API_URL:?run me through tools/emulator_run.py}"
cd "$(dirname "$0")/../.."
out=$(mktemp); trap 'rm -f "$out"' EXIT
if ansible-playbook tools/reliability/check_mode_audit.yml >"$out" 2>&1; then
  line=$(grep -o 'check-mode audit: [^"]*' "$out" | tail -1)
  echo "$line"
  echo "check-mode-audit: $(echo "$line" | grep -o '[0-9]* check-mode tasks' | cut -d' ' -f1) passed, 0 failed"
else
  tail -40 "$out"; echo "check-mode-audit: 0 passed, 1 failed"; exit 1
fi
