"""The pipeline engine: pipelines that run, computed lazily from timestamps.

Nothing runs in the background. A pipeline stores facts (when it and its
workflows were created, how long each job runs and how it ends, when someone
approved, canceled or continued something) and :func:`workflow_view` derives
every job's and workflow's status as of now whenever one is read. Workflows
that have reached a terminal status are handed to ``runs.record_workflow`` once
(:func:`settle`, which every pipelines handler calls first; other readers of
the recorded runs call it too).

Shapes (see the README, "Pipelines"): a normal pipeline has workflows
``build`` (``build`` -> ``test``; outcome ``approval``: ``build`` -> ``test``
-> ``hold`` -> ``deploy``) and ``lint`` (``lint``); a setup pipeline one
workflow ``setup`` whose ``setup`` job runs until the pipeline is continued,
then the workflows of the continuation configuration; a pipeline run with
inline configuration the workflows of that configuration; a rollback pipeline
one workflow ``rollback`` with one job ``rollback``, whose success deploys the
rollback's target version (:func:`component_versions`).

Callers hold ``store.lock`` (API handlers always do).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from . import history, runs
from .store import ComponentVersion, Job, Pipeline, Project, Rollback, Store, UsageExport, User, Workflow, iso

OUTCOMES = ("success", "failed", "approval")
TERMINAL_WORKFLOW = ("success", "not_run", "failed", "error", "canceled", "unauthorized")
TERMINAL_JOB = ("success", "failed", "canceled", "not_run", "infrastructure_fail", "timedout",
                "terminated-unknown", "unauthorized", "retried")
DEFAULT_STEP_SECONDS = 0.5  # the emulator's pipeline_step_seconds; callers pass the current one
CREDITS_PER_MINUTE = 10  # a medium Docker resource class
INF = math.inf


# ---------------------------------------------------------------- time


def ts_of(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def iso_of(ts: float | None) -> str | None:
    if ts is None:
        return None
    return iso(datetime.fromtimestamp(round(ts, 3), timezone.utc))


def now_ts() -> float:
    return datetime.now(timezone.utc).timestamp()


# ---------------------------------------------------------------- plans


@dataclass
class JobPlan:
    name: str
    type: str = "build"  # build | approval
    outcome: str = "success"


@dataclass
class WorkflowPlan:
    name: str
    jobs: list  # [JobPlan], each requiring the one before it
    max_auto_reruns: int | None = None  # the configuration's max_auto_reruns (1..5)


MAX_AUTO_RERUNS = 5


def normal_plan(outcome: str) -> list:
    """[WorkflowPlan] of a normal pipeline; each job requires the one before it."""
    if outcome == "approval":
        build = [JobPlan("build"), JobPlan("test"), JobPlan("hold", "approval"), JobPlan("deploy")]
    else:
        build = [JobPlan("build"), JobPlan("test", outcome="failed" if outcome == "failed" else "success")]
    return [WorkflowPlan("build", build), WorkflowPlan("lint", [JobPlan("lint")])]


def plan_from_config(configuration: str, outcome: str) -> list:
    """The workflows of a YAML configuration with a ``workflows:`` mapping, else the normal plan.

    Jobs run in the order they are listed (``requires`` is not read). ``- NAME: {type: approval}``
    makes an approval job; a workflow's ``max_auto_reruns`` (1..5) is kept. Outcome ``failed``
    fails the job named ``test``, else the last job of the first workflow.
    """
    plan = [wf for wf in _config_workflows(load_config(configuration)) if wf.jobs]
    if not plan:
        return normal_plan(outcome)
    if outcome == "failed":
        _fail_one_job(plan)
    return plan


def load_config(configuration: str):
    """The parsed YAML of a configuration, or None when it is not YAML."""
    try:
        import yaml

        return yaml.safe_load(configuration)
    except Exception:  # noqa: BLE001 - anything that is not YAML is "no workflows"
        return None


def config_error(configuration: str) -> str | None:
    """Why an inline configuration cannot run (the pipeline then errors), or None."""
    data = load_config(configuration)
    if not isinstance(data, dict):
        return "Config does not conform to schema: the configuration must be a YAML mapping"
    for wf in _config_workflows(data):
        value = wf.max_auto_reruns
        if value is not None and not (isinstance(value, int) and 1 <= value <= MAX_AUTO_RERUNS):
            return f"Config does not conform to schema: workflows.{wf.name}.max_auto_reruns must be 1 to 5"
    return None


def _config_workflows(data) -> list:
    """[WorkflowPlan] of each workflow with a ``jobs`` list (not e.g. ``version: 2``)."""
    workflows = data.get("workflows") if isinstance(data, dict) else None
    if not isinstance(workflows, dict):
        return []
    return [WorkflowPlan(str(name), _job_plans(wf["jobs"]), wf.get("max_auto_reruns"))
            for name, wf in workflows.items() if isinstance(wf, dict) and isinstance(wf.get("jobs"), list)]


def _job_plans(items: list) -> list:
    """``- NAME`` or ``- NAME: {...}`` (``type: approval`` makes an approval job); anything else is skipped."""
    jobs = []
    for item in items:
        if isinstance(item, str):
            jobs.append(JobPlan(item))
        elif isinstance(item, dict) and len(item) == 1:
            name, conf = next(iter(item.items()))
            kind = "approval" if isinstance(conf, dict) and conf.get("type") == "approval" else "build"
            jobs.append(JobPlan(str(name), kind))
    return jobs


def _fail_one_job(plan: list) -> None:
    """The build job named ``test`` fails, else the last build job of the first workflow."""
    builds = [j for wf in plan for j in wf.jobs if j.type == "build"]
    target = next((j for j in builds if j.name == "test"), None)
    if target is None:
        target = next((j for j in reversed(plan[0].jobs) if j.type == "build"), None)
    if target is not None:
        target.outcome = "failed"


def config_text(plan: list) -> str:
    """A config.yml that describes a plan (what /pipeline/{id}/config answers)."""
    names = sorted({j.name for wf in plan for j in wf.jobs if j.type == "build"})
    lines = ["version: 2.1", "", "jobs:"]
    for name in names:
        lines += [f"  {name}:", "    docker:", "      - image: cimg/base:stable",
                  "    steps:", "      - checkout", f"      - run: make {name}"]
    lines += ["", "workflows:"]
    for wf in plan:
        lines += [f"  {wf.name}:", "    jobs:"]
        previous = None
        for job in wf.jobs:
            extra = []
            if job.type == "approval":
                extra.append("type: approval")
            if previous is not None:
                extra.append(f"requires: [{previous}]")
            if extra:
                lines.append(f"      - {job.name}:")
                lines += [f"          {e}" for e in extra]
            else:
                lines.append(f"      - {job.name}")
            previous = job.name
    return "\n".join(lines) + "\n"


SETUP_CONFIG = """version: 2.1

