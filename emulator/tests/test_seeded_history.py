"""The seeded insights history points somewhere: every pipeline number, workflow id and job number
that the flaky-tests, workflow-runs and test-metrics reports name answers on the pipeline,
workflow, job, test and artifact endpoints, with the same statuses, times and test results
(a client that follows a flaky test to its job's results finds them, as CircleCI's MCP server does).

The real clock is used: the history is the same all day.
"""

from __future__ import annotations

import pytest

from circleci_emulator import history, seed
from pipeline_helpers import API, STANDALONE, fast, jobs, ok, wait_status, workflows

WEB = "gh/acme/web"


def all_pages(api, path, **params):
    items, token = [], None
    while True:
        body = ok(api.get(path, params=dict(params, **({"page-token": token} if token else {}))))
        items += body["items"]
        token = body.get("next_page_token")
        if not token:
            return items


@pytest.mark.parametrize("slug", [API, WEB, STANDALONE])
def test_every_flaky_test_leads_to_its_job_and_its_test_results(api, slug):
    flaky = ok(api.get(f"/insights/{slug}/flaky-tests"))
    assert flaky["total_flaky_tests"] >= 2
    for flake in flaky["flaky_tests"]:
        number = flake["job_number"]
        tests = ok(api.get(f"/project/{slug}/{number}/tests"))["items"]
        mine = [t for t in tests if t["name"] == flake["test_name"]]
        assert len(mine) == 1 and mine[0]["result"] == "failure"  # the last flake: it failed there
        assert mine[0]["classname"] == flake["classname"] and mine[0]["file"] == flake["file"]
        assert all(isinstance(t["message"], str) for t in tests)
        job = ok(api.get(f"/project/{slug}/job/{number}"))
        assert job["name"] == flake["job_name"] == "test" and job["status"] == "failed"
        assert job["latest_workflow"] == {"id": flake["workflow_id"], "name": flake["workflow_name"]}
        workflow = ok(api.get(f"/workflow/{flake['workflow_id']}"))
        assert workflow["status"] == "failed" and workflow["pipeline_number"] == flake["pipeline_number"]
        assert workflow["created_at"] == flake["workflow_created_at"] and workflow["project_slug"] == slug
        pipeline = ok(api.get(f"/project/{slug}/pipeline/{flake['pipeline_number']}"))
        assert pipeline["id"] == workflow["pipeline_id"] == job["pipeline"]["id"]
        assert ok(api.get(f"/pipeline/{pipeline['id']}")) == pipeline
        assert flake["workflow_id"] in [w["id"] for w in workflows(api, pipeline["id"])]
        assert number in [j.get("job_number") for j in jobs(api, flake["workflow_id"]).values()]
        paths = [a["path"] for a in ok(api.get(f"/project/{slug}/{number}/artifacts"))["items"]]
        assert paths == ["logs/test.log", "test-results/junit.xml"]


def test_every_workflow_run_of_the_report_answers_as_reported(api):
    runs = all_pages(api, f"/insights/{API}/workflows/build", **{"all-branches": "true"})
    runs += all_pages(api, f"/insights/{API}/workflows/lint", **{"all-branches": "true"})
    assert len(runs) > 300
    for run in runs:
        workflow = ok(api.get(f"/workflow/{run['id']}"))
        assert (workflow["status"], workflow["created_at"], workflow["stopped_at"]) == (
            run["status"], run["created_at"], run["stopped_at"])
        pipeline = ok(api.get(f"/pipeline/{workflow['pipeline_id']}"))
        assert pipeline["vcs"]["branch"] == run["branch"] and pipeline["number"] == workflow["pipeline_number"]


def test_test_metrics_name_real_pipelines_and_workflows(api):
    metrics = ok(api.get(f"/insights/{API}/workflows/build/test-metrics"))
    assert metrics["test_runs"]
    for line in metrics["test_runs"]:
        workflow = ok(api.get(f"/workflow/{line['workflow_id']}"))
        assert workflow["pipeline_number"] == line["pipeline_number"]
        test_job = jobs(api, line["workflow_id"])["test"]
        answered = ok(api.get(f"/project/{API}/{test_job['job_number']}/tests"))["items"]
        counts = {r: sum(1 for t in answered if t["result"] == r) for r in ("success", "failure", "skipped")}
        assert counts == {r: line["test_counts"][r] for r in counts} and len(answered) == line["test_counts"]["total"]


