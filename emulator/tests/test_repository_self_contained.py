"""The repository carries its own knowledge: no tracked file points outside it.

The notes a contributor needs live under docs/dev/. A tracked file that names the
steering folder beside the checkout, or an absolute path of the machine it was written on
(the workspace root), sends the next contributor (or CI, or a user of the released
collection) to a file they do not have. Every file that ``git ls-files`` lists is scanned,
binary files included; the second test shows that the scan finds such a reference.
"""

from __future__ import annotations

import os
import re
import subprocess

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Built from pieces so that this file does not contain what it looks for.
SHARED_DIR = re.compile(re.escape(b".." b"/shared"))
# The workspace root as a whole path segment at the start of an absolute path (the root itself,
# or a path under it), not a longer name that starts the same way, and not a relative path that
# happens to contain the word.
WORKSPACE_ROOT = re.compile(rb"(?<![A-Za-z0-9_.~/-])/" rb"work(?![A-Za-z0-9_.-])")
PATTERNS = (("the steering folder beside the repository", SHARED_DIR),
            ("an absolute path under the workspace root", WORKSPACE_ROOT))


def tracked_files(root):
    """Every file git tracks under `root` (paths relative to it)."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def outside_references(root):
    """[(path, line number, what, line)] for every tracked file that points outside the repository."""
    found = []
    for name in tracked_files(root):
        path = os.path.join(root, name)
        if not os.path.isfile(path):  # deleted in the working tree, or a submodule
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        for what, pattern in PATTERNS:
            for match in pattern.finditer(data):
                line_no = data.count(b"\n", 0, match.start()) + 1
                start = data.rfind(b"\n", 0, match.start()) + 1
                end = data.find(b"\n", match.end())
                line = data[start:end if end != -1 else len(data)].decode("utf-8", "replace").strip()
                found.append((name, line_no, what, line[:160]))
    return found


def test_no_tracked_file_points_outside_the_repository():
    files = tracked_files(REPO_ROOT)
    # Run from a git checkout: without the file list there is nothing honest to check.
    assert len(files) > 100, "git ls-files listed %d files in %s" % (len(files), REPO_ROOT)
    found = outside_references(REPO_ROOT)
    assert found == [], "files that point outside the repository (use docs/dev/ instead):\n" + "\n".join(
        "%s:%d: %s: %s" % entry for entry in found)


def test_the_scan_finds_such_references(tmp_path):
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / "notes.md").write_text("See " + ".." + "/shared/DESIGN.md first.\n")
    (tmp_path / "req.txt").write_text("# pinned\n# (checked in " + "/" + "work/main/tools)\n")
    (tmp_path / "fine.md").write_text("a /workspace dir, some/work/dir, and https://example.com/work/x\n")
    (tmp_path / "untracked.md").write_text(".." + "/shared\n")
    subprocess.run(["git", "add", "notes.md", "req.txt", "fine.md"], cwd=tmp_path, check=True)
    found = outside_references(str(tmp_path))
    assert [(name, line_no) for name, line_no, _what, _line in found] == [("notes.md", 1), ("req.txt", 2)]
    assert found[0][2] == "the steering folder beside the repository"
    assert found[1][2] == "an absolute path under the workspace root"
