"""Pipeline definitions and triggers: create, read, patch, delete, and the live service's rules.

Each rule is checked with strict validation (the spec answers what it can say) and without it
(the handler answers it all the same), see docs/dev/API-BEHAVIOUR.md "Pipeline definitions"
and "Triggers".
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.store import Store
from conftest import Api
from pipeline_helpers import RUN_PATHS, STANDALONE, fast, ok

PROJECT = seed.STANDALONE_PROJECT_ID
DEFINITIONS = f"/projects/{PROJECT}/pipeline-definitions"
OTHER_REPO = "987654321"


@pytest.fixture(scope="module")
def lax_emu():
    with Emulator(strict=False) as emulator:
        yield emulator


@pytest.fixture(params=["strict", "lax"])
def any_api(request, api, lax_emu):
    """The same test against a strict emulator and one that serves what the spec refuses."""
    if request.param == "strict":
        yield api
        return
    client = Api(lax_emu)
    client.admin("POST", "/reset")
    yield client
    client.session.close()


def own_repo(project_id: str = PROJECT) -> str:
    return Store().projects[project_id].repo_external_id


def definition_body(**changes) -> dict:
    body = {
        "name": "deploy",
        "description": "Deploys main",
        "config_source": {"provider": "github_app", "repo": {"external_id": own_repo()}, "file_path": ".circleci/deploy.yml"},
        "checkout_source": {"provider": "github_app", "repo": {"external_id": own_repo()}},
    }
    body.update(changes)
    return body


def create_definition(api, **changes) -> dict:
    return ok(api.post(DEFINITIONS, json=definition_body(**changes)))


def triggers_path(definition_id: str) -> str:
    return f"{DEFINITIONS}/{definition_id}/triggers"


def trigger_path(trigger_id: str) -> str:
    return f"/projects/{PROJECT}/triggers/{trigger_id}"


def webhook_trigger(**changes) -> dict:
    body = {"event_source": {"provider": "webhook", "webhook": {"sender": "datadog"}}, "event_name": "deploy-request",
            "checkout_ref": "main", "config_ref": "main"}
    body.update(changes)
    return body


def repo_trigger(repo: str | None = None, **changes) -> dict:
    body = {"event_source": {"provider": "github_app", "repo": {"external_id": repo or own_repo()}},
            "event_preset": "all-pushes"}
    body.update(changes)
    return body


def refused(response, text: str) -> None:
    """A 400 whose message holds `text` (the handler's own words, or the spec violation's)."""
    assert response.status_code == 400, (response.status_code, response.text)
    assert text in response.json()["message"], response.json()


# ---------------------------------------------------------------- definitions


def test_create_definition_answers_the_definition_with_resolved_repositories(api):
    d = create_definition(api, checkout_source={"provider": "github_app", "repo": {"external_id": OTHER_REPO}})
    assert set(d) == {"id", "name", "description", "created_at", "config_source", "checkout_source"}
    assert d["name"] == "deploy" and d["description"] == "Deploys main"
    assert d["config_source"] == {"provider": "github_app", "file_path": ".circleci/deploy.yml",
                                  "repo": {"external_id": own_repo(), "full_name": "acme-standalone/platform"}}
    # a repository that is no project's: named as CircleCI's fake names them
    assert d["checkout_source"] == {"provider": "github_app",
                                    "repo": {"external_id": OTHER_REPO, "full_name": f"acme-standalone/repo-{OTHER_REPO}"}}
    assert ok(api.get(f"{DEFINITIONS}/{d['id']}")) == d
    names = [item["name"] for item in ok(api.get(DEFINITIONS))["items"]]
    assert names == ["build-and-test", "deploy"]  # creation order, all at once
    assert ok(api.get(triggers_path(d["id"]))) == {"items": []}


def test_seeded_definitions_name_the_projects_own_numeric_repository(api):
    (d,) = ok(api.get(DEFINITIONS))["items"]
    assert d["config_source"]["repo"] == {"external_id": own_repo(), "full_name": "acme-standalone/platform"}
    assert own_repo().isdigit()
    assert d["checkout_source"]["repo"] == d["config_source"]["repo"]


def test_circleci_config_source_has_no_repository_and_description_defaults_to_empty(api):
    body = definition_body(config_source={"provider": "circleci", "file_path": ".circleci/config.yml"})
    del body["description"]
    d = ok(api.post(DEFINITIONS, json=body))
    assert d["config_source"] == {"provider": "circleci", "file_path": ".circleci/config.yml"}
    assert d["description"] == ""


@pytest.mark.parametrize("changes,text", [
    ({"config_source": None}, "config_source"),
    ({"checkout_source": None}, "checkout_source"),
    ({"name": None}, "name"),
    ({"name": " "}, "name"),
    ({"config_source": {"provider": "github_app", "file_path": "x.yml"}}, "config_source"),
    ({"config_source": {"provider": "circleci", "repo": {"external_id": "1"}, "file_path": "x.yml"}}, "config_source"),
    ({"config_source": {"provider": "github_app", "repo": {"external_id": "1"}}}, "config_source"),
    ({"config_source": {"provider": "gitlab", "file_path": "x.yml"}}, "config_source"),
    ({"checkout_source": {"provider": "github_app"}}, "checkout_source"),
    ({"checkout_source": {"provider": "circleci", "repo": {"external_id": "1"}}}, "checkout_source"),
    ({"colour": "blue"}, "colour"),
])
def test_create_definition_refuses_what_the_service_refuses(any_api, changes, text):
    body = definition_body(**changes)
    for key in [key for key, value in body.items() if value is None]:
        del body[key]
    refused(any_api.post(DEFINITIONS, json=body), text)
    assert [d["name"] for d in ok(any_api.get(DEFINITIONS))["items"]] == ["build-and-test"]


def test_patch_changes_only_what_it_names(api):
    d = create_definition(api)
    after = ok(api.request("PATCH", f"{DEFINITIONS}/{d['id']}", json={"description": "Deploys main to production"}))
    assert after == dict(d, description="Deploys main to production")
    after = ok(api.request("PATCH", f"{DEFINITIONS}/{d['id']}", json={
        "name": "release", "config_source": {"file_path": ".circleci/release.yml"},
        "checkout_source": {"provider": "github_app", "repo": {"external_id": OTHER_REPO}}}))
    assert after["name"] == "release" and after["description"] == "Deploys main to production"
    assert after["config_source"]["file_path"] == ".circleci/release.yml"
    assert after["config_source"]["repo"]["external_id"] == own_repo()
    assert after["checkout_source"]["repo"]["external_id"] == OTHER_REPO
    assert ok(api.get(f"{DEFINITIONS}/{d['id']}")) == after


@pytest.mark.parametrize("body,text", [
    ({"config_source": {"repo": {"external_id": "1"}}}, "config_source"),
    ({"config_source": {"provider": "circleci"}}, "config_source"),
    ({"config_source": {"file_path": ""}}, "file_path"),
    ({"checkout_source": {"provider": "circleci"}}, "checkout_source"),
    ({"name": ""}, "name"),
    ({"id": "x"}, "id"),
])
def test_patch_refuses_what_it_cannot_change(any_api, body, text):
    d = create_definition(any_api)
    refused(any_api.request("PATCH", f"{DEFINITIONS}/{d['id']}", json=body), text)
    assert ok(any_api.get(f"{DEFINITIONS}/{d['id']}")) == d


def test_delete_definition_deletes_its_triggers(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=webhook_trigger()))
    assert ok(api.delete(f"{DEFINITIONS}/{d['id']}")) == {"message": "Pipeline definition deleted."}
    assert api.get(f"{DEFINITIONS}/{d['id']}").status_code == 404
    assert api.get(trigger_path(t["id"])).status_code == 404
    assert api.delete(f"{DEFINITIONS}/{d['id']}").status_code == 404
    assert api.state()["pipeline_definitions"][-1]["id"] == seed.STANDALONE_DEFINITION_ID


def test_definitions_of_other_projects_are_not_found(api):
    d = create_definition(api)
    other = f"/projects/{seed.ACME_API_PROJECT_ID}/pipeline-definitions/{d['id']}"
    for method in ("GET", "DELETE"):
        assert api.request(method, other).status_code == 404
    assert api.request("PATCH", other, json={"description": "x"}).status_code == 404
    assert api.post(f"{other}/triggers", json=webhook_trigger()).status_code == 404
    assert api.post("/projects/b0000000-0000-4000-8000-00000000ffff/pipeline-definitions",
                    json=definition_body()).status_code == 404


def test_a_created_definition_runs_pipelines(api):
    fast(api)
    d = create_definition(api)
    r = api.post(RUN_PATHS[STANDALONE], json={"definition_id": d["id"], "config": {"branch": "main"}})
    assert r.status_code == 201, r.text
    pipeline = [p for p in api.state()["pipelines"] if p["id"] == r.json()["id"]][0]
    assert pipeline["definition_id"] == d["id"]
    api.delete(f"{DEFINITIONS}/{d['id']}")
    assert api.post(RUN_PATHS[STANDALONE], json={"definition_id": d["id"]}).status_code == 404


# ---------------------------------------------------------------- triggers


def test_webhook_trigger_answers_its_url_with_a_secret(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=webhook_trigger()))
    url = urlsplit(t["event_source"]["webhook"]["url"])
    assert url.scheme == "https" and url.path == f"/private/soc/e/{t['id']}"
    (secret,) = parse_qs(url.query)["secret"]
    assert len(secret) >= 24
    assert t["event_source"] == {"provider": "webhook", "webhook": {"url": t["event_source"]["webhook"]["url"],
                                                                    "sender": "datadog"}}
    assert (t["event_name"], t["checkout_ref"], t["config_ref"], t["disabled"]) == ("deploy-request", "main", "main", False)
    assert "event_preset" not in t
    assert ok(api.get(trigger_path(t["id"]))) == t
    assert ok(api.get(triggers_path(d["id"]))) == {"items": [t]}
    (dumped,) = api.state()["pipeline_definitions"][-1]["triggers"]
    assert dumped["webhook_url"] == t["event_source"]["webhook"]["url"]
    # another trigger, another secret
    other = ok(api.post(triggers_path(d["id"]), json=webhook_trigger(event_name="other")))
    assert parse_qs(urlsplit(other["event_source"]["webhook"]["url"]).query)["secret"] != [secret]


@pytest.mark.parametrize("missing", ["checkout_ref", "config_ref"])
def test_webhook_trigger_needs_both_refs(any_api, missing):
    d = create_definition(any_api)
    body = webhook_trigger()
    del body[missing]
    refused(any_api.post(triggers_path(d["id"]), json=body), f"{missing} is required when event_source.provider is webhook")
    refused(any_api.post(triggers_path(d["id"]), json=dict(body, **{missing: ""})), missing)
    assert ok(any_api.get(triggers_path(d["id"]))) == {"items": []}


def test_repository_trigger_on_the_definitions_repository_has_empty_refs(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=repo_trigger()))
    assert t["checkout_ref"] == "" and t["config_ref"] == ""  # always answered, "" when never set
    assert t["event_source"] == {"provider": "github_app",
                                 "repo": {"external_id": own_repo(), "full_name": "acme-standalone/platform"}}
    assert t["event_preset"] == "all-pushes" and t["event_name"] == "" and t["disabled"] is False


@pytest.mark.parametrize("ref", ["checkout_ref", "config_ref"])
def test_repository_trigger_refs_must_be_omitted_for_the_definitions_repository(any_api, ref):
    d = create_definition(any_api)
    refused(any_api.post(triggers_path(d["id"]), json=repo_trigger(**{ref: "main"})), f"{ref} must be omitted")


def test_repository_trigger_from_another_repository_needs_the_refs(any_api):
    d = create_definition(any_api)
    refused(any_api.post(triggers_path(d["id"]), json=repo_trigger(OTHER_REPO)), "checkout_ref is required")
    refused(any_api.post(triggers_path(d["id"]), json=repo_trigger(OTHER_REPO, checkout_ref="main")), "config_ref is required")
    t = ok(any_api.post(triggers_path(d["id"]), json=repo_trigger(OTHER_REPO, checkout_ref="main", config_ref="v2")))
    assert (t["checkout_ref"], t["config_ref"]) == ("main", "v2")
    assert t["event_source"]["repo"]["full_name"] == f"acme-standalone/repo-{OTHER_REPO}"


def test_only_the_differing_source_needs_its_ref(api):
    """Config from the project's repository, checkout from another: only checkout_ref is needed."""
    d = create_definition(api, checkout_source={"provider": "github_app", "repo": {"external_id": OTHER_REPO}})
    t = ok(api.post(triggers_path(d["id"]), json=repo_trigger(checkout_ref="main")))
    assert (t["checkout_ref"], t["config_ref"]) == ("main", "")
    # a config kept by CircleCI has no repository: config_ref is neither needed nor refused
    d = create_definition(api, config_source={"provider": "circleci", "file_path": "x.yml"})
    ok(api.post(triggers_path(d["id"]), json=repo_trigger()))