def test_a_seeded_pipeline_has_the_shape_the_engine_gives(api):
    project = api.emu.store.projects[seed.ACME_API_PROJECT_ID]
    number = max(history.seeded_index(project).pipelines)  # the newest pipeline of the history
    pipeline = ok(api.get(f"/project/{API}/pipeline/{number}"))
    assert pipeline["trigger"]["type"] == "webhook" and pipeline["state"] == "created"
    assert pipeline["trigger"]["actor"]["login"] == "emulator-user" and pipeline["warnings"] == []
    assert {w["name"] for w in workflows(api, pipeline["id"])} == {"build", "lint"}
    build = next(w for w in workflows(api, pipeline["id"]) if w["name"] == "build")
    js = jobs(api, build["id"])
    assert list(js) == ["build", "test"] and js["test"]["requires"] == {js["build"]["id"]: ["success"]}
    config = ok(api.get(f"/pipeline/{pipeline['id']}/config"))["source"]
    assert "workflows:" in config and "test" in config
    assert ok(api.get(f"/project/{API}/{js['build']['job_number']}/tests"))["items"] == []


def test_a_failed_build_keeps_its_test_job_from_running(api):
    project = api.emu.store.projects[seed.ACME_API_PROJECT_ID]
    failed = next(r for r in history.seeded_runs(project)
                  if r["workflow_name"] == "build" and [j["status"] for j in r["jobs"]] == ["failed"])
    js = jobs(api, failed["workflow_id"])
    assert js["build"]["status"] == "failed" and js["test"]["status"] == "not_run"
    assert "job_number" not in js["test"] and js["test"]["started_at"] is None


def test_the_lists_and_the_state_hold_only_what_the_emulator_ran(api):
    flake = ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"][0]
    ok(api.get(f"/workflow/{flake['workflow_id']}"))  # read: built, but not listed
    assert ok(api.get(f"/project/{API}/pipeline"))["items"] == []
    assert ok(api.get("/pipeline"))["items"] == [] and ok(api.get(f"/project/{API}/pipeline/mine"))["items"] == []
    assert api.state()["pipelines"] == []


def test_rerunning_a_seeded_workflow_is_a_new_run(api):
    """A rerun of a failed workflow of the history (from failed): new job numbers after the history's,
    recorded once it ends and counted by insights, shown in the state."""
    fast(api)
    flake = ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"][0]
    summary = f"/insights/{API}/workflows/build/summary"
    before = ok(api.get(summary, params={"all-branches": "true"}))["metrics"]["total_runs"]
    new_id = ok(api.post(f"/workflow/{flake['workflow_id']}/rerun", json={"from_failed": True}), 202)["workflow_id"]
    done = wait_status(api, new_id, "success")
    assert done["pipeline_number"] == flake["pipeline_number"]
    js = jobs(api, new_id)
    project = api.emu.store.projects[seed.ACME_API_PROJECT_ID]
    assert js["test"]["job_number"] > max(history.seeded_index(project).by_job_number)
    assert js["build"]["status"] == "success"  # kept as it ended
    assert ok(api.get(summary, params={"all-branches": "true"}))["metrics"]["total_runs"] == before + 1
    (dumped,) = api.state()["pipelines"]
    assert dumped["number"] == flake["pipeline_number"] and new_id in [w["id"] for w in dumped["workflows"]]
    # the flake's own job still answers its own results
    tests = ok(api.get(f"/project/{API}/{flake['job_number']}/tests"))["items"]
    assert {t["name"]: t["result"] for t in tests}[flake["test_name"]] == "failure"


def test_finished_seeded_jobs_cannot_be_canceled(api):
    flake = ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"][0]
    r = api.post(f"/project/{API}/job/{flake['job_number']}/cancel")
    assert r.status_code == 400 and "already finished" in r.json()["message"]
    test_job = jobs(api, flake["workflow_id"])["test"]
    assert api.post(f"/jobs/{test_job['id']}/cancel").status_code == 400


def test_what_the_history_does_not_hold_is_not_found(api):
    project = api.emu.store.projects[seed.ACME_API_PROJECT_ID]
    beyond = max(history.seeded_index(project).by_job_number) + 1
    assert api.get(f"/project/{API}/job/{beyond}").status_code == 404
    assert api.get(f"/project/{API}/pipeline/{max(history.seeded_index(project).pipelines) + 1}").status_code == 404
    # another org's history is not found through a token that cannot see it
    bob_seed = seed.default_seed()
    bob_seed["users"].append({"id": "e0000000-0000-4000-8000-0000000000b0", "login": "bob", "tokens": ["bob"],
                              "orgs": [seed.STANDALONE_ORG_ID]})
    assert api.admin("POST", "/reset", json={"seed": bob_seed}).status_code == 200
    flake = ok(api.get(f"/insights/{WEB}/flaky-tests"))["flaky_tests"][0]
    api.session.headers["Circle-Token"] = "bob"
    assert api.get(f"/workflow/{flake['workflow_id']}").status_code == 404
    assert api.get(f"/project/{WEB}/{flake['job_number']}/tests").status_code == 404
    assert api.get(f"/pipeline/{ok_pipeline_id(api, flake)}").status_code == 404


def ok_pipeline_id(api, flake):
    store = api.emu.store
    project = store.projects[seed.ACME_WEB_PROJECT_ID]
    return history.seeded_index(project).pipelines[flake["pipeline_number"]][0]["pipeline_id"]
