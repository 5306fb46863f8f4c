#!/usr/bin/env bash
# `make test`: every stage runs (a failure does not hide the others), each stage's output
# goes to the terminal and to build/test-logs/, and a table of counts and wall times closes the run.
# The stages of the ansible-core version matrix (tools/core_matrix.py; docs/dev/TESTING.md) run
# one after the other in the background, beside the stages that mostly wait (fault runs); their
# output is shown when they are done.
set -uo pipefail
cd "$(dirname "$0")/.."
COLL=build/collections/ansible_collections/community/circleci
export ANSIBLE_COLLECTIONS_PATH="$PWD/build/collections"
# Issue #7's fault mix (half of the 500s come after the request was processed). Targets whose
# POSTs cannot be sent twice (trigger, continue, approve, cancel, rerun, usage export, rollback) fail on
# purpose after a 5xx or a lost answer ("may have been applied"): they run under 429s only.
# Retry-After (on the 429s and on the 5xx answers) is a fifth of a second: the client honours it, so
# the waits are real, only short (the client's own handling of whole seconds and dates is unit-tested).
FAULTS=${FAULTS:-'{"rate_429": 0.3, "retry_after": 0.2, "rate_500": 0.1, "rate_drop": 0.05, "error_after": 0.5, "error_retry_after": 0.2, "seed": 7}'}
ACTION_FAULTS='{"rate_429": 0.3, "retry_after": 0.2, "seed": 7}'
ACTION_TARGETS="circleci_pipeline_trigger circleci_pipeline_continue circleci_pipeline_info circleci_workflow circleci_usage_export circleci_job circleci_rollback project_administration"
logs=build/test-logs
rm -rf "$logs"; mkdir -p "$logs"
python tools/collection_tree.py >/dev/null || exit 1
# The ansible-core and Python of the stages that run in .venv (the rows without a version of their own).
python -c 'import ansible.release, platform; print("%s py%s" % (ansible.release.__version__, platform.python_version()))' \
  > "$logs/.core"

status=0
started=$SECONDS
stage() {  # stage NAME COMMAND...: run one stage with its output to its log only; record rc and time
  local name=$1; shift
  local start=$SECONDS
  echo "$name" >> "$logs/.stages"
  ( "$@" ) > "$logs/$name.log" 2>&1
  echo $? > "$logs/$name.rc"
  echo $((SECONDS - start)) > "$logs/$name.time"
}
run() {  # run NAME COMMAND...: one stage, shown as it runs
  local name=$1; shift
  local start=$SECONDS
  echo; echo "######## $name"
  echo "$name" >> "$logs/.stages"
  ( "$@" ) 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "$rc" > "$logs/$name.rc"
  echo $((SECONDS - start)) > "$logs/$name.time"
  [ "$rc" -eq 0 ] || status=1
}
matrix() {  # the version matrix: one stage per ansible-core version, once the venvs are made
  while [ ! -f "$logs/core-venvs.rc" ]; do sleep 2; done
  for version in $(python tools/core_matrix.py list | cut -d' ' -f1); do
    stage "core-$version" python tools/core_matrix.py run "$version"
  done
}

# The matrix's venvs come from PyPI (mostly waiting on the network): made from the start, beside
# the first stages.
stage core-venvs python tools/core_matrix.py venvs & venvs_pid=$!
run emulator-tests python -m pytest emulator/tests -q -p no:cacheprovider -n 2
run sanity bash -c "cd $COLL && ansible-test sanity --venv --python 3.11 --color no"
run units bash -c "cd $COLL && ansible-test units --venv --python 3.11 --color no"
run integration python tools/integration_parallel.py --name integration --jobs 2
echo; echo "######## core-* (the ansible-core version matrix, in the background: $logs/core-*.log)"
matrix & matrix_pid=$!
run integration-faults python tools/integration_parallel.py --name integration-faults --jobs 4 \
  --faults "$FAULTS" --exclude $ACTION_TARGETS
run integration-faults-actions python tools/integration_parallel.py --name integration-faults-actions --jobs 2 \
  --faults "$ACTION_FAULTS" --only $ACTION_TARGETS
run fault-convergence python tools/fault_convergence.py --seeds 10
run reliability-inputs python tools/reliability_inputs.py
run leak-check python tools/emulator_run.py -- tools/leak_check.sh
run examples python tools/emulator_run.py -- python tools/examples_check.py build/collections
run check-mode-audit python tools/emulator_run.py -- tools/reliability/check_mode_audit.sh
run runners-example python tools/emulator_run.py -- tools/runners_example.sh
run molecule tools/molecule.sh
run install-check tools/install_check.sh "$COLL"
run install-forms tools/install_forms_check.sh "$COLL"
run awx-runner python tools/emulator_run.py -- tools/awx_runner_check.sh "$COLL"
run ee tools/ee_check.sh
run docs-site tools/docs_site.sh
run galaxy-importer python tools/galaxy_check.py
run lint tools/lint.sh "$COLL"

wait "$matrix_pid" "$venvs_pid"
for log in "$logs"/core-*.log; do
  name=$(basename "$log" .log)
  echo; echo "######## $name (ran in the background)"
  cat "$log"
  [ "$(cat "$logs/$name.rc")" -eq 0 ] || status=1
done

python tools/test_summary.py "$logs" "$((SECONDS - started))" || status=1
exit $status
