"""Sum up the stages of tools/test.sh from their logs: one row a stage (its counts, the
ansible-core and Python it ran on, its wall time), then one closing line.

    python tools/test_summary.py LOG_DIR [TOTAL_SECONDS]
"""
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
    m = re.findall(r"^\w[\w.-]*: (\d+) passed, (\d+) failed", text, re.M)
    return (int(m[-1][0]), int(m[-1][1])) if m else (0, 0)


COUNTERS = {
    "emulator-tests": ("pytest", pytest_counts),
    "sanity": ("sanity tests", sanity_counts),
    "units": ("pytest", pytest_counts),
    # tools/integration_parallel.py closes with "NAME: N passed, M failed", one count a target
    "integration": ("targets", plain_counts),
    "integration-faults": ("targets", plain_counts),
    "integration-faults-actions": ("targets", plain_counts),
    "core-venvs": ("venvs", plain_counts),
}
# tools/core_matrix.py: sanity tests, pytest tests, targets and playbooks of one ansible-core
MATRIX_KIND = "sanity+pytest+targets+playbooks"


def minutes(seconds: int) -> str:
    return "%d:%02d" % divmod(seconds, 60)


def core_of(name: str, text: str, default: str) -> str:
    """The ansible-core and Python a stage ran on: a matrix stage says so on its first line."""
    m = re.search(r"^core-[\d.]+: ansible-core (\S+), \S*python(\d+\.\d+)", text, re.M)
    if name.startswith("core-") and m:
        return "%s py%s" % (m.group(1), m.group(2))
    return "" if name.startswith("core-") else default


def main() -> int:
    logs = pathlib.Path(sys.argv[1])
    total_seconds = int(sys.argv[2]) if len(sys.argv) > 2 else None
    order = logs / ".stages"
    if order.exists():
        names = [name for name in order.read_text().split() if (logs / f"{name}.log").exists()]
    else:
        names = [log.stem for log in sorted(logs.glob("*.log"), key=lambda p: p.stat().st_mtime)]
    # the stages of .venv's ansible-core first, then the version matrix (it ran beside them)
    names = [name for name in names if not name.startswith("core-")] + [name for name in names if name.startswith("core-")]
    default_core = (logs / ".core").read_text().strip() if (logs / ".core").exists() else ""
    total_p = total_f = 0
    bad = False
    print("\n######## summary")
    print(f"{'stage':26} {'':7} {'passed':>12} {'failed':>10}  {'ansible-core':18} {'time':>6}  counted")
    for name in names:
        text = (logs / f"{name}.log").read_text(errors="replace")
        rc_file = logs / f"{name}.rc"
        rc = int(rc_file.read_text()) if rc_file.exists() else 1
        time_file = logs / f"{name}.time"
        took = minutes(int(time_file.read_text())) if time_file.exists() else "?"
        kind, counter = COUNTERS.get(name, (MATRIX_KIND, plain_counts) if name.startswith("core-2")
                                     else ("checks", plain_counts))
        passed, failed = counter(text)
        if rc != 0 and failed == 0:
            failed = 1  # the stage failed before it could count
        if passed + failed == 0:
            failed, bad = 1, True  # a stage that ran nothing is a failure, not a pass
        total_p += passed
        total_f += failed
        core = core_of(name, text, default_core)
        print(f"{name:26} {'ok' if rc == 0 else 'FAILED':7} {passed:5} passed {failed:3} failed  {core:18} {took:>6}  ({kind})")
    wall = f" in {minutes(total_seconds)}" if total_seconds is not None else ""
    print(f"total: {total_p} passed, {total_f} failed{wall}")
    return 1 if (total_f or bad) else 0


if __name__ == "__main__":
    sys.exit(main())
