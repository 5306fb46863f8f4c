"""The API coverage page (docs/docsite/rst/guide_api_coverage.rst) against the reference spec.

The page has one row per operation of the spec (``data/circleci-openapi.json``): operation id,
method, path, the plugins that send it, and how. This test fails when an operation has no row, a
row names an operation the spec lacks (or gets its method or path wrong), a row names a plugin that
is not in plugins/, or a row's claim does not hold:

- a module or lookup other than ``circleci_api``: the Python files it runs (the plugin and the
  module_utils it imports, followed transitively) must hold every fixed part of the operation's
  path as a path piece in a string (``/pipeline-definitions``, ``/url-orb-allow-list``, ...), and
  for a write the request method (a ``post``/``create``, ``put``, ``patch`` or ``delete`` call, or
  the method's name); a module that never builds that path fails, and an info module or a lookup
  (which only read) fails for a write;
- ``circleci_api`` (a lookup for any GET path): only for a GET, and the example path of the row's
  last column must route to that very operation;
- no plugin (``none``): only for an operation the spec marks deprecated, whose row names the
  operation that replaced it ("replaced by X"), itself covered by a plugin.

It prints "N of M operations covered by a plugin".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from circleci_emulator.spec import SpecRouter, load_spec_dict

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "docsite" / "rst" / "guide_api_coverage.rst"
PLUGINS = REPO / "plugins"
PACKAGE = "ansible_collections.community.circleci.plugins."
METHODS = ("get", "post", "put", "patch", "delete")
PLUGIN_RE = re.compile(r":ansplugin:`community\.circleci\.(\w+)#(module|lookup)`")
GENERIC_LOOKUP = "circleci_api"
# method calls of the client (and of the reconcile skeleton) that send each write method
WRITE_CALLS = {"POST": {"post", "create"}, "PUT": {"put"}, "PATCH": {"patch"}, "DELETE": {"delete"}}


@dataclass
class Row:
    operation_id: str
    method: str
    path: str
    plugins: list  # [(name, type)]
    plugins_cell: str
    how: str


def spec_operations(data=None) -> dict:
    """operationId -> (METHOD, path template), from the unmended spec."""
    data = data if data is not None else load_spec_dict(mend=False)
    ops = {}
    for template, item in data["paths"].items():
        for method in METHODS:
            if method in item:
                ops[item[method]["operationId"]] = (method.upper(), template)
    return ops


def _literal(cell: str) -> str:
    match = re.fullmatch(r"``(.*)``", cell.strip())
    return match.group(1) if match else cell.strip()


def parse_table(text: str) -> list:
    """The rows of the page's list-table (the header row left out)."""
    body = text.split(".. list-table::", 1)[1]
    rows, cells = [], None
    for line in body.splitlines():
        if line.startswith("   * - "):
            cells = [line[len("   * - "):]]
            rows.append(cells)
        elif line.startswith("     - ") and cells is not None:
            cells.append(line[len("     - "):])
        elif line.startswith("       ") and cells is not None:
            cells[-1] += " " + line.strip()
        elif line.strip() and not line.startswith("   :") and cells is not None:
            break  # the end of the table
    out = []
    for cells in rows[1:]:
        assert len(cells) == 5, "a row must have 5 cells: %r" % (cells,)
        out.append(Row(_literal(cells[0]), cells[1].strip(), _literal(cells[2]),
                       PLUGIN_RE.findall(cells[3]), cells[3].strip(), cells[4].strip()))
    return out


def plugin_file(name: str, kind: str) -> Path:
    return PLUGINS / ("modules" if kind == "module" else "lookup") / (name + ".py")


def _imports(path: Path) -> set:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith(PACKAGE))
    return {PLUGINS.joinpath(*name[len(PACKAGE):].split(".")).with_suffix(".py") for name in names}


