#!/usr/bin/env bash
# `make test`: every stage runs (a failure does not hide the others), each stage's output
# goes to the terminal and to build/test-logs/, and a table of counts closes the run.
set -uo pipefail
cd "$(dirname "$0")/.."
COLL=build/collections/ansible_collections/community/circleci
export ANSIBLE_COLLECTIONS_PATH="$PWD/build/collections"
FAULTS=${FAULTS:-'{"rate_429": 0.3, "retry_after": 1, "seed": 7}'}
logs=build/test-logs
rm -rf "$logs"; mkdir -p "$logs"
python tools/collection_tree.py >/dev/null || exit 1

status=0
run() {  # run NAME COMMAND...: one stage, logged
  local name=$1; shift
  echo; echo "######## $name"
  ( "$@" ) 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "$rc" > "$logs/$name.rc"
  [ "$rc" -eq 0 ] || status=1
}

run emulator-tests python -m pytest emulator/tests -q -p no:cacheprovider
run sanity bash -c "cd $COLL && ansible-test sanity --venv --python 3.11 --color no"
run units bash -c "cd $COLL && ansible-test units --venv --python 3.11 --color no"
run integration python tools/emulator_run.py -- tools/integration.sh "$COLL" ""
run integration-faults python tools/emulator_run.py -- tools/integration.sh "$COLL" "$FAULTS"
run reliability-inputs python tools/reliability_inputs.py
run leak-check python tools/emulator_run.py -- tools/leak_check.sh
run check-mode-audit python tools/emulator_run.py -- tools/reliability/check_mode_audit.sh
run molecule tools/molecule.sh
run install-check tools/install_check.sh "$COLL"
run install-forms tools/install_forms_check.sh "$COLL"
run awx-runner python tools/emulator_run.py -- tools/awx_runner_check.sh "$COLL"
run ee tools/ee_check.sh
run lint tools/lint.sh "$COLL"

python tools/test_summary.py "$logs" || status=1
exit $status
