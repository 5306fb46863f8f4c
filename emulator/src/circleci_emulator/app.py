"""The Flask application: the /api/v2 dispatcher and the /_emulator/ admin API.

Every request under /api/v2 goes through ``dispatch``: fault injection and
latency, routing against the spec, OpenAPI validation (strict: 400), token
authentication (401), then the area handler with the store lock held. Each
one leaves an entry in the request log (an injected fault adds ``fault`` and
``fault_stage``, and ``handler_status`` when the request was processed).
"""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from flask import Flask, Response, current_app, request

from . import runner_app
from .admin import admin
from .api import Call, all_routes
from .errors import ApiError, bad_request, json_response, not_found, unauthorized
from .faults import Faults
from .reqlog import RequestLog
from .spec import Spec, SpecRequest, get_spec
from .store import Store

API_PREFIX = "/api/v2"
EXTENSION = "circleci_emulator"
QUERY_AUTH = ("Support for query parameter authentication has been deprecated to improve security. "
              "Please use a supported authentication method such as header-based, or basic authentication.")
ERROR_BODIES = {
    500: ("application/json", json.dumps({"message": "Internal server error."})),
    502: ("text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>\n"),
    503: ("text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>\n"),
    504: ("text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>\n"),
}

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a running emulator holds; ``app.extensions["circleci_emulator"]``."""

    store: Store
    spec: Spec
    faults: Faults
    page_size: int = 20
    strict: bool = True
    validate_responses: bool = True
    log: RequestLog = field(default_factory=RequestLog)
    routes: dict = field(default_factory=all_routes)

    def reset(self, seed: dict | None = None) -> None:
        self.store.reset(seed)
        self.log.clear()
        self.faults.reset()


def runtime() -> Runtime:
    return current_app.extensions[EXTENSION]


def create_app(seed: dict | None = None, *, page_size: int = 20, latency_ms: int = 0, strict: bool = True,
               validate_responses: bool = True) -> Flask:
    spec = get_spec()
    rt = Runtime(store=Store(seed), spec=spec, faults=Faults(latency_ms), page_size=page_size, strict=strict,
                 validate_responses=validate_responses)
    for method, template in rt.routes:
        if method not in spec.data["paths"].get(template, {}):
            raise ValueError(f"handler for {method.upper()} {template}, which the spec does not have")

    app = Flask(__name__)
    app.extensions[EXTENSION] = rt
    app.register_blueprint(admin)
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    for rule, endpoint in ((API_PREFIX, "api_root"), (f"{API_PREFIX}/<path:rest>", "api")):
        app.add_url_rule(rule, endpoint, dispatch, methods=methods, provide_automatic_options=False)
    runner_app.register(app, dispatch, _authenticate)  # the self-hosted runner API: /api/v3, /api/v2/runner

    @app.errorhandler(404)
    def _not_found(_exc):
        return json_response(404, {"message": "Not found"})

    @app.errorhandler(405)
    def _not_allowed(exc):
        # RFC 9110: a 405 names the methods the resource has
        allowed = ", ".join(sorted(getattr(exc, "valid_methods", None) or []))
        return json_response(405, {"message": "Method not allowed"}, {"Allow": allowed} if allowed else None)

    return app


# ---------------------------------------------------------------- dispatcher


def dispatch(rest: str = "", process=None, prefix: str = API_PREFIX, api: str | None = None) -> Response:
    """One API request. `process` (default: API v2's), `prefix` and `api` (a name the log entry
    carries) are set for another API served on the same port: runner_app.py."""
    rt = runtime()
    raw_path = _raw_api_path(prefix)
    entry = {
        "method": request.method,
        "path": raw_path,
        "query": {key: request.args.getlist(key) for key in request.args},
        "body": _logged_body(),
        "status": None,
        "operation_id": None,
    }
    if api is not None:
        entry["api"] = api
    limited_for = rt.faults.rate_limited()
    if limited_for is None:
        fault, stage, config = rt.faults.draw_stage()
        retry_after = config["retry_after"]
    else:  # a rate_limit_for period: every request waits out what is left of it
        fault, stage, config = "429", "before", rt.faults.get()
        retry_after = limited_for
    if config["latency_ms"]:
        time.sleep(config["latency_ms"] / 1000)
    if fault == "429":
        response = json_response(429, {"message": "Rate limit exceeded."},
                                 {"Retry-After": "%g" % retry_after})
    elif fault is not None and fault != "drop" and stage == "before":
        response = _error_response(int(fault), config)
    else:
        response = (process or _process)(rt, raw_path, entry)
        if fault is not None and fault != "drop":  # processed, then the answer is an error
            entry["handler_status"] = response.status_code
            response = _error_response(int(fault), config)
        elif fault == "drop":
            entry["handler_status"] = response.status_code
    if fault is not None:
        # fault_stage "before": refused, nothing processed; "after": processed, and the client
        # never saw the handler's answer (handler_status): dropped, or replaced by the 5xx
        entry["fault"] = fault
        entry["fault_stage"] = stage
    entry["status"] = response.status_code
    rt.log.append(entry)
    if fault == "drop":
        _drop_connection()
    return response


def _error_response(status: int, config: dict) -> Response:
    mimetype, text = ERROR_BODIES.get(status, ERROR_BODIES[500])
    response = Response(text, status=status, mimetype=mimetype)
    if config.get("error_retry_after") is not None:
        response.headers["Retry-After"] = "%g" % config["error_retry_after"]
    return response


def _process(rt: Runtime, raw_path: str, entry: dict) -> Response:
    """The handler's answer; with validate_responses, an answer the spec rejects leaves its reason
    in the log entry as ``response_violation`` (the answer is sent as it is)."""
    checked: dict = {}
    response = _answer(rt, raw_path, entry, checked)
    if rt.validate_responses and "request" in checked:
        violation = rt.spec.response_violation(checked["request"], response.status_code, response.get_data(),
                                               response.headers, response.content_type)
        if violation:
            entry["response_violation"] = violation
    return response


def _answer(rt: Runtime, raw_path: str, entry: dict, checked: dict) -> Response:
    match = None
    try:
        match = rt.spec.router.match(request.method, raw_path)
        entry["operation_id"] = match.operation_id
        if match.template is None:
            entry["violation"] = f"No path of the spec matches {raw_path}"
            raise not_found()
        if not match.method_known:
            entry["violation"] = f"The spec has no {request.method} operation on {match.template}"
            raise not_found()
        body = request.get_data()
        _check_utf8(body, entry)
        checked["request"] = SpecRequest(
            request.method, match.template, match.params, query=request.args,
            headers=request.headers, body=body, content_type=request.content_type,
        )
        violation = rt.spec.request_violation(checked["request"])
        if violation:
            entry["violation"] = violation
        with rt.store.lock:
            user = _authenticate(rt)
            if violation and rt.strict:
                raise bad_request(violation)
            handler = rt.routes.get((request.method.lower(), match.template))
            if handler is None:
                raise not_found()
            call = Call(rt.store, user, request.args, _parse_json(body), rt.page_size,
                        float(rt.faults.get()["pipeline_step_seconds"]))
            kwargs = {name.replace("-", "_"): value for name, value in match.params.items()}
            result = handler(call, **kwargs)
    except ApiError as err:
        if match is not None and err.status in rt.spec.error_keyed.get((request.method.lower(), match.template), ()):
            err.key = "error"  # OIDC and policy operations answer {"error": "..."}
        return json_response(err.status, err.body(), err.headers)
    except Exception as exc:  # a bug: answer like the service would, keep the trace
        log.exception("handler failed for %s %s", request.method, raw_path)
        entry["error"] = repr(exc)
        return Response(ERROR_BODIES[500][1], status=500, mimetype="application/json")
    if isinstance(result, tuple):
        status, body_out, *headers = result
        return json_response(status, body_out, headers[0] if headers else None)
    return json_response(200, result)


def _check_utf8(body: bytes, entry: dict) -> None:
    """A body that is not UTF-8 is no JSON at all: 400 before anything else reads it (authentication
    included, as a gateway's body parsing comes first)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        entry["violation"] = f"The request body is not UTF-8 (byte {exc.start})"
        raise bad_request("The request body is not valid UTF-8 JSON.") from None


def _authenticate(rt: Runtime):
    token = request.headers.get("Circle-Token")
    auth = request.authorization
    if not token and auth is not None and auth.type == "basic":
        token = auth.username
    if not token:
        raise unauthorized(QUERY_AUTH if "circle-token" in request.args else "You must log in first.")
    user = rt.store.tokens.get(token)
    if user is None:
        raise unauthorized()
    return user


def _raw_api_path(prefix: str = API_PREFIX) -> str:
    """The path after the prefix (/api/v2), still percent-encoded as the client sent it."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        raw = raw.split("?", 1)[0]
        if "://" in raw:
            raw = urlsplit(raw).path
    else:
        raw = quote(request.path, safe="/:@!$&'()*+,;=-._~")
    return raw[len(prefix):] if raw.startswith(prefix) else raw


def _parse_json(data: bytes):
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _logged_body():
    data = request.get_data(cache=True)
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def _drop_connection() -> None:
    """Close the client's TCP connection now: the answer is lost."""
    sock = request.environ.get("werkzeug.socket")
    if sock is None:  # e.g. Flask's test client
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