setup: true

orbs:
  continuation: circleci/continuation@1

jobs:
  setup:
    executor: continuation/default
    steps:
      - checkout
      - run: ./generate-config > generated.yml
      - continuation/continue:
          configuration_path: generated.yml

workflows:
  setup:
    jobs:
      - setup
"""


# ---------------------------------------------------------------- parameters


def outcome_of(parameters: dict, key: str = "emulator_outcome", default: str = "success") -> str:
    value = parameters.get(key, default)
    return value if value in OUTCOMES else default


def job_seconds_of(parameters: dict, step_seconds: float) -> float:
    """How long each job runs: the pipeline parameter ``emulator_job_seconds``, else the emulator's pace."""
    value = parameters.get("emulator_job_seconds")
    try:
        seconds = float(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not 0 <= seconds <= 3600 or math.isnan(seconds):
        return step_seconds
    return seconds


def truthy(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true") or value == 1


# ---------------------------------------------------------------- creation


def next_number(counters: dict, project_id: str) -> int:
    counters[project_id] = counters.get(project_id, 0) + 1
    return counters[project_id]


def start_numbering(store: Store, project: Project) -> None:
    """Number a project's first triggered pipeline and job after its seeded insights history
    (history.py), as on a project with a past: no two pipelines or jobs share a number."""
    if project.id in store.pipeline_numbers:
        return
    seeded = history.seeded_runs(project)
    store.pipeline_numbers[project.id] = max((r["pipeline_number"] for r in seeded), default=0)
    store.job_numbers[project.id] = max(
        (job.get("number") or 0 for r in seeded for job in r["jobs"]), default=0)


# ---------------------------------------------------------------- the seeded history


HISTORY_PLAN = {"build": ("build", "test"), "lint": ("lint",)}  # history.py's workflows and their jobs


def seeded_pipeline(store: Store, project: Project, number: int) -> Pipeline | None:
    """The pipeline of the project's seeded insights history with this number, built into the
    store on first use from the history's run records (same ids, numbers, times, statuses and test
    results), so that what the insights reports name answers on the pipeline, workflow, job and
    test endpoints. None if the history has no such pipeline. Its workflows count as recorded
    (insights read them from the history); the lists never show it (``Pipeline.seeded``)."""
    for p in store.pipelines.values():
        if p.project_id == project.id and p.number == number:
            return p
    records = history.seeded_index(project).pipelines.get(number)
    if not records:
        return None
    start_numbering(store, project)
    actor = next((u.id for u in store.users.values() if project.org.id in u.org_ids), "")
    first = records[0]
    revision = hashlib.sha1(f"{project.id}:{first['branch']}:{number}".encode()).hexdigest()
    pipeline = Pipeline(first["pipeline_id"], project.id, number, actor, first["created_at"], "webhook",
                        first["branch"], None, {}, config_text(normal_plan("success")), revision, store.next_seq(),
                        updated_at=records[-1]["created_at"], seeded=True)
    store.pipelines[pipeline.id] = pipeline
    previous: dict = {}  # workflow name -> id of its last run in this pipeline (a rerun's origin)
    for rec in records:
        wf = Workflow(rec["workflow_id"], pipeline.id, project.id, rec["workflow_name"], rec["created_at"], actor,
                      store.next_seq(), rerun_of=previous.get(rec["workflow_name"]), recorded=True, seeded=True)
        previous[wf.name] = wf.id
        _seeded_jobs(store, wf, rec)
        store.workflows[wf.id] = wf
        pipeline.workflow_ids.append(wf.id)
    return pipeline


def _seeded_jobs(store: Store, wf: Workflow, rec: dict) -> None:
    """The jobs of one seeded workflow run, kept as they ended; a job its failed predecessor kept from
    running is ``not_run`` (no number, like a job that never started)."""
    ran = {job["name"]: job for job in rec["jobs"]}
    previous = None
    for name in HISTORY_PLAN.get(wf.name, tuple(ran)):
        job = ran.get(name)
        if job is None:
            job_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"circleci-emulator-history:{wf.id}:{name}"))
            fixed = {"status": "not_run", "started_at": None, "stopped_at": None, "show_number": False}
            new = Job(job_id, wf.id, wf.project_id, name, "build", 0, [previous] if previous else [], 0, "failed",
                      store.next_seq(), fixed=fixed, tests=[])
        else:
            fixed = {"status": job["status"], "started_at": ts_of(job["started_at"]),
                     "stopped_at": ts_of(job["stopped_at"]), "show_number": True}
            tests = [t for t in rec["tests"] if t.get("job_number") == job["number"]]
            new = Job(job["id"], wf.id, wf.project_id, name, "build", job["number"], [previous] if previous else [],
                      job["duration"], job["status"], store.next_seq(), fixed=fixed, tests=tests)
        store.jobs[new.id] = new
        wf.job_ids.append(new.id)
        previous = new.id


