"""Pipelines, workflows and jobs (issue #5); the engine behind them is ``engine.py``.

The two trigger endpoints (pipeline definitions are in ``pipeline_definitions.py``),
pipeline reads, ``/pipeline/continue``, workflow reads and actions (approve,
cancel, rerun), job details, cancel, artifacts and tests. Statuses are computed
as of the request; each handler first records the workflows that have become
terminal (``engine.settle``).
"""

from __future__ import annotations

import math

from flask import request

from .. import engine
from ..errors import bad_request, not_found
from ..pagination import paginate
from ..slugs import VCS_PROVIDER
from ..store import Job, Pipeline, Workflow
from .pipeline_definitions import find_definition
from .projects import find_project
from .routing import Call, Routes, by_id

routes = Routes()

PIPELINE_NOT_FOUND = "Pipeline not found"
WORKFLOW_NOT_FOUND = "Workflow not found"
JOB_NOT_FOUND = "Job not found"
LEGACY_NOT_AVAILABLE = ("Triggering a pipeline with this endpoint is not supported for projects that use GitLab "
                        "or GitHub App; use POST /project/{provider}/{organization}/{project}/pipeline/run.")
CI_SKIP = "Ignoring pipeline due to CI skip in the commit"
MAX_PARAMETERS, MAX_KEY, MAX_VALUE = 100, 128, 512


# ---------------------------------------------------------------- lookups


def visible_projects(call: Call) -> list:
    return [p for p in call.store.projects.values() if call.member_of(p.org)]


def from_history(call: Call, key: str, value) -> None:
    """Build the seeded pipeline that ``value`` names under ``key`` of the history index, if any
    (the ids and numbers the insights reports name answer like any other)."""
    if value is not None:
        engine.seeded_pipeline_where(call.store, visible_projects(call), key, value)


def find_pipeline(call: Call, pipeline_id: str) -> Pipeline:
    if by_id(call.store.pipelines, pipeline_id) is None:
        from_history(call, "by_pipeline_id", pipeline_id.lower())
    return call.find_visible(call.store.pipelines, pipeline_id, PIPELINE_NOT_FOUND)


def find_workflow(call: Call, workflow_id: str) -> Workflow:
    if by_id(call.store.workflows, workflow_id) is None:
        from_history(call, "by_workflow_id", workflow_id.lower())
    return call.find_visible(call.store.workflows, workflow_id, WORKFLOW_NOT_FOUND)


def find_job(call: Call, job_id: str) -> Job:
    if by_id(call.store.jobs, job_id) is None:
        from_history(call, "by_job_id", job_id.lower())
    return call.find_visible(call.store.jobs, job_id, JOB_NOT_FOUND)


