#!/usr/bin/env bash
# The runner fleet as inventory, and the self-hosted runner acceptance run:
# 1. ansible-inventory --graph of a circleci_runners.yml source lists the emulator's seeded agents
#    under their resource-class and namespace groups (and --list has their host variables);
# 2. acceptance.yml at -vvv --diff on a fresh emulator (resource class in check mode, created,
#    rerun; token with dest, rerun; info; class removed with force) prints the token value nowhere,
#    although its token task has no no_log of its own.
# The emulator is reset (and given this run's faults) by setup.yml first.
set -eux

export ANSIBLE_ROLES_PATH=..
config=../../integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook setup.yml -e "@$config" "$@"

# The connection comes from the environment, as a user's inventory would take it.
read_config() { python -c "import sys, yaml; print(yaml.safe_load(open('$config'))[sys.argv[1]])" "$1"; }
CIRCLECI_TOKEN=$(read_config circleci_token)
CIRCLECI_RUNNER_API_URL="$(read_config circleci_emulator_url)/api/v3"
export CIRCLECI_TOKEN CIRCLECI_RUNNER_API_URL

# --- 1. the inventory ------------------------------------------------------------------------
cat > "$work/fleet.circleci_runners.yml" <<'EOF'
plugin: community.circleci.circleci_runners
namespace: [acme]
resource_class: [acme-platform/gpu]
groups:
  runner_outdated: circleci_runner_version is version('3.1.0', '<')
EOF
ansible-inventory -i "$work/fleet.circleci_runners.yml" --graph | tee "$work/graph"
ansible-inventory -i "$work/fleet.circleci_runners.yml" --list > "$work/list.json"
python - "$work/graph" "$work/list.json" <<'EOF'
import json, sys
graph = open(sys.argv[1]).read().splitlines()
def members(group):
    """The hosts right under @group in --graph output."""
    start = next(i for i, line in enumerate(graph) if line.strip(' |-:') == '@' + group)
    depth = graph[start].index('@')
    hosts = []
    for line in graph[start + 1:]:
        name = line.strip(' |-:')
        if line.index(name) <= depth:
            break
        if not name.startswith('@') and line.index(name) == depth + 3:
            hosts.append(name)
    return hosts
assert members('acme_linux_x64') == ['runner-1.acme.internal', 'runner-2.acme.internal'], members('acme_linux_x64')
assert members('acme_macos_arm64') == ['mac-1.acme.internal']
assert members('acme_platform_gpu') == ['gpu-1.acme.internal']
assert members('runner_outdated') == ['runner-2.acme.internal']
def plain(value):
    """ansible-core 2.19 marks what inventory plugins give as unsafe in --list output."""
    if isinstance(value, dict):
        return value['__ansible_unsafe'] if set(value) == {'__ansible_unsafe'} else {k: plain(v) for k, v in value.items()}
    return [plain(v) for v in value] if isinstance(value, list) else value
inventory = plain(json.load(open(sys.argv[2])))
assert inventory['acme']['children'] == ['acme_linux_x64', 'acme_macos_arm64'], inventory['acme']
host = inventory['_meta']['hostvars']['runner-2.acme.internal']
assert host['circleci_runner_version'] == '3.0.9' and host['circleci_runner_resource_class'] == 'acme/linux-x64', host
assert host['circleci_runner_name'] == 'runner-2' and host['circleci_runner_last_connected'] == '2026-03-02T10:00:05Z'
print('inventory: the seeded agents are under their resource-class groups')
EOF

# --- 2. the acceptance run at -vvv --diff -----------------------------------------------------
ansible-playbook acceptance.yml -vvv --diff -e "@$config" -e "work=$work" "$@" > "$work/out" 2>&1 || {
  tail -60 "$work/out"; exit 1; }
set +x  # the value stays out of this script's own trace too
value=$(cat "$work/agent-1.token")
test -n "$value"
if grep -qF -- "$value" "$work/out"; then
  echo "FAIL: the token value is in the -vvv --diff output:"; grep -nF -- "$value" "$work/out" | sed "s/$value/<VALUE>/g" | head
  exit 1
fi
if grep -qF -- "$CIRCLECI_TOKEN" "$work/out"; then
  echo "FAIL: the API token is in the output"; exit 1
fi
grep -q "output has been hidden" "$work/out"  # the create's result was censored, not just without the value
echo "acceptance: the token value is nowhere in $(wc -l < "$work/out") lines of -vvv --diff output"
