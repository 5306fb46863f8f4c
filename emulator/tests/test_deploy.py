"""Deploys (seeded, read-only, paginated) and rollbacks (202, a pipeline that runs in the engine)."""

import copy

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.seed import SeedError
from circleci_emulator.store import ZERO_UUID, Store
from conftest import Api
from pipeline_helpers import fast, fresh, ok, wait_status

ORG = seed.ACME_ORG_ID
API_ID = seed.ACME_API_PROJECT_ID
WEB_ID = seed.ACME_WEB_PROJECT_ID
PROD = seed.PRODUCTION_ENVIRONMENT_ID
STAGING = seed.STAGING_ENVIRONMENT_ID
API_COMPONENT = seed.API_COMPONENT_ID
WORKER = seed.WORKER_COMPONENT_ID
WEB_COMPONENT = seed.WEB_COMPONENT_ID
UNKNOWN = "b0000000-0000-4000-8000-00000000ffff"
FOREIGN_ORG = "b0000000-0000-4000-8000-000000000001"
FOREIGN_PROJECT = "b0000000-0000-4000-8000-000000000101"
FOREIGN_ENV = "b0000000-0000-4000-8000-000000000e01"
FOREIGN_COMPONENT = "b0000000-0000-4000-8000-000000000c01"
NOT_FOUND = {"message": "Resource not found or permission denied"}
ROLLBACK = {"environment_name": "production", "component_name": "api", "current_version": "1.24.0",
            "target_version": "1.23.0"}


@pytest.fixture(autouse=True)
def _fresh(api):
    fresh(api)


def foreign_seed():
    """A second org the token's user is not in, with deploys of its own."""
    data = seed.default_seed()
    data["orgs"].append({
        "id": FOREIGN_ORG, "vcs_type": "github", "name": "other",
        "projects": [{"id": FOREIGN_PROJECT, "name": "secret", "rollback_pipeline_definition": "build-and-test"}],
        "deploy": {"environments": [{"id": FOREIGN_ENV, "name": "production"}],
                   "components": [{"id": FOREIGN_COMPONENT, "name": "secret", "project": "secret",
                                   "versions": [{"name": "1.0.0", "environment": "production"},
                                                {"name": "1.1.0", "environment": "production"}]}]},
    })
    data["users"][0]["orgs"] = ["gh/acme"]
    return data


def versions(api, component=API_COMPONENT, **query) -> list:
    """Every version of a component, following the page tokens."""
    items, params = [], dict(query)
    while True:
        body = ok(api.get(f"/deploy/components/{component}/versions", params=params))
        items += body["items"]
        if body["next_page_token"] is None:
            return items
        params["page-token"] = body["next_page_token"]


def live(api, component=API_COMPONENT, environment=PROD) -> list:
    return [v["name"] for v in versions(api, component, **{"environment-id": environment}) if v["is_live"]]


def rollback(api, project_id=API_ID, status=202, **changes):
    body = dict(ROLLBACK, **changes)
    body = {k: v for k, v in body.items() if v is not None}
    r = api.post(f"/projects/{project_id}/rollback", json=body)
    assert r.status_code == status, r.text
    return r.json()


# ---------------------------------------------------------------- environments


def test_environments_of_the_seeded_org(api):
    body = ok(api.get("/deploy/environments", params={"org-id": ORG, "page-size": 10}))
    assert body["next_page_token"] is None
    assert [(e["id"], e["name"], e["labels"]) for e in body["items"]] == [
        (PROD, "production", [{"key": "tier", "value": "prod"}]),
        (STAGING, "staging", [{"key": "tier", "value": "staging"}]),
    ]
    assert ok(api.get(f"/deploy/environments/{PROD}")) == body["items"][0]
    assert set(body["items"][0]) == {"id", "name", "description", "labels", "created_at", "updated_at"}


def test_page_size_is_optional_and_pages_follow_the_token(api):
    # the spec requires page-size; CircleCI's clients never send it (a mend, README "Spec mends")
    assert len(ok(api.get("/deploy/environments", params={"org-id": ORG}))["items"]) == 2
    first = ok(api.get("/deploy/environments", params={"org-id": ORG, "page-size": 1}))
    assert [e["name"] for e in first["items"]] == ["production"]
    second = ok(api.get("/deploy/environments", params={"org-id": ORG, "page-size": 1,
                                                         "page-token": first["next_page_token"]}))
    assert [e["name"] for e in second["items"]] == ["staging"] and second["next_page_token"] is None


