"""The self-hosted runner API under /api/v3 (and /api/v2/runner): each rule of api/runner.py.

Every answer here is also checked against data/runner-api.json by the hook in conftest.py.
"""

from __future__ import annotations

import json

import pytest
import requests
from jsonschema import Draft202012Validator

import conftest
from circleci_emulator import Emulator
from circleci_emulator.api.runner import routes
from circleci_emulator.runner_schema import DATA, get_runner_api
from circleci_emulator.seed import (
    RUNNER_CLASS,
    RUNNER_CLASS_ID,
    RUNNER_GPU_CLASS,
    RUNNER_MACOS_CLASS,
    STANDALONE_ORG_ID,
    default_seed,
)
from conftest import TOKEN, Api

UNKNOWN_ID = "00000000-0000-4000-8000-00000000dead"


class Runner:
    """Requests to the runner API of the emulator behind `api` (same session, same token)."""

    def __init__(self, api: Api, prefix: str = "/api/v3"):
        self.api = api
        self.prefix = prefix

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.api.session.request(method, self.api.emu.base + self.prefix + path, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def create_class(self, name="acme/build", description="Build machines"):
        r = self.post("/runner/resource", json={"resource_class": name, "description": description})
        assert r.status_code == 200, r.text
        return r.json()

    def create_token(self, resource_class="acme/build", nickname="host-1"):
        r = self.post("/runner/token", json={"resource_class": resource_class, "nickname": nickname})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def runner(api):
    return Runner(api)


def state_classes(api) -> dict:
    return {rc["resource_class"]: rc for rc in api.state()["runner"]["resource_classes"]}


# ---------------------------------------------------------------- the description itself


def test_the_description_is_valid_json_schema_and_every_operation_has_a_handler():
    data = json.loads(DATA.read_text())
    Draft202012Validator.check_schema(data)
    assert get_runner_api().templates() == set(routes.table)


# ---------------------------------------------------------------- seed, agents, task counts


def test_seed_has_a_namespace_per_org_and_a_class_with_a_connected_agent(api):
    runner = api.state()["runner"]
    assert {(n["name"], n["org_id"]) for n in runner["namespaces"]} == {
        ("acme", "a0000000-0000-4000-8000-000000000001"), ("acme-platform", STANDALONE_ORG_ID)}
    linux = state_classes(api)[RUNNER_CLASS]
    assert linux["id"] == RUNNER_CLASS_ID
    assert [a["hostname"] for a in linux["agents"]] == ["runner-1.acme.internal", "runner-2.acme.internal"]
    assert [t["nickname"] for t in linux["tokens"]] == ["fleet"]


def test_agents_by_namespace(runner):
    r = runner.get("/runner", params={"namespace": "acme"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(a["resource_class"], a["hostname"]) for a in items] == [
        (RUNNER_CLASS, "runner-1.acme.internal"), (RUNNER_CLASS, "runner-2.acme.internal"),
        (RUNNER_MACOS_CLASS, "mac-1.acme.internal")]
    assert items[0] == {"resource_class": RUNNER_CLASS, "hostname": "runner-1.acme.internal", "name": "runner-1",
                        "first_connected": "2026-01-05T09:00:00Z", "last_connected": "2026-03-02T10:00:00Z",
                        "last_used": "2026-03-02T09:58:00Z", "version": "3.1.2", "ip": "10.0.0.11"}
    assert items[2]["last_used"] is None and "ip" not in items[2]  # never used; no ip reported


def test_agents_by_resource_class_and_both_filters(runner):
    r = runner.get("/runner", params={"resource-class": RUNNER_GPU_CLASS})
    assert [a["hostname"] for a in r.json()["items"]] == ["gpu-1.acme.internal"]
    r = runner.get("/runner", params={"resource-class": RUNNER_CLASS, "namespace": "acme"})
    assert [a["name"] for a in r.json()["items"]] == ["runner-1", "runner-2"]
    r = runner.get("/runner", params={"resource-class": RUNNER_GPU_CLASS, "namespace": "acme"})
    assert r.status_code == 200 and r.json() == {"items": []}  # the class is not of that namespace
    r = runner.get("/runner", params={"resource-class": "acme/no-such-class"})
    assert r.status_code == 200 and r.json() == {"items": []}


def test_agents_need_a_filter(runner, api):
    r = runner.get("/runner")
    assert r.status_code == 400
    assert api.log()[-1]["violation"] == r.json()["message"]


def test_task_counts(runner):
    assert runner.get("/runner/tasks", params={"resource-class": RUNNER_CLASS}).json() == {"unclaimed_task_count": 2}
    assert runner.get("/runner/tasks/running", params={"resource-class": RUNNER_CLASS}).json() == {"running_runner_tasks": 1}
    assert runner.get("/runner/tasks", params={"resource-class": RUNNER_GPU_CLASS}).json() == {"unclaimed_task_count": 0}
    r = runner.get("/runner/tasks/running", params={"resource-class": "acme/no-such-class"})
    assert r.status_code == 404 and r.json() == {"message": "resource class not found"}
    assert runner.get("/runner/tasks").status_code == 400


# ---------------------------------------------------------------- resource classes


def test_create_and_list_resource_classes(runner, api):
    r = runner.post("/runner/resource", json={"resource_class": "acme/build", "description": "Build machines"})
    assert r.status_code == 200
    created = r.json()
    assert set(created) == {"id", "resource_class", "description"}
    assert created["resource_class"] == "acme/build" and created["description"] == "Build machines"
    listed = runner.get("/runner/resource", params={"namespace": "acme"}).json()["items"]
    assert [rc["resource_class"] for rc in listed] == [RUNNER_CLASS, RUNNER_MACOS_CLASS, "acme/build"]
    assert listed[-1] == created
    assert state_classes(api)["acme/build"]["tokens"] == []
    entry = api.log()[0]
    assert (entry["api"], entry["path"], entry["operation_id"], entry["body"]) == (
        "runner", "/runner/resource", "createResourceClass", {"resource_class": "acme/build", "description": "Build machines"})


def test_create_accepts_the_org_id_the_terraform_provider_sends(runner):
    r = runner.post("/runner/resource", json={"resource_class": "acme/tf", "description": "",
                                              "org_id": "a0000000-0000-4000-8000-000000000001"})
    assert r.status_code == 200 and r.json()["description"] == ""


def test_a_duplicate_resource_class_is_409(runner):
    runner.create_class()
    r = runner.post("/runner/resource", json={"resource_class": "acme/build", "description": "again"})
    assert r.status_code == 409 and r.json() == {"message": "resource class already exists"}


@pytest.mark.parametrize("name", ["build", "acme/", "/build", "acme/build/x", "acme/bu ild", "acme/.hidden"])
def test_a_resource_class_is_namespace_slash_name(runner, api, name):
    r = runner.post("/runner/resource", json={"resource_class": name, "description": "x"})
    assert r.status_code == 400
    assert "resource_class" in api.log()[-1]["violation"]
    assert "acme/build" not in state_classes(api)


def test_description_is_required(runner):
    r = runner.post("/runner/resource", json={"resource_class": "acme/build"})
    assert r.status_code == 400 and "description" in r.json()["message"]


def test_the_namespace_must_exist_and_be_the_users(runner, api):
    r = runner.post("/runner/resource", json={"resource_class": "nobody/build", "description": "x"})
    assert r.status_code == 404 and r.json() == {"message": "namespace not found"}
    seed = default_seed()
    seed["orgs"].append({"id": "b0000000-0000-4000-8000-000000000009", "vcs_type": "github", "name": "other"})
    seed["users"][0]["orgs"] = ["gh/acme"]  # not a member of "other" nor of the standalone org
    seed["runner"]["namespaces"].append({"name": "other", "org": "gh/other"})
    assert api.admin("POST", "/reset", json={"seed": seed}).status_code == 200
    for namespace in ("other", "acme-platform"):
        r = runner.post("/runner/resource", json={"resource_class": f"{namespace}/build", "description": "x"})
        assert r.status_code == 403, namespace
        assert runner.get("/runner/resource", params={"namespace": namespace}).status_code == 403
        assert runner.get("/runner", params={"namespace": namespace}).status_code == 403
    r = runner.get("/runner/token", params={"resource-class": RUNNER_GPU_CLASS})
    assert r.status_code == 403
    gpu_id = state_classes(api)[RUNNER_GPU_CLASS]["id"]
    assert runner.delete(f"/runner/resource/{gpu_id}/force").status_code == 404  # foreign: as if unknown


def test_delete_refuses_a_class_with_tokens_and_force_deletes_them_too(runner, api):
    rc = runner.create_class()
    token = runner.create_token()
    r = runner.delete(f"/runner/resource/{rc['id']}")
    assert r.status_code == 409 and r.json() == {"message": "resource class has tokens"}
    assert "acme/build" in state_classes(api)
    r = runner.delete(f"/runner/resource/{rc['id']}/force")
    assert r.status_code == 200
    assert "acme/build" not in state_classes(api)
    assert runner.delete(f"/runner/token/{token['id']}").status_code == 404  # gone with the class
    assert api.log()[-2]["operation_id"] == "deleteResourceClassForce"


def test_delete_a_class_without_tokens(runner, api):
    rc = runner.create_class()
    r = runner.delete(f"/runner/resource/{rc['id'].upper()}")
    assert r.status_code == 200 and r.json() == {"message": "deleted"}
    assert "acme/build" not in state_classes(api)
    r = runner.delete(f"/runner/resource/{rc['id']}")
    assert r.status_code == 404 and r.json() == {"message": "resource class not found"}


def test_force_delete_takes_the_agents_along(runner, api):
    r = runner.delete(f"/runner/resource/{RUNNER_CLASS_ID}/force")
    assert r.status_code == 200
    assert [a["resource_class"] for a in runner.get("/runner", params={"namespace": "acme"}).json()["items"]] == [
        RUNNER_MACOS_CLASS]


def test_delete_of_unknown_or_malformed_ids_is_404(runner):
    for class_id in (UNKNOWN_ID, "not-a-uuid"):
        assert runner.delete(f"/runner/resource/{class_id}").status_code == 404
        assert runner.delete(f"/runner/resource/{class_id}/force").status_code == 404
        assert runner.delete(f"/runner/token/{class_id}").status_code == 404


# ---------------------------------------------------------------- tokens


def test_a_token_value_is_only_in_the_create_answer(runner, api):
    runner.create_class()
    created = runner.create_token()
    assert set(created) == {"id", "token", "resource_class", "nickname", "created_at"}
    assert created["resource_class"] == "acme/build" and created["nickname"] == "host-1"
    assert len(created["token"]) == 80
    assert created["created_at"].endswith("000Z") and len(created["created_at"]) == len("2020-10-01T09:55:00.000000Z")
    r = runner.get("/runner/token", params={"resource-class": "acme/build"})
    assert r.json() == {"items": [{key: created[key] for key in ("id", "resource_class", "nickname", "created_at")}]}
    assert created["token"] not in r.text
    (stored,) = state_classes(api)["acme/build"]["tokens"]
    assert stored["token"] == created["token"]  # the state dump has it (tests read it there)


def test_tokens_may_share_a_nickname_and_are_deleted_one_by_one(runner, api):
    runner.create_class()
    first, second = runner.create_token(), runner.create_token()
    assert first["id"] != second["id"] and first["token"] != second["token"]
    assert runner.delete(f"/runner/token/{first['id']}").json() == {"message": "deleted"}
    assert [t["id"] for t in state_classes(api)["acme/build"]["tokens"]] == [second["id"]]


def test_token_create_needs_an_existing_class_and_a_nickname(runner, api):
    r = runner.post("/runner/token", json={"resource_class": "acme/nope", "nickname": "x"})
    assert r.status_code == 404 and r.json() == {"message": "resource class not found"}
    r = runner.post("/runner/token", json={"resource_class": RUNNER_CLASS, "nickname": ""})
    assert r.status_code == 400 and "nickname" in api.log()[-1]["violation"]
    r = runner.post("/runner/token", json={"resource_class": RUNNER_CLASS})
    assert r.status_code == 400


def test_tokens_of_an_unknown_class_is_404(runner):
    r = runner.get("/runner/token", params={"resource-class": "acme/nope"})
    assert r.status_code == 404 and r.json() == {"message": "resource class not found"}


# ---------------------------------------------------------------- the API v2 machinery


def test_same_tokens_as_api_v2(api):
    anonymous = Runner(Api(api.emu, token=None))
    assert anonymous.get("/runner/resource", params={"namespace": "acme"}).status_code == 401
    assert anonymous.get("/runner/resource", params={"namespace": "acme"}, auth=(TOKEN, "")).status_code == 200
    r = Runner(Api(api.emu, token="not-a-token")).post("/runner/token", json={"resource_class": RUNNER_CLASS,
                                                                                "nickname": "x"})
    assert r.status_code == 401
    assert [t["nickname"] for t in state_classes(api)[RUNNER_CLASS]["tokens"]] == ["fleet"]


def test_circleci_cli_path_prefix_api_v2_runner(api):
    cli = Runner(api, prefix="/api/v2")
    r = cli.get("/runner/resource", params={"namespace": "acme"})
    assert r.status_code == 200 and len(r.json()["items"]) == 2
    rc = cli.create_class()
    cli.create_token()
    assert cli.delete(f"/runner/resource/{rc['id']}/force").status_code == 200
    assert [(e["api"], e["path"]) for e in api.log()][-1] == ("runner", f"/runner/resource/{rc['id']}/force")
    assert api.get("/me").status_code == 200  # API v2 around it is untouched
    assert "api" not in api.log()[-1]


def test_unknown_paths_and_methods_are_404_with_a_violation(runner, api):
    r = runner.get("/runner/resources", params={"namespace": "acme"})
    assert r.status_code == 404 and r.json() == {"message": "Not found"}
    assert "No path of the runner API" in api.log()[-1]["violation"]
    r = runner.request("PUT", "/runner/resource", json={})
    assert r.status_code == 404
    assert "no PUT operation" in api.log()[-1]["violation"]


def test_strict_checks_catch_what_the_documented_clients_never_send(runner, api):
    r = runner.post("/runner/resource", json={"resource_class": "acme/x", "description": "x", "extra": 1})
    assert r.status_code == 400 and "extra" in r.json()["message"]
    r = runner.get("/runner/resource", params={"namespace": "acme", "page-token": "x"})
    assert r.status_code == 400 and "page-token" in r.json()["message"]
    r = runner.delete(f"/runner/resource/{RUNNER_CLASS_ID}", params={"force": "true"})
    assert r.status_code == 400  # force is a path, not a parameter
    r = runner.post("/runner/token", data="nickname=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "Content-Type" in r.json()["message"]
    assert len([e for e in api.log() if "violation" in e]) == 4


def test_not_strict_serves_and_logs_the_violation():
    with Emulator(strict=False) as emu:
        runner = Runner(Api(emu))
        r = runner.post("/runner/resource", json={"resource_class": "acme/x", "description": "x", "extra": 1})
        assert r.status_code == 200
        r = runner.post("/runner/resource", json={"resource_class": "acme-x", "description": "x"})
        assert r.status_code == 400 and "NAMESPACE/NAME" in r.json()["message"]  # the handler's own check
        r = runner.get("/runner")
        assert r.status_code == 400 and "resource-class or namespace" in r.json()["message"]
        log = Api(emu).log()
        assert "extra" in log[0]["violation"] and log[0]["status"] == 200


def test_faults_apply_to_the_runner_api(runner, api):
    api.faults(queue=["429", "drop"])
    r = runner.post("/runner/resource", json={"resource_class": "acme/build", "description": "x"})
    assert r.status_code == 429
    assert "acme/build" not in state_classes(api)
    with pytest.raises(requests.ConnectionError):
        runner.post("/runner/resource", json={"resource_class": "acme/build", "description": "x"})
    assert "acme/build" in state_classes(api)  # processed, the answer lost
    assert [(e["fault"], e["fault_stage"], e["api"]) for e in api.log()] == [("429", "before", "runner"),
                                                                             ("drop", "after", "runner")]


def test_reset_brings_back_the_seed(runner, api):
    runner.delete(f"/runner/resource/{RUNNER_CLASS_ID}/force")
    runner.create_class()
    api.admin("POST", "/reset")
    assert set(state_classes(api)) == {RUNNER_CLASS, RUNNER_MACOS_CLASS, RUNNER_GPU_CLASS}


@pytest.mark.parametrize("change, message", [
    (lambda s: s["runner"]["namespaces"].append({"name": "x", "org": "gh/nobody"}), "unknown org"),
    (lambda s: s["runner"]["namespaces"].append({"name": "x", "org": "gh/acme"}), "already has a namespace"),
    (lambda s: s["runner"]["resource_classes"].append({"resource_class": "nobody/x"}), "seeded namespace"),
    (lambda s: s["runner"]["resource_classes"].append({"resource_class": "acme/x", "id": "7"}), "not a UUID"),
])
def test_bad_runner_seeds_are_refused(api, change, message):
    seed = default_seed()
    change(seed)
    r = api.admin("POST", "/reset", json={"seed": seed})
    assert r.status_code == 400 and message in r.json()["message"]


def test_the_answers_were_checked_against_the_description(runner):
    before = len(conftest.VALIDATED)
    runner.get("/runner", params={"namespace": "acme"})
    runner.get("/runner/nope")
    assert conftest.VALIDATED[before:] == [("get", "runner /runner", 200), ("get", "runner /runner/nope", 404)]
