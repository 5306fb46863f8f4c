"""The CircleCI OpenAPI description: loading, mending, routing and validation.

The spec is loaded once per process (``get_spec()``); building openapi-core's
validators takes most of a second, validating a request afterwards about a
millisecond.

Routing is done here rather than by openapi-core's path finder, which cannot
match ``{project-slug}`` (a parameter holding slashes, ``allowReserved``).
``SpecRouter.match`` finds the spec path template for a raw request path, and
the validators are then handed that template directly (``path_pattern``).
"""

from __future__ import annotations

import copy
import json
import re
import threading
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping
from urllib.parse import unquote

from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.datatypes import TemplateResult
from openapi_core.templating.paths.datatypes import PathOperationServer
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.templating.paths.finders import BasePathFinder
from openapi_core.validation.request.validators import V30RequestValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

SERVER_URL = "https://circleci.com/api/v2"
_SERVER_HOST = "https://circleci.com"
_SERVER_PREFIX = "/api/v2"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Path parameters whose values contain slashes. CircleCI sends project slugs
# (always three segments: gh/ORG/REPO, circleci/ORG_ID/PROJECT_ID) and org
# slugs (gh/ORG, circleci/ORG_ID) unescaped inside the path.
_PARAM_PATTERNS = {
    "project-slug": r"[^/]+/[^/]+/[^/]+|[^/]*%2[Ff][^/]*%2[Ff][^/]*",  # also accept escaped slashes
    "org-slug": r"[^/]+(?:/[^/]+)?",
    "org-slug-or-id": r"[^/]+(?:/[^/]+)?",
}
_DEFAULT_PARAM_PATTERN = r"[^/]+"

# Some operations (e.g. GET /pipeline) use allowEmptyValue; openapi-core warns on every request.
warnings.filterwarnings("ignore", message="Use of allowEmptyValue property is deprecated", category=DeprecationWarning)


def spec_text() -> str:
    """The unmodified spec as shipped in the package."""
    return resources.files("circleci_emulator").joinpath("data/circleci-openapi.json").read_text("utf-8")


def load_spec_dict(mend: bool = True) -> dict:
    data = json.loads(spec_text())
    return mend_spec(data) if mend else data


