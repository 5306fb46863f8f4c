"""Shared helpers of the pipeline engine tests (test_pipelines, test_workflows_jobs, test_continuation, test_usage)."""

from __future__ import annotations

import time

from circleci_emulator import seed

STEP = 0.05  # pipeline_step_seconds in these tests: each job runs 50 ms
API = "gh/acme/api"
WEB = "gh/acme/web"
STANDALONE = seed.STANDALONE_PROJECT_SLUG  # circleci/<opaque org>/<opaque project>, as the service answers
STANDALONE_BY_UUID = f"circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}"  # the form paths also take
RUN_PATHS = {
    API: "/project/gh/acme/api/pipeline/run",
    STANDALONE: f"/project/{seed.STANDALONE_PROJECT_SLUG}/pipeline/run",
    STANDALONE_BY_UUID: f"/project/{STANDALONE_BY_UUID}/pipeline/run",
}
DEFINITIONS = {API: seed.ACME_API_DEFINITION_ID, WEB: seed.ACME_WEB_DEFINITION_ID,
               STANDALONE: seed.STANDALONE_DEFINITION_ID, STANDALONE_BY_UUID: seed.STANDALONE_DEFINITION_ID}


def fast(api, step: float = STEP) -> None:
    api.faults(pipeline_step_seconds=step)


def fresh(api) -> None:
    """Back to the default seed (a test may have reset with another one), with fast jobs."""
    assert api.admin("POST", "/reset", json={"seed": seed.default_seed()}).status_code == 200
    fast(api)


def trigger(api, slug: str = API, status: int = 201, **parameters) -> dict:
    """Legacy trigger; returns the answer's body."""
    body = {"parameters": parameters} if parameters else {}
    r = api.post(f"/project/{slug}/pipeline", json=body)
    assert r.status_code == status, r.text
    return r.json()


def run(api, slug: str = API, status: int = 201, **body) -> dict:
    body.setdefault("definition_id", DEFINITIONS[slug])
    r = api.post(RUN_PATHS[slug], json=body)
    assert r.status_code == status, r.text
    return r.json()


def ok(r, status: int = 200):
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def workflows(api, pipeline_id: str) -> list:
    return ok(api.get(f"/pipeline/{pipeline_id}/workflow"))["items"]


def workflow(api, pipeline_id: str, name: str) -> dict:
    """The newest workflow of that name."""
    return next(w for w in workflows(api, pipeline_id) if w["name"] == name)


def jobs(api, workflow_id: str) -> dict:
    return {j["name"]: j for j in ok(api.get(f"/workflow/{workflow_id}/job"))["items"]}


def wait_for(fetch, predicate, timeout: float = 5.0, interval: float = 0.02):
    """Poll fetch() until predicate(value); the last value (the assertion names it) otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if predicate(value):
            return value
        assert time.monotonic() < deadline, f"timed out; last value: {value!r}"
        time.sleep(interval)


def wait_status(api, workflow_id: str, *statuses: str, timeout: float = 5.0) -> dict:
    return wait_for(lambda: ok(api.get(f"/workflow/{workflow_id}")), lambda w: w["status"] in statuses, timeout)


def recorded(api, slug: str = API) -> list:
    store = api.emu.store
    with store.lock:
        project = store.project_by_slug(slug)
        return [dict(r) for r in store.workflow_runs.get(project.id, [])]