def seeded_pipeline_where(store: Store, projects, key: str, value) -> Pipeline | None:
    """The seeded pipeline (built on first use) of one of ``projects`` whose history index maps
    ``value`` under ``key`` (``by_pipeline_id``, ``by_workflow_id``, ``by_job_number``, ``by_job_id``)."""
    for project in projects:
        number = getattr(history.seeded_index(project), key).get(value)
        if number is not None:
            return seeded_pipeline(store, project, number)
    return None


# ---------------------------------------------------------------- creation (continued)


def create_pipeline(store: Store, project: Project, user: User, *, branch: str | None, tag: str | None,
                    parameters: dict, definition_id: str | None = None, configuration: str | None = None,
                    step_seconds: float = DEFAULT_STEP_SECONDS) -> Pipeline:
    """A triggered pipeline; ``configuration`` (inline YAML, pipeline run's ``config.content``)
    replaces the project's own: its workflows run, and YAML that cannot run errors the pipeline."""
    now = store.now()
    start_numbering(store, project)
    number = next_number(store.pipeline_numbers, project.id)
    pipeline_id = store.new_id()
    revision = hashlib.sha1(f"{project.id}:{branch or tag}:{number}".encode()).hexdigest()
    setup = truthy(parameters.get("emulator_setup"))
    pipeline = Pipeline(pipeline_id, project.id, number, user.id, now, "api", branch, tag, dict(parameters),
                        "", revision, store.next_seq(), definition_id=definition_id, updated_at=now)
    store.pipelines[pipeline.id] = pipeline
    seconds = job_seconds_of(parameters, step_seconds)
    if setup:
        pipeline.setup_config = SETUP_CONFIG
        pipeline.continuation_key = "ck1." + secrets.token_urlsafe(48)
        store.continuation_keys[pipeline.continuation_key] = pipeline.id
        wf = add_workflow(store, pipeline, WorkflowPlan("setup", [JobPlan("setup")]), seconds, user.id, now,
                          tag="setup")
        store.jobs[wf.job_ids[0]].until_continued = True
    elif configuration:
        pipeline.config = configuration
        error = config_error(configuration)
        if error is not None:
            pipeline.errors = [{"type": "config", "message": error}]
            return pipeline
        for wf in plan_from_config(configuration, outcome_of(parameters)):
            add_workflow(store, pipeline, wf, seconds, user.id, now)
    else:
        plan = normal_plan(outcome_of(parameters))
        pipeline.config = config_text(plan)
        for wf in plan:
            add_workflow(store, pipeline, wf, seconds, user.id, now)
    return pipeline


