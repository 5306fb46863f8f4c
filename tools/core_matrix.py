#!/usr/bin/env python3
"""The ansible-core versions the collection supports, and their checks in `make test`.

    python tools/core_matrix.py list                      # VERSION PYTHON CHECKS, one line each
    python tools/core_matrix.py venv VERSION              # make build/venv-VERSION, print its bin folder
    python tools/core_matrix.py venvs                     # make every version's venv (side by side)
    python tools/core_matrix.py run VERSION [CHECK ...]   # run the checks of VERSION (default: its own)

The full suite runs on the ansible-core of requirements-dev.txt in .venv (2.19 on Python 3.11).
Every other supported version gets a venv of its own under build/, made here from PyPI with the
Python it runs on (found in pyenv's versions or on PATH by its version; a missing one is an error
that names it), and the checks MATRIX lists for it:

    sanity    ansible-test sanity, every test (a tree of its own per version)
    import    ansible-test sanity --test import and --test validate-modules only
    units     ansible-test units
    smoke     ansible-test integration of SMOKE_TARGETS against the emulator
    playbook  the contexts playbook (tools/contexts_playbook.yml) with the built tarball installed
              into an empty path, failing on any warning (a "does not support" version warning
              included)

The run closes with a row per check and "core-VERSION: N passed, M failed" (sanity tests, unit
tests, integration targets and playbooks together), which tools/test_summary.py reads.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import test_summary  # tools/: the counters of the summary table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# version: (controller Python used for the tests, checks). Each core also supports other
# controller Pythons (docs/dev/TESTING.md has the table); one of them is tested here.
MATRIX = {
    "2.16": ("3.11", ("sanity", "units", "smoke", "playbook")),
    "2.17": ("3.10", ("import", "playbook")),
    "2.18": ("3.12", ("import", "playbook")),
    "2.20": ("3.12", ("import", "playbook")),
    "2.21": ("3.13", ("sanity", "units", "smoke", "playbook")),
}
# One integration target per module family, plus the comparison of the two ways a module runs.
SMOKE_TARGETS = (
    "circleci_context_env", "circleci_project_env", "circleci_webhook", "circleci_oidc_claims",
    "circleci_policy_bundle", "circleci_pipeline_trigger", "circleci_insights_info", "module_execution",
)
STAMP = ".core-matrix"


def find_python(version: str) -> str:
    """A working interpreter of Python `version` (e.g. "3.13"): pyenv's versions first (its shims
    exit 127 for a version not selected), then pythonX.Y on PATH."""
    roots = pyenv_roots()

    def patch_level(path):  # .../versions/3.11.7/bin/python3.11 -> 7 (the newest first)
        level = os.path.basename(os.path.dirname(os.path.dirname(path))).split(".")[2]
        return int(level) if level.isdigit() else -1

    candidates = []
    for root in roots:
        candidates += sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin", "python" + version)),
                             key=patch_level, reverse=True)
    on_path = shutil.which("python" + version)
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    raise SystemExit("core_matrix: Python %s is needed but was not found (looked in %s and for python%s on PATH)"
                     % (version, ", ".join("%s/versions/%s.*" % (root, version) for root in roots), version))


def pyenv_roots() -> list:
    """Where pyenv's versions may be: PYENV_ROOT, ~/.pyenv, and the root of a pyenv (or of its
    shims) found on PATH, for a run whose HOME is not the one pyenv was installed in."""
    roots = [os.environ.get("PYENV_ROOT"), os.path.expanduser("~/.pyenv")]
    for command in ("pyenv", "python3"):
        found = shutil.which(command)
        if found and os.sep + ".pyenv" + os.sep in found:
            roots.append(found.split(os.sep + ".pyenv" + os.sep)[0] + os.sep + ".pyenv")
    unique = []
    for root in roots:
        if root and os.path.isdir(root) and root not in unique:
            unique.append(root)
    return unique


def venv(version: str, bootstrap: bool = True) -> str:
    """build/venv-VERSION with ansible-core VERSION.* and requests, made once; its bin folder.
    `bootstrap`: also place the offline pip bootstrap its ansible-test asks for."""
    python_version = MATRIX[version][0]
    path = os.path.join(ROOT, "build", "venv-" + version)
    bin_dir = os.path.join(path, "bin")
    spec = "ansible-core==%s.* requests python%s" % (version, python_version)
    stamp = os.path.join(path, STAMP)
    if not (os.path.exists(stamp) and open(stamp).read() == spec):
        python = find_python(python_version)
        shutil.rmtree(path, ignore_errors=True)
        started = time.monotonic()
        subprocess.run([python, "-m", "venv", path], check=True)
        subprocess.run([os.path.join(bin_dir, "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "ansible-core==%s.*" % version, "requests"], check=True)
        with open(stamp, "w") as handle:
            handle.write(spec)
        print("core_matrix: made %s (ansible-core %s, %s) in %.0f s"
              % (path, core_version(bin_dir), python, time.monotonic() - started), flush=True)
    if bootstrap:
        # ansible-test of this version wants its own pip bootstrap (the pip version differs by core);
        # cheap when it is already there
        subprocess.run([os.path.join(ROOT, "tools", "ansible_test_offline.sh"), os.path.join(bin_dir, "python")],
                       check=True, stdout=subprocess.DEVNULL)
    return bin_dir


def venvs() -> int:
    """Every version's venv, made side by side (pip waits on the network more than on the CPU),
    then their pip bootstraps one after the other (two versions may want the same pip)."""
    for version in MATRIX:
        find_python(MATRIX[version][0])  # a missing Python is reported before anything is made
    errors = {}

    def make(version):
        try:
            venv(version, bootstrap=False)
        except (subprocess.CalledProcessError, SystemExit) as exc:
            errors[version] = exc

    threads = [threading.Thread(target=make, args=(version,)) for version in MATRIX]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for version, exc in errors.items():
        print("core_matrix: the venv of ansible-core %s failed: %s" % (version, exc))
    for version in MATRIX:
        if version not in errors:
            venv(version)
            print("core-%s: %s" % (version, core_version(os.path.join(ROOT, "build", "venv-" + version, "bin"))))
    print("venvs: %d passed, %d failed" % (len(MATRIX) - len(errors), len(errors)))
    return 1 if errors else 0


def core_version(bin_dir: str) -> str:
    out = subprocess.run([os.path.join(bin_dir, "python"), "-c", "import ansible.release as r; print(r.__version__)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def tree(version: str) -> str:
    """A collection tree of its own for this version (ansible-test writes tests/output in it)."""
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "collection_tree.py"),
                          os.path.join(ROOT, "build", "matrix", version)], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def check_env(bin_dir: str) -> dict:
    # The version's own tools first; .venv stays on PATH behind them for circleci-emulator.
    return dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
                ANSIBLE_TEST=os.path.join(bin_dir, "ansible-test"))


def streamed(cmd: list, cwd: str, env: dict) -> tuple:
    """Run `cmd`, its output to ours as it comes; (return code, the output)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace")
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        lines.append(line)
    sys.stdout.flush()
    return proc.wait(), "".join(lines)


