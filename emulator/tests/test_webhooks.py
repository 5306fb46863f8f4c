import pytest

from circleci_emulator import Emulator, seed
from conftest import Api
from test_project_envvars import foreign_seed

SCOPE = {"id": seed.ACME_API_PROJECT_ID, "type": "project"}
LIST = {"scope-id": seed.ACME_API_PROJECT_ID, "scope-type": "project"}


def payload(**changes):
    body = {"name": "notify", "events": ["workflow-completed", "job-completed"], "url": "https://hooks.example.com/x",
            "verify-tls": True, "signing-secret": "s3cr3t", "scope": SCOPE}
    body.update(changes)
    return body


def create(api, **changes):
    r = api.post("/webhook", json=payload(**changes))
    assert r.status_code == 201, r.text
    return r.json()


def hook_state(api, hook_id):
    return next(w for w in api.state()["webhooks"] if w["id"] == hook_id)


def test_create(api):
    hook = create(api)
    assert set(hook) == {"id", "scope", "name", "events", "url", "verify-tls", "signing-secret",
                         "created-at", "updated-at"}
    assert hook["scope"] == SCOPE and hook["name"] == "notify" and hook["verify-tls"] is True
    assert hook["signing-secret"] == "****"
    assert sorted(hook["events"]) == ["job-completed", "workflow-completed"]
    state = hook_state(api, hook["id"])
    assert state["signing_secret"] == "s3cr3t"
    assert state["project_slug"] == "gh/acme/api" and state["verify_tls"] is True
    assert api.get(f"/webhook/{hook['id']}").json() == hook


def test_event_order_is_not_kept(api):
    orders = [["workflow-completed", "job-completed"], ["job-completed", "workflow-completed"]]
    answered = [create(api, name=f"h{i}", events=events)["events"] for i, events in enumerate(orders)]
    assert answered[0] == answered[1]  # one fixed order, whatever was sent
    assert create(api, name="dup", events=["job-completed", "job-completed"])["events"] == ["job-completed"]


def test_list(api):
    ids = [create(api, name=f"h{i}")["id"] for i in range(23)]
    create(api, name="elsewhere", scope={"id": seed.ACME_WEB_PROJECT_ID, "type": "project"})
    first = api.get("/webhook", params=LIST).json()
    second = api.get("/webhook", params=dict(LIST, **{"page-token": first["next_page_token"]})).json()
    assert [h["id"] for h in first["items"] + second["items"]] == ids
    assert second["next_page_token"] is None
    assert all(h["signing-secret"] == "****" for h in first["items"])


def test_list_needs_the_scope(api):
    assert api.get("/webhook", params={"scope-id": seed.ACME_API_PROJECT_ID}).status_code == 400
    assert api.get("/webhook", params={"scope-id": "d0000000-0000-4000-8000-00000000dead",
                                       "scope-type": "project"}).status_code == 404


@pytest.mark.parametrize("url", ["http://hooks.example.com/x", "ftp://x", "hooks.example.com", "https://"])
def test_https_required(api, url):
    r = api.post("/webhook", json=payload(url=url))
    assert r.status_code == 400 and "https" in r.json()["message"]
    assert api.state()["webhooks"] == []


def test_bad_events(api):
    assert api.post("/webhook", json=payload(events=[])).status_code == 400
    assert api.post("/webhook", json=payload(events=["build-completed"])).status_code == 400


def test_unknown_scope_project_is_404(api):
    r = api.post("/webhook", json=payload(scope={"id": "d0000000-0000-4000-8000-00000000dead", "type": "project"}))
    assert r.status_code == 404


def test_misspelt_secret_on_create_is_400_in_strict_mode(api):
    body = payload()
    body["signing_secret"] = body.pop("signing-secret")
    r = api.post("/webhook", json=body)
    assert r.status_code == 400 and "signing-secret" in r.json()["message"]


def test_put_replaces_whole_webhook_and_drops_the_secret(api):
    hook = create(api)
    r = api.put(f"/webhook/{hook['id']}", json={"name": "renamed", "events": ["job-completed"],
                                                 "url": "https://other.example.com/", "verify-tls": False})
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "renamed" and body["events"] == ["job-completed"] and body["verify-tls"] is False
    assert body["signing-secret"] == "" and body["created-at"] == hook["created-at"]
    assert body["updated-at"] > hook["updated-at"]
    assert hook_state(api, hook["id"])["signing_secret"] is None


def test_put_with_misspelt_secret_silently_loses_it(api):
    hook = create(api)
    body = {"name": "notify", "events": ["job-completed"], "url": "https://hooks.example.com/x",
            "verify-tls": True, "signing_secret": "new-secret"}
    r = api.put(f"/webhook/{hook['id']}", json=body)
    assert r.status_code == 200  # the spec allows unknown keys here: no violation, no error
    assert "violation" not in api.log()[-1]
    assert r.json()["signing-secret"] == ""
    assert hook_state(api, hook["id"])["signing_secret"] is None


def test_put_keeps_the_secret_when_resent(api):
    hook = create(api)
    body = {"name": "notify", "events": ["job-completed"], "url": "https://hooks.example.com/x",
            "verify-tls": True, "signing-secret": "rotated"}
    assert api.put(f"/webhook/{hook['id']}", json=body).json()["signing-secret"] == "****"
    assert hook_state(api, hook["id"])["signing_secret"] == "rotated"


def test_put_needs_a_whole_webhook(api):
    hook = create(api)
    r = api.put(f"/webhook/{hook['id']}", json={"name": "renamed"})
    assert r.status_code == 400
    assert api.get(f"/webhook/{hook['id']}").json() == hook
    r = api.put(f"/webhook/{hook['id']}", json={"name": "n", "events": ["job-completed"], "verify-tls": True,
                                                 "url": "http://plain.example.com"})
    assert r.status_code == 400


def test_delete(api):
    hook = create(api)
    r = api.delete(f"/webhook/{hook['id']}")
    assert r.status_code == 200 and r.json() == {"message": "Webhook deleted."}
    assert api.get(f"/webhook/{hook['id']}").status_code == 404
    assert api.delete(f"/webhook/{hook['id']}").status_code == 404
    assert api.put(f"/webhook/{hook['id']}", json=payload()).status_code == 404
    assert api.state()["webhooks"] == []


def test_foreign_project_webhooks_are_hidden(api):
    other = {"id": "b0000000-0000-4000-8000-000000000101", "type": "project"}
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    try:
        assert api.post("/webhook", json=payload(scope=other)).status_code == 404
        assert api.get("/webhook", params={"scope-id": other["id"], "scope-type": "project"}).status_code == 404
    finally:
        api.admin("POST", "/reset", json={"seed": seed.default_seed()})


@pytest.fixture(scope="module")
def lax():
    with Emulator(strict=False) as emulator:
        yield emulator


def test_no_strict_misspelt_secret_on_create_is_lost(lax):
    api = Api(lax)
    api.admin("POST", "/reset")
    body = payload()
    body["signing_secret"] = body.pop("signing-secret")
    r = api.post("/webhook", json=body)
    assert r.status_code == 201 and r.json()["signing-secret"] == ""
    assert "signing-secret" in api.log()[-1]["violation"]
    assert api.state()["webhooks"][0]["signing_secret"] is None