@pytest.mark.parametrize("body,text", [
    ({"event_source": {}}, "provider"),
    ({}, "event_source"),
    ({"event_source": {"provider": "bitbucket"}}, "bitbucket"),
    ({"event_source": {"provider": "github_app"}, "event_preset": "all-pushes"}, "event_source.repo"),
    ({"event_source": {"provider": "webhook", "repo": {"external_id": "1"}}, "checkout_ref": "m", "config_ref": "m"},
     "event_source.repo"),
    (dict(repo_trigger(), event_source={"provider": "github_app", "repo": {"external_id": "1"}, "webhook": {}}),
     "event_source.webhook"),
    (dict(repo_trigger(), event_name="push"), "event_name"),
    (dict(repo_trigger(), disabled=True), "disabled"),
    (dict(repo_trigger(), event_preset="every-push"), "every-push"),
    (webhook_trigger(event_preset="all-pushes"), "event_preset"),
    (webhook_trigger(colour="blue"), "colour"),
])
def test_create_trigger_refuses_what_the_service_refuses(any_api, body, text):
    d = create_definition(any_api)
    refused(any_api.post(triggers_path(d["id"]), json=body), text)
    assert ok(any_api.get(triggers_path(d["id"]))) == {"items": []}


def test_repository_trigger_takes_disabled_false_as_the_terraform_provider_sends_it(api):
    d = create_definition(api)
    assert ok(api.post(triggers_path(d["id"]), json=repo_trigger(disabled=False)))["disabled"] is False


