"""Pipeline definitions, the two triggers, parameter limits and pipeline reads."""

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.cli import parse_args
from circleci_emulator.faults import Faults
from conftest import Api
from pipeline_helpers import (API, DEFINITIONS, RUN_PATHS, STANDALONE, STANDALONE_BY_UUID, WEB, fast, fresh, ok, run, trigger,
                              wait_status, workflows)
from test_project_envvars import foreign_seed


@pytest.fixture(autouse=True)
def _fresh(api):
    fresh(api)



def first_number(slug):
    """A project's first triggered pipeline number: after its seeded insights history."""
    from circleci_emulator import history
    from circleci_emulator.store import Store

    seeded = history.seeded_runs(Store().project_by_slug(slug))
    return max((r["pipeline_number"] for r in seeded), default=0) + 1

# ---------------------------------------------------------------- definitions


@pytest.mark.parametrize("slug,project_id", [(API, seed.ACME_API_PROJECT_ID), (WEB, seed.ACME_WEB_PROJECT_ID),
                                             (STANDALONE, seed.STANDALONE_PROJECT_ID)])
def test_each_project_has_one_seeded_definition(api, slug, project_id):
    body = ok(api.get(f"/projects/{project_id}/pipeline-definitions"))
    assert set(body) == {"items"}  # all at once, no next_page_token key (API-BEHAVIOUR.md)
    (definition,) = body["items"]
    assert definition["id"] == DEFINITIONS[slug]
    assert definition["name"] == "build-and-test"
    assert definition["config_source"]["file_path"] == ".circleci/config.yml"
    assert ok(api.get(f"/projects/{project_id}/pipeline-definitions/{definition['id']}")) == definition
    assert ok(api.get(f"/projects/{project_id}/pipeline-definitions/{definition['id']}/triggers")) == {"items": []}


def test_definition_lookups_404(api):
    pid = seed.ACME_API_PROJECT_ID
    assert api.get("/projects/b0000000-0000-4000-8000-00000000ffff/pipeline-definitions").status_code == 404
    assert api.get("/projects/not-a-uuid/pipeline-definitions").status_code == 404
    # the definition of another project
    r = api.get(f"/projects/{pid}/pipeline-definitions/{seed.ACME_WEB_DEFINITION_ID}")
    assert r.status_code == 404 and r.json() == {"message": "Pipeline definition not found"}
    assert api.get(f"/projects/{pid}/pipeline-definitions/{seed.ACME_WEB_DEFINITION_ID}/triggers").status_code == 404


def test_seed_without_definitions_gets_a_derived_one(api):
    data = seed.default_seed()
    del data["orgs"][0]["projects"][0]["pipeline_definitions"]
    assert api.admin("POST", "/reset", json={"seed": data}).status_code == 200
    fast(api)
    (d1,) = ok(api.get(f"/projects/{seed.ACME_API_PROJECT_ID}/pipeline-definitions"))["items"]
    api.admin("POST", "/reset", json={"seed": data})
    (d2,) = ok(api.get(f"/projects/{seed.ACME_API_PROJECT_ID}/pipeline-definitions"))["items"]
    assert d1["id"] == d2["id"] != seed.ACME_API_DEFINITION_ID  # stable across resets
    fast(api)
    run(api, definition_id=d1["id"])


def test_foreign_project_definitions_404(api):
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    assert api.get("/projects/b0000000-0000-4000-8000-000000000101/pipeline-definitions").status_code == 404


# ---------------------------------------------------------------- legacy trigger


def test_legacy_trigger_201(api):
    p = trigger(api)
    assert set(p) == {"id", "state", "number", "created_at"}
    assert p["state"] == "created" and p["number"] == first_number(API)
    assert trigger(api)["number"] == first_number(API) + 1
    assert trigger(api, WEB)["number"] == first_number(WEB)  # numbers count per project
    full = ok(api.get(f"/pipeline/{p['id']}"))
    assert full["vcs"]["branch"] == "main" and "tag" not in full["vcs"]
    assert full["trigger"]["type"] == "api"
    assert full["trigger"]["actor"] == {"login": "emulator-user",
                                        "avatar_url": "https://avatars.example.invalid/emulator-user"}
    assert full["errors"] == [] and full["project_slug"] == API


