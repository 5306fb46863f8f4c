#!/usr/bin/env bash
# examples/runners.yml against the emulator that tools/emulator_run.py started, in a temporary
# directory: the first run writes each runner host's agent configuration (mode 0600) holding the
# token the emulator has for that host's nickname, and prints no token value (at -vvv); the second
# run changes nothing (no new token, no file rewritten). Ends with "runners-example: N passed, M failed".
set -uo pipefail
: "${CIRCLECI_RUNNER_API_URL:?run me through tools/emulator_run.py}"
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0; failed=0
check() {  # check DESCRIPTION COMMAND...: one counted check
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $what"; failed=$((failed + 1)); return 1; fi
}
run() {  # run N: the example, its output in $work/run-N.out
  ansible-playbook -vvv -i examples/runners-inventory.yml examples/runners.yml \
    -e "runners_config_root=$work/hosts" >"$work/run-$1.out" 2>&1
}

check "the first run succeeds" run 1 || tail -40 "$work/run-1.out"
curl -sf "$CIRCLECI_EMULATOR_URL/_emulator/state" > "$work/state-1.json"
check "each host's configuration holds its own token, mode 0600" python - "$work" <<'EOF'
import json, os, stat, sys, yaml
work = sys.argv[1]
state = json.load(open(os.path.join(work, "state-1.json")))
(fleet,) = [rc for rc in state["runner"]["resource_classes"] if rc["resource_class"] == "acme/build-fleet"]
tokens = {t["nickname"]: t["token"] for t in fleet["tokens"]}
assert sorted(tokens) == ["build-01", "build-02", "build-03"], tokens
assert len(fleet["tokens"]) == 3, fleet["tokens"]
for host, value in tokens.items():
    path = os.path.join(work, "hosts", host, "circleci-runner-config.yaml")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path, oct(os.stat(path).st_mode))
    config = yaml.safe_load(open(path))
    assert config["api"]["auth_token"] == value, host
    assert config["runner"]["name"] == host
with open(os.path.join(work, "values"), "w") as handle:
    handle.write("\n".join(tokens.values()) + "\n")
EOF
while read -r value; do
  [ -n "$value" ] || continue
  check "no token value in the -vvv output" bash -c '! grep -qF -- "$0" "$1"' "$value" "$work/run-1.out"
done < "$work/values"
sums() { find "$work/hosts" -type f -exec sha256sum {} + | sort; }
sums > "$work/sums-1"

check "the second run succeeds" run 2 || tail -40 "$work/run-2.out"
check "the second run changes nothing" grep -qE '^localhost +: ok=[0-9]+ +changed=0 ' "$work/run-2.out"
check "no host changed on the second run" bash -c '! grep -E "^build-0[0-9] +: .*changed=[1-9]" "$0"' "$work/run-2.out"
sums > "$work/sums-2"
check "no configuration file was rewritten" cmp -s "$work/sums-1" "$work/sums-2"
curl -sf "$CIRCLECI_EMULATOR_URL/_emulator/state" > "$work/state-2.json"
check "no token was created on the second run" python -c "
import json, sys
ids = [sorted(t['id'] for rc in json.load(open(f))['runner']['resource_classes'] for t in rc['tokens'])
       for f in sys.argv[1:]]
assert ids[0] == ids[1], ids
" "$work/state-1.json" "$work/state-2.json"

echo "runners-example: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