def test_clients_extras_are_accepted_and_answered(api):
    """circleci-cli sends name and description, the Terraform provider parameters (spec mend 7)."""
    d = create_definition(api)
    body = webhook_trigger(name="deploy", description="from chatops", parameters={"deploy": True})
    t = ok(api.post(triggers_path(d["id"]), json=body))
    assert (t["name"], t["description"], t["parameters"]) == ("deploy", "from chatops", {"deploy": True})
    t = ok(api.request("PATCH", trigger_path(t["id"]), json={"parameters": {"deploy": False}}))
    assert t["parameters"] == {"deploy": False}


@pytest.mark.parametrize("field", ["repo", "provider"])
def test_patch_naming_the_event_source_answers_the_live_error(any_api, field):
    d = create_definition(any_api)
    t = ok(any_api.post(triggers_path(d["id"]), json=repo_trigger()))
    value = {"external_id": OTHER_REPO} if field == "repo" else "github_app"
    r = any_api.request("PATCH", trigger_path(t["id"]), json={"event_source": {field: value}})
    assert r.status_code == 400 and r.json() == {"message": f"Unexpected field 'event_source.{field}'"}
    assert ok(any_api.get(trigger_path(t["id"]))) == t


def test_patch_webhook_trigger(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=webhook_trigger()))
    after = ok(api.request("PATCH", trigger_path(t["id"]), json={
        "event_name": "release", "disabled": True, "checkout_ref": "release", "event_source": {"webhook": {"sender": "slack"}}}))
    assert after["event_name"] == "release" and after["disabled"] is True
    assert (after["checkout_ref"], after["config_ref"]) == ("release", "main")
    assert after["event_source"]["webhook"] == {"url": t["event_source"]["webhook"]["url"], "sender": "slack"}
    assert after["id"] == t["id"] and after["created_at"] == t["created_at"]
    assert ok(api.get(trigger_path(t["id"]))) == after


