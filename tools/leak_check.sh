#!/usr/bin/env bash
# Runs tools/leak_check.yml (apply, then check mode) at -vvv with --diff and a log file, with the
# modules run in the controller (the default for a local connection) and as module processes,
# against the emulator that tools/emulator_run.py started, and looks for the canaries
# (the value and the API token) in everything Ansible printed or logged.
set -uo pipefail
: "${CIRCLECI_API_URL:?run me through tools/emulator_run.py}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export ANSIBLE_LOG_PATH="$work/ansible.log"
canaries=("s3cr3t-canary" "$CIRCLECI_TOKEN")
passed=0; failed=0
# apply first, so that the check-mode run finds the context and goes through every task
export LEAK_CHECK_KEY_FILE="$work/continuation-key" LEAK_CHECK_URL_FILE="$work/trigger-url"
export LEAK_CHECK_RUNNER_TOKEN_FILE="$work/runner-token"  # the runner token a run created (apply runs only)
for execution in controller process; do
for mode in "" --check; do
  : > "$ANSIBLE_LOG_PATH"; : > "$LEAK_CHECK_KEY_FILE"; : > "$LEAK_CHECK_URL_FILE"; : > "$LEAK_CHECK_RUNNER_TOKEN_FILE"
  switch=true; marker="runs in the controller process"
  if [ "$execution" = process ]; then switch=false; marker="runs as a module process"; fi
  if ! ansible-playbook -vvv --diff $mode -e circleci_run_in_controller=$switch tools/leak_check.yml >"$work/out" 2>"$work/err"; then
    echo "FAIL: the ${mode:-apply} run ($execution) failed"; tail -40 "$work/out" | sed "s/s3cr3t-canary/<CANARY>/g"; failed=$((failed + 1))
  fi
  if grep -qF -- "$marker" "$work/out"; then passed=$((passed + 1)); else
    echo "FAIL: the ${mode:-apply} run did not say its modules $marker"; failed=$((failed + 1)); fi
  key=$(cat "$LEAK_CHECK_KEY_FILE")  # this run's continuation key (a secret, as the setup job's env var)
  [ -n "$key" ] || { echo "FAIL: the ${mode:-apply} run left no continuation key to look for"; failed=$((failed + 1)); }
  runner_token=$(cat "$LEAK_CHECK_RUNNER_TOKEN_FILE")  # created by an apply run, never shown by Ansible
  if [ -z "$mode" ] && [ -z "$runner_token" ]; then
    echo "FAIL: the apply run ($execution) left no runner token to look for"; failed=$((failed + 1)); fi
  url=$(cat "$LEAK_CHECK_URL_FILE")  # the webhook trigger's URL, and the secret it embeds
  secret=${url##*secret=}
  if [ -z "$url" ] || [ "$secret" = "$url" ]; then
    echo "FAIL: the ${mode:-apply} run left no trigger URL to look for"; failed=$((failed + 1)); secret=""
  fi
  for canary in "${canaries[@]}" ${key:+"$key"} ${secret:+"$secret"} ${runner_token:+"$runner_token"}; do
    for f in out err ansible.log; do
      if grep -qF -- "$canary" "$work/$f"; then
        echo "FAIL: a canary is in $f of the ${mode:-apply} run ($execution)"; grep -nF -- "$canary" "$work/$f" | sed "s/$canary/<CANARY>/g" | head
        failed=$((failed + 1))
      else
        passed=$((passed + 1))
      fi
    done
  done
done
done
modules=$(grep -o 'community\.circleci\.circleci_[a-z_]*' tools/leak_check.yml | sort -u | wc -l)  # modules and lookups
echo "leak-check: $((${#canaries[@]} + 3)) canaries (token; env values and webhook secret share one prefix; continuation key; webhook trigger URL secret; runner token in apply runs) x 3 outputs (stdout, stderr, log) x 2 modes x 2 executions (controller, module process); $modules modules and lookups"
echo "leak-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
