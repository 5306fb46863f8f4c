"""Workflows and jobs moving through their statuses; approve, cancel, rerun; job details, artifacts, tests;
one run record per terminal workflow."""

import time

import pytest
import requests

from pipeline_helpers import (API, STEP, fast, fresh, jobs, ok, recorded, trigger, wait_for, wait_status, workflow,
                              workflows)


@pytest.fixture(autouse=True)
def _fresh(api):
    fresh(api)


def finished(api, pipeline_id):
    for wf in workflows(api, pipeline_id):
        wait_status(api, wf["id"], "success", "failed", "canceled", "on_hold")


# ---------------------------------------------------------------- shapes and statuses


def test_success_moves_through_statuses(api):
    fast(api, 1)  # long enough to see the first job running on a busy machine
    p = trigger(api)
    names = {w["name"] for w in workflows(api, p["id"])}
    assert names == {"build", "lint"}
    build = workflow(api, p["id"], "build")
    assert build["status"] == "running" and build["stopped_at"] is None
    assert build["pipeline_id"] == p["id"] and build["pipeline_number"] == p["number"] and build["project_slug"] == API
    assert "tag" not in build
    js = jobs(api, build["id"])
    assert list(js) == ["build", "test"]
    assert js["build"]["status"] == "running" and js["build"]["stopped_at"] is None
    assert js["build"]["type"] == "build" and js["build"]["dependencies"] == []
    assert js["test"]["status"] == "blocked" and js["test"]["started_at"] is None
    assert "job_number" not in js["test"]  # numbered once it starts
    assert js["test"]["dependencies"] == [js["build"]["id"]]
    # the build job running: its details, and no artifacts or tests yet
    number = js["build"]["job_number"]
    details = ok(api.get(f"/project/{API}/job/{number}"))
    assert details["status"] == "running" and details["duration"] is None and details["stopped_at"] is None
    assert ok(api.get(f"/project/{API}/{number}/artifacts")) == {"items": [], "next_page_token": None}
    done = wait_status(api, build["id"], "success")
    assert done["stopped_at"] >= done["created_at"]
    js = jobs(api, build["id"])
    assert [j["status"] for j in js.values()] == ["success", "success"]
    assert js["test"]["started_at"] == js["build"]["stopped_at"]
    assert js["test"]["job_number"] != js["build"]["job_number"]
    assert done["stopped_at"] == js["test"]["stopped_at"]


def test_failed_outcome(api):
    p = trigger(api, emulator_outcome="failed")
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    js = jobs(api, build["id"])
    assert js["build"]["status"] == "success" and js["test"]["status"] == "failed"
    assert wait_status(api, workflow(api, p["id"], "lint")["id"], "success")["status"] == "success"
    details = ok(api.get(f"/project/{API}/job/{js['test']['job_number']}"))
    assert details["status"] == "failed" and details["name"] == "test"
    assert details["latest_workflow"] == {"id": build["id"], "name": "build"}
    assert details["pipeline"] == {"id": p["id"]}
    assert details["duration"] == pytest.approx(STEP * 1000, abs=2)


def test_job_details_shape(api):
    p = trigger(api)
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "success")
    number = jobs(api, build["id"])["build"]["job_number"]
    d = ok(api.get(f"/project/{API}/job/{number}"))
    assert d["number"] == number and d["project"]["slug"] == API and d["organization"] == {"name": "acme"}
    assert d["executor"]["resource_class"] == "medium" and d["parallelism"] == 1
    assert d["parallel_runs"] == [{"index": 0, "status": "success"}]
    assert d["web_url"].endswith(f"/jobs/{number}")
    assert api.get(f"/project/{API}/job/9999").status_code == 404
    assert api.get(f"/project/{API}/job/x").status_code == 404
    assert api.get(f"/project/gh/acme/web/job/{number}").status_code == 404


# ---------------------------------------------------------------- approval


