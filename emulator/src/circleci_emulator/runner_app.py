"""Serving the self-hosted runner API on the emulator's port, beside API v2.

The live runner API is another host (``runner.circleci.com/api/v3``); the emulator answers it
under ``/api/v3`` and, as the runner host does for circleci-cli (which puts its ``api/v2``
prefix on the runner host), under ``/api/v2/runner``. Its requests go through ``app.dispatch``
like every API v2 request (faults, latency, the request log, where their entries carry
``"api": "runner"``), and are processed here: routing and validation against
``data/runner-api.json`` (``runner_schema.py``; strict mode answers 400 and logs the
violation), the same token authentication, then the handlers of ``api/runner.py``.
"""

from __future__ import annotations

import functools
import json
import logging

from flask import Flask, Response, request

from .api.routing import Call
from .api.runner import routes
from .errors import ApiError, bad_request, json_response, not_found
from .runner_schema import get_runner_api

API = "runner"
# (URL rule prefix, the prefix the logged path is relative to)
RULES = (
    ("/api/v3", "/api/v3"),
    ("/api/v2/runner", "/api/v2"),
)
INTERNAL_ERROR = json.dumps({"message": "Internal server error."})

log = logging.getLogger(__name__)


def check_routes() -> None:
    """Every handler serves an operation of the runner API description."""
    described = get_runner_api().templates()
    for method, template in routes.table:
        if (method, template) not in described:
            raise ValueError(f"runner handler for {method.upper()} {template}, which data/runner-api.json does not have")


def register(app: Flask, dispatch, authenticate) -> None:
    """Add the runner API's URL rules to the app: `dispatch` is app.dispatch, `authenticate`
    the API v2 token check (the runner API takes the same tokens)."""
    check_routes()
    process = functools.partial(_process, authenticate=authenticate)
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    for index, (rule, prefix) in enumerate(RULES):
        view = functools.partial(dispatch, process=process, prefix=prefix, api=API)
        for suffix, endpoint in (("", "root"), ("/<path:rest>", "path")):
            app.add_url_rule(rule + suffix, f"runner_{endpoint}_{index}", view, methods=methods,
                             provide_automatic_options=False)


def _process(rt, raw_path: str, entry: dict, authenticate) -> Response:
    api = get_runner_api()
    try:
        match = api.match(request.method, raw_path)
        if match.operation is None:
            entry["violation"] = (f"The runner API has no {request.method} operation on {raw_path}" if match.path_known
                                  else f"No path of the runner API matches {raw_path}")
            raise not_found()
        op = match.operation
        entry["operation_id"] = op.operation_id
        body = request.get_data()
        violation = api.request_violation(op, request.args, body, request.content_type)
        if violation:
            entry["violation"] = violation
        with rt.store.lock:
            user = authenticate(rt)
            if violation and rt.strict:
                raise bad_request(violation)
            call = Call(rt.store, user, request.args, _parse_json(body), rt.page_size)
            kwargs = {name.replace("-", "_"): value for name, value in match.params.items()}
            result = routes.table[(op.method, op.template)](call, **kwargs)
    except ApiError as err:
        return json_response(err.status, err.body(), err.headers)
    except Exception as exc:  # a bug: answer like the service would, keep the trace
        log.exception("runner handler failed for %s %s", request.method, raw_path)
        entry["error"] = repr(exc)
        return Response(INTERNAL_ERROR, status=500, mimetype="application/json")
    if isinstance(result, tuple):
        status, body_out = result
        return json_response(status, body_out)
    return json_response(200, result)


def _parse_json(data: bytes):
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None
