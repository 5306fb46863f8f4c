"""Setup pipelines and POST /pipeline/continue: each continuation key works once."""

import pytest
import requests

from pipeline_helpers import (API, STANDALONE, fresh, jobs, ok, recorded, run, trigger, wait_status, workflow,
                              workflows)

CONFIG = """
version: 2.1
jobs:
  compile: {docker: [{image: cimg/base:stable}], steps: [checkout]}
workflows:
  version: 2
  generated:
    jobs:
      - compile
      - approve-release:
          type: approval
          requires: [compile]
      - release:
          requires: [approve-release]
  docs:
    jobs: [docs]
"""


@pytest.fixture(autouse=True)
def _fresh(api):
    fresh(api)


def key_of(api, pipeline_id):
    r = api.admin("GET", f"/pipelines/{pipeline_id}/continuation-key")
    assert r.status_code == 200, r.text
    return r.json()["continuation_key"]


def cont(api, key, configuration=CONFIG, status=200, **parameters):
    body = {"continuation-key": key, "configuration": configuration}
    if parameters:
        body["parameters"] = parameters
    r = api.post("/pipeline/continue", json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_setup_pipeline_waits(api):
    p = trigger(api, emulator_setup=True)
    assert p["state"] == "setup"
    (setup,) = workflows(api, p["id"])
    assert setup["name"] == "setup" and setup["tag"] == "setup" and setup["status"] == "running"
    js = jobs(api, setup["id"])
    assert list(js) == ["setup"] and js["setup"]["status"] == "running"
    assert ok(api.get(f"/pipeline/{p['id']}"))["state"] == "setup"
    config = ok(api.get(f"/pipeline/{p['id']}/config"))
    assert "setup: true" in config["setup-config"] and config["source"] == config["setup-config"]
    assert ok(api.get(f"/pipeline/{p['id']}/values"))["pipeline.in_setup"] is True
    assert ok(api.get(f"/workflow/{setup['id']}"))["status"] == "running"  # still, long after its step
    assert recorded(api) == []


def test_continuation_key_admin_endpoint(api):
    p = trigger(api, emulator_setup="true")
    key = key_of(api, p["id"])
    assert len(key) > 40 and key_of(api, p["id"]) == key
    normal = trigger(api)
    assert api.admin("GET", f"/pipelines/{normal['id']}/continuation-key").status_code == 404
    assert api.admin("GET", "/pipelines/nope/continuation-key").status_code == 404
    assert api.state()["pipelines"][0]["continuation_key_used"] is False


def test_continue_with_yaml_workflows(api):
    p = run(api, STANDALONE, parameters={"emulator_setup": True})
    key = key_of(api, p["id"])
    assert cont(api, key) == {"message": "Pipeline continued."}
    pipeline = ok(api.get(f"/pipeline/{p['id']}"))
    assert pipeline["state"] == "created"
    names = [w["name"] for w in workflows(api, p["id"])]
    assert sorted(names) == ["docs", "generated", "setup"]
    setup = workflow(api, p["id"], "setup")
    assert wait_status(api, setup["id"], "success")["status"] == "success"
    assert jobs(api, setup["id"])["setup"]["status"] == "success"
    generated = workflow(api, p["id"], "generated")
    js = jobs(api, generated["id"])
    assert list(js) == ["compile", "approve-release", "release"]
    assert js["approve-release"]["type"] == "approval"
    on_hold = wait_status(api, generated["id"], "on_hold")
    ok(api.post(f"/workflow/{on_hold['id']}/approve/{jobs(api, on_hold['id'])['approve-release']['id']}"), 202)
    assert wait_status(api, generated["id"], "success")["status"] == "success"
    assert list(jobs(api, workflow(api, p["id"], "docs")["id"])) == ["docs"]
    config = ok(api.get(f"/pipeline/{p['id']}/config"))
    assert config["source"] == CONFIG and "setup: true" in config["setup-config"]
    assert ok(api.get(f"/pipeline/{p['id']}/values"))["pipeline.in_setup"] is False
    assert api.state()["pipelines"][0]["continuation_key_used"] is True


def test_key_works_once(api):
    p = trigger(api, emulator_setup=True)
    key = key_of(api, p["id"])
    cont(api, key)
    before = len(workflows(api, p["id"]))
    body = cont(api, key, status=400)
    assert set(body) == {"message"} and "already been used" in body["message"]
    assert len(workflows(api, p["id"])) == before  # nothing more


def test_unknown_key(api):
    body = cont(api, "ck1.not-a-key", status=400)
    assert body == {"message": "Invalid continuation key."}


def test_continue_without_workflows_is_the_normal_shape(api):
    p = trigger(api, emulator_setup=True)
    cont(api, key_of(api, p["id"]), configuration="this is not yaml: [", emulator_outcome="failed")
    build = workflow(api, p["id"], "build")
    assert list(jobs(api, build["id"])) == ["build", "test"]
    assert wait_status(api, build["id"], "failed", "success")["status"] == "failed"
    assert wait_status(api, workflow(api, p["id"], "lint")["id"], "success")["status"] == "success"
    values = ok(api.get(f"/pipeline/{p['id']}/values"))
    assert values["pipeline.parameters.emulator_setup"] is True
    assert values["pipeline.parameters.emulator_outcome"] == "failed"  # the continuation's parameters


def test_failed_outcome_in_a_configuration(api):
    p = trigger(api, emulator_setup=True)
    cont(api, key_of(api, p["id"]), configuration="workflows:\n  main:\n    jobs: [one, two]\n",
         emulator_outcome="failed")
    main = workflow(api, p["id"], "main")
    assert wait_status(api, main["id"], "failed", "success")["status"] == "failed"
    js = jobs(api, main["id"])
    assert js["one"]["status"] == "success" and js["two"]["status"] == "failed"


def test_continue_parameter_limits(api):
    p = trigger(api, emulator_setup=True)
    key = key_of(api, p["id"])
    body = cont(api, key, status=400, **{"k" * 129: 1})
    assert "128" in body["message"]
    cont(api, key)  # the refused request did not use the key


def test_continue_after_the_setup_workflow_was_canceled(api):
    p = trigger(api, emulator_setup=True)
    setup = workflows(api, p["id"])[0]
    ok(api.post(f"/workflow/{setup['id']}/cancel"), 202)
    body = cont(api, key_of(api, p["id"]), status=400)
    assert "not running" in body["message"]
    assert ok(api.get(f"/pipeline/{p['id']}"))["state"] == "setup"


def test_continue_needs_a_configuration(api):
    p = trigger(api, emulator_setup=True)
    r = api.post("/pipeline/continue", json={"continuation-key": key_of(api, p["id"])})
    assert r.status_code == 400 and api.log()[-1]["violation"]


def test_setup_workflow_is_recorded_once_continued(api):
    p = trigger(api, emulator_setup=True)
    cont(api, key_of(api, p["id"]), configuration="workflows:\n  only:\n    jobs: [a]\n")
    wait_status(api, workflow(api, p["id"], "only")["id"], "success")
    names = sorted(r["workflow_name"] for r in recorded(api, API))
    assert names == ["only", "setup"]


def test_setup_workflow_cannot_be_rerun(api):
    p = trigger(api, emulator_setup=True)
    cont(api, key_of(api, p["id"]), configuration="workflows:\n  only:\n    jobs: [a]\n")
    setup = wait_status(api, workflow(api, p["id"], "setup")["id"], "success")
    assert api.post(f"/workflow/{setup['id']}/rerun", json={}).status_code == 400


def test_keys_are_cleared_by_a_reset(api):
    p = trigger(api, emulator_setup=True)
    key = key_of(api, p["id"])
    assert requests.post(api.emu.base + "/_emulator/reset", timeout=10).status_code == 200
    assert cont(api, key, status=400) == {"message": "Invalid continuation key."}