def test_page_size_below_one_is_400(api):
    for size in (0, -3):
        r = api.get("/deploy/environments", params={"org-id": ORG, "page-size": size})
        assert r.status_code == 400 and r.json() == {"message": "page-size must be at least 1."}
    r = api.get("/deploy/components", params={"org-id": ORG, "page-size": "many"})
    assert r.status_code == 400 and "page-size" in r.json()["message"]


def test_a_token_of_another_list_is_404(api):
    token = ok(api.get("/deploy/environments", params={"org-id": ORG, "page-size": 1}))["next_page_token"]
    r = api.get("/deploy/components", params={"org-id": ORG, "page-size": 1, "page-token": token})
    assert r.status_code == 404


def test_org_id_must_be_a_uuid_of_an_org_of_the_user(api):
    assert api.get("/deploy/environments", params={"page-size": 5}).status_code == 400  # org-id is required
    assert api.get("/deploy/environments", params={"org-id": "gh/acme"}).status_code == 400  # a uuid (spec)
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    fast(api)
    for org_id in (UNKNOWN, FOREIGN_ORG):
        for path in ("/deploy/environments", "/deploy/components"):
            r = api.get(path, params={"org-id": org_id})
            assert r.status_code == 404 and r.json() == NOT_FOUND


def test_unknown_and_foreign_ids_are_404(api):
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    fast(api)
    for path in (f"/deploy/environments/{UNKNOWN}", f"/deploy/environments/{FOREIGN_ENV}",
                 f"/deploy/components/{UNKNOWN}", f"/deploy/components/{FOREIGN_COMPONENT}",
                 f"/deploy/components/{FOREIGN_COMPONENT}/versions", "/deploy/components/not-a-uuid"):
        r = api.get(path)
        assert r.status_code == 404 and r.json() == NOT_FOUND, path
    assert api.get("/deploy/environments/not-a-uuid").status_code == 400  # format: uuid (spec)
    # an environment of another org as a filter
    r = api.get(f"/deploy/components/{API_COMPONENT}/versions", params={"environment-id": FOREIGN_ENV})
    assert r.status_code == 404 and r.json() == NOT_FOUND


# ---------------------------------------------------------------- components and versions


def test_components_of_the_org_and_of_a_project(api):
    items = ok(api.get("/deploy/components", params={"org-id": ORG, "page-size": 20}))["items"]
    # the list answers release_count 0, as the service does; the single GET the true count
    assert [(c["name"], c["project_id"], c["release_count"]) for c in items] == [
        ("api", API_ID, 0), ("worker", API_ID, 0), ("web", WEB_ID, 0)]
    assert set(items[0]) == {"id", "name", "project_id", "labels", "release_count", "created_at", "updated_at"}
    assert [ok(api.get(f"/deploy/components/{c['id']}"))["release_count"] for c in items] == [27, 2, 3]
    of_api = ok(api.get("/deploy/components", params={"org-id": ORG, "project-id": API_ID}))["items"]
    assert [c["name"] for c in of_api] == ["api", "worker"]
    assert ok(api.get("/deploy/components", params={"org-id": ORG, "project-id": UNKNOWN}))["items"] == []
    assert ok(api.get(f"/deploy/components/{WORKER}")) == dict(items[1], release_count=2)


def test_component_name_filters_by_substring(api):
    # not in the spec: CircleCI-Labs' Terraform provider sends it, and the service matches substrings
    named = ok(api.get("/deploy/components", params={"org-id": ORG, "component-name": "w"}))["items"]
    assert [c["name"] for c in named] == ["worker", "web"]
    assert ok(api.get("/deploy/components", params={"org-id": ORG, "component-name": "nope"}))["items"] == []