def run_check(version: str, check: str, bin_dir: str, coll: str) -> tuple:
    """Run one check; (passed, failed) as counted from its output: sanity tests, pytest tests,
    integration targets, or 1 for the playbook. A check that fails without a failed count is 1 failed."""
    python_version = MATRIX[version][0]
    env = check_env(bin_dir)
    ansible_test = [os.path.join(bin_dir, "ansible-test")]
    cwd, counter = coll, test_summary.sanity_counts
    if check == "sanity":
        cmd = ansible_test + ["sanity", "--venv", "--python", python_version, "--color", "no"]
    elif check == "import":
        cmd = ansible_test + ["sanity", "--venv", "--python", python_version, "--color", "no",
                              "--test", "import", "--test", "validate-modules"]
    elif check == "units":
        cmd, counter = ansible_test + ["units", "--venv", "--python", python_version, "--color", "no"], test_summary.pytest_counts
    elif check == "smoke":
        env["ANSIBLE_TEST_PYTHON"] = python_version
        cmd = [sys.executable, os.path.join(ROOT, "tools", "integration_parallel.py"), "--name", "smoke-" + version,
               "--jobs", "2", "--only", *SMOKE_TARGETS]
        cwd, counter = ROOT, test_summary.plain_counts
    elif check == "playbook":
        ok = playbook(bin_dir, coll, env)
        return (1, 0) if ok else (0, 1)
    else:
        raise SystemExit("core_matrix: unknown check %s" % check)
    rc, text = streamed(cmd, cwd, env)
    passed, failed = counter(text)
    if rc != 0 and failed == 0:
        failed = 1
    if passed + failed == 0:
        failed = 1  # ran nothing
    return passed, failed