def test_legacy_trigger_branch_tag(api):
    p = ok(api.post(f"/project/{API}/pipeline", json={"branch": "feature/x"}), 201)
    assert ok(api.get(f"/pipeline/{p['id']}"))["vcs"]["branch"] == "feature/x"
    p = ok(api.post(f"/project/{API}/pipeline", json={"tag": "v1.2.3"}), 201)
    vcs = ok(api.get(f"/pipeline/{p['id']}"))["vcs"]
    assert vcs["tag"] == "v1.2.3" and "branch" not in vcs
    r = api.post(f"/project/{API}/pipeline", json={"branch": "main", "tag": "v1"})
    assert r.status_code == 400 and "mutually exclusive" in r.json()["message"]
    # no body at all: the default branch
    p = ok(api.post(f"/project/{API}/pipeline"), 201)
    assert ok(api.get(f"/pipeline/{p['id']}"))["vcs"]["branch"] == "main"


def test_legacy_trigger_refused_for_circleci_projects(api):
    r = api.post(f"/project/{STANDALONE}/pipeline", json={})
    assert r.status_code == 400 and "pipeline/run" in r.json()["message"]
    assert api.state()["pipelines"] == []


def test_legacy_trigger_unknown_project(api):
    assert api.post("/project/gh/acme/nope/pipeline", json={}).status_code == 404


def test_legacy_parameters_are_spec_typed(api):
    # the legacy body allows integer, string and boolean values only: a float is a spec violation
    r = api.post(f"/project/{API}/pipeline", json={"parameters": {"emulator_job_seconds": 0.1}})
    assert r.status_code == 400
    assert api.log()[-1]["violation"]
    trigger(api, emulator_job_seconds="0.1")


# ---------------------------------------------------------------- pipeline/run


def test_run_201(api):
    p = run(api, config={"branch": "main"}, checkout={"branch": "release"}, parameters={"x": 1})
    assert set(p) == {"id", "state", "number", "created_at"} and p["state"] == "created"
    full = ok(api.get(f"/pipeline/{p['id']}"))
    assert full["vcs"]["branch"] == "release"  # the checkout ref is the pipeline's
    (state,) = api.state()["pipelines"]
    assert state["definition_id"] == DEFINITIONS[API]


def test_run_for_standalone_project(api):
    p = run(api, STANDALONE)
    assert ok(api.get(f"/pipeline/{p['id']}"))["project_slug"] == STANDALONE
    assert p["number"] == first_number(STANDALONE)


def test_run_for_standalone_project_by_its_uuid_slug_answers_the_opaque_slug(api):
    p = run(api, STANDALONE_BY_UUID)
    assert ok(api.get(f"/pipeline/{p['id']}"))["project_slug"] == STANDALONE
    assert ok(api.get(f"/project/{STANDALONE_BY_UUID}/pipeline/{p['number']}"))["id"] == p["id"]


def test_run_config_ref_when_no_checkout(api):
    p = run(api, config={"tag": "v9"})
    assert ok(api.get(f"/pipeline/{p['id']}"))["vcs"]["tag"] == "v9"


def test_run_definition_errors(api):
    r = api.post(RUN_PATHS[API], json={})
    assert r.status_code == 400 and "definition_id" in r.json()["message"]
    r = api.post(RUN_PATHS[API], json={"definition_id": seed.ACME_WEB_DEFINITION_ID})
    assert r.status_code == 404
    r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "config": {"branch": "a", "tag": "b"}})
    assert r.status_code == 400
    r = api.post("/project/gh/acme/nope/pipeline/run", json={"definition_id": DEFINITIONS[API]})
    assert r.status_code == 404
    assert api.state()["pipelines"] == []


def test_run_refs_must_be_objects_without_strict(lax):
    api = Api(lax)
    fresh(api)
    for bad in ({"config": "main"}, {"checkout": ["main"]}):
        r = api.post(RUN_PATHS[API], json=dict(bad, definition_id=DEFINITIONS[API]))
        assert r.status_code == 400 and "must be an object" in r.json()["message"]
    r = api.post(f"/project/{API}/pipeline", json={"parameters": ["x"]})
    assert r.status_code == 400 and r.json() == {"message": "parameters must be an object."}


@pytest.fixture(scope="module")
def lax():
    with Emulator(strict=False) as emulator:
        yield emulator


def test_run_strict_body(api):
    r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "branch": "main"})
    assert r.status_code == 400 and api.log()[-1]["violation"]


def test_run_not_triggered_200(api):
    r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "parameters": {"emulator_ci_skip": True}})
    assert r.status_code == 200
    assert r.json() == {"message": "Ignoring pipeline due to CI skip in the commit"}
    assert api.state()["pipelines"] == []


# ---------------------------------------------------------------- parameter limits


def limits_cases():
    return [
        ({f"p{i}": i for i in range(101)}, "100"),
        ({"k" * 129: "v"}, "128"),
        ({"big": "v" * 513}, "512"),
    ]