def test_versions_newest_first_over_two_pages_one_live_per_environment_and_namespace(api):
    first = ok(api.get(f"/deploy/components/{API_COMPONENT}/versions"))
    assert len(first["items"]) == 20 and first["next_page_token"]  # the emulator's page size
    every = versions(api)
    assert len(every) == 27
    stamps = [v["last_deployed_at"] for v in every]
    assert stamps == sorted(stamps, reverse=True)
    assert [(v["name"], v["environment_id"]) for v in every if v["is_live"]] == [
        ("1.25.0", STAGING), ("1.24.0", PROD)]
    prod = versions(api, **{"environment-id": PROD})
    assert [v["name"] for v in prod[:3]] == ["1.24.0", "1.23.0", "1.22.0"] and len(prod) == 25
    version = prod[0]
    assert set(version) == {"name", "environment_id", "namespace", "is_live", "pipeline_id", "workflow_id",
                            "job_id", "last_deployed_at"}  # no job_number: none was recorded
    assert version["pipeline_id"] == version["workflow_id"] == version["job_id"] == ZERO_UUID
    assert [(v["name"], v["namespace"], v["is_live"]) for v in versions(api, WORKER)] == [
        ("2.1.0", "jobs", True), ("2.0.0", "jobs", False)]


# ---------------------------------------------------------------- rollback


def test_rollback_starts_a_pipeline_that_deploys_the_target_version(api):
    body = rollback(api, reason="5xx after the release", parameters={"emulator_job_seconds": "0.05", "notify": True})
    assert set(body) == {"id", "rollback_type"} and body["rollback_type"] == "PIPELINE"
    pipeline = ok(api.get(f"/pipeline/{body['id']}"))
    assert pipeline["project_slug"] == "gh/acme/api" and pipeline["vcs"]["branch"] == "main"
    (workflow,) = ok(api.get(f"/pipeline/{body['id']}/workflow"))["items"]
    assert workflow["name"] == "rollback"
    assert [j["name"] for j in ok(api.get(f"/workflow/{workflow['id']}/job"))["items"]] == ["rollback"]
    assert wait_status(api, workflow["id"], "success")
    values = ok(api.get(f"/pipeline/{body['id']}/values"))
    assert values["pipeline.deploy.component_name"] == "api"
    assert values["pipeline.deploy.environment_name"] == "production"
    assert values["pipeline.deploy.namespace"] == "default"
    assert values["pipeline.deploy.current_version"] == "1.24.0"
    assert values["pipeline.deploy.target_version"] == "1.23.0"
    assert values["pipeline.deploy.reason"] == "5xx after the release"
    assert values["pipeline.parameters.notify"] is True
    # the target version is live now, deployed by the rollback's pipeline, workflow and job
    assert live(api) == ["1.23.0"]
    newest = versions(api, **{"environment-id": PROD})[0]
    assert newest["name"] == "1.23.0" and newest["pipeline_id"] == body["id"]
    assert newest["workflow_id"] == workflow["id"] and newest["job_number"] >= 1
    assert live(api, environment=STAGING) == ["1.25.0"]  # another environment is untouched
    assert ok(api.get(f"/deploy/components/{API_COMPONENT}"))["release_count"] == 28
    state = api.state()
    (recorded,) = state["deploy"]["rollbacks"]
    assert recorded["pipeline_id"] == body["id"] and recorded["deployed"] is True
    assert recorded["reason"] == "5xx after the release"
    (dumped,) = [p for p in state["pipelines"] if p["id"] == body["id"]]
    assert dumped["definition_id"] == seed.ACME_API_DEFINITION_ID  # the project's rollback pipeline definition
    assert state["deploy"]["rollback_pipeline_definitions"] == {"gh/acme/api": seed.ACME_API_DEFINITION_ID}
    # the pipeline is listed among the project's pipelines
    listed = ok(api.get("/project/gh/acme/api/pipeline"))["items"]
    assert listed[0]["id"] == body["id"]


def test_a_failed_rollback_changes_nothing_until_a_rerun_succeeds(api):
    body = rollback(api, parameters={"emulator_outcome": "failed", "emulator_job_seconds": "0.05"})
    (workflow,) = ok(api.get(f"/pipeline/{body['id']}/workflow"))["items"]
    assert wait_status(api, workflow["id"], "failed")
    assert live(api) == ["1.24.0"]
    assert api.state()["deploy"]["rollbacks"][0]["deployed"] is False
    rerun = ok(api.post(f"/workflow/{workflow['id']}/rerun", json={"from_failed": True}), 202)
    assert wait_status(api, rerun["workflow_id"], "success")
    assert live(api) == ["1.23.0"]