def add_workflow(store: Store, pipeline: Pipeline, plan_of: WorkflowPlan, seconds: float, user_id: str,
                 created_at: str, tag: str | None = None) -> Workflow:
    wf = Workflow(store.new_id(), pipeline.id, pipeline.project_id, plan_of.name, created_at, user_id,
                  store.next_seq(), tag=tag, max_auto_reruns=plan_of.max_auto_reruns)
    previous = None
    for plan in plan_of.jobs:
        job = Job(store.new_id(), wf.id, pipeline.project_id, plan.name, plan.type,
                  next_number(store.job_numbers, pipeline.project_id), [previous] if previous else [],
                  seconds, plan.outcome, store.next_seq())
        store.jobs[job.id] = job
        wf.job_ids.append(job.id)
        previous = job.id
    store.workflows[wf.id] = wf
    pipeline.workflow_ids.append(wf.id)
    return wf


def continue_pipeline(store: Store, pipeline: Pipeline, configuration: str, parameters: dict,
                      step_seconds: float = DEFAULT_STEP_SECONDS) -> None:
    now = store.now()
    pipeline.continued_at = pipeline.updated_at = now
    pipeline.config = configuration
    pipeline.parameters.update(parameters)  # the continued pipeline's parameters
    seconds = job_seconds_of(pipeline.parameters, step_seconds)
    for wf in plan_from_config(configuration, outcome_of(pipeline.parameters)):
        add_workflow(store, pipeline, wf, seconds, pipeline.actor_id, now)


def rerun_workflow(store: Store, wf: Workflow, user_id: str, *, from_failed: bool, job_ids: list | None,
                   step_seconds: float = DEFAULT_STEP_SECONDS, created_at: str | None = None,
                   auto_rerun_number: int | None = None) -> Workflow:
    """A new workflow of the same pipeline: the jobs chosen run again, the others are kept as they ended.

    Rerun jobs end with the pipeline parameter ``emulator_rerun_outcome`` (``success`` by default).
    An automatic rerun (:func:`auto_rerun`) starts when the workflow failed (``created_at``)."""
    view = workflow_view(store, wf)
    pipeline = store.pipelines[wf.pipeline_id]
    start_numbering(store, store.projects[wf.project_id])
    jobs = [store.jobs[j] for j in wf.job_ids]
    rerun = _jobs_to_rerun(jobs, view, from_failed, job_ids)
    now = created_at or store.now()
    rerun_outcome = pipeline.parameters.get("emulator_rerun_outcome", "success")
    rerun_outcome = rerun_outcome if rerun_outcome in ("success", "failed") else "success"
    seconds = job_seconds_of(pipeline.parameters, step_seconds)
    new = Workflow(store.new_id(), pipeline.id, wf.project_id, wf.name, now, user_id, store.next_seq(),
                   tag=wf.tag, rerun_of=wf.id, max_auto_reruns=wf.max_auto_reruns,
                   auto_rerun_number=auto_rerun_number)
    mapping: dict = {}
    for old in jobs:
        job = Job(store.new_id(), new.id, old.project_id, old.name, old.type, old.number,
                  [mapping[d] for d in old.dependencies], seconds, old.outcome, store.next_seq(),
                  until_continued=old.until_continued, attempt=old.attempt)
        if old.id in rerun:
            job.number = next_number(store.job_numbers, old.project_id)
            job.attempt = old.attempt + 1
            if job.type == "build" and not job.until_continued:
                job.outcome = rerun_outcome
        else:
            state = view.jobs[old.id]
            job.fixed = {"status": state["status"], "started_at": state["started_at"],
                         "stopped_at": state["stopped_at"], "approved_by": old.approved_by,
                         "show_number": state["show_number"]}
            job.approved_by = old.approved_by
            job.tests = old.tests
        mapping[old.id] = job.id
        store.jobs[job.id] = job
        new.job_ids.append(job.id)
    store.workflows[new.id] = new
    pipeline.workflow_ids.append(new.id)
    pipeline.updated_at = max(now, pipeline.updated_at or now)
    return new