def int_of(value: str, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise not_found(message) from None
    if number < 1:
        raise not_found(message)
    return number


def find_job_by_number(call: Call, project_slug: str, job_number: str) -> tuple[Job, dict]:
    """The newest job with that number, and its state; 404 until it has started."""
    project = find_project(call, project_slug)
    number = int_of(job_number, JOB_NOT_FOUND)
    jobs = [j for j in call.store.jobs.values() if j.project_id == project.id and j.number == number]
    if not jobs and engine.seeded_pipeline_where(call.store, [project], "by_job_number", number) is not None:
        jobs = [j for j in call.store.jobs.values() if j.project_id == project.id and j.number == number]
    if not jobs:
        raise not_found(JOB_NOT_FOUND)
    job = max(jobs, key=lambda j: j.seq)
    state = engine.workflow_view(call.store, call.store.workflows[job.workflow_id]).jobs[job.id]
    if not state["show_number"]:
        raise not_found(JOB_NOT_FOUND)
    return job, state


# ---------------------------------------------------------------- validation


def parameters_of(value) -> dict:
    """Pipeline parameters: at most 100, keys up to 128 characters, values up to 512 (spec)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request("parameters must be an object.")
    if len(value) > MAX_PARAMETERS:
        raise bad_request(f"Too many pipeline parameters: {len(value)} (at most {MAX_PARAMETERS}).")
    for key, item in value.items():
        if len(key) > MAX_KEY:
            raise bad_request(f"Pipeline parameter name {key[:32]}... is longer than {MAX_KEY} characters.")
        if item is None or not isinstance(item, (str, int, float, bool)):
            raise bad_request(f"Pipeline parameter {key} must be a string, a number or a boolean.")
        if isinstance(item, float) and not math.isfinite(item):
            raise bad_request(f"Pipeline parameter {key} must be a finite number.")
        text = item if isinstance(item, str) else str(item)
        if len(text) > MAX_VALUE:
            raise bad_request(f"The value of pipeline parameter {key} is longer than {MAX_VALUE} characters.")
    return dict(value)


def ref_of(body, where: str) -> tuple[str | None, str | None]:
    if not isinstance(body, dict):
        raise bad_request(f"{where.rstrip('.') or 'body'} must be an object.")
    branch, tag = body.get("branch"), body.get("tag")
    if branch is not None and tag is not None:
        raise bad_request(f"{where}branch and {where}tag are mutually exclusive.")
    for name, value in (("branch", branch), ("tag", tag)):
        if value is not None and (not isinstance(value, str) or not value):
            raise bad_request(f"{where}{name} must be a non-empty string.")
    return branch, tag


# ---------------------------------------------------------------- rendering


def render_pipeline(call: Call, p: Pipeline) -> dict:
    store = call.store
    project = store.projects[p.project_id]
    actor = store.users.get(p.actor_id)
    vcs = {
        "provider_name": VCS_PROVIDER[project.org.vcs_type],
        "origin_repository_url": project.vcs_url,
        "target_repository_url": project.vcs_url,
        "revision": p.revision,
        "commit": {"subject": f"Emulated commit {p.revision[:7]}", "body": ""},
    }
    if p.tag is not None:
        vcs["tag"] = p.tag
    else:
        vcs["branch"] = p.branch
    return {
        "id": p.id,
        "errors": [dict(e) for e in p.errors],
        # Newer service versions answer warnings (not in the spec; no client names it): always a list here.
        "warnings": [],
        "project_slug": project.slug,
        "updated_at": p.updated_at or p.created_at,
        "number": p.number,
        "state": engine.pipeline_state(p),
        "created_at": p.created_at,
        "trigger": {
            "type": p.trigger_type,
            "received_at": p.created_at,
            "actor": {"login": actor.login if actor else "unknown", "avatar_url": actor.avatar_url if actor else None},
        },
        "vcs": vcs,
    }


def render_workflow(call: Call, wf: Workflow, view: engine.WorkflowView | None = None) -> dict:
    view = view or engine.workflow_view(call.store, wf)
    pipeline = call.store.pipelines[wf.pipeline_id]
    out = {
        "pipeline_id": wf.pipeline_id,
        "id": wf.id,
        "name": wf.name,
        "project_slug": call.store.projects[wf.project_id].slug,
        "status": view.status,
        "started_by": wf.started_by,
        "pipeline_number": pipeline.number,
        "created_at": wf.created_at,
        "stopped_at": engine.iso_of(view.stopped_at),
    }
    if wf.tag is not None:
        out["tag"] = wf.tag
    if wf.canceled_by is not None:
        out["canceled_by"] = wf.canceled_by
    # Optional in the spec: only on workflows whose configuration set max_auto_reruns, and on their
    # automatic reruns.
    if wf.max_auto_reruns is not None:
        out["max_auto_reruns"] = wf.max_auto_reruns
    if wf.auto_rerun_number is not None:
        out["auto_rerun_number"] = wf.auto_rerun_number
    return out


def render_job(call: Call, job: Job, state: dict) -> dict:
    out = {
        "id": job.id,
        "name": job.name,
        "type": job.type,
        "status": state["status"],
        "dependencies": list(job.dependencies),
        # each required job id -> the statuses that satisfy it (the spec; circleci-cli reads it)
        "requires": {dependency: ["success"] for dependency in job.dependencies},
        "project_slug": call.store.projects[job.project_id].slug,
        "started_at": engine.iso_of(state["started_at"]),
        "stopped_at": engine.iso_of(state["stopped_at"]),
    }
    if state["show_number"]:
        out["job_number"] = job.number
    if job.type == "approval":
        out["approval_request_id"] = job.id
        approved_by = (job.fixed or {}).get("approved_by") or job.approved_by
        if approved_by and state["status"] == "success":
            out["approved_by"] = approved_by
    if job.canceled_by and state["status"] == "canceled":
        out["canceled_by"] = job.canceled_by
    return out


# ---------------------------------------------------------------- triggers


def created(p: Pipeline) -> tuple:
    return 201, {"id": p.id, "state": engine.pipeline_state(p), "number": p.number, "created_at": p.created_at}


@routes.post("/project/{project-slug}/pipeline")
def trigger_pipeline(call, project_slug):
    engine.settle(call.store)
    project = find_project(call, project_slug)
    if project.org.vcs_type == "circleci":
        raise bad_request(LEGACY_NOT_AVAILABLE)
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise bad_request("A JSON object body is required.")
    branch, tag = ref_of(body, "")
    parameters = parameters_of(body.get("parameters"))
    if branch is None and tag is None:
        branch = project.default_branch
    return created(engine.create_pipeline(call.store, project, call.user, branch=branch, tag=tag,
                                          parameters=parameters, step_seconds=call.step_seconds))


@routes.post("/project/{provider}/{organization}/{project}/pipeline/run")
def run_pipeline(call, provider, organization, project):
    engine.settle(call.store)
    found = find_project(call, f"{provider}/{organization}/{project}")
    body = call.json_object()
    definition_id = body.get("definition_id")
    if not definition_id:
        raise bad_request("definition_id is required.")
    definition = find_definition(call, found, str(definition_id))
    config_branch, config_tag = ref_of(body.get("config", {}), "config.")
    content = body.get("config", {}).get("content")
    if content is not None and not isinstance(content, str):
        raise bad_request("config.content must be a string.")
    checkout_branch, checkout_tag = ref_of(body.get("checkout", {}), "checkout.")
    parameters = parameters_of(body.get("parameters"))
    if engine.truthy(parameters.get("emulator_ci_skip")):
        return 200, {"message": CI_SKIP}
    branch, tag = checkout_branch, checkout_tag
    if branch is None and tag is None:
        branch, tag = config_branch, config_tag
    if branch is None and tag is None:
        branch = found.default_branch
    # Inline configuration replaces the definition's file; "" is no configuration (CircleCI's MCP
    # server sends content "" when it has none).
    return created(engine.create_pipeline(call.store, found, call.user, branch=branch, tag=tag,
                                          parameters=parameters, definition_id=definition.id,
                                          configuration=content or None, step_seconds=call.step_seconds))


@routes.post("/pipeline/continue")
def continue_pipeline(call):
    engine.settle(call.store)
    body = call.json_object()
    key = body.get("continuation-key")
    configuration = body.get("configuration")
    if not isinstance(key, str) or not key:
        raise bad_request("continuation-key is required.")
    if not isinstance(configuration, str):
        raise bad_request("configuration is required.")
    parameters = parameters_of(body.get("parameters"))
    pipeline_id = call.store.continuation_keys.get(key)
    pipeline = call.store.pipelines.get(pipeline_id) if pipeline_id else None
    if pipeline is None or call.visible_project(pipeline.project_id) is None:
        raise bad_request("Invalid continuation key.")
    if pipeline.continued_at is not None:
        raise bad_request("This continuation key has already been used: the pipeline was continued.")
    setup = call.store.workflows[pipeline.workflow_ids[0]]
    if engine.workflow_view(call.store, setup).status != "running":
        raise bad_request("The pipeline's setup workflow is not running: it cannot be continued.")
    engine.continue_pipeline(call.store, pipeline, configuration, parameters, call.step_seconds)
    return {"message": "Pipeline continued."}


# ---------------------------------------------------------------- pipeline reads


def page_of_pipelines(call: Call, items, scope: str) -> dict:
    return paginate(items, scope=scope, page_token=call.page_token, page_size=call.page_size,
                    key=lambda p: -p.seq, render=lambda p: render_pipeline(call, p))


@routes.get("/pipeline")
def list_pipelines(call):
    engine.settle(call.store)
    org_slug = call.args.get("org-slug")
    if org_slug:
        org = call.store.org_by_slug(org_slug)
        if org is None or not call.member_of(org):
            raise not_found("Organization not found")
        org_ids = {org.id}
    else:
        org_ids = set(call.user.org_ids)
    mine = call.args.get("mine", "false").lower() == "true"
    items = [p for p in call.store.pipelines.values() if not p.seeded
             and call.store.projects[p.project_id].org.id in org_ids and (not mine or p.actor_id == call.user.id)]
    scope = f"pipelines:{','.join(sorted(org_ids))}:{int(mine)}"
    return page_of_pipelines(call, items, scope)


@routes.get("/project/{project-slug}/pipeline")
def list_project_pipelines(call, project_slug):
    engine.settle(call.store)
    project = find_project(call, project_slug)
    branch = call.args.get("branch")
    items = [p for p in call.store.pipelines.values()
             if p.project_id == project.id and not p.seeded and (branch is None or p.branch == branch)]
    return page_of_pipelines(call, items, f"project-pipelines:{project.id}:{branch or ''}")


@routes.get("/project/{project-slug}/pipeline/mine")
def list_my_pipelines(call, project_slug):
    engine.settle(call.store)
    project = find_project(call, project_slug)
    items = [p for p in call.store.pipelines.values()
             if p.project_id == project.id and not p.seeded and p.actor_id == call.user.id]
    return page_of_pipelines(call, items, f"my-pipelines:{project.id}:{call.user.id}")


@routes.get("/project/{project-slug}/pipeline/{pipeline-number}")
def get_pipeline_by_number(call, project_slug, pipeline_number):
    engine.settle(call.store)
    project = find_project(call, project_slug)
    number = int_of(pipeline_number, PIPELINE_NOT_FOUND)
    for p in call.store.pipelines.values():
        if p.project_id == project.id and p.number == number:
            return render_pipeline(call, p)
    seeded = engine.seeded_pipeline(call.store, project, number)
    if seeded is not None:
        return render_pipeline(call, seeded)
    raise not_found(PIPELINE_NOT_FOUND)


@routes.get("/pipeline/{pipeline-id}")
def get_pipeline(call, pipeline_id):
    engine.settle(call.store)
    return render_pipeline(call, find_pipeline(call, pipeline_id))


@routes.get("/pipeline/{pipeline-id}/config")
def get_pipeline_config(call, pipeline_id):
    p = find_pipeline(call, pipeline_id)
    if p.setup_config is not None:
        source = p.config if p.continued_at is not None else p.setup_config
        out = {"source": source, "compiled": source, "setup-config": p.setup_config,
               "compiled-setup-config": p.setup_config}
        return out
    return {"source": p.config, "compiled": p.config}


@routes.get("/pipeline/{pipeline-id}/values")
def get_pipeline_values(call, pipeline_id):
    p = find_pipeline(call, pipeline_id)
    project = call.store.projects[p.project_id]
    values = {
        "pipeline.id": p.id,
        "pipeline.number": p.number,
        "pipeline.project.git_url": project.vcs_url,
        "pipeline.project.type": {"github": "github", "bitbucket": "bitbucket", "circleci": "github_app"}[
            project.org.vcs_type],
        "pipeline.git.revision": p.revision,
        "pipeline.git.base_revision": p.revision,
        "pipeline.git.branch": p.branch or "",
        "pipeline.git.tag": p.tag or "",
        "pipeline.trigger_source": "api",
        "pipeline.in_setup": p.setup_config is not None and p.continued_at is None,
    }
    for key, value in p.parameters.items():
        values[f"pipeline.parameters.{key}"] = str(value) if isinstance(value, float) else value
    rollback = call.store.rollbacks.get(p.id)
    if rollback is not None:  # a rollback pipeline (deploy.py)
        values.update(engine.rollback_values(rollback))
    return values


@routes.get("/pipeline/{pipeline-id}/workflow")
def list_pipeline_workflows(call, pipeline_id):
    engine.settle(call.store)
    p = find_pipeline(call, pipeline_id)
    items = [call.store.workflows[w] for w in p.workflow_ids]
    return paginate(items, scope=f"workflows:{p.id}", page_token=call.page_token, page_size=call.page_size,
                    key=lambda w: -w.seq, render=lambda w: render_workflow(call, w))


# ---------------------------------------------------------------- workflows


@routes.get("/workflow/{id}")
def get_workflow(call, id):
    engine.settle(call.store)
    return render_workflow(call, find_workflow(call, id))


@routes.get("/workflow/{id}/job")
def list_workflow_jobs(call, id):
    engine.settle(call.store)
    wf = find_workflow(call, id)
    view = engine.workflow_view(call.store, wf)
    jobs = [call.store.jobs[j] for j in wf.job_ids]
    return paginate(jobs, scope=f"jobs:{wf.id}", page_token=call.page_token, page_size=call.page_size,
                    render=lambda j: render_job(call, j, view.jobs[j.id]))


@routes.post("/workflow/{id}/approve/{approval_request_id}")
def approve_job(call, id, approval_request_id):
    engine.settle(call.store)
    wf = find_workflow(call, id)
    job = by_id(call.store.jobs, approval_request_id)
    if job is None or job.workflow_id != wf.id or job.type != "approval":
        raise not_found("Approval request not found.")
    state = engine.workflow_view(call.store, wf).jobs[job.id]
    if state["status"] != "on_hold":
        raise bad_request(f"The approval job {job.name} is not on hold (status {state['status']}).")
    job.approved_at = call.store.now()
    job.approved_by = call.user.id
    return 202, {"message": "Accepted."}


@routes.post("/workflow/{id}/cancel")
def cancel_workflow(call, id):
    engine.settle(call.store)
    wf = find_workflow(call, id)
    status = engine.workflow_view(call.store, wf).status
    if status in engine.TERMINAL_WORKFLOW:
        raise bad_request(f"The workflow is not running (status {status}).")
    wf.canceled_at = call.store.now()
    wf.canceled_by = call.user.id
    engine.settle(call.store)
    return 202, {"message": "Accepted."}


@routes.post("/workflow/{id}/rerun")
def rerun_workflow(call, id):
    engine.settle(call.store)
    wf = find_workflow(call, id)
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise bad_request("A JSON object body is required.")
    from_failed = body.get("from_failed") is True
    jobs = body.get("jobs")
    if from_failed and jobs:
        raise bad_request("from_failed and jobs are mutually exclusive.")
    view = engine.workflow_view(call.store, wf)
    if view.status not in engine.TERMINAL_WORKFLOW:
        raise bad_request(f"The workflow has not finished (status {view.status}): it cannot be rerun yet.")
    if wf.tag == "setup":
        raise bad_request("A setup workflow cannot be rerun.")
    if from_failed and view.status != "failed":
        raise bad_request("from_failed: the workflow did not fail.")
    if jobs:
        unknown = [j for j in jobs if str(j).lower() not in wf.job_ids]
        if unknown:
            raise bad_request(f"jobs: not jobs of this workflow: {', '.join(map(str, unknown))}.")
        jobs = [str(j).lower() for j in jobs]
    new = engine.rerun_workflow(call.store, wf, call.user.id, from_failed=from_failed, job_ids=jobs or None,
                                step_seconds=call.step_seconds)
    return 202, {"workflow_id": new.id}


# ---------------------------------------------------------------- jobs


def cancel(call: Call, job: Job, state: dict) -> None:
    if state["status"] in engine.TERMINAL_JOB:
        raise bad_request(f"Job {job.name} has already finished (status {state['status']}).")
    job.canceled_at = call.store.now()
    job.canceled_by = call.user.id
    engine.settle(call.store)


@routes.post("/jobs/{job-id}/cancel")
def cancel_job_by_id(call, job_id):
    engine.settle(call.store)
    job = find_job(call, job_id)
    cancel(call, job, engine.workflow_view(call.store, call.store.workflows[job.workflow_id]).jobs[job.id])
    return {"message": "Job canceled."}


@routes.post("/project/{project-slug}/job/{job-number}/cancel")
def cancel_job_by_number(call, project_slug, job_number):
    engine.settle(call.store)
    job, state = find_job_by_number(call, project_slug, job_number)
    cancel(call, job, state)
    return {"message": "Job canceled."}


@routes.get("/project/{project-slug}/job/{job-number}")
def get_job_details(call, project_slug, job_number):
    engine.settle(call.store)
    job, state = find_job_by_number(call, project_slug, job_number)
    if job.type == "approval":
        raise not_found(JOB_NOT_FOUND)  # approval jobs have no details (seen on the live service)
    store = call.store
    wf = store.workflows[job.workflow_id]
    pipeline = store.pipelines[wf.pipeline_id]
    project = store.projects[job.project_id]
    started, stopped = state["started_at"], state["stopped_at"]
    return {
        "web_url": f"https://app.circleci.com/pipelines/{project.slug}/{pipeline.number}/workflows/{wf.id}"
                   f"/jobs/{job.number}",
        "project": {"id": project.id, "slug": project.slug, "name": project.name, "external_url": project.vcs_url},
        "parallel_runs": [{"index": 0, "status": state["status"]}],
        "started_at": engine.iso_of(started),
        "latest_workflow": {"id": wf.id, "name": wf.name},
        "name": job.name,
        "executor": {"resource_class": "medium", "type": "docker"},
        "parallelism": 1,
        "status": state["status"],
        "number": job.number,
        "pipeline": {"id": pipeline.id},
        "duration": int(round((stopped - started) * 1000)) if stopped is not None else None,
        "created_at": wf.created_at,
        "messages": [],
        "contexts": [],
        "organization": {"name": project.org.name},
        "queued_at": engine.iso_of(started),
        "stopped_at": engine.iso_of(stopped),
    }


def artifact_url(job: Job, path: str) -> str:
    return f"{request.host_url.rstrip('/')}/_emulator/artifacts/{job.id}/{path}"


@routes.get("/project/{project-slug}/{job-number}/artifacts")
def get_job_artifacts(call, project_slug, job_number):
    engine.settle(call.store)
    job, state = find_job_by_number(call, project_slug, job_number)
    items = list(enumerate(engine.job_artifacts(job, state["status"])))
    return paginate(items, scope=f"artifacts:{job.id}", page_token=call.page_token, page_size=call.page_size,
                    key=lambda item: item[0],
                    render=lambda item: {"path": item[1][0], "node_index": 0, "url": artifact_url(job, item[1][0])})


@routes.get("/project/{project-slug}/{job-number}/tests")
def get_job_tests(call, project_slug, job_number):
    engine.settle(call.store)
    job, state = find_job_by_number(call, project_slug, job_number)
    items = list(enumerate(engine.job_tests(job, state["status"])))
    return paginate(items, scope=f"tests:{job.id}", page_token=call.page_token, page_size=call.page_size,
                    key=lambda item: item[0], render=lambda item: item[1])

