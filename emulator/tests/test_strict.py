import pytest

from circleci_emulator import Emulator
from conftest import Api


def test_spec_invalid_body_is_400_and_logged(api):
    r = api.post("/context", json={"owner": {"slug": "gh/acme", "type": "organization"}})
    assert r.status_code == 400
    assert r.json() == {"message": "Request body validation error: 'name' is a required property"}
    assert api.state()["contexts"] == []
    (entry,) = api.log()
    assert entry["status"] == 400
    assert entry["violation"] == r.json()["message"]


def test_extra_property_is_400_in_strict_mode(api):
    ctx = api.create_context()
    r = api.put(f"/context/{ctx['id']}/environment-variable/FOO", json={"value": "x", "sneaky": True})
    assert r.status_code == 400
    assert "sneaky" in r.json()["message"]


def test_bad_query_parameter_is_400(api):
    r = api.get("/context", params={"owner-slug": "gh/acme", "owner-type": "team"})
    assert r.status_code == 400
    assert "owner-type" in r.json()["message"]


def test_valid_requests_have_no_violation(api):
    ctx = api.create_context()
    api.put(f"/context/{ctx['id']}/environment-variable/FOO", json={"value": "x"})
    assert all("violation" not in e for e in api.log())


def test_unauthenticated_invalid_request_is_401_but_violation_logged(api):
    r = Api(api.emu, token=None).post("/context", json={"owner": {"slug": "gh/acme"}})
    assert r.status_code == 401
    assert "name" in api.log()[-1]["violation"]


def test_path_not_in_spec_is_404_with_violation(api):
    r = api.get("/contexts")
    assert r.status_code == 404
    assert r.json() == {"message": "Not found"}
    assert "No path" in api.log()[-1]["violation"]
    for method in ("PATCH", "OPTIONS", "HEAD"):
        r = api.request(method, "/me")
        assert r.status_code == 404
        assert method in api.log()[-1]["violation"]


def test_unimplemented_spec_path_is_plain_404(api):
    # an operation of the spec without a handler (every one has one once the spec is covered:
    # take one away for the length of the test)
    routes = api.emu.runtime.routes
    handler = routes.pop(("get", "/deploy/components"))
    try:
        r = api.get("/deploy/components", params={"org-id": "a0000000-0000-4000-8000-000000000001", "page-size": 5})
    finally:
        routes[("get", "/deploy/components")] = handler
    assert r.status_code == 404
    assert r.json() == {"message": "Not found"}
    entry = api.log()[-1]
    assert entry["operation_id"] == "listComponents"
    assert "violation" not in entry


@pytest.fixture(scope="module")
def lax():
    with Emulator(strict=False) as emulator:
        yield emulator


def test_no_strict_serves_and_logs(lax):
    api = Api(lax)
    api.admin("POST", "/reset")
    ctx = api.create_context()
    r = api.put(f"/context/{ctx['id']}/environment-variable/FOO", json={"value": "x", "sneaky": True})
    assert r.status_code == 200
    assert r.json()["variable"] == "FOO"
    entry = api.log()[-1]
    assert entry["status"] == 200 and "sneaky" in entry["violation"]
    assert api.state()["contexts"][0]["env_vars"]["FOO"]["value"] == "x"


def test_no_strict_still_rejects_what_the_service_rejects(lax):
    api = Api(lax)
    api.admin("POST", "/reset")
    r = api.post("/context", json={"owner": {"slug": "gh/acme"}})
    assert r.status_code == 400
    assert r.json() == {"message": "name is required."}
    assert "name" in api.log()[-1]["violation"]
