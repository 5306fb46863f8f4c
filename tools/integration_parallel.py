#!/usr/bin/env python3
"""Run the integration targets in parallel groups, each group in its own collection tree against
its own circleci-emulator (tools/emulator_run.py + tools/integration.sh), then print each
group's output and one closing line: "NAME: N passed, M failed" (one count per target).

    python tools/integration_parallel.py --name integration-faults --jobs 3 --faults JSON \
        [--only TARGET ...] [--exclude TARGET ...]

With faults, the run is dominated by Retry-After sleeps rather than CPU, so groups run side by
side even on a small machine (the first group starts alone until its first target runs: see
below). Targets are the directories of tests/integration/targets that do
not start with setup_; they are dealt round-robin (sorted by name) into --jobs groups.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = os.path.join(ROOT, "tests", "integration", "targets")


def all_targets() -> list:
    return sorted(name for name in os.listdir(TARGETS)
                  if not name.startswith("setup_") and os.path.isdir(os.path.join(TARGETS, name)))


def run_group(index: int, targets: list, faults: str, workdir: str, results: dict) -> None:
    tree = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "collection_tree.py"),
                           os.path.join(workdir, "group-%d" % index)],
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    log = os.path.join(workdir, "group-%d.log" % index)
    with open(log, "w") as handle:
        proc = subprocess.run(
            [sys.executable, os.path.join(ROOT, "tools", "emulator_run.py"), "--",
             os.path.join(ROOT, "tools", "integration.sh"), tree, faults, "--continue-on-error", *targets],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    with open(log, errors="replace") as handle:
        results[index] = (proc.returncode, handle.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="integration", help="the name of the closing line")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--faults", default="", help="JSON fault settings for every group's emulator")
    parser.add_argument("--only", nargs="*", default=None, help="these targets only")
    parser.add_argument("--exclude", nargs="*", default=[], help="targets left out")
    args = parser.parse_args()

    targets = [t for t in (args.only or all_targets()) if t not in args.exclude]
    unknown = sorted(set(targets) - set(all_targets()))
    if unknown:
        parser.error("no such target: %s" % ", ".join(unknown))
    jobs = max(1, min(args.jobs, len(targets)))
    groups = [targets[i::jobs] for i in range(jobs)]
    workdir = os.path.join(ROOT, "build", "parallel", args.name)
    os.makedirs(workdir, exist_ok=True)
    for name in os.listdir(workdir):
        if name.endswith(".log"):
            os.remove(os.path.join(workdir, name))  # a previous run's
    print("%s: %d targets in %d groups%s" % (args.name, len(targets), jobs,
                                            ", faults %s" % args.faults if args.faults else ""), flush=True)

    results: dict = {}
    threads = [threading.Thread(target=run_group, args=(i, group, args.faults, workdir, results))
               for i, group in enumerate(groups)]
    # The first group starts alone until its first target runs: on a fresh machine ansible-test
    # first creates what every invocation of the user shares (its SSH key pair in
    # ~/.ansible/test), and two invocations doing that at once fail.
    threads[0].start()
    first_log = os.path.join(workdir, "group-0.log")
    deadline = time.monotonic() + 600
    while threads[0].is_alive() and time.monotonic() < deadline:
        if os.path.exists(first_log):
            with open(first_log, errors="replace") as handle:
                if re.search(r"^Running \S+ integration test role", handle.read(), re.M):
                    break
        time.sleep(1)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join()

    ran = failed = 0
    for i, group in enumerate(groups):
        rc, text = results.get(i, (1, "the group did not run\n"))
        print("\n==== group %d: %s (rc %d)" % (i, " ".join(group), rc))
        print(text, end="")
        started = re.findall(r"^Running (\S+) integration test (?:role|script)", text, re.M)
        ran += len(started)
        listed = re.search(r"The (\d+) integration test\(s\) listed below \(out of \d+\) failed", text)
        group_failed = int(listed.group(1)) if listed else (1 if rc != 0 else 0)
        group_failed += len(group) - len(started)  # targets the group never reached
        failed += min(group_failed, len(group))
    passed = len(targets) - failed
    print("\n%s: %d passed, %d failed" % (args.name, passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