def mend_spec(data: dict) -> dict:
    """Mend the spec's known defects (see README, "Spec mends"). Returns a copy."""
    data = copy.deepcopy(data)
    schemas = data["components"]["schemas"]
    # 1. additionalProperties: false beside oneOf/anyOf without properties
    #    forbids every property.
    schemas["context_created"]["properties"]["owner"].pop("additionalProperties", None)
    schemas["update_env_var"].pop("additionalProperties", None)

    # 2. next_page_token is null on the last page of every list.
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and isinstance(props.get("next_page_token"), dict):
                props["next_page_token"]["nullable"] = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)

    # 3. MakeDecision declares no 403, which the service answers (as every
    #    other policy operation) for an owner the token's user is not in.
    decide = data["paths"]["/owner/{ownerID}/context/{context}/decision"]["post"]["responses"]
    decide.setdefault("403", {"$ref": "#/components/responses/Forbidden"})

    # 4. Schedules: a schedule's description and the system actor's avatar_url
    #    are null, marked with Swagger's x-nullable only (OpenAPI 3 ignores it).
    def nullable(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("x-nullable") is True and "type" in node:
                node["nullable"] = True
            for value in node.values():
                nullable(value)
        elif isinstance(node, list):
            for value in node:
                nullable(value)

    for template in ("/project/{project-slug}/schedule", "/schedule/{schedule-id}"):
        nullable(data["paths"][template])

    # 5. Pipelines, workflows and jobs (issue #5): the same x-nullable fields are
    #    null on the service (a running workflow's or job's stopped_at, a running
    #    job's duration, a test's message, an actor's avatar_url), and a job that
    #    has not started yet has a null started_at (not marked at all).
    for template in PIPELINE_NULLABLE_TEMPLATES:
        nullable(data["paths"][template])
    job_item = data["paths"]["/workflow/{id}/job"]["get"]["responses"]["200"]["content"]["application/json"]
    job_item["schema"]["properties"]["items"]["items"]["properties"]["started_at"]["nullable"] = True

    # 6. Insights filters that are repeated query parameters (?branches=a&branches=b) are
    #    declared {"type": "object"}, which no query string can satisfy: arrays of strings.
    for template, names in INSIGHTS_REPEATED_FILTERS.items():
        for param in data["paths"][template]["get"]["parameters"]:
            if param.get("name") in names and param.get("schema") == {"type": "object"}:
                param["schema"] = {"type": "array", "items": {"type": "string"}}

    # 7. Flaky tests answer snake_case keys like the rest of the API (flaky_tests,
    #    total_flaky_tests, test_name, job_number, ...), not the spec's kebab-case:
    #    CircleCI's MCP server parses only snake_case (docs/dev/CLIENT-EVIDENCE.md).
    flaky = data["paths"]["/insights/{project-slug}/flaky-tests"]["get"]["responses"]["200"]
    snake_case_keys(flaky["content"]["application/json"]["schema"])
    snake_case_keys(flaky["content"]["application/json"]["schema"]["properties"]["flaky_tests"]["items"])

    # 8. POST .../pipeline/run takes inline configuration, config: {branch | tag, content}
    #    (circleci-cli and the MCP server send it); the spec's config allows branch and tag only.
    config = schemas["pipelineRequest"]["properties"]["config"]  # the request body of triggerPipelineRun
    config["properties"]["content"] = {
        "type": "string",
        "description": "The configuration to run, as YAML text (sent by CircleCI's own clients; not in the spec).",
    }

    # 9. The deploy lists (listComponents, listEnvironments) require page-size, which CircleCI's
    #    own clients never send (the MCP server, CircleCI-Labs' Terraform provider): optional.
    #    No other operation uses this parameter.
    data["components"]["parameters"]["page_size"]["required"] = False

    # 10. Triggers (CLIENT-EVIDENCE.md): circleci-cli sends and reads a trigger's name and
    #    description, the Terraform provider its parameters, none of which the spec has; and a
    #    PATCH naming the create-only event_source.repo or .provider reaches the service, which
    #    answers 400 "Unexpected field 'event_source.repo'" (the handler answers it).
    extras = {"name": {"type": "string"}, "description": {"type": "string"}, "parameters": {"type": "object"}}
    for name in ("createTriggerRequest", "updateTriggerRequest", "trigger"):
        schemas[name]["properties"].update(copy.deepcopy(extras))
    schemas["updateTriggerRequest"]["properties"]["event_source"]["properties"].update(
        repo={"type": "object"}, provider={"type": "string"})
    return data


def snake_case_keys(schema: dict) -> None:
    """Rename an object schema's properties (and its required list) from kebab-case to snake_case."""
    schema["properties"] = {name.replace("-", "_"): value for name, value in schema["properties"].items()}
    if "required" in schema:
        schema["required"] = [name.replace("-", "_") for name in schema["required"]]


INSIGHTS_REPEATED_FILTERS = {
    "/insights/pages/{project-slug}/summary": ("branches", "workflow-names"),
    "/insights/{org-slug}/summary": ("project-names",),
}


PIPELINE_NULLABLE_TEMPLATES = (
    "/pipeline", "/pipeline/{pipeline-id}", "/pipeline/{pipeline-id}/workflow",
    "/project/{project-slug}/pipeline", "/project/{project-slug}/pipeline/mine",
    "/project/{project-slug}/pipeline/{pipeline-number}", "/workflow/{id}", "/workflow/{id}/job",
    "/project/{project-slug}/job/{job-number}", "/project/{project-slug}/{job-number}/tests",
)


def error_keyed_statuses(data: dict) -> dict:
    """{(method, template): {status, ...}}: the error answers declared as ``{"error": str}``
    (OIDC and policy operations); the others answer ``{"message": str}``."""

    def deref(node):
        while isinstance(node, dict) and "$ref" in node:
            target = data
            for part in node["$ref"].split("/")[1:]:
                target = target[part]
            node = target
        return node

    found: dict = {}
    for template, item in data["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS or not isinstance(op, dict):
                continue
            for status, response in (op.get("responses") or {}).items():
                content = (deref(response).get("content") or {}).get("application/json") or {}
                schema = deref(content.get("schema") or {})
                if status.isdigit() and int(status) >= 400 and "error" in (schema.get("required") or []):
                    found.setdefault((method, template), set()).add(int(status))
    return found


# --------------------------------------------------------------------------- routing


@dataclass(frozen=True)
class Route:
    template: str  # spec path, e.g. "/context/{context_id}"
    regex: re.Pattern
    names: tuple  # parameter names in group order
    operations: Mapping[str, str]  # method -> operationId
    literal_segments: int


@dataclass
class Match:
    template: str | None  # None: no spec path matches
    params: dict = field(default_factory=dict)  # decoded path parameters
    method_known: bool = False  # the spec has this method on the path
    operation_id: str | None = None


def _compile(template: str) -> tuple[re.Pattern, tuple]:
    names: list[str] = []
    parts: list[str] = []
    pos = 0
    for m in re.finditer(r"\{([^}]+)\}", template):
        parts.append(re.escape(template[pos : m.start()]))
        names.append(m.group(1))
        parts.append(f"((?:{_PARAM_PATTERNS.get(m.group(1), _DEFAULT_PARAM_PATTERN)}))")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(parts) + "$"), tuple(names)


class SpecRouter:
    """Maps (method, raw path without /api/v2) to a spec path template."""

    def __init__(self, paths: Mapping[str, Mapping]):
        routes = []
        for template, item in paths.items():
            regex, names = _compile(template)
            operations = {m: op.get("operationId", "") for m, op in item.items() if m in HTTP_METHODS}
            literal = sum(1 for seg in template.split("/") if seg and "{" not in seg)
            routes.append(Route(template, regex, names, operations, literal))
        # Most literal segments first, then fewer parameters: "/me/collaborations"
        # before "/user/{id}"-like templates, "/pipeline/continue" before
        # "/pipeline/{pipeline-id}".
        routes.sort(key=lambda r: (-r.literal_segments, len(r.names)))
        self.routes = routes

    def match(self, method: str, raw_path: str) -> Match:
        method = method.lower()
        path_only: Match | None = None
        for route in self.routes:
            m = route.regex.match(raw_path)
            if not m:
                continue
            params = {name: unquote(value) for name, value in zip(route.names, m.groups())}
            if method in route.operations:
                return Match(route.template, params, True, route.operations[method])
            if path_only is None:
                path_only = Match(route.template, params, False)
        return path_only or Match(None)


# --------------------------------------------------------------------------- validation


class _KnownPathFinder(BasePathFinder):
    """Path finder for requests that carry their spec template already."""

    def find(self, method: str, name: str) -> PathOperationServer:
        template = name[len(SERVER_URL) :] if name.startswith(SERVER_URL) else name
        paths = self.spec / "paths"
        if template not in paths:
            raise PathNotFound(name)
        path = paths / template
        if method not in path:
            raise OperationNotFound(name, method)
        server = (self.spec / "servers")[0] if "servers" in self.spec else None
        return PathOperationServer(
            path,
            path / method,
            server,
            TemplateResult(template, {}),
            TemplateResult(SERVER_URL, {}),
        )


class _NoSecurityRequestValidator(V30RequestValidator):
    """Authentication is the emulator's business (401); validate the rest."""

    def _get_security(self, parameters, operation):  # noqa: D401
        return {}


class _SchemaValidatorCache:
    """A schema validators factory of openapi-core that builds the validator of a schema once.

    openapi-core builds a JSON Schema validator for every parameter, body and answer it checks, on
    every request (resolving the schema's references and copying a format checker each time): most
    of the emulator's time per request, which at a client's concurrency made the emulator, not the
    client, set the pace. A validator depends only on its schema and the factory's flags, so the
    one built first is used again (jsonschema validators keep no state between validations)."""

    def __init__(self, factory):
        self._factory = factory
        self._built: dict = {}
        self._lock = threading.Lock()

    def create(self, spec, schema, format_validators=None, extra_format_validators=None, **flags):
        if format_validators is not None or extra_format_validators is not None:
            return self._factory.create(spec, schema, format_validators, extra_format_validators, **flags)
        key = (schema.parts, tuple(sorted(flags.items())))
        validator = self._built.get(key)
        if validator is None:
            validator = self._factory.create(spec, schema, **flags)
            with self._lock:
                validator = self._built.setdefault(key, validator)
        return validator


class SpecRequest:
    """openapi-core request protocol, for a request routed by SpecRouter."""

    host_url = _SERVER_HOST

    def __init__(
        self,
        method: str,
        template: str,
        path_params: Mapping[str, str],
        query: Mapping | None = None,
        headers: Mapping | Headers | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ):
        self.method = method.lower()
        self.path = self.path_pattern = _SERVER_PREFIX + template
        if not isinstance(query, ImmutableMultiDict):
            query = ImmutableMultiDict(
                [(k, v) for k, vs in (query or {}).items() for v in (vs if isinstance(vs, list) else [vs])]
            )
        self.parameters = RequestParameters(
            path=dict(path_params),
            query=query,
            header=Headers(headers or {}),
            cookie=ImmutableMultiDict(),
        )
        self.body = body or None
        self.content_type = (content_type or "application/octet-stream").lower()


class SpecResponse:
    """openapi-core response protocol."""

    def __init__(self, status_code: int, data: bytes | None, headers: Mapping | Headers | None = None,
                 content_type: str = "application/json"):
        self.status_code = status_code
        self.data = data
        self.headers = Headers(headers or {})
        self.content_type = content_type.lower()


def describe_error(exc: BaseException) -> str:
    """A one-line reason from an openapi-core error and its schema errors."""
    msg = str(exc)
    cause = exc.__cause__
    while cause is not None:
        errors = getattr(cause, "schema_errors", None)
        if errors:
            details = []
            for err in errors:
                where = "/".join(str(p) for p in err.absolute_path)
                details.append(f"{where}: {err.message}" if where else err.message)
            text, joined = str(cause), "; ".join(details)
            return msg.replace(text, joined) if text and text in msg else f"{msg}: {joined}"
        if str(cause) and str(cause) not in msg:
            msg = f"{msg}: {cause}"
        cause = cause.__cause__
    return msg


class Spec:
    """A loaded (by default mended) spec with its router and validators."""

    def __init__(self, data: dict | None = None, mend: bool = True):
        self.data = data if data is not None else load_spec_dict(mend=mend)
        self.router = SpecRouter(self.data["paths"])
        self.error_keyed = error_keyed_statuses(self.data)
        config = Config(
            path_finder_cls=_KnownPathFinder,
            request_validator_cls=_NoSecurityRequestValidator,
        )
        self.openapi = OpenAPI(SchemaPath.from_dict(self.data), config=config)
        # Build the validators now, not on the first request; each builds a schema's validator once.
        for validator in (self.openapi.request_validator, self.openapi.response_validator):
            validator.schema_validators_factory = _SchemaValidatorCache(validator.schema_validators_factory)

    def iter_request_errors(self, request: SpecRequest) -> Iterator[BaseException]:
        return self.openapi.request_validator.iter_errors(request)

    def request_violation(self, request: SpecRequest) -> str | None:
        """The validator's reasons for rejecting the request, or None."""
        errors = [describe_error(e) for e in self.iter_request_errors(request)]
        return "; ".join(errors) if errors else None

    def response_errors(self, request: SpecRequest, response: SpecResponse) -> list[str]:
        return [describe_error(e) for e in self.openapi.response_validator.iter_errors(request, response)]

    def response_violation(self, request: SpecRequest, status: int, content: bytes, headers: Mapping,
                           content_type: str | None) -> str | None:
        """Why an answer breaks the spec, or None. A status the operation does not declare is
        accepted when it is one of the documented deviations (UNDECLARED_STATUSES) with a
        ``{"message": str}`` body, as the live service answers them."""
        content_type = (content_type or "").split(";")[0].strip().lower()
        errors = self.response_errors(request, SpecResponse(status, content, headers,
                                                            content_type or "application/octet-stream"))
        if errors == [f"Unknown response http status: {status}"]:
            if status not in UNDECLARED_STATUSES:
                return f"status {status} is not declared for {request.method.upper()} {request.path_pattern[len(_SERVER_PREFIX):]}"
            return _message_body_problem(status, content, content_type)
        return "; ".join(errors) if errors else None


# Statuses the emulator answers although an operation may not declare them, as the live service
# does (docs/dev/API-BEHAVIOUR.md): bad input, authentication, a foreign or missing object, a
# duplicate, and the fault injection's answers. Such an answer carries {"message": str}.
UNDECLARED_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504})


def _message_body_problem(status: int, content: bytes, content_type: str) -> str | None:
    if content_type != "application/json":
        return f"status {status} (not declared) answered {content_type or 'no content type'}, not JSON"
    try:
        body = json.loads(content)
    except ValueError:
        return f"status {status} (not declared) answered a body that is not JSON"
    if not (isinstance(body, dict) and set(body) == {"message"} and isinstance(body["message"], str)):
        return f"status {status} (not declared) answered {body!r}, not {{'message': str}}"
    return None


@lru_cache(maxsize=4)
def get_spec(mend: bool = True) -> Spec:
    return Spec(mend=mend)
