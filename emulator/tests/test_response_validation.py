"""The emulator checks its own answers against the spec (``validate_responses``, on by default).

An answer the spec rejects is sent as it is, and its reason lands in the request log entry as
``response_violation``: a run against the emulator (an integration target) can then assert that
every answer it got was valid, which the test suite's own response hook (conftest.py) cannot see.
The broken handlers below are driven through Flask's test client, which conftest's hook on
``requests`` does not see (it would refuse the broken answers first).
"""

from __future__ import annotations

from circleci_emulator import cli
from circleci_emulator.app import create_app
from circleci_emulator.spec import UNDECLARED_STATUSES

from conftest import UNDECLARED_OK

TOKEN = {"Circle-Token": "emulator-token"}


def _app(**kwargs):
    app = create_app(**kwargs)
    return app, app.extensions["circleci_emulator"]


def _log(rt):
    return rt.log.entries()


def test_valid_answers_leave_no_violation(api):
    ctx = api.create_context("validated")
    assert api.get(f"/context/{ctx['id']}").status_code == 200
    assert api.get("/project/gh/acme/api").status_code == 200
    assert api.get("/project/gh/acme/nope").status_code == 404  # undeclared there? a {"message"} body either way
    assert api.post("/context", json={"name": 5}).status_code == 400
    assert api.get("/me", headers={"Circle-Token": "wrong"}).status_code == 401
    entries = api.log()
    assert len(entries) == 6
    assert [e for e in entries if "response_violation" in e] == []


def test_an_answer_of_the_wrong_shape_is_logged_and_sent_as_it_is():
    app, rt = _app()
    rt.routes[("get", "/me")] = lambda call: {"id": 5, "login": "ada"}  # id is a UUID string, name missing
    answer = app.test_client().get("/api/v2/me", headers=TOKEN)
    assert answer.status_code == 200 and answer.get_json() == {"id": 5, "login": "ada"}
    entry = _log(rt)[-1]
    assert entry["operation_id"] == "getCurrentUser"
    assert "response_violation" in entry and "id" in entry["response_violation"], entry


def test_an_undeclared_status_is_a_violation_unless_a_documented_deviation_with_a_message():
    # GET /deploy/environments declares 200, 400, 404 and 500, and no default answer
    app, rt = _app()
    client = app.test_client()
    route = ("get", "/deploy/environments")
    url = "/api/v2/deploy/environments?org-id=" + "a" * 8 + "-0000-4000-8000-000000000000"
    rt.routes[route] = lambda call: (418, {"message": "teapot"})
    client.get(url, headers=TOKEN)
    assert _log(rt)[-1]["response_violation"] == "status 418 is not declared for GET /deploy/environments"
    rt.routes[route] = lambda call: (409, {"message": "taken"})
    client.get(url, headers=TOKEN)
    assert "response_violation" not in _log(rt)[-1]
    rt.routes[route] = lambda call: (409, {"error": "taken"})
    client.get(url, headers=TOKEN)
    assert _log(rt)[-1]["response_violation"] == "status 409 (not declared) answered {'error': 'taken'}, not {'message': str}"


def test_without_validate_responses_nothing_is_checked():
    app, rt = _app(validate_responses=False)
    rt.routes[("get", "/me")] = lambda call: {"id": 5}
    app.test_client().get("/api/v2/me", headers=TOKEN)
    assert "response_violation" not in _log(rt)[-1]


def test_health_says_whether_answers_are_checked():
    for validate in (True, False):
        app, _rt = _app(validate_responses=validate)
        assert app.test_client().get("/_emulator/health").get_json()["validate_responses"] is validate


def test_the_cli_switch():
    assert cli.parse_args([]).validate_responses is True
    assert cli.parse_args(["--no-validate-responses"]).validate_responses is False


def test_the_deviations_are_those_the_suite_accepts():
    assert UNDECLARED_STATUSES == frozenset(UNDECLARED_OK)
