"""Project administration: create (in any organization, and the deprecated VCS form) and delete."""

import json

import pytest

from circleci_emulator import Emulator, seed
from conftest import Api
from test_organizations import OTHER_ORG_ID, two_org_seed

SCHEDULE = {"name": "nightly", "attribution-actor": "system", "parameters": {"branch": "main"},
            "timetable": {"per-hour": 1, "hours-of-day": [3], "days-of-week": ["MON"]}}


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=two_org_seed()) as emulator:
        yield emulator


def create(api, org, name, status=200):
    r = api.post(f"/organization/{org}/project", json={"name": name})
    assert r.status_code == status, r.text
    return r.json()


def standalone_org_slug(api):
    """The standalone org's slug as the emulator answers it."""
    return next(c["slug"] for c in api.get("/me/collaborations").json() if c["id"] == seed.STANDALONE_ORG_ID)


# ---------------------------------------------------------------- create


@pytest.mark.parametrize("ref", ["slug", "id"])
def test_create_in_a_standalone_org(api, ref):
    org = standalone_org_slug(api) if ref == "slug" else seed.STANDALONE_ORG_ID
    project = create(api, org, "billing")
    assert project["name"] == "billing"
    assert project["organization_id"] == seed.STANDALONE_ORG_ID
    assert project["organization_slug"] == standalone_org_slug(api)
    assert project["organization_name"] == "acme-standalone"
    assert project["vcs_info"]["provider"] == "CircleCI"
    # a standalone project's slug is circleci/<org>/<project>, not its name
    assert project["slug"].startswith(project["organization_slug"] + "/")
    assert not project["slug"].endswith("/billing")
    assert api.get(f"/project/{project['slug']}").json() == project
    assert project["slug"] in {p["slug"] for p in api.state()["projects"]}


def test_create_in_a_vcs_org(api):
    project = create(api, "gh/acme", "billing")
    assert (project["slug"], project["vcs_info"]["provider"]) == ("gh/acme/billing", "GitHub")
    assert project["vcs_info"]["vcs_url"] == "https://github.com/acme/billing"
    assert api.get("/project/github/acme/billing").json()["id"] == project["id"]
    by_id = create(api, seed.ACME_ORG_ID, "payments")
    assert by_id["slug"] == "gh/acme/payments"


def test_a_created_project_starts_with_no_history(api):
    project = create(api, seed.STANDALONE_ORG_ID, "fresh")
    assert api.get(f"/insights/{project['slug']}/workflows").json()["items"] == []
    # but its name is among the organization's projects at once
    summary = api.get(f"/insights/{project['organization_slug']}/summary").json()
    assert "fresh" in summary["all_projects"]


def test_a_name_taken_in_the_org_is_409(api):
    create(api, seed.STANDALONE_ORG_ID, "dup")
    r = api.post(f"/organization/{seed.STANDALONE_ORG_ID}/project", json={"name": "DUP"})
    assert (r.status_code, r.json()) == (409, {"message": "A project with this name already exists in the organization."})
    assert create(api, "gh/acme", "api", status=409)  # a seeded one
    # the same name in another organization is fine
    create(api, "gh/acme", "dup")


@pytest.mark.parametrize("org, body", [
    ("gh/acme", {"name": ""}),
    ("gh/acme", {}),
    ("gh/acme", {"name": "a/b"}),
    ("gh/acme", {"name": "a b"}),
    (seed.STANDALONE_ORG_ID, {"name": "  "}),
], ids=["empty", "missing", "slash-in-repo", "space-in-repo", "blank-standalone"])
def test_create_refuses_bad_names(api, org, body):
    before = len(api.state()["projects"])
    assert api.post(f"/organization/{org}/project", json=body).status_code == 400
    assert len(api.state()["projects"]) == before


def test_unknown_and_foreign_orgs(api):
    r = api.post("/organization/gh/nobody/project", json={"name": "x"})
    assert (r.status_code, r.json()) == (404, {"message": "Organization does not exist."})
    r = api.post(f"/organization/{OTHER_ORG_ID}/project", json={"name": "x"})
    assert (r.status_code, r.json()) == (403, {"message": "Permission denied."})
    assert api.delete("/project/gh/other/svc").status_code == 404  # foreign projects are not found
    assert Api(api.emu, token="other-token").get("/project/gh/other/svc").status_code == 200