def test_rollback_needs_each_required_field(api):
    for name in ROLLBACK:
        r = api.post(f"/projects/{API_ID}/rollback", json={k: v for k, v in ROLLBACK.items() if k != name})
        assert r.status_code == 400 and name in r.json()["message"]
    for changes in ({"environment_name": 7}, {"namespace": 5}, {"parameters": ["a"]}, {"extra": "x"}):
        assert api.post(f"/projects/{API_ID}/rollback", json=dict(ROLLBACK, **changes)).status_code == 400
    assert api.post(f"/projects/{API_ID}/rollback").status_code == 400  # the body is required
    assert api.state()["deploy"]["rollbacks"] == [] and api.state()["pipelines"] == []


def test_rollback_handler_checks_what_the_spec_cannot(api):
    for changes, message in (
            ({"component_name": "  "}, "component_name must be a non-empty string."),
            ({"namespace": ""}, "namespace must be a non-empty string."),
            ({"parameters": {"k" * 129: 1}}, "longer than 128"),
            ({"parameters": {"nested": {"a": 1}}}, "must be a string, a number or a boolean")):
        r = api.post(f"/projects/{API_ID}/rollback", json=dict(ROLLBACK, **changes))
        assert r.status_code == 400 and message in r.json()["message"], r.text
    assert api.state()["pipelines"] == []


def test_the_lax_emulator_still_refuses_a_missing_field():
    with Emulator(strict=False) as lax:
        api = Api(lax)
        body = {k: v for k, v in ROLLBACK.items() if k != "target_version"}
        r = api.post(f"/projects/{API_ID}/rollback", json=body)
        assert r.status_code == 400 and r.json() == {"message": "target_version is required."}
        r = api.get("/deploy/environments", params={"org-id": ORG, "page-size": "x"})
        assert r.status_code == 400 and r.json() == {"message": "page-size must be an integer."}


@pytest.mark.parametrize("changes,message", [
    ({"environment_name": "qa"}, "Environment qa not found."),
    ({"component_name": "web"}, "Component web not found in this project."),  # a component of gh/acme/web
    ({"component_name": "nope"}, "Component nope not found in this project."),
    ({"target_version": "0.9.0"}, "Version 0.9.0 of component api was never deployed to production."),
    ({"current_version": "1.25.0"}, "Version 1.25.0 of component api was never deployed to production."),  # staging only
    ({"namespace": "jobs"}, "Version 1.24.0 of component api was never deployed to production (namespace jobs)."),
])
def test_rollback_of_what_does_not_exist_is_404(api, changes, message):
    r = api.post(f"/projects/{API_ID}/rollback", json=dict(ROLLBACK, **changes))
    assert r.status_code == 404 and r.json() == {"message": message}
    assert api.state()["pipelines"] == []


def test_rollback_of_unknown_or_foreign_projects_is_404(api):
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    fast(api)
    for project_id in (UNKNOWN, FOREIGN_PROJECT, "not-a-uuid"):
        r = api.post(f"/projects/{project_id}/rollback",
                     json=dict(ROLLBACK, component_name="secret", current_version="1.1.0", target_version="1.0.0"))
        assert r.status_code == 404 and r.json() == {"message": "Project not found"}


def test_rollback_of_a_project_without_a_rollback_pipeline_is_409(api):
    r = api.post(f"/projects/{WEB_ID}/rollback",
                 json=dict(ROLLBACK, component_name="web", current_version="3.1.0", target_version="3.0.0"))
    assert r.status_code == 409 and r.json() == {"message": "No rollback pipeline definition is configured for this project."}
    assert api.state()["pipelines"] == []