def playbook(bin_dir: str, coll: str, env: dict) -> bool:
    """Build the tarball with this version's ansible-galaxy, install it into an empty path and run
    the contexts playbook against a fresh emulator; any warning fails the check."""
    with tempfile.TemporaryDirectory(prefix="core-matrix-") as work:
        subprocess.run([os.path.join(bin_dir, "ansible-galaxy"), "collection", "build", "--force", "--output-path",
                        os.path.join(work, "dist")], cwd=coll, env=env, check=True, stdout=subprocess.DEVNULL)
        tarball = glob.glob(os.path.join(work, "dist", "community-circleci-*.tar.gz"))[0]
        collections = os.path.join(work, "collections")
        env = dict(env, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        subprocess.run([os.path.join(bin_dir, "ansible-galaxy"), "collection", "install", "--offline", tarball,
                        "-p", collections], env=env, check=True, stdout=subprocess.DEVNULL)
        log = os.path.join(work, "playbook.log")
        with open(log, "w") as handle:
            rc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "emulator_run.py"), "--",
                                 os.path.join(bin_dir, "ansible-playbook"), os.path.join(ROOT, "tools", "contexts_playbook.yml")],
                                cwd=work, env=env, stdout=handle, stderr=subprocess.STDOUT).returncode
        text = open(log, errors="replace").read()
    print(text, end="")
    warnings = re.findall(r"^\[WARNING\].*$", text, re.M)
    if warnings:
        print("core_matrix: the playbook printed warnings: %s" % warnings)
    return rc == 0 and not warnings


def main(argv: list) -> int:
    if not argv or argv[0] not in ("list", "venv", "venvs", "run"):
        print(__doc__)
        return 2
    if argv[0] == "list":
        for version, (python_version, checks) in MATRIX.items():
            print(version, python_version, " ".join(checks))
        return 0
    if argv[0] == "venvs":
        return venvs()
    version = argv[1] if len(argv) > 1 else ""
    if version not in MATRIX:
        raise SystemExit("core_matrix: %r is not one of %s" % (version, ", ".join(MATRIX)))
    bin_dir = venv(version)
    if argv[0] == "venv":
        print(bin_dir)
        return 0
    checks = argv[2:] or list(MATRIX[version][1])
    coll = tree(version)
    print("core-%s: ansible-core %s, %s" % (version, core_version(bin_dir), os.path.realpath(os.path.join(bin_dir, "python"))),
          flush=True)
    passed = failed = 0
    rows = []
    for check in checks:
        started = time.monotonic()
        print("\n==== core-%s %s" % (version, check), flush=True)
        check_passed, check_failed = run_check(version, check, bin_dir, coll)
        row = "core-%s %-8s %-6s %5d passed %3d failed %5.0f s" % (
            version, check, "ok" if not check_failed else "FAILED", check_passed, check_failed, time.monotonic() - started)
        print("==== " + row, flush=True)
        rows.append(row)
        passed, failed = passed + check_passed, failed + check_failed
    print("\n" + "\n".join(rows))
    print("core-%s: %d passed, %d failed" % (version, passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