# ---------------------------------------------------------------- the deprecated create


def test_deprecated_create_sets_up_a_vcs_project(api):
    r = api.post("/project/gh/acme/legacy")
    assert r.status_code == 201
    assert r.json() == {"advanced": api.get("/project/gh/acme/legacy/settings").json()["advanced"]}
    assert api.get("/project/gh/acme/legacy").json()["name"] == "legacy"
    again = api.post("/project/github/acme/legacy")  # already set up: the same answer, no second project
    assert again.status_code == 201
    assert [p["slug"] for p in api.state()["projects"]].count("gh/acme/legacy") == 1


def test_deprecated_create_refuses_standalone_and_unknown(api):
    r = api.post(f"/project/circleci/{seed.STANDALONE_ORG_ID}/x")
    assert r.status_code == 405
    assert r.json()["message"].startswith("Create projects using the API is currently supported")
    assert api.post("/project/gh/nobody/x").status_code == 404
    assert api.post("/project/gh/other/x").status_code == 403


# ---------------------------------------------------------------- delete


def test_delete_then_again(api):
    project = create(api, seed.STANDALONE_ORG_ID, "short-lived")
    r = api.delete(f"/project/{project['slug']}")
    assert (r.status_code, r.json()) == (200, {"message": "Project deleted."})
    assert api.get(f"/project/{project['slug']}").status_code == 404
    assert api.delete(f"/project/{project['slug']}").status_code == 404
    # its name is free again
    assert create(api, seed.STANDALONE_ORG_ID, "short-lived")["id"] != project["id"]


def test_delete_takes_what_belongs_to_the_project(api):
    pid = seed.ACME_API_PROJECT_ID
    assert api.post("/project/gh/acme/api/envvar", json={"name": "T", "value": "v"}).status_code == 201
    assert api.post("/project/gh/acme/api/checkout-key", json={"type": "deploy-key"}).status_code == 201
    assert api.post("/project/gh/acme/api/schedule", json=SCHEDULE).status_code == 201
    hook = {"name": "n", "events": ["job-completed"], "url": "https://h.example.com", "verify-tls": True,
            "signing-secret": "s", "scope": {"id": pid, "type": "project"}}
    assert api.post("/webhook", json=hook).status_code == 201
    assert api.request("PATCH", "/project/gh/acme/api/settings", json={"advanced": {"disable_ssh": True}}).status_code == 200
    assert api.request("PATCH", f"/org/{seed.ACME_ORG_ID}/project/{pid}/oidc-custom-claims",
                       json={"audience": ["x"]}).status_code == 200
    assert api.post("/project/gh/acme/api/pipeline", json={"branch": "main"}).status_code == 201
    ctx = api.create_context("restricted")
    r = api.post(f"/context/{ctx['id']}/restrictions", json={"restriction_type": "project", "restriction_value": pid})
    assert r.status_code == 201
    assert api.request("PATCH", f"/org/{seed.ACME_ORG_ID}/oidc-custom-claims", json={"ttl": "2h"}).status_code == 200

    assert api.delete("/project/gh/acme/api").status_code == 200
    state = api.state()
    # no trace of the project is left, but in the context restriction that names it
    (restricted,) = [c for c in state["contexts"] if c["id"] == ctx["id"]]
    assert [r["restriction_value"] for r in restricted["restrictions"]] == [pid]
    for c in state["contexts"]:
        c["restrictions"] = []
    assert pid not in json.dumps(state)
    assert "gh/acme/api" not in json.dumps(state)
    assert seed.ACME_API_DEFINITION_ID not in json.dumps(state)
    assert api.get(f"/projects/{pid}/pipeline-definitions").status_code == 404
    # the org's own claims and the other projects stay
    assert [c["ttl"] for c in state["oidc_claims"] if c["project_id"] is None] == ["2h0m0s"]
    assert api.get("/project/gh/acme/web").status_code == 200
    assert api.get(f"/projects/{seed.ACME_WEB_PROJECT_ID}/pipeline-definitions").json()["items"]
    # the restriction still restricts the context: no project can use it until it is changed
    assert api.get(f"/context/{ctx['id']}/restrictions").json()["items"][0]["project_id"] == pid
