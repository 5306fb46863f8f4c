"""Mirror the working tree into build/collections/ansible_collections/community/circleci.

ansible-test and molecule need the collection to sit at .../ansible_collections/NS/NAME and
they resolve symlinks, so the tree is copied (only what changed since the last sync). The copy
gets a git repository of its own: ansible-test lists content with git from the nearest .git,
and the outer repository ignores build/. Prints the collection root.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Not collection content (see galaxy.yml build_ignore): kept out so sanity tests only the collection.
SKIP_TOP = {
    ".git", ".venv", "build", ".pytest_cache", ".ansible", "collections", ".ci",
    "emulator", "benchmarks", "tools", "examples", "Makefile", "requirements-dev.txt",
}
SKIP_ANY = {"__pycache__", ".pytest_cache", "output"}


def keep(rel: str, name: str) -> bool:
    if rel == "" and name in SKIP_TOP:
        return False
    if name in SKIP_ANY and (name != "output" or rel == "tests"):
        return False
    return not name.endswith((".pyc", ".tar.gz")) and not name.endswith(".egg-info")


def sync(src: str, dst: str, rel: str = "") -> None:
    os.makedirs(dst, exist_ok=True)
    wanted = {n for n in os.listdir(src) if keep(rel, n)}
    for name in os.listdir(dst):
        # tests/output and generated files inside the copy belong to the tools that made them
        generated = (rel == "tests" and name == "output") or name == "integration_config.yml" or (rel == "" and name == ".git")
        if name not in wanted and not generated:
            path = os.path.join(dst, name)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
    for name in sorted(wanted):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(s) and not os.path.islink(s):
            sync(s, d, os.path.join(rel, name) if rel else name)
        elif not os.path.exists(d) or not filecmp.cmp(s, d, shallow=False):
            shutil.copy2(s, d)


def main() -> int:
    # An optional argument names another folder to hold ansible_collections/ (parallel work).
    base = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "collections")
    dest = os.path.join(base, "ansible_collections", "community", "circleci")
    sync(ROOT, dest)
    if not os.path.isdir(os.path.join(dest, ".git")):
        subprocess.run(["git", "init", "--quiet", dest], check=True)
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
