"""Sum up the stages of tools/test.sh from their logs: one row a stage, then one closing line."""
from __future__ import annotations

import pathlib
import re
import sys


def pytest_counts(text: str) -> tuple[int, int]:
    """Sum pytest's closing lines (ansible-test units runs pytest once per kind of plugin)."""
    passed = failed = 0
    for line in text.splitlines():
        if re.search(r"\d+ (passed|failed|errors?)\b.* in [\d.]+s", line):
            passed += sum(int(n) for n in re.findall(r"(\d+) passed", line))
            failed += sum(int(n) for n in re.findall(r"(\d+) (?:failed|errors?)\b", line))
    return passed, failed


def sanity_counts(text: str) -> tuple[int, int]:
    ran = len(re.findall(r'^Running sanity test "', text, re.M))
    m = re.search(r"The (\d+) sanity test\(s\) listed below \(out of \d+\) failed", text)
    failed = int(m.group(1)) if m else 0
    return ran - failed, failed


def plain_counts(text: str) -> tuple[int, int]:
    m = re.findall(r"^\w[\w-]*: (\d+) passed, (\d+) failed", text, re.M)
    return (int(m[-1][0]), int(m[-1][1])) if m else (0, 0)


COUNTERS = {
    "emulator-tests": ("pytest", pytest_counts),
    "sanity": ("sanity tests", sanity_counts),
    "units": ("pytest", pytest_counts),
    # tools/integration_parallel.py closes with "NAME: N passed, M failed", one count a target
    "integration": ("targets", plain_counts),
    "integration-faults": ("targets", plain_counts),
    "integration-faults-actions": ("targets", plain_counts),
}


def main() -> int:
    logs = pathlib.Path(sys.argv[1])
    total_p = total_f = 0
    bad = False
    print("\n######## summary")
    for log in sorted(logs.glob("*.log"), key=lambda p: p.stat().st_mtime):
        name = log.stem
        rc = int((logs / f"{name}.rc").read_text())
        kind, counter = COUNTERS.get(name, ("checks", plain_counts))
        passed, failed = counter(log.read_text(errors="replace"))
        if rc != 0 and failed == 0:
            failed = 1  # the stage failed before it could count
        if passed + failed == 0:
            failed, bad = 1, True  # a stage that ran nothing is a failure, not a pass
        total_p += passed
        total_f += failed
        print(f"{name:20} {'ok' if rc == 0 else 'FAILED':7} {passed:5} passed {failed:3} failed  ({kind})")
    print(f"total: {total_p} passed, {total_f} failed")
    return 1 if (total_f or bad) else 0


if __name__ == "__main__":
    sys.exit(main())