def auto_rerun(store: Store, wf: Workflow, view: WorkflowView) -> Workflow | None:
    """The automatic rerun (from failed) of a workflow whose configuration set ``max_auto_reruns``,
    when it failed and reruns are left; it starts when the workflow stopped, its jobs at the pace
    of the workflow's own."""
    done = wf.auto_rerun_number or 0
    if wf.max_auto_reruns is None or view.status != "failed" or done >= wf.max_auto_reruns:
        return None
    pace = store.jobs[wf.job_ids[0]].duration
    return rerun_workflow(store, wf, wf.started_by, from_failed=True, job_ids=None, step_seconds=pace,
                          created_at=iso_of(view.stopped_at), auto_rerun_number=done + 1)


def _jobs_to_rerun(jobs: list, view: WorkflowView, from_failed: bool, job_ids: list | None) -> set:
    """Ids of the jobs a rerun runs again: those that did not succeed (from failed), the ones
    named and everything downstream of them, or all."""
    if from_failed:
        return {j.id for j in jobs if view.jobs[j.id]["status"] != "success"}
    if not job_ids:
        return {j.id for j in jobs}
    rerun = set(job_ids)
    changed = True
    while changed:
        changed = False
        for j in jobs:
            if j.id not in rerun and any(d in rerun for d in j.dependencies):
                rerun.add(j.id)
                changed = True
    return rerun


# ---------------------------------------------------------------- views


@dataclass
class WorkflowView:
    status: str
    stopped_at: float | None
    jobs: dict  # job id -> {"status", "started_at", "stopped_at" (floats or None), "show_number"}


def workflow_view(store: Store, wf: Workflow, at: float | None = None) -> WorkflowView:
    """Every job's status and times as of ``at`` (default now), and the workflow's."""
    moments = _moments(store, wf, at)
    states: dict = {}
    for job_id in wf.job_ids:  # in dependency order: a job's dependencies have their state already
        job = store.jobs[job_id]
        states[job_id] = job_state(job, [states[d] for d in job.dependencies], moments)
    status, stopped = workflow_status(wf, states, moments)
    return WorkflowView(status, stopped, states)


@dataclass
class Moments:
    """The times a workflow's view is computed from (POSIX seconds)."""

    at: float  # as of when
    created: float  # the workflow's creation: its first jobs start then
    canceled: float | None  # the workflow's cancel
    continued: float | None  # the pipeline's continuation (ends the setup job)


def _moments(store: Store, wf: Workflow, at: float | None) -> Moments:
    at = now_ts() if at is None else at
    at = max(at, store.last_timestamp())  # store.now() may run a millisecond ahead of the clock
    pipeline = store.pipelines[wf.pipeline_id]
    return Moments(at, ts_of(wf.created_at), ts_of(wf.canceled_at) if wf.canceled_at else None,
                   ts_of(pipeline.continued_at) if pipeline.continued_at else None)


def job_state(job: Job, deps: list, moments: Moments) -> dict:
    """{"status", "started_at", "stopped_at", "show_number"} of one job, given its dependencies' states."""
    if job.fixed is not None:  # kept as it ended by a rerun
        return {key: job.fixed[key] for key in ("status", "started_at", "stopped_at", "show_number")}
    cancels = [t for t in (moments.canceled, ts_of(job.canceled_at) if job.canceled_at else None) if t is not None]
    cancel = min(cancels) if cancels else None
    state = {"status": "blocked", "started_at": None, "stopped_at": None, "show_number": False}
    waiting = _before_start(deps, cancel, moments)
    if waiting is not None:
        state["status"] = waiting
        return state
    start = max([moments.created] + [d["stopped_at"] for d in deps if d["stopped_at"] is not None])
    if cancel is not None and cancel <= start:
        state["status"] = "canceled"
        return state
    state.update(started_at=start, show_number=True)
    if job.type == "approval":
        state.update(_approval_outcome(job, cancel, moments.at))
    else:
        state.update(_run_outcome(job, start, cancel, moments))
    return state


def _before_start(deps: list, cancel: float | None, moments: Moments) -> str | None:
    """The status of a job its dependencies keep from starting (for now or for good), else None."""
    if any(d["status"] not in TERMINAL_JOB for d in deps):  # still waiting for them
        return "canceled" if cancel is not None and cancel <= moments.at else "blocked"
    if any(d["status"] != "success" for d in deps):
        return "canceled" if moments.canceled is not None else "not_run"
    return None


