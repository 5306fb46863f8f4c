"""Bad input, server errors and validator properties: run their suites and print how many cases ran.

    python tools/reliability_inputs.py [BASE]

Mirrors the working tree into BASE/ansible_collections/community/circleci (default: the tree of
tools/collection_tree.py), runs the three unit suites there with pytest against the real modules
(scripted HTTP servers on 127.0.0.1, no emulator needed), and counts from the JSON lines the
tests write for each passed case (CIRCLECI_RELIABILITY_REPORT):

    bad input: N invalid inputs across M modules refused with no request; server errors: K cases;
    hypothesis: P properties x E examples
    reliability-inputs: X passed, Y failed

Exits with pytest's status. Takes about half a minute.
"""
from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITES = (
    "tests/unit/plugins/reliability/test_bad_input.py",
    "tests/unit/plugins/reliability/test_server_errors.py",
    "tests/unit/plugins/module_utils/test_validate_properties.py",
)


def collection_root(base: str | None) -> str:
    command = [sys.executable, os.path.join(ROOT, "tools", "collection_tree.py")] + ([base] if base else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def read_report(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def pytest_counts(output: str) -> tuple[int, int]:
    """passed and failed (failures + errors) from pytest's closing line."""
    for line in reversed(output.splitlines()):
        if re.search(r"\b(passed|failed|errors?)\b.* in [\d.]+s", line):
            passed = sum(int(n) for n in re.findall(r"(\d+) passed", line))
            failed = sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)\b", line))
            return passed, failed
    return 0, 0


def main() -> int:
    started = time.monotonic()
    root = collection_root(sys.argv[1] if len(sys.argv) > 1 else None)
    base = os.path.dirname(os.path.dirname(os.path.dirname(root)))  # the folder holding ansible_collections/
    with tempfile.TemporaryDirectory(prefix="reliability-inputs-") as tmp:
        report = os.path.join(tmp, "report.jsonl")
        # hypothesis keeps caches (constants found in the source) even without an example database
        env = dict(os.environ, CIRCLECI_RELIABILITY_REPORT=report, HYPOTHESIS_STORAGE_DIRECTORY=os.path.join(tmp, "hypothesis"),
                   PYTHONPATH=os.pathsep.join([base] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
        for name in ("CIRCLECI_TOKEN", "CIRCLE_TOKEN", "CIRCLECI_API_URL"):
            env.pop(name, None)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no", *SUITES]
        process = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        output = process.stdout + process.stderr
        entries = read_report(report)
    passed, failed = pytest_counts(output)
    if process.returncode != 0:
        print(output)
    elif passed == 0:
        print(output)
        failed = max(failed, 1)
    bad = [entry for entry in entries if entry["kind"] == "bad_input"]
    # module runs are recorded once per execution (module process, controller): count each case once
    server = list(dict(((entry["via"], entry["case"]), entry) for entry in entries if entry["kind"] == "server_error").values())
    examples = collections.Counter()
    for entry in entries:
        if entry["kind"] == "hypothesis":
            examples[entry["property"]] += entry["examples"]
    print("bad input: %d invalid inputs across %d modules refused with no request (%d runs: as a module process "
          "and in the controller); server errors: %d cases (%d through the client, %d through module runs); "
          "hypothesis: %d properties x %d examples"
          % (len(set((entry["module"], entry["case"]) for entry in bad)), len(set(entry["module"] for entry in bad)), len(bad), len(server),
             sum(1 for entry in server if entry["via"] == "client"), sum(1 for entry in server if entry["via"] != "client"),
             len(examples), sum(examples.values())))
    print("reliability-inputs: %d passed, %d failed (%.0f s)" % (passed, failed, time.monotonic() - started))
    return process.returncode if process.returncode else (1 if failed else 0)


if __name__ == "__main__":
    sys.exit(main())
