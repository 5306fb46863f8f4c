"""The self-hosted runner API's description (``data/runner-api.json``): routing and validation.

The runner API has no OpenAPI file, so the emulator checks its requests (and the tests its
answers) against a JSON Schema written from the documented shapes: each operation names its
method, path template, query schema (the query as an object of strings), body schema and
answers. ``get_runner_api()`` loads it once; ``match`` routes a raw path, ``request_violation``
says what is wrong with a request (strict mode answers 400 with it), ``response_errors`` what is
wrong with an answer. An HTTP-floor module: it knows no state.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from jsonschema import Draft202012Validator, FormatChecker

DATA = Path(__file__).with_name("data") / "runner-api.json"
_PARAM = re.compile(r"\{([^/{}]+)\}")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    query: dict
    body: dict | None
    responses: dict  # status (str) -> schema
    pattern: re.Pattern


@dataclass
class RunnerMatch:
    """A raw path routed: the operation (None when the path or its method is unknown), its path
    parameters (decoded) and, for messages, whether the path was known at all."""

    operation: Operation | None
    params: dict
    path_known: bool


class RunnerApi:
    def __init__(self, data: dict):
        self.data = data
        defs = data["$defs"]
        self.operations = [self._operation(raw) for raw in data["operations"]]
        self._validators: dict = {}
        self._defs = defs

    @staticmethod
    def _operation(raw: dict) -> Operation:
        template = raw["path"]
        regex = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + r"\Z"
        return Operation(raw["operationId"], raw["method"], template, raw.get("query") or {}, raw.get("body"),
                         raw.get("responses") or {}, re.compile(regex))

    def templates(self) -> set:
        return {(op.method, op.template) for op in self.operations}

    def match(self, method: str, raw_path: str) -> RunnerMatch:
        known = False
        for op in self.operations:
            found = op.pattern.match(raw_path)
            if found is None:
                continue
            known = True
            if op.method == method.lower():
                return RunnerMatch(op, {name: unquote(value) for name, value in found.groupdict().items()}, True)
        return RunnerMatch(None, {}, known)

    def _validator(self, schema: dict) -> Draft202012Validator:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = Draft202012Validator(dict(schema, **{"$defs": self._defs}),
                                                         format_checker=FormatChecker())
        return self._validators[key]

    def errors(self, schema: dict, instance, where: str) -> list:
        """What is wrong with `instance` (as "where.field: reason"), most relevant first."""
        found = sorted(self._validator(schema).iter_errors(instance), key=lambda e: (list(e.path), e.message))
        return ["%s%s: %s" % (where, "".join(f".{part}" for part in err.path), err.message) for err in found]

    def request_violation(self, op: Operation, query, body: bytes, content_type: str | None) -> str | None:
        """Why the request does not fit the operation, or None. `query` is a MultiDict."""
        repeated = sorted(name for name in query if len(query.getlist(name)) > 1)
        if repeated:
            return f"query parameter {repeated[0]} given more than once"
        problems = self.errors(op.query, {name: query.get(name) for name in query}, "query")
        if op.body is None:
            if body:
                problems.append(f"{op.method.upper()} {op.template} takes no body")
        elif not (content_type or "").split(";")[0].strip() == "application/json":
            problems.append("body: Content-Type must be application/json")
        else:
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                parsed = ValueError
            if parsed is ValueError:
                problems.append("body: not JSON")
            else:
                problems.extend(self.errors(op.body, parsed, "body"))
        return "; ".join(problems) or None

    def response_errors(self, op: Operation, status: int, body) -> list:
        """What is wrong with an answer; an undeclared status is reported as such."""
        schema = op.responses.get(str(status))
        if schema is None:
            return [f"Unknown response http status: {status}"]
        return self.errors(schema, body, "answer")


@functools.lru_cache(maxsize=1)
def get_runner_api() -> RunnerApi:
    return RunnerApi(json.loads(DATA.read_text(encoding="utf-8")))
