"""The emulator's floors (docs/dev/EMULATOR.md), read from its source: no import goes up, none goes round.

Every module of ``circleci_emulator`` is on one floor; a module imports only from the floors its
own floor may use. The state knows nothing of the engine, of HTTP or of Flask; the engine
nothing of the API or of Flask; the HTTP plumbing nothing of the state; the API handlers sit on
all three; the app (dispatcher, admin API, servers, CLI) on top. Imports inside functions count
as much as those at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import circleci_emulator

PACKAGE = "circleci_emulator"
ROOT = Path(circleci_emulator.__file__).resolve().parent

FLOORS = {
    "state": {"slugs", "seed", "store", "runs", "history", "version", "runner_state"},
    "engine": {"engine", "state_dump"},
    "http": {"errors", "pagination", "spec", "faults", "reqlog", "runner_schema"},
    "api": {"api"},  # and every module below api/
    "app": {"", "__main__", "app", "admin", "server", "cli", "runner_app"},  # "" = the package's __init__
}
MAY_IMPORT = {
    "state": {"state"},
    "engine": {"state", "engine"},
    "http": {"http"},
    "api": {"state", "engine", "http", "api"},
    "app": {"state", "engine", "http", "api", "app"},
}
# Third-party packages that mean HTTP: the lower floors do without them.
HTTP_PACKAGES = {"flask", "werkzeug", "openapi_core", "jsonschema", "jsonschema_path", "requests"}
WITHOUT_HTTP = ("state", "engine")


def modules() -> dict[str, tuple[Path, bool]]:
    """{dotted name below the package ("" = its __init__): (file, is a package)}."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def imports_of(name: str, path: Path, is_package: bool, known: dict) -> tuple[set, set]:
    """(modules of the package this one imports, top-level names of the other packages it imports)."""
    inner, outer = set(), set()
    here = name.split(".") if name else []
    package = here if is_package else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top, _, rest = alias.name.partition(".")
                if top == PACKAGE:
                    inner.add(rest)
                else:
                    outer.add(top)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                top, _, rest = (node.module or "").partition(".")
                if top != PACKAGE:
                    outer.add(top)
                    continue
                base = rest.split(".") if rest else []
            else:
                base = package[:len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            target = ".".join(base)
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                inner.add(sub if sub in known else target)  # ``from . import engine`` names a module
    inner.discard(name)
    return inner, outer


def floor_of(name: str) -> str | None:
    first = name.split(".")[0] if name else ""
    return next((floor for floor, names in FLOORS.items() if first in names), None)


def graph() -> tuple[dict, dict]:
    known = modules()
    inner, outer = {}, {}
    for name, (path, is_package) in known.items():
        inner[name], outer[name] = imports_of(name, path, is_package, known)
    return inner, outer


def cycles(edges: dict) -> list[list[str]]:
    """The import circles (strongly connected components of more than one module, or a self-import)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_on_a_floor():
    unplaced = [name or "__init__" for name in modules() if floor_of(name) is None]
    assert not unplaced, f"put these modules on a floor in FLOORS (and in docs/dev/EMULATOR.md): {unplaced}"


def test_no_import_goes_up_a_floor():
    inner, _ = graph()
    upward = [
        f"{name or '__init__'} ({floor_of(name)}) imports {target or '__init__'} ({floor_of(target)})"
        for name, targets in sorted(inner.items()) for target in sorted(targets)
        if floor_of(target) not in MAY_IMPORT[floor_of(name)]
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    inner, _ = graph()
    assert cycles(inner) == []


def test_state_and_engine_know_nothing_of_http():
    _, outer = graph()
    found = {name: sorted(outer[name] & HTTP_PACKAGES) for name in outer if floor_of(name) in WITHOUT_HTTP}
    assert {name: packages for name, packages in found.items() if packages} == {}


def test_handler_modules_import_routing_not_the_api_package():
    # api/__init__ imports every handler module: one importing it back would close a circle
    inner, _ = graph()
    assert [name for name, targets in inner.items() if name.startswith("api.") and "api" in targets] == []


def test_the_checks_can_fail():
    # the graph holds the imports that are there, and a circle or an upward import would show
    inner, outer = graph()
    assert {"store", "runs", "history"} <= inner["engine"] and "engine" in inner["api.pipelines"]
    assert "api.routing" in inner["api.contexts"] and "flask" in outer["app"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert floor_of("store") == "state" and "engine" not in MAY_IMPORT["state"]