def _approval_outcome(job: Job, cancel: float | None, at: float) -> dict:
    if job.approved_at is not None:
        return {"status": "success", "stopped_at": ts_of(job.approved_at)}
    if cancel is not None and cancel <= at:
        return {"status": "canceled", "stopped_at": cancel}
    return {"status": "on_hold"}


def _run_outcome(job: Job, start: float, cancel: float | None, moments: Moments) -> dict:
    """A build job that started at ``start``: running, ended as planned, or canceled."""
    if job.until_continued:  # the setup job
        end = moments.continued if moments.continued is not None else INF
    else:
        end = start + job.duration
    if cancel is not None and cancel < end and cancel <= moments.at:
        return {"status": "canceled", "stopped_at": cancel}
    if end <= moments.at:
        return {"status": "success" if job.until_continued else job.outcome, "stopped_at": end}
    return {"status": "running"}


def workflow_status(wf: Workflow, states: dict, moments: Moments) -> tuple:
    """(status, stopped_at) of a workflow whose jobs have these states."""
    status = _status_of([s["status"] for s in states.values()], bool(wf.canceled_at))
    stopped = None
    if status in TERMINAL_WORKFLOW:
        ends = [s["stopped_at"] for s in states.values() if s["stopped_at"] is not None]
        if moments.canceled is not None:
            ends.append(moments.canceled)
        stopped = max(ends) if ends else moments.created
    if wf.canceled_at and status not in TERMINAL_WORKFLOW:
        return "canceled", moments.canceled  # a canceled workflow is canceled at once
    return status, stopped


def _status_of(statuses: list, canceled: bool) -> str:
    # Blocked jobs wait for a running job or for an approval: only running ones make progress.
    if any(s in ("running", "queued", "not_running") for s in statuses):
        return "failing" if "failed" in statuses else "running"
    if "on_hold" in statuses:
        return "on_hold"
    if canceled or "canceled" in statuses:
        return "canceled"
    if "failed" in statuses:
        return "failed"
    if all(s == "not_run" for s in statuses):
        return "not_run"
    return "success"


def pipeline_state(pipeline: Pipeline) -> str:
    if pipeline.errors:
        return "errored"
    if pipeline.setup_config is not None and pipeline.continued_at is None:
        return "setup"
    return "created"


# ---------------------------------------------------------------- tests and artifacts


TEST_FILE = "tests/test_service.py"
TEST_CLASS = "tests.test_service.TestService"
# name -> (base run time, fails when the job fails)
TESTS = (
    ("test_health", 0.012, False),
    ("test_create_item", 0.154, False),
    ("test_update_item", 0.087, False),
    ("test_network_timeout", 1.25, True),  # flaky: fails in failed runs, passes in their reruns
    ("test_legacy_export", 0.0, False),  # always skipped
)
TIMEOUT_MESSAGE = "TimeoutError: the upstream service did not answer within 1.0 seconds"
TEST_KEYS = ("message", "source", "run_time", "file", "result", "name", "classname")


def job_tests(job: Job, status: str) -> list:
    """The test results a finished ``test`` job stored (empty for other jobs).

    A passing test's ``message`` is ``""``, never null: CircleCI's MCP server requires a string."""
    if job.tests is not None:  # a job of the seeded history: its own results
        return [{key: t[key] for key in TEST_KEYS} for t in job.tests]
    if job.name != "test" or job.type != "build" or status not in ("success", "failed"):
        return []
    out = []
    for name, base, fails in TESTS:
        key = f"{job.project_id}:{job.number}:{name}"  # a job a rerun kept answers the same
        jitter = int(hashlib.sha1(key.encode()).hexdigest()[:4], 16) % 100 / 1000
        if name == "test_legacy_export":
            result, message, run_time = "skipped", "skipped: the legacy export is gone", 0.0
        elif fails and status == "failed":
            result, message, run_time = "failure", TIMEOUT_MESSAGE, round(base + jitter, 3)
        else:
            result, message, run_time = "success", "", round(base + jitter, 3)
        out.append({"message": message, "source": "pytest", "run_time": run_time, "file": TEST_FILE,
                    "result": result, "name": name, "classname": TEST_CLASS})
    return out


def job_artifacts(job: Job, status: str) -> list:
    """[(path, content)] of a finished build job."""
    if job.type != "build" or status not in ("success", "failed", "canceled"):
        return []
    out = [(f"logs/{job.name}.log", f"job {job.name} #{job.number}: {status}\n")]
    if job.name == "test" and status != "canceled":
        out.append(("test-results/junit.xml", junit_xml(job_tests(job, status))))
    return out