def test_a_version_in_several_namespaces_needs_the_namespace(api):
    data = seed.default_seed()
    component = data["orgs"][0]["deploy"]["components"][1]  # worker, namespace jobs
    component["versions"] += [{"name": "2.0.0", "environment": "production", "namespace": "batch"},
                              {"name": "2.1.0", "environment": "production", "namespace": "batch"}]
    api.admin("POST", "/reset", json={"seed": data})
    fast(api)
    body = dict(ROLLBACK, component_name="worker", current_version="2.1.0", target_version="2.0.0")
    r = api.post(f"/projects/{API_ID}/rollback", json=body)
    assert r.status_code == 400 and r.json()["message"].startswith("namespace is required")
    answer = rollback(api, **dict(body, namespace="batch", parameters={"emulator_job_seconds": "0.05"}))
    (workflow,) = ok(api.get(f"/pipeline/{answer['id']}/workflow"))["items"]
    assert wait_status(api, workflow["id"], "success")
    by_namespace = {(v["namespace"], v["name"]): v["is_live"] for v in versions(api, WORKER)}
    assert by_namespace == {("batch", "2.0.0"): True, ("batch", "2.1.0"): False,
                            ("jobs", "2.1.0"): True, ("jobs", "2.0.0"): False}


# ---------------------------------------------------------------- seed


def test_seed_deploys_reset_with_the_store(api):
    assert len(api.state()["deploy"]["components"]) == 3
    data = seed.default_seed()
    del data["orgs"][0]["deploy"]
    api.admin("POST", "/reset", json={"seed": data})
    assert ok(api.get("/deploy/environments", params={"org-id": ORG}))["items"] == []
    assert api.state()["deploy"]["components"] == []


def test_seeded_times_ids_and_labels(api):
    data = seed.default_seed()
    data["orgs"][0]["deploy"] = {
        "environments": [{"id": PROD, "name": "production", "labels": [{"key": "a", "value": "b"}]}],
        "components": [{"id": API_COMPONENT, "name": "api", "project": API_ID, "versions": [
            {"name": "1.0.0", "environment": "production", "deployed_at": "2025-01-10T12:00:00.000Z",
             "pipeline_id": UNKNOWN, "workflow_id": UNKNOWN, "job_id": UNKNOWN, "job_number": 12}]}],
    }
    api.admin("POST", "/reset", json={"seed": data})
    assert ok(api.get(f"/deploy/environments/{PROD}"))["labels"] == [{"key": "a", "value": "b"}]
    (version,) = versions(api)
    assert version == {"name": "1.0.0", "environment_id": PROD, "namespace": "default", "is_live": True,
                       "pipeline_id": UNKNOWN, "workflow_id": UNKNOWN, "job_id": UNKNOWN, "job_number": 12,
                       "last_deployed_at": "2025-01-10T12:00:00.000Z"}


def _bad(mutate):
    data = seed.default_seed()
    mutate(data)
    return data


BAD_SEEDS = {
    "rollback definition of another project": lambda d: d["orgs"][0]["projects"][0].update(
        rollback_pipeline_definition=seed.ACME_WEB_DEFINITION_ID),
    "component of an unknown project": lambda d: d["orgs"][0]["deploy"]["components"][0].update(project="nope"),
    "component of a project of another org": lambda d: d["orgs"][0]["deploy"]["components"][0].update(
        project=seed.STANDALONE_PROJECT_ID),
    "version of an unknown environment": lambda d: d["orgs"][0]["deploy"]["components"][0]["versions"].append(
        {"name": "9.0.0", "environment": "qa"}),
    "version listed twice": lambda d: d["orgs"][0]["deploy"]["components"][1]["versions"].append(
        {"name": "2.0.0", "environment": "production", "namespace": "jobs"}),
    "environment without a name": lambda d: d["orgs"][0]["deploy"]["environments"][0].pop("name"),
    "component id not a uuid": lambda d: d["orgs"][0]["deploy"]["components"][0].update(id="api"),
    "label without a value": lambda d: d["orgs"][0]["deploy"]["environments"][0].update(labels=[{"key": "a"}]),
}


@pytest.mark.parametrize("name", sorted(BAD_SEEDS))
def test_bad_deploy_seeds_are_refused(api, name):
    data = _bad(BAD_SEEDS[name])
    with pytest.raises(SeedError):
        Store(copy.deepcopy(data))
    assert api.admin("POST", "/reset", json={"seed": data}).status_code == 400