def test_approval_flow(api):
    p = trigger(api, emulator_outcome="approval")
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "on_hold")
    assert build["stopped_at"] is None
    js = jobs(api, build["id"])
    assert list(js) == ["build", "test", "hold", "deploy"]
    assert js["test"]["status"] == "success"
    assert [t["name"] for t in ok(api.get(f"/project/{API}/{js['test']['job_number']}/tests"))["items"]]
    assert js["hold"]["requires"] == {js["test"]["id"]: ["success"]}
    hold = js["hold"]
    assert hold["type"] == "approval" and hold["status"] == "on_hold"
    assert hold["approval_request_id"] == hold["id"] and "approved_by" not in hold
    assert js["deploy"]["status"] == "blocked"
    # approval jobs have no details (404 on the service too)
    assert api.get(f"/project/{API}/job/{hold['job_number']}").status_code == 404
    time.sleep(STEP * 2)
    assert ok(api.get(f"/workflow/{build['id']}"))["status"] == "on_hold"  # it waits for someone
    r = api.post(f"/workflow/{build['id']}/approve/{hold['approval_request_id']}")
    assert r.status_code == 202 and set(r.json()) == {"message"}
    done = wait_status(api, build["id"], "success")
    js = jobs(api, build["id"])
    assert js["hold"]["status"] == "success" and js["hold"]["approved_by"] == "e0000000-0000-4000-8000-000000000001"
    assert js["deploy"]["status"] == "success"
    assert done["stopped_at"] == js["deploy"]["stopped_at"]
    # a second approval is refused: nothing is on hold any more
    r = api.post(f"/workflow/{build['id']}/approve/{hold['approval_request_id']}")
    assert r.status_code == 400 and "not on hold" in r.json()["message"]


def test_approve_errors(api):
    fast(api, 5)
    p = trigger(api, emulator_outcome="approval")
    build = workflow(api, p["id"], "build")
    hold = jobs(api, build["id"])["hold"]
    # still blocked behind the build job: not on hold yet
    r = api.post(f"/workflow/{build['id']}/approve/{hold['id']}")
    assert r.status_code == 400 and "blocked" in r.json()["message"]
    fast(api)
    p = trigger(api, emulator_outcome="approval")
    build = workflow(api, p["id"], "build")
    lint = workflow(api, p["id"], "lint")
    js = jobs(api, build["id"])
    hold = js["hold"]
    wait_status(api, build["id"], "on_hold")
    for wf_id, job_id in ((build["id"], js["build"]["id"]),  # not an approval job
                          (lint["id"], hold["id"]),  # another workflow's
                          (build["id"], "5e4b1f84-0000-4000-8000-000000000000")):  # unknown
        r = api.post(f"/workflow/{wf_id}/approve/{job_id}")
        assert r.status_code == 404 and set(r.json()) == {"message"}
    assert api.post(f"/workflow/5e4b1f84-0000-4000-8000-000000000000/approve/{hold['id']}").status_code == 404
    assert ok(api.get(f"/workflow/{build['id']}"))["status"] == "on_hold"


# ---------------------------------------------------------------- cancel


def test_cancel_running_workflow(api):
    fast(api, 5)
    p = trigger(api)
    build = workflow(api, p["id"], "build")
    r = api.post(f"/workflow/{build['id']}/cancel")
    assert r.status_code == 202 and set(r.json()) == {"message"}
    wf = ok(api.get(f"/workflow/{build['id']}"))
    assert wf["status"] == "canceled" and wf["canceled_by"] == "e0000000-0000-4000-8000-000000000001"
    assert wf["stopped_at"] is not None
    js = jobs(api, build["id"])
    assert js["build"]["status"] == "canceled" and js["build"]["stopped_at"] is not None
    assert js["test"]["status"] == "canceled" and js["test"]["started_at"] is None
    assert ok(api.get(f"/workflow/{workflow(api, p['id'], 'lint')['id']}"))["status"] == "running"
    r = api.post(f"/workflow/{build['id']}/cancel")
    assert r.status_code == 400 and "not running" in r.json()["message"]


def test_cancel_on_hold_workflow(api):
    p = trigger(api, emulator_outcome="approval")
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "on_hold")
    assert ok(api.post(f"/workflow/{build['id']}/cancel"), 202)
    js = jobs(api, build["id"])
    assert js["hold"]["status"] == "canceled" and js["deploy"]["status"] == "canceled"
    assert ok(api.get(f"/workflow/{build['id']}"))["status"] == "canceled"
    assert api.post(f"/workflow/{build['id']}/approve/{js['hold']['id']}").status_code == 400


def test_cancel_finished_workflow_400(api):
    p = trigger(api)
    lint = wait_status(api, workflow(api, p["id"], "lint")["id"], "success")
    assert api.post(f"/workflow/{lint['id']}/cancel").status_code == 400
    assert ok(api.get(f"/workflow/{lint['id']}"))["status"] == "success"