def junit_xml(tests: list) -> str:
    from xml.sax.saxutils import quoteattr

    failures = sum(1 for t in tests if t["result"] == "failure")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<testsuite name="pytest" tests="{len(tests)}" failures="{failures}">']
    for t in tests:
        head = f'  <testcase classname={quoteattr(t["classname"])} name={quoteattr(t["name"])} time="{t["run_time"]}"'
        if t["result"] == "failure":
            lines += [head + ">", f'    <failure message={quoteattr(t["message"])}/>', "  </testcase>"]
        elif t["result"] == "skipped":
            lines += [head + ">", f'    <skipped message={quoteattr(t["message"])}/>', "  </testcase>"]
        else:
            lines.append(head + "/>")
    lines.append("</testsuite>")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- recording


def credits_of(job: Job, started: float | None, stopped: float | None) -> int:
    if job.type != "build" or started is None or stopped is None:
        return 0
    return CREDITS_PER_MINUTE * max(1, math.ceil((stopped - started) / 60))


def run_record(store: Store, wf: Workflow, view: WorkflowView) -> dict:
    pipeline = store.pipelines[wf.pipeline_id]
    project = store.projects[wf.project_id]
    jobs, tests = [], []
    for job_id in wf.job_ids:
        job, state = store.jobs[job_id], view.jobs[job_id]
        started, stopped = state["started_at"], state["stopped_at"]
        if job.fixed is not None:  # kept from the run before: not run again
            continue
        if started is None:
            continue
        duration = int(round(stopped - started)) if stopped is not None else 0
        jobs.append({"id": job.id, "name": job.name, "status": state["status"], "started_at": iso_of(started),
                     "stopped_at": iso_of(stopped), "duration": duration,
                     "credits_used": credits_of(job, started, stopped)})
        for t in job_tests(job, state["status"]):
            tests.append(dict(t, job_name=job.name, job_number=job.number))
    created = ts_of(wf.created_at)
    stopped = view.stopped_at if view.stopped_at is not None else created
    return {
        "project_id": project.id, "project_slug": project.slug,
        "workflow_id": wf.id, "workflow_name": wf.name,
        "pipeline_id": pipeline.id, "pipeline_number": pipeline.number,
        "branch": pipeline.branch or pipeline.tag or project.default_branch,
        "status": view.status,
        "created_at": wf.created_at, "stopped_at": iso_of(stopped),
        "duration": int(round(stopped - created)),
        "credits_used": sum(j["credits_used"] for j in jobs),
        "is_approval": any(store.jobs[j].type == "approval" for j in wf.job_ids),
        "jobs": jobs, "tests": tests,
    }


def settle(store: Store) -> None:
    """Record every workflow that has become terminal and is not recorded yet (once each), and
    start the automatic rerun of a failed one that asks for it (which may have ended too)."""
    at = now_ts()
    pending = sorted((wf for wf in store.workflows.values() if not wf.recorded), key=lambda w: w.seq)
    while pending:
        wf = pending.pop(0)
        view = workflow_view(store, wf, at)
        if view.status in TERMINAL_WORKFLOW:
            wf.recorded = True
            runs.record_workflow(store, run_record(store, wf, view))
            again = auto_rerun(store, wf, view)
            if again is not None:
                pending.append(again)


# ---------------------------------------------------------------- usage exports


def export_state(export: UsageExport) -> str:
    """created, processing (half way), then completed ``export.ready_after`` seconds after its creation."""
    elapsed = now_ts() - ts_of(export.created_at)
    if elapsed >= export.ready_after:
        return "completed"
    return "processing" if elapsed >= export.ready_after / 2 else "created"


# ---------------------------------------------------------------- deploys and rollbacks


ROLLBACK_PLAN = (("rollback", ("rollback",)),)


