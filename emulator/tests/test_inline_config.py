"""Pipeline run with inline configuration (config.content), and the fields newer clients know:
a pipeline's warnings, a workflow's max_auto_reruns / auto_rerun_number, a job's requires."""

from __future__ import annotations

import pytest

from pipeline_helpers import API, STANDALONE, fast, jobs, ok, run, wait_status, workflows

RELEASE = """version: 2.1
jobs:
  compile: {docker: [{image: cimg/base:stable}], steps: [checkout]}
  package: {docker: [{image: cimg/base:stable}], steps: [checkout]}
workflows:
  release:
    jobs:
      - compile
      - approve-release: {type: approval}
      - package
"""


@pytest.fixture(autouse=True)
def _fast(api):
    fast(api)


@pytest.mark.parametrize("slug", [API, STANDALONE])
def test_inline_configuration_runs_its_workflows(api, slug):
    p = run(api, slug, config={"branch": "main", "content": RELEASE}, checkout={"branch": "main"})
    (wf,) = workflows(api, p["id"])
    assert wf["name"] == "release"
    assert list(jobs(api, wf["id"])) == ["compile", "approve-release", "package"]
    assert jobs(api, wf["id"])["approve-release"]["type"] == "approval"
    assert ok(api.get(f"/pipeline/{p['id']}/config"))["source"] == RELEASE
    assert ok(api.get(f"/pipeline/{p['id']}"))["state"] == "created"


def test_empty_content_is_no_inline_configuration(api):
    """CircleCI's MCP server sends content "" when it has no configuration: the project's own runs."""
    p = run(api, config={"branch": "main", "content": ""}, checkout={"branch": "main"})
    assert sorted(w["name"] for w in workflows(api, p["id"])) == ["build", "lint"]


@pytest.mark.parametrize("content", ["just words", "- a\n- list\n", "workflows:\n  w: {jobs: [a], max_auto_reruns: 9}\n"])
def test_configuration_that_cannot_run_errors_the_pipeline(api, content):
    p = run(api, config={"branch": "main", "content": content})
    pipeline = ok(api.get(f"/pipeline/{p['id']}"))
    assert pipeline["state"] == "errored" and p["state"] == "errored"
    (error,) = pipeline["errors"]
    assert error["type"] == "config" and error["message"].startswith("Config does not conform to schema")
    assert workflows(api, p["id"]) == []


def test_content_must_be_text(api):
    r = api.post(f"/project/{API}/pipeline/run", json={"definition_id": "d0000000-0000-4000-8000-000000000101",
                                                         "config": {"branch": "main", "content": 7}})
    assert r.status_code == 400
    assert api.state()["pipelines"] == []


def test_a_pipeline_answers_warnings(api):
    p = run(api)
    assert ok(api.get(f"/pipeline/{p['id']}"))["warnings"] == []
    assert all(item["warnings"] == [] for item in ok(api.get(f"/project/{API}/pipeline"))["items"])


def test_jobs_answer_requires(api):
    p = run(api, parameters={"emulator_outcome": "approval"})
    build = next(w for w in workflows(api, p["id"]) if w["name"] == "build")
    js = jobs(api, build["id"])
    assert js["build"]["requires"] == {}
    assert js["test"]["requires"] == {js["build"]["id"]: ["success"]}
    assert js["deploy"]["requires"] == {js["hold"]["id"]: ["success"]}
    assert all(j["dependencies"] == list(j["requires"]) for j in js.values())


AUTO = """version: 2.1
workflows:
  flaky:
    max_auto_reruns: 2
    jobs: [build, test]
"""


def test_max_auto_reruns_reruns_a_failed_workflow_from_failed(api):
    """A workflow whose configuration sets max_auto_reruns is rerun from failed when it fails, up to
    that many times; each rerun has auto_rerun_number N."""
    p = run(api, config={"branch": "main", "content": AUTO},
            parameters={"emulator_outcome": "failed", "emulator_rerun_outcome": "failed"})
    first = workflows(api, p["id"])[0]
    assert first["max_auto_reruns"] == 2 and "auto_rerun_number" not in first
    wait_status(api, first["id"], "failed")
    every = wait_statuses(api, p["id"], 3)
    assert [(w.get("auto_rerun_number"), w["status"]) for w in reversed(every)] == [
        (None, "failed"), (1, "failed"), (2, "failed")]
    assert all(w["max_auto_reruns"] == 2 for w in every)
    first, second = every[2], every[1]  # newest first
    assert second["created_at"] == first["stopped_at"]  # it starts when the workflow failed
    kept = jobs(api, second["id"])["build"]  # from failed: the build job is kept
    assert kept["job_number"] == jobs(api, first["id"])["build"]["job_number"]


def test_an_auto_rerun_that_passes_ends_the_reruns(api):
    p = run(api, config={"branch": "main", "content": AUTO}, parameters={"emulator_outcome": "failed"})
    every = wait_statuses(api, p["id"], 2)
    assert [(w.get("auto_rerun_number"), w["status"]) for w in reversed(every)] == [(None, "failed"), (1, "success")]


def test_workflows_without_max_auto_reruns_answer_neither_field(api):
    p = run(api, parameters={"emulator_outcome": "failed"})
    build = next(w for w in workflows(api, p["id"]) if w["name"] == "build")
    wait_status(api, build["id"], "failed")
    for wf in workflows(api, p["id"]):
        assert "max_auto_reruns" not in wf and "auto_rerun_number" not in wf
    assert len(workflows(api, p["id"])) == 2  # no automatic rerun


def wait_statuses(api, pipeline_id, count):
    from pipeline_helpers import wait_for

    terminal = ("success", "failed")
    return wait_for(lambda: workflows(api, pipeline_id),
                    lambda ws: len(ws) == count and all(w["status"] in terminal for w in ws))
