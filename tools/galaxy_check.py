"""The collection as Galaxy and Automation Hub receive it: build the tarball, check what is in it,
check that its documents stand on their own, and run galaxy-importer on it.

    python tools/galaxy_check.py [--keep DIR]

1. build: the repository's files (tracked, and untracked but not ignored, as `git ls-files` lists
   them) are copied to a scratch folder, with one sample of each `.gitignore` pattern planted at the
   top and, for unanchored patterns, nested (`plugins/modules/__pycache__/...`); `git check-ignore`
   must ignore every sample. The tarball `ansible-galaxy collection build` makes from that copy must
   hold no file git ignores, no repository-only file (REPO_ONLY), and every other repository file.
2. documents: the README, the role READMEs and the guides in the tarball; the Markdown ones link with
   absolute URLs only (Galaxy renders them); each link into the repository names a path that exists; each path they name that the tarball lacks (`tools/`,
   `examples/`, `make demo`, ...) stands in a paragraph that says it is in the repository (for a
   code block, the paragraph before it), and the document links that path (or a parent) on GitHub.
   The changelog announces every role.
3. galaxy-importer (tools/galaxy-importer.cfg: everything Galaxy runs except ansible-test, which
   needs a container) must end with no WARNING or ERROR line, and must have read each plugin's
   documentation.

Closes with `galaxy-importer: N passed, M failed`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_URL = "https://github.com/ansible-collections/community.circleci"
# Repository-only content (galaxy.yml's build_ignore, first part): kept out of the tarball.
REPO_ONLY = (
    ".ci", ".git", ".gitignore", ".ansible-lint", "Makefile", "requirements-dev.txt", "benchmarks",
    "docs/dev", "emulator", "examples", "tools", "galaxy.yml",
)
# Where unanchored .gitignore samples are planted besides the top (a module folder, a test folder).
NESTED_UNDER = ("plugins/modules", "tests/unit/plugins")
# Written by ansible-galaxy itself.
GENERATED = {"MANIFEST.json", "FILES.json"}


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok    {what}")
        else:
            self.failed += 1
            print(f"FAIL  {what}" + (f"\n      {detail}" if detail else ""))
        return ok


def git(*args: str, cwd: str, stdin: str | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def under(path: str, prefixes) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


# ---- 1. build ---------------------------------------------------------------------------------

def gitignore_samples(rules_dir: str, pattern: str) -> list[str]:
    """Paths (files) that PATTERN of the .gitignore in RULES_DIR ignores: one at the top and, for
    an unanchored pattern, one nested in each of NESTED_UNDER."""
    dir_only = pattern.endswith("/")
    body = pattern.strip("/")
    anchored = pattern.startswith("/") or "/" in body
    name = body.replace("**", "sample").replace("*", "sample").replace("?", "x")
    bases = [rules_dir] if anchored else [rules_dir] + [os.path.join(rules_dir, n) for n in NESTED_UNDER]
    samples = []
    for base in bases:
        path = os.path.normpath(os.path.join(base, name)) if base else name
        # a directory pattern ignores what is inside; a file pattern the file itself
        samples.append(os.path.join(path, "planted.txt") if dir_only else path)
    return samples


def copy_with_samples(work: str, checks: Checks) -> tuple[str, list[str]]:
    src = os.path.join(work, "src")
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    files = [f for f in files if f and os.path.isfile(os.path.join(ROOT, f))]
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(src, rel)) or src, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), os.path.join(src, rel))
    git("init", "--quiet", src, cwd=work)
    samples = []
    for ignore_file in (f for f in files if os.path.basename(f) == ".gitignore"):
        rules_dir = os.path.dirname(ignore_file)
        with open(os.path.join(src, ignore_file), encoding="utf-8") as fh:
            patterns = [ln.strip() for ln in fh if ln.strip() and not ln.startswith(("#", "!"))]
        for pattern in patterns:
            for sample in gitignore_samples(rules_dir, pattern):
                full = os.path.join(src, sample)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as fh:
                    fh.write("planted by tools/galaxy_check.py\n")
                samples.append(sample)
    ignored = set(git("check-ignore", "--stdin", cwd=src, stdin="\n".join(samples) + "\n", check=False).split("\n"))
    missed = [s for s in samples if s not in ignored]
    checks.check(not missed, f"{len(samples)} samples of the .gitignore patterns planted, all ignored by git",
                 f"not ignored (the sample generator is out of step with .gitignore): {missed}")
    return src, files


def build(src: str, work: str) -> str:
    dist = os.path.join(work, "dist")
    subprocess.run(["ansible-galaxy", "collection", "build", "--output-path", dist, src],
                   check=True, stdout=subprocess.DEVNULL)
    (tarball,) = [os.path.join(dist, n) for n in os.listdir(dist) if n.endswith(".tar.gz")]
    return tarball


def check_contents(tarball: str, src: str, repo_files: list[str], checks: Checks) -> set[str]:
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
    names = {m.name for m in members}
    files = {m.name for m in members if m.isfile()}
    print(f"built {os.path.basename(tarball)}: {len(files)} files")
    ignored = [n for n in git("check-ignore", "--stdin", cwd=src, stdin="\n".join(sorted(names)) + "\n",
                              check=False).split("\n") if n]
    checks.check(not ignored, "no file or folder that git ignores is in the tarball (caches, builds, outputs)",
                 f"in the tarball: {ignored}")
    repo_only = sorted(n for n in names if under(n, REPO_ONLY))
    checks.check(not repo_only, "no repository-only content is in the tarball", f"in the tarball: {repo_only}")
    wanted = {f for f in repo_files if not under(f, REPO_ONLY)}  # tracked, or untracked and not ignored
    missing = sorted(wanted - files)
    checks.check(not missing, f"every collection file of the repository is in the tarball ({len(wanted)})",
                 f"missing: {missing}")
    extra = sorted(files - wanted - GENERATED)
    checks.check(not extra, "the tarball holds nothing else", f"extra: {extra}")
    return files


# ---- 2. documents -----------------------------------------------------------------------------

PATH_RE = re.compile(r"(?<![\w/.:~$-])((?:\.?[\w-]+/)+[\w.*-]*|Makefile|requirements-dev\.txt|make [a-z][\w-]*)"
                     r"|(?<![\w.])\./([\w-]+)")  # the second form: `pip install ./emulator`
LINK_RE = re.compile(re.escape(REPO_URL) + r"/(?:blob|tree)/main/([^\s)>`'\"]*)")


def blocks(text: str, markdown: bool) -> list[tuple[str, bool]]:
    """(block text, is code) pairs: prose paragraphs, and code blocks (a fenced Markdown block, or
    an indented reStructuredText block after `::`)."""
    out: list[tuple[str, bool]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if markdown and line.lstrip().startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith("```"):
                j += 1
            out.append(("\n".join(lines[i:j + 1]), True))
            i = j + 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        chunk = "\n".join(lines[i:j])
        after_directive = bool(out) and (out[-1][1] or out[-1][0].rstrip().endswith("::")
                                         or out[-1][0].lstrip().startswith(".. code"))
        code = (not markdown) and line[0] in " \t" and after_directive
        out.append((chunk, code))
        i = j
    return out


def repo_only_paths(text: str, tarball_files: set[str]) -> list[str]:
    found = []
    for match in PATH_RE.finditer(text):
        path = match.group(1) or match.group(2)
        if path.startswith("make "):
            found.append(path)
            continue
        clean = path.rstrip("/.")
        if under(clean, REPO_ONLY) and not any(f == clean or f.startswith(clean + "/") for f in tarball_files):
            found.append(clean)
    return found


def check_document(rel: str, text: str, tarball_files: set[str], repo_files: list[str], checks: Checks) -> None:
    markdown = rel.endswith(".md")
    if markdown:
        relative = [t for t in re.findall(r"\]\(([^)\s]+)", text) if not re.match(r"(https?://|mailto:|#)", t)]
        checks.check(not relative, f"{rel}: every link is absolute (Galaxy renders it away from the repository)",
                     f"relative links: {relative}")
    repo_set = set(repo_files)
    repo_dirs = {os.path.dirname(f) for f in repo_files}
    repo_dirs |= {d for f in repo_dirs for d in _parents(f)}
    targets = sorted(set(t.rstrip("/") for t in LINK_RE.findall(text)))
    broken = [t for t in targets if t and t.split("#")[0] not in repo_set and t.split("#")[0] not in repo_dirs]
    checks.check(not broken, f"{rel}: its {len(targets)} links into the repository name existing paths",
                 f"no such path: {broken}")
    unsaid = []
    unlinked = set()
    prose = ""
    for chunk, code in blocks(text, markdown):
        paths = repo_only_paths(chunk, tarball_files)
        context = prose + chunk if code else chunk  # a code block: the paragraph before, or its own comments
        for path in paths:
            if "repository" not in context.lower():
                unsaid.append(f"{path!r} in: {chunk.strip().splitlines()[0][:90]}")
            if not path.startswith("make ") and not any(under(path, [t]) for t in targets if t):
                unlinked.add(path)
        if not code and not chunk.lstrip().startswith(".. "):
            prose = chunk  # the paragraph a following code block is read with (directives skipped)
    checks.check(not unsaid, f"{rel}: each path the tarball lacks is said to be in the repository",
                 "\n      ".join(unsaid))
    checks.check(not unlinked, f"{rel}: each such path is linked on GitHub",
                 f"no link to {REPO_URL}/tree/main/... for: {sorted(unlinked)}")


def _parents(path: str):
    while path:
        path = os.path.dirname(path)
        if path:
            yield path


def check_documents(src: str, tarball_files: set[str], repo_files: list[str], checks: Checks) -> None:
    docs = sorted(f for f in tarball_files
                  if f == "README.md" or re.match(r"roles/[^/]+/README\.md$", f) or re.match(r"docs/docsite/rst/.*\.rst$", f))
    for rel in docs:
        with open(os.path.join(src, rel), encoding="utf-8") as fh:
            check_document(rel, fh.read(), tarball_files, repo_files, checks)


def check_changelog(src: str, checks: Checks) -> None:
    """Every role is announced: in a released version of changelogs/changelog.yaml, or by an
    `add object.role` fragment for the next one (antsibull-changelog does not detect roles)."""
    announced = set()
    with open(os.path.join(src, "changelogs", "changelog.yaml"), encoding="utf-8") as fh:
        releases = (yaml.safe_load(fh) or {}).get("releases") or {}
    for release in releases.values():
        announced |= {o["name"] for o in ((release or {}).get("objects") or {}).get("role", [])}
    fragments = os.path.join(src, "changelogs", "fragments")
    for name in sorted(os.listdir(fragments)):
        if name.endswith((".yml", ".yaml")):
            with open(os.path.join(fragments, name), encoding="utf-8") as fh:
                announced |= {o["name"] for o in (yaml.safe_load(fh) or {}).get("add object.role", [])}
    roles = set(os.listdir(os.path.join(src, "roles")))
    checks.check(roles <= announced, f"the changelog announces every role ({', '.join(sorted(roles))})",
                 f"not announced: {sorted(roles - announced)}")


# ---- 3. galaxy-importer -----------------------------------------------------------------------

def run_importer(tarball: str, work: str, checks: Checks) -> None:
    cwd = os.path.join(work, "importer")
    os.makedirs(cwd)
    env = dict(os.environ,
               GALAXY_IMPORTER_CONFIG=os.path.join(ROOT, "tools", "galaxy-importer.cfg"),
               GALAXY_IMPORTER_TMP_ROOT_DIR=cwd,
               GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=os.path.join(cwd, "ansible-tmp"))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)  # the importer sets its own, to the extracted tarball
    proc = subprocess.run([sys.executable, "-m", "galaxy_importer.main", tarball], cwd=cwd, env=env,
                          capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    print(output.rstrip())
    problems = [ln for ln in output.splitlines() if re.match(r"(WARNING|ERROR|CRITICAL)\b", ln)]
    checks.check(proc.returncode == 0 and "Importer processing completed successfully" in output,
                 "galaxy-importer completes", f"exit {proc.returncode}")
    checks.check(not problems, "galaxy-importer reports no warning and no error", "\n      ".join(problems))
    result_file = os.path.join(cwd, "importer_result.json")
    if not checks.check(os.path.isfile(result_file), "galaxy-importer writes its result"):
        return
    with open(result_file, encoding="utf-8") as fh:
        result = json.load(fh)
    docs = (result.get("docs_blob") or {}).get("contents") or []
    plugins = [c for c in docs if c["content_type"] in ("module", "lookup")]
    undocumented = [c["content_name"] for c in plugins
                    if not all((c.get("doc_strings") or {}).get(k) for k in ("doc", "examples"))]
    checks.check(bool(plugins) and not undocumented,
                 f"galaxy-importer read the documentation and examples of all {len(plugins)} modules and lookups",
                 f"without them: {undocumented}")
    roles = [c["name"] for c in result.get("contents", []) if c["content_type"] == "role"]
    checks.check("org_config" in roles, "galaxy-importer found the role org_config", f"roles: {roles}")
    readme = (result.get("docs_blob") or {}).get("collection_readme") or {}
    checks.check(bool(readme.get("html")), "galaxy-importer rendered the README")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="galaxy-check-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    checks = Checks()
    try:
        print("== build from a copy with every .gitignore pattern planted")
        src, repo_files = copy_with_samples(work, checks)
        with open(os.path.join(src, "galaxy.yml"), encoding="utf-8") as fh:
            galaxy = yaml.safe_load(fh)
        checks.check(galaxy["documentation"].startswith("https://") and not galaxy["documentation"].endswith(".rst")
                     and "/tree/" not in galaxy["documentation"],
                     "galaxy.yml documentation is a site, not repository sources", galaxy["documentation"])
        tarball = build(src, work)
        tarball_files = check_contents(tarball, src, repo_files, checks)
        print("== documents in the tarball")
        check_documents(src, tarball_files, repo_files, checks)
        check_changelog(src, checks)
        print("== galaxy-importer")
        run_importer(tarball, work, checks)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"galaxy-importer: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
