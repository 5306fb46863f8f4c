import uuid

import pytest

from circleci_emulator import seed


@pytest.fixture
def ctx(api):
    return api.create_context()


def rpath(ctx, rid=""):
    return f"/context/{ctx['id']}/restrictions" + (f"/{rid}" if rid else "")


def test_project_restriction(api, ctx):
    r = api.post(rpath(ctx), json={"restriction_type": "project", "restriction_value": seed.ACME_API_PROJECT_ID})
    assert r.status_code == 201
    body = r.json()
    assert body == {
        "id": body["id"],
        "restriction_type": "project",
        "restriction_value": seed.ACME_API_PROJECT_ID,
        "project_id": seed.ACME_API_PROJECT_ID,
        "name": "api",
    }
    listing = api.get(rpath(ctx))
    assert listing.status_code == 200
    assert listing.json() == {"items": [dict(body, context_id=ctx["id"])]}
    assert "next_page_token" not in listing.json()


def test_expression_and_group_restrictions(api, ctx):
    group = str(uuid.uuid4())
    for rtype, value in (("expression", 'pipeline.git.branch == "main"'), ("group", group)):
        r = api.post(rpath(ctx), json={"restriction_type": rtype, "restriction_value": value})
        assert r.status_code == 201
        assert r.json()["restriction_value"] == value
    items = api.get(rpath(ctx)).json()["items"]
    assert [i["restriction_type"] for i in items] == ["expression", "group"]


def test_all_restrictions_at_once(api, ctx):
    for i in range(30):
        api.post(rpath(ctx), json={"restriction_type": "expression", "restriction_value": f"pipeline.number > {i}"})
    body = api.get(rpath(ctx)).json()
    assert len(body["items"]) == 30
    assert set(body) == {"items"}


def test_duplicate_is_409(api, ctx):
    payload = {"restriction_type": "project", "restriction_value": seed.ACME_WEB_PROJECT_ID}
    assert api.post(rpath(ctx), json=payload).status_code == 201
    r = api.post(rpath(ctx), json=payload)
    assert r.status_code == 409
    assert "message" in r.json()
    assert len(api.get(rpath(ctx)).json()["items"]) == 1


@pytest.mark.parametrize("value", [
    "gh/acme/api",  # a slug is not accepted: the API takes the project UUID
    "d0000000-0000-4000-8000-00000000dead",  # unknown project
    seed.STANDALONE_PROJECT_ID,  # a project of another org
])
def test_project_value_must_be_a_known_project_uuid(api, ctx, value):
    r = api.post(rpath(ctx), json={"restriction_type": "project", "restriction_value": value})
    assert r.status_code == 400
    assert api.get(rpath(ctx)).json()["items"] == []


def test_missing_value_is_400(api, ctx):
    assert api.post(rpath(ctx), json={"restriction_type": "expression"}).status_code == 400


def test_unknown_type_is_400(api, ctx):
    r = api.post(rpath(ctx), json={"restriction_type": "branch", "restriction_value": "main"})
    assert r.status_code == 400
    assert "restriction_type" in r.json()["message"]


def test_delete(api, ctx):
    rid = api.post(rpath(ctx), json={"restriction_type": "expression", "restriction_value": "true"}).json()["id"]
    r = api.delete(rpath(ctx, rid))
    assert r.status_code == 200
    assert r.json() == {"message": "Context restriction deleted."}
    assert api.get(rpath(ctx)).json() == {"items": []}
    assert api.delete(rpath(ctx, rid)).status_code == 404
    assert api.delete(rpath(ctx, "not-a-uuid")).status_code == 400