def test_patch_repository_trigger_preset(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=repo_trigger()))
    assert ok(api.request("PATCH", trigger_path(t["id"]), json={"event_preset": "only-tags"}))["event_preset"] == "only-tags"


@pytest.mark.parametrize("webhook,body,text", [
    (False, {"event_name": "x"}, "event_name"),
    (False, {"disabled": True}, "disabled"),
    (False, {"event_source": {"webhook": {"sender": "x"}}}, "event_source.webhook"),
    (False, {"checkout_ref": "main"}, "checkout_ref must be omitted"),
    (True, {"event_preset": "all-pushes"}, "event_preset"),
    (True, {"checkout_ref": ""}, "checkout_ref is required"),
    (True, {"colour": "blue"}, "colour"),
])
def test_patch_trigger_refuses_what_the_service_refuses(any_api, webhook, body, text):
    d = create_definition(any_api)
    t = ok(any_api.post(triggers_path(d["id"]), json=webhook_trigger() if webhook else repo_trigger()))
    refused(any_api.request("PATCH", trigger_path(t["id"]), json=body), text)
    assert ok(any_api.get(trigger_path(t["id"]))) == t


def test_delete_trigger(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=webhook_trigger()))
    assert ok(api.delete(trigger_path(t["id"]))) == {"message": "Trigger deleted."}
    assert api.get(trigger_path(t["id"])).status_code == 404
    assert api.delete(trigger_path(t["id"])).status_code == 404
    assert ok(api.get(triggers_path(d["id"]))) == {"items": []}