def test_cancel_job_by_id(api):
    fast(api, 5)
    p = trigger(api)
    build = workflow(api, p["id"], "build")
    job = jobs(api, build["id"])["build"]
    r = api.post(f"/jobs/{job['id']}/cancel")
    assert r.status_code == 200 and set(r.json()) == {"message"}
    js = jobs(api, build["id"])
    assert js["build"]["status"] == "canceled" and js["build"]["canceled_by"]
    assert js["test"]["status"] == "not_run"  # its dependency did not succeed
    assert ok(api.get(f"/workflow/{build['id']}"))["status"] == "canceled"
    assert ok(api.get(f"/project/{API}/job/{job['job_number']}"))["status"] == "canceled"
    r = api.post(f"/jobs/{job['id']}/cancel")
    assert r.status_code == 400 and "already finished" in r.json()["message"]
    assert api.post("/jobs/5e4b1f84-0000-4000-8000-000000000000/cancel").status_code == 404


def test_cancel_job_by_number(api):
    fast(api, 5)
    p = trigger(api)
    lint = workflow(api, p["id"], "lint")
    number = jobs(api, lint["id"])["lint"]["job_number"]
    assert ok(api.post(f"/project/{API}/job/{number}/cancel")) == {"message": "Job canceled."}
    assert ok(api.get(f"/workflow/{lint['id']}"))["status"] == "canceled"
    assert api.post(f"/project/{API}/job/{number}/cancel").status_code == 400
    assert api.post(f"/project/{API}/job/9999/cancel").status_code == 404
    # a job that has not started has no number yet
    build = workflow(api, p["id"], "build")
    blocked = jobs(api, build["id"])["test"]
    assert "job_number" not in blocked


# ---------------------------------------------------------------- rerun


def test_rerun_from_failed(api):
    p = trigger(api, emulator_outcome="failed")
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    old = jobs(api, first["id"])
    r = api.post(f"/workflow/{first['id']}/rerun", json={"from_failed": True})
    assert r.status_code == 202 and set(r.json()) == {"workflow_id"}
    new_id = r.json()["workflow_id"]
    assert new_id != first["id"]
    new = ok(api.get(f"/workflow/{new_id}"))
    assert new["pipeline_id"] == p["id"] and new["name"] == "build"
    assert [w["id"] for w in workflows(api, p["id"])][0] == new_id  # newest first
    assert len(workflows(api, p["id"])) == 3
    done = wait_status(api, new_id, "success", "failed")
    assert done["status"] == "success"  # reruns end with emulator_rerun_outcome (success by default)
    js = jobs(api, new_id)
    assert js["build"]["job_number"] == old["build"]["job_number"]  # kept, not run again
    assert js["build"]["started_at"] == old["build"]["started_at"]
    assert js["test"]["job_number"] != old["test"]["job_number"]  # run again
    assert js["test"]["status"] == "success"
    assert ok(api.get(f"/workflow/{first['id']}"))["status"] == "failed"  # the old one is unchanged


def test_rerun_outcome_parameter(api):
    p = trigger(api, emulator_outcome="failed", emulator_rerun_outcome="failed")
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    new_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"from_failed": True}), 202)["workflow_id"]
    assert wait_status(api, new_id, "success", "failed")["status"] == "failed"


def test_rerun_jobs_and_full(api):
    p = trigger(api)
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "success")
    old = jobs(api, first["id"])
    new_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"jobs": [old["test"]["id"]]}), 202)["workflow_id"]
    js = jobs(api, new_id)
    assert js["build"]["job_number"] == old["build"]["job_number"] and js["build"]["status"] == "success"
    assert js["test"]["status"] in ("running", "success") and js["test"]["job_number"] != old["test"]["job_number"]
    wait_status(api, new_id, "success")
    # a rerun of every job: every job gets a new number
    fast(api, 5)
    full_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"enable_ssh": False}), 202)["workflow_id"]
    js = jobs(api, full_id)
    assert js["build"]["job_number"] != old["build"]["job_number"]
    assert js["build"]["status"] == "running" and js["test"]["status"] == "blocked"


def test_rerun_with_a_job_reruns_its_dependents(api):
    p = trigger(api)
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "success")
    old = jobs(api, first["id"])
    fast(api, 5)
    new_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"jobs": [old["build"]["id"]]}), 202)["workflow_id"]
    js = jobs(api, new_id)
    assert js["build"]["job_number"] != old["build"]["job_number"]
    assert js["test"]["status"] == "blocked"


