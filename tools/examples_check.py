"""Run examples/pipelines.yml against the emulator, in check mode and for real, and check its summary.

    python tools/emulator_run.py -- python tools/examples_check.py [COLLECTIONS_BASE]

COLLECTIONS_BASE holds ansible_collections/ (default: build/collections, mirrored first with
tools/collection_tree.py). The emulator's CIRCLECI_API_URL and CIRCLECI_TOKEN come from
tools/emulator_run.py. Check mode must trigger nothing and say what would happen; the real run
must approve the job, read the tests of the test job (there are some) and print a flaky count.
Exits 0 when every check holds, 1 otherwise (naming what failed); closes with
"examples: N passed, M failed".
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = os.path.join(ROOT, "examples", "pipelines.yml")


def collections_base(argv: list) -> str:
    if argv:
        return os.path.abspath(argv[0])
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "collection_tree.py")], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, "build", "collections")


def play(base: str, *extra: str) -> tuple:
    """ansible-playbook with the default callback answering one-line JSON: (exit status, {task name:
    result}); a skipped task's result is {"skipped": True}."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=base, ANSIBLE_CALLBACK_RESULT_FORMAT="json",
               ANSIBLE_CALLBACK_FORMAT_PRETTY="false", ANSIBLE_DISPLAY_SKIPPED_HOSTS="true", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    done = subprocess.run(["ansible-playbook", PLAYBOOK, *extra], env=env, capture_output=True, text=True)
    print(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode, task_results(done.stdout)


def task_results(output: str) -> dict:
    tasks, name = {}, None
    for line in output.splitlines():
        header = re.match(r"^TASK \[(.*)\] \**$", line)
        if header:
            name = header.group(1)
        elif name and line.startswith(("ok: [localhost]", "changed: [localhost]", "fatal: [localhost]")):
            tasks[name] = json.loads(line.split(" => ", 1)[1]) if " => " in line else {}
        elif name and line.startswith("skipping: [localhost]"):
            tasks[name] = {"skipped": True}
    return tasks


def pipelines_of(api_url: str) -> list:
    """The pipelines in the emulator's state (what was triggered)."""
    admin = api_url.rsplit("/api/v2", 1)[0] + "/_emulator/state"
    with urllib.request.urlopen(admin, timeout=30) as answer:
        return json.load(answer)["pipelines"]


CHECKED: list = []


def check(failures: list, ok: bool, what: str) -> None:
    print(("ok    " if ok else "FAIL  ") + what)
    CHECKED.append(what)
    if not ok:
        failures.append(what)


def main(argv: list) -> int:
    base = collections_base(argv)
    api_url = os.environ["CIRCLECI_API_URL"]
    failures: list = []

    rc, tasks = play(base, "--check")
    said = tasks.get("Say what a real run would do (check mode triggers nothing)", {}).get("msg") or []
    check(failures, rc == 0, "check mode: the play succeeds")
    check(failures, pipelines_of(api_url) == [], "check mode: nothing was triggered")
    check(failures, bool(said) and said[0].startswith("check mode: would send POST /project/gh/acme/api/pipeline"),
          "check mode: it says which request it would send")
    check(failures, any(re.match(r"flaky tests of the project: [1-9]\d* \(\w", line) for line in said),
          "check mode: a flaky count and the flaky tests' names are printed")
    check(failures, "Summary" in tasks and tasks["Summary"].get("skipped") is True,
          "check mode: the steps that need a triggered pipeline are skipped")

    rc, tasks = play(base)
    summary = tasks.get("Summary", {}).get("msg") or []
    check(failures, rc == 0, "real run: the play succeeds")
    check(failures, len(pipelines_of(api_url)) == 1, "real run: one pipeline was triggered")
    check(failures, any(line == "approved hold: changed=True; workflow build is success" for line in summary),
          "real run: the approval job was approved and the workflow succeeded")
    check(failures, any(line.startswith("jobs: build=success, test=success, hold=success, deploy=success")
                        for line in summary), "real run: the jobs are build -> test -> hold -> deploy")
    tests = re.compile(r"^job test #\d+: ([1-9]\d*) tests, 0 failed$")
    check(failures, any(tests.match(line) for line in summary), "real run: the test job has tests, none failed")
    check(failures, any(re.match(r"flaky tests of the project: [1-9]\d* \(\w", line) for line in summary),
          "real run: a flaky count and the flaky tests' names are printed")
    for line in summary:
        print("      " + line)
    # the closing line tools/test_summary.py counts
    print(f"examples: {len(CHECKED) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