def test_triggers_of_other_projects_are_not_found(api):
    d = create_definition(api)
    t = ok(api.post(triggers_path(d["id"]), json=webhook_trigger()))
    other = f"/projects/{seed.ACME_API_PROJECT_ID}/triggers/{t['id']}"
    assert api.get(other).status_code == 404
    assert api.delete(other).status_code == 404
    assert api.request("PATCH", other, json={"event_name": "x"}).status_code == 404
    assert api.get(trigger_path("not-a-uuid")).status_code == 404


# ---------------------------------------------------------------- store and seed


def test_deleting_a_projects_definitions_deletes_their_triggers():
    """A project's deletion (Store.delete_project) takes its definitions and their triggers."""
    data = seed.default_seed()
    data["orgs"][1]["projects"][0]["pipeline_definitions"][0]["triggers"] = [webhook_trigger()]
    store = Store(data)
    assert len(store.triggers) == 1
    store.delete_project(store.projects[PROJECT])
    assert not [d for d in store.pipeline_definitions.values() if d.project_id == PROJECT]
    assert store.triggers == {}
    assert store.pipeline_definitions  # the other projects keep theirs


def test_seed_definitions_with_sources_and_triggers(api):
    trigger_id = "e1000000-0000-4000-8000-000000000001"
    data = seed.default_seed()
    data["orgs"][1]["projects"][0]["pipeline_definitions"] = [{
        "id": seed.STANDALONE_DEFINITION_ID, "name": "deploy",
        "config_source": {"provider": "circleci", "file_path": ".circleci/deploy.yml"},
        "checkout_source": {"provider": "github_app", "repo": {"external_id": OTHER_REPO}},
        "triggers": [dict(webhook_trigger(), id=trigger_id,
                          event_source={"provider": "webhook", "webhook": {"sender": "ci", "secret": "seeded-secret"}}),
                     repo_trigger()],
    }]
    assert api.admin("POST", "/reset", json={"seed": data}).status_code == 200
    (d,) = ok(api.get(DEFINITIONS))["items"]
    assert d["config_source"] == {"provider": "circleci", "file_path": ".circleci/deploy.yml"}
    assert d["checkout_source"]["repo"]["external_id"] == OTHER_REPO
    webhook, repo = ok(api.get(triggers_path(d["id"])))["items"]
    assert webhook["id"] == trigger_id
    assert webhook["event_source"]["webhook"]["url"].endswith(f"/{trigger_id}?secret=seeded-secret")
    assert repo["event_source"]["repo"]["external_id"] == own_repo()
    (dumped,) = api.state()["pipeline_definitions"][-1:]
    assert dumped["config_source"] == {"provider": "circleci", "repo_external_id": None, "file_path": ".circleci/deploy.yml"}
    assert [t["provider"] for t in dumped["triggers"]] == ["webhook", "github_app"]
