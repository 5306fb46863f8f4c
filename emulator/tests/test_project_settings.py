import pytest

from circleci_emulator import seed
from test_project_envvars import foreign_seed

PATH = "/project/gh/acme/api/settings"
DEFAULTS = {
    "autocancel_builds": False, "build_fork_prs": False, "build_prs_only": False, "disable_ssh": False,
    "forks_receive_secret_env_vars": False, "oss": False, "set_github_status": True, "setup_workflows": False,
    "write_settings_requires_admin": False, "pr_only_branch_overrides": [],
}


def patch(api, body, path=PATH):
    return api.request("PATCH", path, json=body)


def test_defaults_for_every_key_of_the_spec(api):
    from circleci_emulator.spec import get_spec

    keys = set(get_spec().data["components"]["schemas"]["project_settings"]["properties"]["advanced"]["properties"])
    body = api.get(PATH).json()
    assert body == {"advanced": DEFAULTS} and set(body["advanced"]) == keys
    assert api.get("/project/github/acme/api/settings").json() == body
    assert api.get(f"/project/circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}/settings").json() == body
    assert api.state()["project_settings"]["gh/acme/api"] == DEFAULTS


def test_patch_merges(api):
    r = patch(api, {"advanced": {"autocancel_builds": True}})
    assert r.status_code == 200 and r.json()["advanced"] == dict(DEFAULTS, autocancel_builds=True)
    r = patch(api, {"advanced": {"disable_ssh": True}})
    assert r.json()["advanced"] == dict(DEFAULTS, autocancel_builds=True, disable_ssh=True)
    assert api.get(PATH).json() == r.json()
    assert api.state()["project_settings"]["gh/acme/api"]["disable_ssh"] is True
    assert api.get("/project/gh/acme/web/settings").json()["advanced"] == DEFAULTS


def test_oss_fails_the_whole_patch(api):
    r = patch(api, {"advanced": {"autocancel_builds": True, "oss": False}})
    assert r.status_code == 400
    assert r.json() == {"message": "Feature flag 'oss' is not settable for this project."}
    assert api.get(PATH).json()["advanced"] == DEFAULTS


def test_branch_overrides_order_not_kept(api):
    a = patch(api, {"advanced": {"pr_only_branch_overrides": ["main", "develop", "release", "main"]}})
    b = patch(api, {"advanced": {"pr_only_branch_overrides": ["release", "develop", "main"]}})
    assert a.json() == b.json()
    assert sorted(a.json()["advanced"]["pr_only_branch_overrides"]) == ["develop", "main", "release"]
    overrides = [a.json()["advanced"]["pr_only_branch_overrides"], ["main", "develop", "release"],
                 ["release", "develop", "main"]]
    assert overrides[0] != overrides[1] or overrides[0] != overrides[2]
    assert patch(api, {"advanced": {"pr_only_branch_overrides": []}}).json()["advanced"] == DEFAULTS


def test_too_many_branches(api):
    r = patch(api, {"advanced": {"pr_only_branch_overrides": [f"b{i}" for i in range(101)]}})
    assert r.status_code == 400 and "100 branches" in r.json()["message"]


@pytest.mark.parametrize("body", [{}, {"advanced": {"autocancel": True}}, {"other": {}},
                                  {"advanced": {"autocancel_builds": "yes"}}])
def test_bad_bodies(api, body):
    assert patch(api, body).status_code == 400
    assert api.get(PATH).json()["advanced"] == DEFAULTS


def test_unknown_and_foreign_projects(api):
    assert api.get("/project/gh/acme/nope/settings").status_code == 404
    assert api.get("/project/gitlab/acme/api/settings").status_code == 400  # provider enum (spec)
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    try:
        assert api.get("/project/gh/other/secret/settings").status_code == 404
        assert patch(api, {"advanced": {"disable_ssh": True}}, "/project/gh/other/secret/settings").status_code == 404
    finally:
        api.admin("POST", "/reset", json={"seed": seed.default_seed()})