@pytest.mark.parametrize("params,number", limits_cases())
@pytest.mark.parametrize("how", ["legacy", "run"])
def test_parameter_limits(api, params, number, how):
    if how == "legacy":
        r = api.post(f"/project/{API}/pipeline", json={"parameters": params})
    else:
        r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "parameters": params})
    assert r.status_code == 400, r.text
    assert number in r.json()["message"]
    assert api.state()["pipelines"] == []


@pytest.mark.parametrize("how", ["legacy", "run"])
def test_parameter_limits_boundaries_pass(api, how):
    params = {f"p{i}": i for i in range(98)}
    params["k" * 128] = "v" * 512
    params["flag"] = True
    if how == "legacy":
        trigger(api, **params)
    else:
        run(api, parameters=params)


def test_run_parameter_values_must_be_scalars(api):
    r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "parameters": {"x": {"a": 1}}})
    assert r.status_code == 400 and "x" in r.json()["message"]
    r = api.post(RUN_PATHS[API], json={"definition_id": DEFINITIONS[API], "parameters": {"x": None}})
    assert r.status_code == 400


# ---------------------------------------------------------------- reads


def test_get_by_id_and_number(api):
    p = trigger(api)
    by_id = ok(api.get(f"/pipeline/{p['id']}"))
    assert by_id["id"] == p["id"] and by_id["number"] == p["number"] and by_id["state"] == "created"
    assert by_id["created_at"] == p["created_at"]
    assert ok(api.get(f"/project/{API}/pipeline/{p['number']}")) == by_id
    assert api.get(f"/project/{WEB}/pipeline/{first_number(WEB)}").status_code == 404
    assert api.get(f"/project/{API}/pipeline/abc").status_code == 404
    r = api.get("/pipeline/5e4b1f84-0000-4000-8000-000000000000")
    assert r.status_code == 404 and r.json() == {"message": "Pipeline not found"}


def test_project_list_newest_first_and_branch_filter(api):
    a = trigger(api)
    b = ok(api.post(f"/project/{API}/pipeline", json={"branch": "dev"}), 201)
    c = trigger(api)
    trigger(api, WEB)
    items = ok(api.get(f"/project/{API}/pipeline"))["items"]
    assert [i["id"] for i in items] == [c["id"], b["id"], a["id"]]
    dev = ok(api.get(f"/project/{API}/pipeline", params={"branch": "dev"}))
    assert [i["id"] for i in dev["items"]] == [b["id"]] and dev["next_page_token"] is None
    assert ok(api.get(f"/project/{API}/pipeline", params={"branch": "none"}))["items"] == []


def test_org_list_and_mine(api):
    a = trigger(api)
    w = trigger(api, WEB)
    s = run(api, STANDALONE)
    items = ok(api.get("/pipeline", params={"org-slug": "gh/acme"}))["items"]
    assert [i["id"] for i in items] == [w["id"], a["id"]]
    assert [i["id"] for i in ok(api.get("/pipeline", params={"org-slug": "gh/acme", "mine": "true"}))["items"]] == \
        [w["id"], a["id"]]
    every = ok(api.get("/pipeline"))["items"]
    assert {i["id"] for i in every} == {a["id"], w["id"], s["id"]}
    assert api.get("/pipeline", params={"org-slug": "gh/nobody"}).status_code == 404


def second_user_seed():
    data = seed.default_seed()
    data["users"].append({"id": "e0000000-0000-4000-8000-000000000002", "login": "bob", "tokens": ["bob-token"]})
    return data


def test_mine_lists_only_the_users_pipelines(api):
    api.admin("POST", "/reset", json={"seed": second_user_seed()})
    fast(api)
    mine = trigger(api)
    bob = Api(api.emu, "bob-token")
    theirs = ok(bob.post(f"/project/{API}/pipeline", json={}), 201)
    assert [i["id"] for i in ok(api.get(f"/project/{API}/pipeline/mine"))["items"]] == [mine["id"]]
    assert [i["id"] for i in ok(bob.get(f"/project/{API}/pipeline/mine"))["items"]] == [theirs["id"]]
    assert [i["id"] for i in ok(api.get("/pipeline", params={"mine": "true"}))["items"]] == [mine["id"]]
    assert len(ok(api.get(f"/project/{API}/pipeline"))["items"]) == 2
    assert ok(api.get(f"/pipeline/{theirs['id']}"))["trigger"]["actor"]["login"] == "bob"


