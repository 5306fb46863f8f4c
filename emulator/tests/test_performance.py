"""Validation is built once and stays cheap: thousands of requests per test run are fine."""

import json
import threading
import time

import requests
from werkzeug.datastructures import Headers, ImmutableMultiDict

from circleci_emulator.spec import SpecRequest, get_spec


def test_spec_is_built_once():
    assert get_spec() is get_spec()


def test_300_validated_requests_are_fast(api):
    ctx = api.create_context()
    started = time.monotonic()
    for i in range(100):
        assert api.put(f"/context/{ctx['id']}/environment-variable/V{i}", json={"value": "x"}).status_code == 200
        assert api.get(f"/context/{ctx['id']}").status_code == 200
        assert api.get("/project/gh/acme/api").status_code == 200
    elapsed = time.monotonic() - started
    # ~2-4 ms per request round trip here, including the suite's own response validation
    assert elapsed < 10, elapsed


def test_concurrent_writers(api):
    ctx = api.create_context()
    errors = []

    def writer(n):
        session = requests.Session()
        session.headers["Circle-Token"] = "emulator-token"
        for i in range(25):
            r = session.put(f"{api.emu.url}/context/{ctx['id']}/environment-variable/T{n}_{i}", json={"value": "v"})
            if r.status_code != 200:
                errors.append(r.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    variables = next(c for c in api.state()["contexts"] if c["id"] == ctx["id"])["env_vars"]
    assert len(variables) == 200
    seen, token = [], None
    while True:
        body = api.get(f"/context/{ctx['id']}/environment-variable", params={"page-token": token} if token else {}).json()
        seen += [i["variable"] for i in body["items"]]
        token = body["next_page_token"]
        if not token:
            break
    assert sorted(seen) == sorted(variables) and len(seen) == 200


def test_a_validator_built_once_still_judges_each_request_and_answer(api):
    """The validators of a schema are reused (spec._SchemaValidatorCache): a request or an answer
    that breaks the schema is still caught after many valid ones of the same operation."""
    spec = get_spec()
    headers = Headers({"Content-Type": "application/json"})
    ctx = api.create_context()
    good = api.put(f"/context/{ctx['id']}/environment-variable/FOO", json={"value": "x"}).json()
    routed = spec.router.match("PUT", f"/context/{ctx['id']}/environment-variable/FOO")

    def put(body):
        return SpecRequest("PUT", routed.template, routed.params, query=ImmutableMultiDict(), headers=headers,
                           body=json.dumps(body).encode(), content_type="application/json")

    for _ in range(3):
        assert spec.request_violation(put({"value": "x"})) is None
        assert spec.response_violation(put({"value": "x"}), 200, json.dumps(good).encode(), headers, "application/json") is None
    built = len(spec.openapi.request_validator.schema_validators_factory._built)
    assert "value" in spec.request_violation(put({"other": "x"}))
    assert "variable" in spec.response_violation(put({"value": "x"}), 200, json.dumps(dict(good, variable=5)).encode(),
                                                 headers, "application/json")
    assert spec.request_violation(put({"value": "x"})) is None
    assert len(spec.openapi.request_validator.schema_validators_factory._built) == built  # nothing built again
