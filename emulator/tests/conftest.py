"""Fixtures, and the hook that validates EVERY emulator response against the spec.

``requests.Session.send`` is wrapped for the whole session: each answer to a
request under /api/v2 on a loopback host is checked with openapi-core's
response validation against the mended spec, and each answer of the
self-hosted runner API (/api/v3, /api/v2/runner) against its description
(data/runner-api.json). A status the description does not
declare for the operation must be one of the documented deviations
(UNDECLARED_OK) with a ``{"message": str}`` body (or an HTML 502/503/504).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from circleci_emulator import Emulator
from circleci_emulator.runner_schema import get_runner_api
from circleci_emulator.spec import SpecRequest, SpecResponse, get_spec

TOKEN = "emulator-token"

# Statuses the emulator may answer although the operation does not declare them
# (the live service does the same; see docs/dev/API-BEHAVIOUR.md and the emulator README).
UNDECLARED_OK = {
    400: "strict validation / bad input",
    401: "bad token",
    403: "missing or foreign context",
    404: "unknown or unimplemented path, missing entity",
    405: "a method the server does not serve on any path (TRACE, ...), with Allow",
    409: "duplicate",
    429: "fault injection",
    500: "fault injection",
    502: "fault injection",
    503: "fault injection",
    504: "fault injection",
}

VALIDATED: list[tuple[str, str, int]] = []
_original_send = requests.Session.send


class ResponseViolation(AssertionError):
    pass


def check_response(prepared: requests.PreparedRequest, status: int, content: bytes, headers) -> None:
    url = urlsplit(prepared.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        return
    if url.path.startswith(("/api/v3", "/api/v2/runner")):
        check_runner_response(prepared, status, content, headers)
        return
    if not url.path.startswith("/api/v2"):
        return
    spec = get_spec()
    method = prepared.method.lower()
    raw = url.path[len("/api/v2"):]
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
    if status in (502, 503, 504) and content_type == "text/html":
        VALIDATED.append((method, raw, status))  # a gateway's page, not the API's answer
        return
    match = spec.router.match(method, raw)
    if match.template is None or not match.method_known:
        if status not in UNDECLARED_OK:
            raise ResponseViolation(f"{method.upper()} {raw}: not in the spec, answered {status}")
        _check_message_body(method, raw, status, content, content_type)
        VALIDATED.append((method, raw, status))
        return
    request = SpecRequest(method, match.template, match.params, query=parse_qs(url.query, keep_blank_values=True),
                          headers=dict(prepared.headers), body=prepared.body,
                          content_type=prepared.headers.get("Content-Type"))
    response = SpecResponse(status, content, dict(headers), content_type or "application/octet-stream")
    errors = spec.response_errors(request, response)
    if errors == [f"Unknown response http status: {status}"]:
        if status not in UNDECLARED_OK:
            raise ResponseViolation(f"{method.upper()} {match.template}: undeclared status {status}")
        _check_message_body(method, raw, status, content, content_type)
    elif errors:
        raise ResponseViolation(f"{method.upper()} {match.template} {status}: {'; '.join(errors)}")
    VALIDATED.append((method, match.template, status))


def check_runner_response(prepared: requests.PreparedRequest, status: int, content: bytes, headers) -> None:
    path = urlsplit(prepared.url).path
    raw = path[len("/api/v3"):] if path.startswith("/api/v3") else path[len("/api/v2"):]
    method = prepared.method.lower()
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
    api = get_runner_api()
    match = api.match(method, raw)
    if status in (502, 503, 504) and content_type == "text/html":
        errors = []
    elif match.operation is None:
        errors = [f"Unknown response http status: {status}"]
    else:
        errors = api.response_errors(match.operation, status, json.loads(content) if content else None)
    if errors == [f"Unknown response http status: {status}"]:
        if status not in UNDECLARED_OK:
            raise ResponseViolation(f"runner {method.upper()} {raw}: undeclared status {status}")
        _check_message_body(method, raw, status, content, content_type)
    elif errors:
        raise ResponseViolation(f"runner {method.upper()} {raw} {status}: {'; '.join(errors)}")
    VALIDATED.append((method, "runner " + (match.operation.template if match.operation else raw), status))


def _check_message_body(method, raw, status, content, content_type):
    if method == "head":  # no body, by definition
        return
    if content_type != "application/json":
        if status in (502, 503, 504):
            return
        raise ResponseViolation(f"{method.upper()} {raw} {status}: not JSON ({content_type})")
    body = json.loads(content)
    if not (isinstance(body, dict) and set(body) == {"message"} and isinstance(body["message"], str)):
        raise ResponseViolation(f"{method.upper()} {raw} {status}: body {body!r} is not {{'message': str}}")


def _validating_send(self, request, **kwargs):
    response = _original_send(self, request, **kwargs)
    check_response(request, response.status_code, response.content, response.headers)
    return response


def pytest_configure(config):
    requests.Session.send = _validating_send


def pytest_unconfigure(config):
    requests.Session.send = _original_send


# ---------------------------------------------------------------- fixtures


class Api:
    """A requests session on an emulator, with the token set."""

    def __init__(self, emu: Emulator, token: str | None = TOKEN):
        self.emu = emu
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Circle-Token"] = token

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.emu.url + path, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # admin API
    def admin(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, self.emu.base + "/_emulator" + path, timeout=30, **kwargs)

    def log(self) -> list[dict]:
        return self.admin("GET", "/requests").json()

    def state(self) -> dict:
        return self.admin("GET", "/state").json()

    def faults(self, **changes) -> dict:
        r = self.admin("PUT", "/faults", json=changes)
        assert r.status_code == 200, r.text
        return r.json()

    def create_context(self, name: str = "deploy", owner: dict | None = None) -> dict:
        r = self.post("/context", json={"name": name, "owner": owner or {"slug": "gh/acme", "type": "organization"}})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def emu():
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def api(emu):
    client = Api(emu)
    client.admin("POST", "/reset")
    yield client
    client.session.close()