def test_rerun_errors(api):
    fast(api, 5)
    p = trigger(api)
    running = workflow(api, p["id"], "build")
    r = api.post(f"/workflow/{running['id']}/rerun", json={})
    assert r.status_code == 400 and "not finished" in r.json()["message"]
    fast(api)
    p = trigger(api)
    done = wait_status(api, workflow(api, p["id"], "build")["id"], "success")
    job_id = jobs(api, done["id"])["test"]["id"]
    r = api.post(f"/workflow/{done['id']}/rerun", json={"from_failed": True})
    assert r.status_code == 400 and "did not fail" in r.json()["message"]
    r = api.post(f"/workflow/{done['id']}/rerun", json={"from_failed": True, "jobs": [job_id]})
    assert r.status_code == 400 and "mutually exclusive" in r.json()["message"]
    r = api.post(f"/workflow/{done['id']}/rerun", json={"jobs": ["5e4b1f84-0000-4000-8000-000000000000"]})
    assert r.status_code == 400
    assert api.post("/workflow/5e4b1f84-0000-4000-8000-000000000000/rerun", json={}).status_code == 404
    r = api.post(f"/workflow/{done['id']}/rerun", json={"jobs": ["not-a-uuid"]})
    assert r.status_code == 400 and api.log()[-1]["violation"]  # the spec wants uuids
    assert len(workflows(api, p["id"])) == 2  # nothing was created


# ---------------------------------------------------------------- artifacts and tests


def test_artifacts_served(api):
    p = trigger(api, emulator_outcome="failed")
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    number = jobs(api, build["id"])["test"]["job_number"]
    body = ok(api.get(f"/project/{API}/{number}/artifacts"))
    assert body["next_page_token"] is None
    paths = {a["path"]: a for a in body["items"]}
    assert set(paths) == {"logs/test.log", "test-results/junit.xml"}
    assert all(a["node_index"] == 0 and a["url"].startswith(api.emu.base + "/_emulator/artifacts/")
               for a in body["items"])
    xml = requests.get(paths["test-results/junit.xml"]["url"], timeout=10)
    assert xml.status_code == 200 and 'failures="1"' in xml.text and "test_network_timeout" in xml.text
    log = requests.get(paths["logs/test.log"]["url"], timeout=10)
    assert log.text == f"job test #{number}: failed\n"
    assert requests.get(api.emu.base + "/_emulator/artifacts/nope/x", timeout=10).status_code == 404
    assert api.get(f"/project/{API}/9999/artifacts").status_code == 404


def test_tests_of_a_failed_and_a_rerun_job(api):
    p = trigger(api, emulator_outcome="failed")
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    js = jobs(api, first["id"])
    failed = ok(api.get(f"/project/{API}/{js['test']['job_number']}/tests"))
    results = {t["name"]: t for t in failed["items"]}
    assert results["test_network_timeout"]["result"] == "failure"
    assert "TimeoutError" in results["test_network_timeout"]["message"]
    # a passing test's message is "", not null: CircleCI's MCP server requires a string (z.string())
    assert results["test_health"]["result"] == "success" and results["test_health"]["message"] == ""
    assert all(isinstance(t["message"], str) for t in failed["items"])
    assert results["test_legacy_export"]["result"] == "skipped"
    assert all(t["file"] == "tests/test_service.py" and t["classname"] for t in failed["items"])
    # the build job has no tests
    assert ok(api.get(f"/project/{API}/{js['build']['job_number']}/tests"))["items"] == []
    # rerun: the same test now passes (flaky)
    new_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"from_failed": True}), 202)["workflow_id"]
    wait_status(api, new_id, "success")
    again = ok(api.get(f"/project/{API}/{jobs(api, new_id)['test']['job_number']}/tests"))
    assert {t["name"]: t["result"] for t in again["items"]}["test_network_timeout"] == "success"
    # deterministic: the same answer twice
    assert ok(api.get(f"/project/{API}/{js['test']['job_number']}/tests")) == failed


# ---------------------------------------------------------------- run records