def test_foreign_pipeline_404(api):
    api.admin("POST", "/reset", json={"seed": second_user_seed()})
    data = second_user_seed()
    data["users"][1]["orgs"] = ["gh/acme"]
    data["users"][0]["orgs"] = [seed.STANDALONE_ORG_ID]  # emulator-user no longer sees gh/acme
    api.admin("POST", "/reset", json={"seed": data})
    fast(api)
    bob = Api(api.emu, "bob-token")
    p = ok(bob.post(f"/project/{API}/pipeline", json={}), 201)
    assert api.get(f"/pipeline/{p['id']}").status_code == 404
    assert api.get(f"/pipeline/{p['id']}/workflow").status_code == 404
    wf = workflows(bob, p["id"])[0]
    assert api.get(f"/workflow/{wf['id']}").status_code == 404
    assert api.post(f"/workflow/{wf['id']}/cancel").status_code == 404
    assert ok(api.get("/pipeline"))["items"] == []


@pytest.fixture(scope="module")
def small_pages():
    with Emulator(page_size=2) as emulator:
        yield emulator


def test_pagination(small_pages):
    api = Api(small_pages)
    fresh(api)
    ids = [trigger(api)["id"] for _ in range(5)]
    for path, params in ((f"/project/{API}/pipeline", {}), ("/pipeline", {"org-slug": "gh/acme"}),
                         (f"/project/{API}/pipeline/mine", {})):
        seen, token = [], None
        while True:
            body = ok(api.get(path, params=dict(params, **({"page-token": token} if token else {}))))
            assert len(body["items"]) <= 2
            seen += [i["id"] for i in body["items"]]
            token = body["next_page_token"]
            if token is None:
                break
        assert seen == ids[::-1], path
    # workflows of a pipeline: two per page, newest first
    body = ok(api.get(f"/pipeline/{ids[0]}/workflow"))
    assert len(body["items"]) == 2 and body["next_page_token"] is None
    r = api.get(f"/project/{API}/pipeline", params={"page-token": "bogus"})
    assert r.status_code == 404


def test_config_and_values(api):
    p = trigger(api, emulator_outcome="failed", deploy=True, emulator_job_seconds="0.2", count=3)
    config = ok(api.get(f"/pipeline/{p['id']}/config"))
    assert set(config) == {"source", "compiled"}
    assert "workflows:" in config["source"] and "requires: [build]" in config["source"]
    values = ok(api.get(f"/pipeline/{p['id']}/values"))
    assert values["pipeline.id"] == p["id"] and values["pipeline.number"] == p["number"]
    assert values["pipeline.git.branch"] == "main" and values["pipeline.trigger_source"] == "api"
    assert values["pipeline.parameters.deploy"] is True
    assert values["pipeline.parameters.count"] == 3
    assert values["pipeline.parameters.emulator_outcome"] == "failed"
    assert api.get("/pipeline/5e4b1f84-0000-4000-8000-000000000000/config").status_code == 404
    assert api.get("/pipeline/5e4b1f84-0000-4000-8000-000000000000/values").status_code == 404


def test_float_parameter_value_is_a_string_in_values(api):
    p = run(api, parameters={"emulator_job_seconds": 0.05})
    assert ok(api.get(f"/pipeline/{p['id']}/values"))["pipeline.parameters.emulator_job_seconds"] == "0.05"


def test_job_seconds_parameter(api):
    fast(api, 30)  # the setting would keep the jobs running for long
    p = trigger(api, emulator_job_seconds=0)
    for wf in workflows(api, p["id"]):
        wait_status(api, wf["id"], "success", timeout=2)


def test_state_and_reset(api):
    p = trigger(api, emulator_outcome="approval")
    (state,) = api.state()["pipelines"]
    assert state["id"] == p["id"] and state["project_slug"] == API and state["number"] == p["number"]
    assert state["parameters"] == {"emulator_outcome": "approval"}
    names = {w["name"]: [j["name"] for j in w["jobs"]] for w in state["workflows"]}
    assert names == {"build": ["build", "test", "hold", "deploy"], "lint": ["lint"]}
    assert all(j["status"] for w in state["workflows"] for j in w["jobs"])
    api.admin("POST", "/reset")
    state = api.state()
    assert state["pipelines"] == [] and state["usage_exports"] == []
    assert api.get(f"/pipeline/{p['id']}").status_code == 404
    assert trigger(api)["number"] == p["number"]  # numbering starts again


def test_step_seconds_setting():
    assert parse_args([]).pipeline_step_seconds == 0.5
    assert parse_args(["--pipeline-step-seconds", "0.05"]).pipeline_step_seconds == 0.05
    with pytest.raises(SystemExit):
        parse_args(["--pipeline-step-seconds", "-1"])
    faults = Faults()
    faults.set_initial(pipeline_step_seconds=0.2)
    faults.update({"pipeline_step_seconds": 3})
    faults.reset()
    assert faults.get()["pipeline_step_seconds"] == 0.2


def test_step_seconds_fault_validation(api):
    for bad in (-1, "1", True, 4000):
        assert api.admin("PUT", "/faults", json={"pipeline_step_seconds": bad}).status_code == 400
