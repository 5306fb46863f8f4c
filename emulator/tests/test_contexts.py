import uuid

import pytest

from circleci_emulator import Emulator, seed
from conftest import Api

OTHER_ORG_ID = "b0000000-0000-4000-8000-000000000003"
FOREIGN_CONTEXT_ID = "b0000000-0000-4000-8000-0000000000c1"
MISSING_ID = "d0000000-0000-4000-8000-00000000dead"


def two_org_seed() -> dict:
    data = seed.default_seed()
    data["users"][0]["orgs"] = ["gh/acme", seed.STANDALONE_ORG_ID]
    data["users"].append({"id": "e0000000-0000-4000-8000-000000000002", "login": "other",
                          "tokens": ["other-token"], "orgs": ["gh/other"]})
    data["orgs"].append({"id": OTHER_ORG_ID, "vcs_type": "github", "name": "other",
                         "projects": [{"id": "b0000000-0000-4000-8000-000000000301", "name": "svc"}]})
    data["contexts"] = [{"id": FOREIGN_CONTEXT_ID, "name": "secret", "owner": "gh/other",
                         "env_vars": {"TOKEN": "s3cr3t"}}]
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=two_org_seed()) as emulator:
        yield emulator


def test_create_by_slug(api):
    r = api.post("/context", json={"name": "deploy", "owner": {"slug": "gh/acme", "type": "organization"}})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"id", "name", "created_at"}
    assert body["name"] == "deploy"
    uuid.UUID(body["id"])
    assert api.get(f"/context/{body['id']}").json() == body


def test_create_by_github_long_slug_and_by_id(api):
    a = api.create_context("one", {"slug": "github/acme"})
    b = api.create_context("two", {"id": seed.ACME_ORG_ID, "type": "organization"})
    c = api.create_context("three", {"slug": f"circleci/{seed.STANDALONE_ORG_ID}"})
    d = api.create_context("four", {"slug": seed.STANDALONE_ORG_SLUG})  # the opaque slug the service shows
    owners = {ctx["name"]: ctx["owner"]["id"] for ctx in api.state()["contexts"]}
    assert owners["one"] == owners["two"] == seed.ACME_ORG_ID
    assert owners["three"] == owners["four"] == seed.STANDALONE_ORG_ID
    assert len({a["id"], b["id"], c["id"], d["id"]}) == 4
    listed = api.get("/context", params={"owner-slug": seed.STANDALONE_ORG_SLUG}).json()["items"]
    assert [ctx["name"] for ctx in listed] == ["three", "four"]


def test_duplicate_name_same_owner_is_409(api):
    api.create_context("deploy")
    r = api.post("/context", json={"name": "deploy", "owner": {"id": seed.ACME_ORG_ID}})
    assert r.status_code == 409
    assert r.json() == {"message": "A context already exists with this name"}
    assert [c["name"] for c in api.state()["contexts"]].count("deploy") == 1


def test_same_name_other_owner_is_fine(api):
    api.create_context("deploy")
    api.create_context("deploy", {"slug": f"circleci/{seed.STANDALONE_ORG_ID}"})


def test_create_in_unknown_org_is_404(api):
    r = api.post("/context", json={"name": "x", "owner": {"slug": "gh/nobody"}})
    assert r.status_code == 404
    r = api.post("/context", json={"name": "x", "owner": {"id": str(uuid.uuid4())}})
    assert r.status_code == 404


def test_create_in_foreign_org_is_403(api):
    r = api.post("/context", json={"name": "x", "owner": {"slug": "gh/other"}})
    assert r.status_code == 403
    assert len(api.state()["contexts"]) == 1  # only the seeded one


def test_list_by_slug_and_id(api):
    names = [f"ctx-{i}" for i in range(3)]
    for name in names:
        api.create_context(name)
    api.create_context("standalone", {"slug": f"circleci/{seed.STANDALONE_ORG_ID}"})
    by_slug = api.get("/context", params={"owner-slug": "gh/acme"}).json()
    by_id = api.get("/context", params={"owner-id": seed.ACME_ORG_ID, "owner-type": "organization"}).json()
    assert [c["name"] for c in by_slug["items"]] == names
    assert by_slug == by_id
    assert by_slug["next_page_token"] is None


def test_list_needs_an_owner(api):
    assert api.get("/context").status_code == 400


def test_list_unknown_and_foreign_owner(api):
    assert api.get("/context", params={"owner-slug": "gh/nobody"}).status_code == 404
    assert api.get("/context", params={"owner-slug": "gh/other"}).status_code == 403


def test_list_is_paginated(api):
    for i in range(23):
        api.create_context(f"c{i:02d}")
    first = api.get("/context", params={"owner-slug": "gh/acme"}).json()
    assert len(first["items"]) == 20 and first["next_page_token"]
    second = api.get("/context", params={"owner-slug": "gh/acme", "page-token": first["next_page_token"]}).json()
    assert [c["name"] for c in second["items"]] == ["c20", "c21", "c22"]
    assert second["next_page_token"] is None


def test_delete(api):
    ctx = api.create_context()
    r = api.delete(f"/context/{ctx['id']}")
    assert r.status_code == 200
    assert r.json() == {"message": "Context deleted."}
    assert api.get(f"/context/{ctx['id']}").status_code == 403
    assert api.delete(f"/context/{ctx['id']}").status_code == 403
    assert api.get("/context", params={"owner-slug": "gh/acme"}).json()["items"] == []


@pytest.mark.parametrize("context_id", [MISSING_ID, FOREIGN_CONTEXT_ID], ids=["missing", "foreign"])
@pytest.mark.parametrize("method,suffix,body", [
    ("GET", "", None),
    ("DELETE", "", None),
    ("GET", "/environment-variable", None),
    ("PUT", "/environment-variable/FOO", {"value": "x"}),
    ("DELETE", "/environment-variable/TOKEN", None),
    ("GET", "/restrictions", None),
    ("POST", "/restrictions", {"restriction_type": "expression", "restriction_value": "true"}),
    ("DELETE", f"/restrictions/{MISSING_ID}", None),
])
def test_missing_or_foreign_context_is_403(api, context_id, method, suffix, body):
    r = api.request(method, f"/context/{context_id}{suffix}", json=body)
    assert r.status_code == 403
    assert r.json() == {"message": "Permission denied."}
    foreign = next(c for c in api.state()["contexts"] if c["id"] == FOREIGN_CONTEXT_ID)
    assert foreign["env_vars"]["TOKEN"]["value"] == "s3cr3t"
    assert "FOO" not in foreign["env_vars"] and foreign["restrictions"] == []


def test_owner_of_foreign_context_sees_it(api):
    other = Api(api.emu, token="other-token")
    assert other.get(f"/context/{FOREIGN_CONTEXT_ID}").json()["name"] == "secret"
    assert other.get("/context", params={"owner-slug": "gh/other"}).json()["items"][0]["id"] == FOREIGN_CONTEXT_ID


def test_non_uuid_context_id_is_400_in_strict_mode(api):
    r = api.get("/context/not-a-uuid")
    assert r.status_code == 400
    assert "context_id" in r.json()["message"]
