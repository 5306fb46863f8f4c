#!/usr/bin/env bash
# AWX as it runs a job, without AWX: examples/awx/runner/ is an ansible-runner private data
# directory. Copies it to a temp dir, writes env/envvars as the credential's injectors would
# (CIRCLECI_TOKEN, CIRCLECI_API_URL, CIRCLECI_RUNNER_API_URL from the running emulator), installs the collection as a
# project sync does (a tarball named by project/collections/requirements.yml, `type: file`),
# runs `ansible-runner run` twice, and checks that no artifact contains the token.
# Run beside an emulator:  python tools/emulator_run.py -- tools/awx_runner_check.sh [COLL]
# (COLL: a collection tree, default: made with tools/collection_tree.py; ansible-runner,
# ansible-galaxy on PATH).
set -uo pipefail
cd "$(dirname "$0")/.."
: "${CIRCLECI_API_URL:?run beside circleci-emulator (tools/emulator_run.py)}" "${CIRCLECI_TOKEN:?}" "${CIRCLECI_RUNNER_API_URL:?}"
coll=${1:-$(python tools/collection_tree.py)}
coll=$(cd "$coll" && pwd) || { echo "awx-runner: no collection tree at $coll"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; [ -f "${2:-}" ] && tail -30 "$2"; }
finish() { echo "awx-runner: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

pdd=$work/runner
cp -r examples/awx/runner "$pdd"
# the organization definition the playbook applies (see project/converge_org.yml)
mkdir -p "$pdd/project/org" && cp examples/org/acme.yml "$pdd/project/org/acme.yml"
playbook=converge_org.yml

# The credential's injectors: env vars of the job (the token never goes to a committed file).
cat > "$pdd/env/envvars" <<YAML
---
CIRCLECI_API_URL: "$CIRCLECI_API_URL"
CIRCLECI_RUNNER_API_URL: "$CIRCLECI_RUNNER_API_URL"
CIRCLECI_TOKEN: "$CIRCLECI_TOKEN"
ANSIBLE_COLLECTIONS_PATH: "$pdd/project/collections"
ANSIBLE_NOCOLOR: "1"
YAML

# The project sync: build the tarball into the project, install what requirements.yml names.
(cd "$coll" && ansible-galaxy collection build --force --output-path "$work/dist" > /dev/null)
cp "$work"/dist/community-circleci-*.tar.gz "$pdd/project/collections/community-circleci.tar.gz"
if (cd "$pdd/project" && ANSIBLE_COLLECTIONS_PATH="$pdd/project/collections" ansible-galaxy collection install \
      --offline -r collections/requirements.yml -p collections) > "$work/sync.log" 2>&1 \
   && [ -f "$pdd/project/collections/ansible_collections/community/circleci/MANIFEST.json" ]; then
  pass "project sync installed community.circleci from collections/requirements.yml"
else
  fail "project sync" "$work/sync.log"; finish
fi

run() {  # run IDENT: one job; prints its stdout to $work/IDENT.log
  ansible-runner run "$pdd" -p "$playbook" --ident "$1" > "$work/$1.log" 2>&1
}
status_of() { cat "$pdd/artifacts/$1/status" 2>/dev/null; }

if run first && [ "$(status_of first)" = successful ]; then pass "first job: status successful"
else fail "first job: status $(status_of first)" "$work/first.log"; fi
if grep -Eq 'localhost +: ok=[0-9]+ +changed=[1-9]' "$work/first.log"; then pass "first job: converged (changed>0)"
else fail "first job: changed nothing on a fresh org" "$work/first.log"; fi

if run second && [ "$(status_of second)" = successful ]; then pass "second job: status successful"
else fail "second job: status $(status_of second)" "$work/second.log"; fi
if grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$work/second.log"; then pass "second job: changed=0"
else fail "second job: changed something" "$work/second.log"; fi

# The job events (what AWX stores and shows) must not contain the token.
events=$(find "$pdd/artifacts" -path '*/job_events/*.json' | wc -l)
if [ "$events" -gt 0 ]; then pass "$events job events written"; else fail "no job events under artifacts/"; fi
# One exception, ansible-runner's own: artifacts/IDENT/command is its dump of the command and the
# whole job environment, every injected credential included (written by runner before ansible
# starts, mode 0600; AWX keeps a copy of the job environment with secret-looking values hidden
# and removes the private data directory after the job). It must stay private to its owner.
leaks=$(grep -rlF -- "$CIRCLECI_TOKEN" "$pdd/artifacts" | grep -v '/command$' || true)
files=$(find "$pdd/artifacts" -type f ! -name command | wc -l)
if [ -z "$leaks" ]; then pass "no file under artifacts/ but runner's env dump ($files files) contains the token"
else fail "the token is in: $leaks"; fi
# The definition's secret values (variable values, webhook signing secrets) appear in no artifact.
secrets=$(python - "$pdd/project/org/acme.yml" <<'PY'
import sys, yaml
org = yaml.safe_load(open(sys.argv[1]))["circleci_org"]
values = set()
for item in org.get("contexts", []) + org.get("projects", []):
    values.update(str(v) for v in (item.get("variables") or {}).values())
    values.update(str(h["signing_secret"]) for h in item.get("webhooks", []) if h.get("signing_secret"))
print("\n".join(v for v in values if "secret" in v or "SECRET" in v))
PY
)
leaked=0
while IFS= read -r value; do
  [ -n "$value" ] || continue
  if grep -rqF -- "$value" "$pdd/artifacts"; then leaked=$((leaked + 1)); fi
done <<<"$secrets"
if [ -n "$secrets" ] && [ "$leaked" -eq 0 ]; then pass "no artifact holds a secret value of the definition ($(wc -l <<<"$secrets") checked)"
else fail "secret values of the definition found in artifacts: $leaked"; fi
# Nor the URL of the definition's webhook trigger (it embeds the trigger's secret).
urls=$(grep -rlF -- "?secret=" "$pdd/artifacts" | grep -v '/command$' || true)
if [ -z "$urls" ]; then pass "no artifact holds a webhook trigger's URL (its ?secret=)"
else fail "a webhook trigger's URL is in: $urls"; fi
loose=$(find "$pdd/artifacts" -type f -name command -perm /077)
if [ -z "$loose" ]; then pass "ansible-runner's env dumps (artifacts/*/command) are private (mode 0600)"
else fail "readable by others: $loose"; fi
finish
