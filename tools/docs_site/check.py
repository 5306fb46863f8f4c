"""Check the built docs site: every guide that docs/docsite/extra-docs.yml lists, every module,
lookup, inventory plugin and role has its page; the collection's index links every guide; the references into the
Ansible documentation resolved (through the stand-in inventory); no page carries a rendering
error. antsibull-docs leaves out a guide it cannot use (for example one with a label outside its
prefix) without failing, so a missing page is caught here.

    python tools/docs_site/check.py HTML_DIR COLLECTION_ROOT

Closes with `docs-site: N passed, M failed`.
"""
from __future__ import annotations

import glob
import os
import re
import sys

import yaml

ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"


def rst_title(path: str) -> str:
    lines = open(path, encoding="utf-8").read().splitlines()
    for above, line in zip(lines, lines[1:]):
        if above.strip() and re.fullmatch(r"=+", line) and len(line) >= len(above.strip()):
            return above.strip()
    raise SystemExit(f"{path}: no title")


def main() -> int:
    html, coll = sys.argv[1], sys.argv[2]
    base = os.path.join(html, "collections", "community", "circleci")
    passed = failed = 0

    def check(ok: bool, what: str) -> None:
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok    " if ok else "FAIL  ") + what)

    def read(path: str) -> str:
        return open(path, encoding="utf-8").read() if os.path.isfile(path) else ""

    index = read(os.path.join(base, "index.html"))
    check(bool(index), "the collection's index page")
    with open(os.path.join(coll, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as fh:
        sections = yaml.safe_load(fh)["sections"]
    guides = [name for section in sections for name in section["toctree"]]
    for name in guides:
        page = read(os.path.join(base, "docsite", f"{name}.html"))
        title = rst_title(os.path.join(coll, "docs", "docsite", "rst", f"{name}.rst"))
        check(bool(page) and title.replace("&", "&amp;") in page, f"guide {name} rendered ({title})")
        check(f'href="docsite/{name}.html' in index, f"the collection's index links guide {name}")
    plugins = [("module", p) for p in sorted(glob.glob(os.path.join(coll, "plugins", "modules", "*.py")))]
    plugins += [("lookup", p) for p in sorted(glob.glob(os.path.join(coll, "plugins", "lookup", "*.py")))]
    plugins += [("inventory", p) for p in sorted(glob.glob(os.path.join(coll, "plugins", "inventory", "*.py")))]
    for kind, path in plugins:
        name = os.path.splitext(os.path.basename(path))[0]
        if name.startswith("_"):
            continue
        page = read(os.path.join(base, f"{name}_{kind}.html"))
        check(f"community.circleci.{name} {kind}" in page, f"{kind} {name} page")
    for role in sorted(os.listdir(os.path.join(coll, "roles"))):
        check(bool(read(os.path.join(base, f"{role}_role.html"))), f"role {role} page")
    # the references into the Ansible documentation resolved through the stand-in inventory
    module_pages = {p: read(p) for p in glob.glob(os.path.join(base, "*_module.html"))}
    returns = f'href="{ANSIBLE_DOCS}reference_appendices/common_return_values.html#common-return-values"'
    check(bool(module_pages) and all(returns in text for text in module_pages.values()),
          f"all {len(module_pages)} module pages link the common return values of the Ansible documentation")
    action = f'href="{ANSIBLE_DOCS}plugins/action.html#action-plugins"'
    noted = [p for p, text in module_pages.items() if "has a corresponding" in text]
    check(all(action in module_pages[p] for p in noted),
          f"the {len(noted)} module pages that note an action plugin link the Ansible documentation's action plugins")
    bad = []
    for page in glob.glob(os.path.join(html, "**", "*.html"), recursive=True):
        text = read(page)
        if 'class="problematic"' in text or 'class="system-message"' in text:
            bad.append(os.path.relpath(page, html))
    check(not bad, f"no page shows a rendering error {bad or ''}".rstrip())
    print(f"docs-site: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