def create_rollback_pipeline(store: Store, project: Project, user: User, rollback: Rollback, *, definition_id: str,
                             parameters: dict, step_seconds: float = DEFAULT_STEP_SECONDS) -> Pipeline:
    """The pipeline a rollback starts (on the project's default branch, from its rollback pipeline
    definition): workflow ``rollback``, job ``rollback``; ``emulator_outcome: failed`` fails the job.
    ``rollback.pipeline_id`` is set to the new pipeline's id."""
    now = store.now()
    start_numbering(store, project)
    number = next_number(store.pipeline_numbers, project.id)
    branch = project.default_branch
    revision = hashlib.sha1(f"{project.id}:{branch}:{number}".encode()).hexdigest()
    pipeline = Pipeline(store.new_id(), project.id, number, user.id, now, "api", branch, None, dict(parameters),
                        "", revision, store.next_seq(), definition_id=definition_id, updated_at=now)
    outcome = "failed" if outcome_of(parameters) == "failed" else "success"
    plan = [WorkflowPlan(name, [JobPlan(job, outcome=outcome) for job in jobs]) for name, jobs in ROLLBACK_PLAN]
    pipeline.config = config_text(plan)
    store.pipelines[pipeline.id] = pipeline
    seconds = job_seconds_of(parameters, step_seconds)
    for wf in plan:
        add_workflow(store, pipeline, wf, seconds, user.id, now)
    rollback.pipeline_id = pipeline.id
    store.rollbacks[pipeline.id] = rollback
    return pipeline


def rollback_values(rollback: Rollback) -> dict:
    """The ``pipeline.deploy.*`` values of a rollback pipeline (what its configuration reads)."""
    values = {
        "pipeline.deploy.component_name": rollback.component_name,
        "pipeline.deploy.environment_name": rollback.environment_name,
        "pipeline.deploy.namespace": rollback.namespace,
        "pipeline.deploy.current_version": rollback.current_version,
        "pipeline.deploy.target_version": rollback.target_version,
    }
    if rollback.reason is not None:
        values["pipeline.deploy.reason"] = rollback.reason
    return values


def rollback_deploy(store: Store, rollback: Rollback, at: float | None = None) -> tuple | None:
    """(stopped_at, workflow, job) of the first workflow of the rollback's pipeline that succeeded
    (a rerun may succeed where the first run failed), or None while none has."""
    pipeline = store.pipelines.get(rollback.pipeline_id)
    if pipeline is None:
        return None
    done = []
    for wf_id in pipeline.workflow_ids:
        wf = store.workflows[wf_id]
        view = workflow_view(store, wf, at)
        if view.status == "success":
            done.append((view.stopped_at, wf.seq, wf))
    if not done:
        return None
    stopped, _seq, wf = min(done, key=lambda item: (item[0], item[1]))
    return stopped, wf, store.jobs[wf.job_ids[-1]]


@dataclass
class VersionView:
    """A version of a component as of now (what listComponentVersions answers)."""

    name: str
    environment_id: str
    namespace: str
    deployed_at: float
    pipeline_id: str
    workflow_id: str
    job_id: str
    job_number: int | None
    order: int  # among deploys at the same moment, the later one wins
    is_live: bool = False


def component_versions(store: Store, component_id: str, at: float | None = None) -> list:
    """The component's versions as of ``at`` (default now), newest deploy first: the seeded deploys,
    then the target version of each rollback whose pipeline succeeded (deployed when its workflow
    stopped, by that pipeline, workflow and job). The newest deploy of each environment and
    namespace is live."""
    views: dict = {}
    for v in store.component_versions:
        if v.component_id == component_id:
            views[(v.environment_id, v.namespace, v.name)] = _seeded_view(v)
    for rollback in sorted(store.rollbacks.values(), key=lambda r: r.seq):
        if rollback.component_id != component_id:
            continue
        deploy = rollback_deploy(store, rollback, at)
        key = (rollback.environment_id, rollback.namespace, rollback.target_version)
        if deploy is None or key not in views:
            continue
        stopped, wf, job = deploy
        views[key] = VersionView(rollback.target_version, rollback.environment_id, rollback.namespace, stopped,
                                 wf.pipeline_id, wf.id, job.id, job.number, rollback.seq)
    newest: dict = {}
    for view in views.values():
        place = (view.environment_id, view.namespace)
        if place not in newest or (view.deployed_at, view.order) > (newest[place].deployed_at, newest[place].order):
            newest[place] = view
    for view in newest.values():
        view.is_live = True
    return sorted(views.values(), key=lambda v: (v.deployed_at, v.order), reverse=True)


def _seeded_view(v: ComponentVersion) -> VersionView:
    return VersionView(v.name, v.environment_id, v.namespace, ts_of(v.deployed_at), v.pipeline_id, v.workflow_id,
                       v.job_id, v.job_number, v.seq)


def release_count(store: Store, component_id: str, at: float | None = None) -> int:
    """Deploys of the component: the seeded ones and the rollbacks that succeeded."""
    seeded = sum(1 for v in store.component_versions if v.component_id == component_id)
    return seeded + sum(1 for r in store.rollbacks.values()
                        if r.component_id == component_id and rollback_deploy(store, r, at) is not None)