def test_record_once_per_terminal_workflow(api):
    p = trigger(api, emulator_outcome="failed")
    assert recorded(api) == []  # nothing has finished yet
    finished(api, p["id"])
    for _ in range(3):  # reading again records nothing more
        workflows(api, p["id"])
        api.state()
    runs = recorded(api)
    assert sorted(r["workflow_name"] for r in runs) == ["build", "lint"]
    build = next(r for r in runs if r["workflow_name"] == "build")
    wf = workflow(api, p["id"], "build")
    assert build["workflow_id"] == wf["id"] and build["status"] == "failed"
    assert build["pipeline_id"] == p["id"] and build["pipeline_number"] == p["number"] and build["branch"] == "main"
    assert build["project_slug"] == API and build["stopped_at"] == wf["stopped_at"]
    assert build["is_approval"] is False
    assert [(j["name"], j["status"]) for j in build["jobs"]] == [("build", "success"), ("test", "failed")]
    assert all(j["credits_used"] == 10 for j in build["jobs"]) and build["credits_used"] == 20
    tests = {t["name"]: t for t in build["tests"]}
    assert tests["test_network_timeout"]["result"] == "failure"
    assert tests["test_network_timeout"]["job_name"] == "test"
    assert tests["test_network_timeout"]["job_number"] == jobs(api, wf["id"])["test"]["job_number"]
    # the test results the API answers are the recorded ones
    answered = ok(api.get(f"/project/{API}/{tests['test_health']['job_number']}/tests"))["items"]
    assert [{k: t[k] for k in answered[0]} for t in build["tests"]] == answered


def test_record_of_canceled_and_approved_workflows(api):
    p = trigger(api, emulator_outcome="approval")
    build = wait_status(api, workflow(api, p["id"], "build")["id"], "on_hold")
    runs = wait_for(lambda: api.state() and recorded(api), lambda rs: len(rs) == 1)  # the state settles
    assert [r["workflow_name"] for r in runs] == ["lint"]
    ok(api.post(f"/workflow/{build['id']}/approve/{jobs(api, build['id'])['hold']['id']}"), 202)
    wait_status(api, build["id"], "success")
    rec = next(r for r in recorded(api) if r["workflow_name"] == "build")
    assert rec["is_approval"] is True and rec["status"] == "success"
    assert [j["name"] for j in rec["jobs"]] == ["build", "test", "hold", "deploy"]
    assert rec["jobs"][2]["credits_used"] == 0  # the approval job
    fast(api, 5)
    q = trigger(api)
    lint = workflow(api, q["id"], "lint")
    ok(api.post(f"/workflow/{lint['id']}/cancel"), 202)
    canceled = [r for r in recorded(api) if r["workflow_id"] == lint["id"]]
    assert len(canceled) == 1 and canceled[0]["status"] == "canceled"


def test_rerun_records_only_the_jobs_run_again(api):
    p = trigger(api, emulator_outcome="failed")
    first = wait_status(api, workflow(api, p["id"], "build")["id"], "failed")
    new_id = ok(api.post(f"/workflow/{first['id']}/rerun", json={"from_failed": True}), 202)["workflow_id"]
    wait_status(api, new_id, "success")
    (rec,) = [r for r in recorded(api) if r["workflow_id"] == new_id]
    assert rec["status"] == "success" and [j["name"] for j in rec["jobs"]] == ["test"]
    assert len([r for r in recorded(api) if r["workflow_name"] == "build"]) == 2


# ---------------------------------------------------------------- spec mends


def test_the_null_mends_are_needed(api):
    """Real answers of a running workflow, a running job, a blocked job: the unmended spec rejects them."""
    from circleci_emulator.spec import Spec, SpecRequest, SpecResponse, get_spec

    fast(api, 5)
    p = trigger(api)
    build = workflow(api, p["id"], "build")
    number = jobs(api, build["id"])["build"]["job_number"]  # the running build job
    answers = [
        ("get", f"/workflow/{build['id']}", api.get(f"/workflow/{build['id']}")),
        ("get", f"/workflow/{build['id']}/job", api.get(f"/workflow/{build['id']}/job")),
        ("get", f"/project/{API}/job/{number}", api.get(f"/project/{API}/job/{number}")),
    ]
    assert answers[0][2].json()["stopped_at"] is None
    assert answers[1][2].json()["items"][1]["started_at"] is None
    assert answers[2][2].json()["duration"] is None
    unmended = Spec(mend=False)
    for spec, valid in ((unmended, False), (get_spec(), True)):
        for method, path, r in answers:
            match = spec.router.match(method, path)
            errors = spec.response_errors(SpecRequest(method, match.template, match.params),
                                          SpecResponse(r.status_code, r.content))
            assert (errors == []) is valid, (path, errors)