@lru_cache(maxsize=None)
def source_facts(path: Path):
    """(strings, write methods) of a plugin and of every plugin file it imports, transitively."""
    seen, todo = set(), [path]
    while todo:
        current = todo.pop()
        if current in seen or not current.is_file():
            continue
        seen.add(current)
        todo.extend(_imports(current))
    strings, methods = [], set()
    for current in seen:
        for node in ast.walk(ast.parse(current.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.append(node.value)
                if node.value in WRITE_CALLS:
                    methods.add(node.value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                methods.update(m for m, calls in WRITE_CALLS.items() if node.func.attr in calls)
    return tuple(strings), frozenset(methods)


def fixed_parts(template: str) -> list:
    """The fixed runs of a path template: '/projects/{id}/pipeline-definitions' -> ['projects', 'pipeline-definitions']."""
    return [run.strip("/") for run in re.split(r"\{[^}]*\}", template) if run.strip("/")]


def source_sends(path: Path, method: str, template: str) -> list:
    """What the plugin's source lacks to send `method` `template` (empty: the claim holds)."""
    strings, methods = source_facts(path)
    missing = []
    for part in fixed_parts(template):
        piece = re.compile(r"(?:^|/)" + re.escape(part) + r"(?:$|[/%{?])")
        if not any(piece.search(s) for s in strings):
            missing.append("no string holds the path piece /%s" % part)
    if method != "GET" and method not in methods:
        missing.append("nothing sends a %s" % method)
    return missing


def row_problems(row: Row, ops: dict, router: SpecRouter) -> list:
    """Why a row is wrong (empty: it is right)."""
    if row.operation_id not in ops:
        return ["%s: no such operation in the spec" % row.operation_id]
    method, template = ops[row.operation_id]
    problems = []
    if (row.method, row.path) != (method, template):
        problems.append("%s: the spec has %s %s, the row %s %s" % (row.operation_id, method, template, row.method, row.path))
    if not row.plugins:
        problems.extend(_uncovered_problems(row, ops))
    for name, kind in row.plugins:
        where = "%s: %s (%s)" % (row.operation_id, name, kind)
        source = plugin_file(name, kind)
        if not source.is_file():
            problems.append("%s: no such plugin in plugins/" % where)
        elif name == GENERIC_LOOKUP:
            problems.extend(where + ": " + p for p in _generic_lookup_problems(row, method, router))
        elif method != "GET" and (kind == "lookup" or name.endswith("_info")):
            problems.append("%s: only reads (info modules and lookups send no %s)" % (where, method))
        else:
            problems.extend(where + ": " + p for p in source_sends(source, method, template))
    return problems


def _generic_lookup_problems(row: Row, method: str, router: SpecRouter) -> list:
    if method != "GET":
        return ["the lookup only sends GET"]
    example = re.search(r"``(/[^`\s]*)``", row.how)
    if example is None:
        return ["the last column gives no example path"]
    match = router.match("get", example.group(1))
    if match.operation_id != row.operation_id:
        return ["the example %s is %s" % (example.group(1), match.operation_id)]
    return []


def _uncovered_problems(row: Row, ops: dict) -> list:
    if row.plugins_cell != "none":
        return ["%s: no plugin named (write none when none sends it)" % row.operation_id]
    if not deprecated(row.operation_id):
        return ["%s: names no plugin, and the spec does not deprecate it" % row.operation_id]
    replaced = re.search(r"replaced by (\w+)", row.how)
    if replaced is None or replaced.group(1) not in ops:
        return ["%s: a deprecated operation without a plugin names the operation that replaced it" % row.operation_id]
    return []


@lru_cache(maxsize=None)
def _deprecated_ids() -> frozenset:
    data = load_spec_dict(mend=False)
    return frozenset(op["operationId"] for item in data["paths"].values() for m, op in item.items()
                     if m in METHODS and (op.get("deprecated") or "[DEPRECATED]" in (op.get("description") or "")))


def deprecated(operation_id: str) -> bool:
    return operation_id in _deprecated_ids()


def table_problems(rows: list, ops: dict) -> list:
    router = SpecRouter(load_spec_dict(mend=False)["paths"])
    problems = []
    seen = [row.operation_id for row in rows]
    problems.extend("%s: two rows" % op for op in sorted(set(o for o in seen if seen.count(o) > 1)))
    problems.extend("%s: no row" % op for op in sorted(set(ops) - set(seen)))
    covered = {row.operation_id for row in rows if row.plugins}
    for row in rows:
        problems.extend(row_problems(row, ops, router))
        replaced = re.search(r"replaced by (\w+)", row.how) if not row.plugins else None
        if replaced and replaced.group(1) in ops and replaced.group(1) not in covered:
            problems.append("%s: its replacement %s has no plugin either" % (row.operation_id, replaced.group(1)))
    return problems


# ---------------------------------------------------------------- the page


def test_every_operation_of_the_spec_has_a_true_row(capsys):
    ops = spec_operations()
    rows = parse_table(PAGE.read_text())
    assert len(ops) == 110
    assert table_problems(rows, ops) == []
    covered = [row for row in rows if row.plugins]
    with capsys.disabled():
        print("\napi coverage: %d of %d operations covered by a plugin; not sent by any plugin: %s"
              % (len(covered), len(ops), ", ".join("%s (%s)" % (r.operation_id, r.how) for r in rows if not r.plugins)))
    # every operation is sent by a plugin; a new one must be looked at, not accepted
    assert [row.operation_id for row in rows if not row.plugins] == []
    assert len(covered) == len(ops) == 110


def test_the_page_is_a_guide_of_the_site():
    assert "- guide_api_coverage" in (REPO / "docs" / "docsite" / "extra-docs.yml").read_text()
    assert PAGE.read_text().startswith(".. _ansible_collections.community.circleci.docsite.guide_api_coverage:\n")


# ---------------------------------------------------------------- the checks find wrong tables


def _row(op, method, path, plugins, how=""):
    cell = ", ".join(":ansplugin:`community.circleci.%s#%s`" % p for p in plugins) or "none"
    return Row(op, method, path, list(plugins), cell, how)


def _good_rows(ops):
    rows = parse_table(PAGE.read_text())
    assert table_problems(rows, ops) == []
    return rows


def _replace(rows, op, new):
    return [new if row.operation_id == op else row for row in rows]


def test_a_missing_row_an_unknown_operation_and_a_twin_are_found():
    ops = spec_operations()
    rows = _good_rows(ops)
    without = [row for row in rows if row.operation_id != "createTrigger"]
    assert table_problems(without, ops) == ["createTrigger: no row"]
    extra = rows + [_row("createRocket", "POST", "/rocket", [("circleci_trigger", "module")])]
    assert table_problems(extra, ops) == ["createRocket: no such operation in the spec"]
    twin = rows + [rows[0]]
    assert table_problems(twin, ops) == ["%s: two rows" % rows[0].operation_id]


def test_a_plugin_that_does_not_exist_is_found():
    ops = spec_operations()
    rows = _replace(_good_rows(ops), "createTrigger", _row(
        "createTrigger", "POST", ops["createTrigger"][1], [("circleci_pipeline_trigger_v2", "module")]))
    assert table_problems(rows, ops) == ["createTrigger: circleci_pipeline_trigger_v2 (module): no such plugin in plugins/"]


@pytest.mark.parametrize("op, plugin, expected", [
    # a module that never builds the path
    ("createPipelineDefinition", "circleci_webhook", "no string holds the path piece /pipeline-definitions"),
    ("removeURLOrbAllowListEntry", "circleci_group", "no string holds the path piece /url-orb-allow-list"),
    ("getUsageExport", "circleci_deploy_info", "no string holds the path piece /usage_export_job"),
    # an info module, which only reads
    ("deleteEnvVar", "circleci_project_info", "only reads (info modules and lookups send no DELETE)"),
    ("rerunWorkflow", "circleci_workflow_info", "only reads (info modules and lookups send no POST)"),
])
def test_a_module_that_does_not_send_the_operation_is_found(op, plugin, expected):
    ops = spec_operations()
    method, path = ops[op]
    rows = _replace(_good_rows(ops), op, _row(op, method, path, [(plugin, "module")]))
    problems = table_problems(rows, ops)
    assert problems and all(p.startswith("%s: %s (module): " % (op, plugin)) for p in problems), problems
    assert "%s: %s (module): %s" % (op, plugin, expected) in problems


def test_the_generic_lookup_needs_a_get_and_an_example_of_that_operation():
    ops = spec_operations()
    rows = _good_rows(ops)
    lookup = [("circleci_api", "lookup")]
    wrong_op = _replace(rows, "getTrigger", _row("getTrigger", "GET", ops["getTrigger"][1], lookup,
                                                 "``/projects/P/pipeline-definitions/D``"))
    assert table_problems(wrong_op, ops) == [
        "getTrigger: circleci_api (lookup): the example /projects/P/pipeline-definitions/D is getPipelineDefinition"]
    write = _replace(rows, "deleteTrigger", _row("deleteTrigger", "DELETE", ops["deleteTrigger"][1], lookup,
                                                 "``/projects/P/triggers/T``"))
    assert table_problems(write, ops) == ["deleteTrigger: circleci_api (lookup): the lookup only sends GET"]


def test_no_plugin_only_for_a_deprecated_operation_with_a_covered_replacement():
    ops = spec_operations()
    rows = _good_rows(ops)
    deprecated = _row("createProject1", "POST", ops["createProject1"][1], [], "deprecated; replaced by createProject")
    not_deprecated = _replace(_replace(rows, "createProject1", deprecated),
                              "createProject", _row("createProject", "POST", ops["createProject"][1], []))
    assert table_problems(not_deprecated, ops) == [
        "createProject: names no plugin, and the spec does not deprecate it",
        "createProject1: its replacement createProject has no plugin either"]
    no_replacement = _replace(rows, "createProject1", _row("createProject1", "POST", ops["createProject1"][1], [],
                                                           "deprecated"))
    assert table_problems(no_replacement, ops) == [
        "createProject1: a deprecated operation without a plugin names the operation that replaced it"]
