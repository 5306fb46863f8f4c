"""Organizations: create (standalone or VCS), delete (by slug or id) and what goes with them."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from circleci_emulator import Emulator, seed
from conftest import Api

OTHER_ORG_ID = "b0000000-0000-4000-8000-000000000003"
OTHER_USER_ID = "e0000000-0000-4000-8000-000000000002"
POLICY = 'package org\nimport rego.v1\npolicy_name contains "p"\n'


def two_org_seed() -> dict:
    data = seed.default_seed()
    data["users"][0]["orgs"] = ["gh/acme", seed.STANDALONE_ORG_ID]
    data["users"].append({"id": OTHER_USER_ID, "login": "other", "tokens": ["other-token"], "orgs": ["gh/other"]})
    data["orgs"].append({"id": OTHER_ORG_ID, "vcs_type": "github", "name": "other",
                         "projects": [{"id": "b0000000-0000-4000-8000-000000000301", "name": "svc"}]})
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=two_org_seed()) as emulator:
        yield emulator


def create_org(api, name="platform-team", vcs_type="circleci", status=201):
    r = api.post("/organization", json={"name": name, "vcs_type": vcs_type})
    assert r.status_code == status, r.text
    return r.json()


def test_create_a_standalone_org(api):
    org = create_org(api)
    assert set(org) == {"id", "name", "slug", "vcs_type"}
    assert (org["name"], org["vcs_type"]) == ("platform-team", "circleci")
    assert org["slug"].startswith("circleci/")
    # the token's user is its first member: it is among the collaborations, under the same slug
    (collab,) = [c for c in api.get("/me/collaborations").json() if c["id"] == org["id"]]
    assert (collab["slug"], collab["vcs-type"], collab["name"]) == (org["slug"], "circleci", "platform-team")
    dumped = next(o for o in api.state()["orgs"] if o["id"] == org["id"])
    assert dumped["slug"] == org["slug"]
    # its slug, as answered, names it in the paths that take one
    assert api.get(f"/organization/{org['slug']}/url-orb-allow-list").json() == {"items": []}


def test_connect_a_vcs_org(api):
    org = create_org(api, name="newco", vcs_type="github")
    assert (org["slug"], org["vcs_type"]) == ("gh/newco", "github")
    bitbucket = create_org(api, name="team-bb", vcs_type="bitbucket")
    assert bitbucket["slug"] == "bb/team-bb"


@pytest.mark.parametrize("body", [
    {"name": "", "vcs_type": "circleci"},
    {"name": "   ", "vcs_type": "circleci"},
    {"name": "x", "vcs_type": "gitlab"},
    {"vcs_type": "circleci"},
    {"name": "x"},
    {"name": "a/b", "vcs_type": "github"},
    {"name": "my org", "vcs_type": "github"},
], ids=["empty", "blank", "unknown-vcs", "no-name", "no-vcs", "slash-in-vcs-name", "space-in-vcs-name"])
def test_create_refuses_bad_input(api, body):
    before = len(api.state()["orgs"])
    r = api.post("/organization", json=body)
    assert r.status_code == 400
    assert len(api.state()["orgs"]) == before


def test_a_taken_name_is_refused(api):
    create_org(api, name="dup")
    r = api.post("/organization", json={"name": "DUP", "vcs_type": "circleci"})
    assert r.status_code == 400
    assert r.json() == {"message": "An organization with this name already exists."}
    assert create_org(api, name="acme", status=400)["message"]  # a seeded VCS org's name too


@pytest.mark.parametrize("ref", ["slug", "id"])
def test_delete_by_slug_or_id(api, ref):
    org = create_org(api)
    r = api.delete(f"/organization/{org[ref]}")
    assert r.status_code == 202
    assert r.json() == {"message": "Organization deleted."}
    assert org["id"] not in [c["id"] for c in api.get("/me/collaborations").json()]
    assert org["id"] not in [o["id"] for o in api.state()["orgs"]]
    r = api.delete(f"/organization/{org[ref]}")
    assert (r.status_code, r.json()) == (404, {"message": "Organization does not exist."})


def test_delete_a_vcs_org_by_its_slug(api):
    create_org(api, name="gone", vcs_type="github")
    assert api.delete("/organization/github/gone").status_code == 202
    assert api.delete("/organization/gh/gone").status_code == 404


def test_a_foreign_org_is_403_and_stays(api):
    r = api.delete(f"/organization/{OTHER_ORG_ID}")
    assert (r.status_code, r.json()) == (403, {"message": "Permission denied."})
    assert api.delete("/organization/gh/other").status_code == 403
    assert OTHER_ORG_ID in [o["id"] for o in api.state()["orgs"]]


def test_another_user_cannot_delete_an_org_it_does_not_belong_to(api):
    org = create_org(api)
    other = Api(api.emu, token="other-token")
    assert other.delete(f"/organization/{org['id']}").status_code == 403
    assert org["id"] not in [c["id"] for c in other.get("/me/collaborations").json()]


def test_deleting_an_org_deletes_what_it_owns(api):
    org = create_org(api, name="doomed")
    oid = org["id"]
    project = api.post(f"/organization/{oid}/project", json={"name": "svc"}).json()
    assert api.post(f"/project/{project['slug']}/envvar", json={"name": "T", "value": "v"}).status_code == 201
    assert api.post("/context", json={"name": "ctx", "owner": {"id": oid, "type": "organization"}}).status_code == 200
    assert api.post(f"/organizations/{oid}/groups", json={"name": "g"}).status_code == 201
    entry = {"name": "e", "prefix": "https://orbs.example.com/", "auth": "none"}
    assert api.post(f"/organization/{oid}/url-orb-allow-list", json=entry).status_code == 200
    assert api.request("PATCH", f"/org/{oid}/oidc-custom-claims", json={"audience": ["a"]}).status_code == 200
    assert api.request("PATCH", f"/org/{oid}/project/{project['id']}/oidc-custom-claims",
                       json={"ttl": "1h"}).status_code == 200
    assert api.post(f"/owner/{oid}/context/config/policy-bundle", json={"policies": {"p": POLICY}}).status_code == 201
    start = datetime.now(timezone.utc) - timedelta(days=1)
    window = {"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "end": (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert api.post(f"/organizations/{oid}/usage_export_job", json=window).status_code == 201
    assert oid in json.dumps(api.state())

    assert api.delete(f"/organization/{org['slug']}").status_code == 202
    state = api.state()
    assert oid not in json.dumps(state)
    assert project["id"] not in json.dumps(state)
    assert api.get(f"/project/{project['slug']}").status_code == 404
    assert api.get("/context", params={"owner-id": oid}).status_code == 404
    # the others are untouched
    assert {o["id"] for o in state["orgs"]} >= {seed.ACME_ORG_ID, seed.STANDALONE_ORG_ID, OTHER_ORG_ID}
    assert api.get("/project/gh/acme/api").status_code == 200
