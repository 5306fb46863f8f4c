"""Insights: every /insights endpoint of the spec, computed from one run list.

The run list of a project is its seeded history (``history.seeded_runs``: 90
days before the start of the current UTC day, deterministic) followed by the
runs the pipeline engine recorded (``runs.recorded_runs``). Every endpoint
filters and aggregates that same list, so the numbers agree across endpoints.

Conventions (see the README, "Insights"):

- reporting windows end now and start N days before the start of the current
  UTC day (``last-24-hours`` = yesterday and today); default ``last-90-days``;
- ``branch`` defaults to the project's default branch; ``all-branches=true``
  takes every branch; both together answer 400;
- trends = value in the window / value in the window of the same length just
  before it (0.0 when that is 0, and for windows over 30 days);
- success_rate = successful / total runs; percentiles are nearest-rank values;
  metrics of an empty group are 0 (the spec's x-nullable is not OpenAPI 3);
- an unknown workflow name gives empty lists and zero metrics, and 404 for the
  workflow summary; an unknown project or org 404 ``{message}``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from .. import engine, history, runs
from ..errors import bad_request, not_found
from ..pagination import paginate
from .projects import find_project
from .routing import Routes

routes = Routes()

WINDOWS = {"last-24-hours": 1, "last-7-days": 7, "last-30-days": 30, "last-60-days": 60, "last-90-days": 90}
DEFAULT_WINDOW = "last-90-days"
TREND_MAX_DAYS = 30
HOURLY_RETENTION = timedelta(hours=48)
MAX_RANGE = timedelta(days=90)
TEST_METRICS_RUNS = 10
TOP_TESTS = 10
SUCCESS = "success"
FAILED = ("failed", "error")
RUN_STATUSES = ("success", "failed", "error", "canceled", "unauthorized")
WORKFLOW_NOT_FOUND = "Workflow not found"
ORG_NOT_FOUND = "Organization not found"


# ---------------------------------------------------------------- the run list


class Run:
    __slots__ = ("rec", "created", "stopped", "seq")

    def __init__(self, rec: dict, seq: int):
        self.rec = rec
        self.seq = seq
        self.created = _parse_time(rec["created_at"])
        self.stopped = _parse_time(rec.get("stopped_at") or rec["created_at"])

    @property
    def name(self) -> str:
        return self.rec["workflow_name"]

    @property
    def branch(self) -> str:
        return self.rec.get("branch") or ""

    @property
    def status(self) -> str:
        return self.rec["status"]

    @property
    def duration(self) -> int:
        value = self.rec.get("duration")
        return int(value) if value is not None else max(0, int((self.stopped - self.created).total_seconds()))

    @property
    def credits(self) -> int:
        return int(self.rec.get("credits_used") or 0)


RECORDED_BASE = 1_000_000_000  # recorded runs sort after every seeded one


def project_runs(call, project, ref: datetime) -> list:
    """Seeded and recorded runs of the project, oldest first, with stable sequence numbers."""
    engine.settle(call.store)  # the engine records finished workflows lazily: record them now
    seeded = [Run(rec, i + 1) for i, rec in enumerate(history.seeded_runs(project, ref))]
    recorded = [Run(rec, RECORDED_BASE + i) for i, rec in enumerate(runs.recorded_runs(call.store, project.id))
                if rec.get("status") in RUN_STATUSES]  # not_run workflows never ran: not in insights
    return sorted(seeded + recorded, key=lambda r: (r.created, r.seq))


def _parse_time(value: str) -> datetime:
    ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------- parameters


class Query:
    """The request's insights parameters, checked (the handler answers 400 also when not strict)."""

    def __init__(self, call, project=None):
        self.call = call
        self.args = call.args
        self.now = history.utcnow()
        self.ref = history.reference(self.now)
        self.project = project

    def window(self) -> tuple:
        """(name, days, start) of the reporting window."""
        name = self.args.get("reporting-window") or DEFAULT_WINDOW
        if name not in WINDOWS:
            raise bad_request(f"reporting-window must be one of {', '.join(WINDOWS)}")
        days = WINDOWS[name]
        return name, days, self.ref - timedelta(days=days)

    def retention_start(self) -> datetime:
        return self.ref - timedelta(days=history.RETENTION_DAYS)

    def branch(self, all_branches_allowed: bool = True) -> str | None:
        """The branch to report on, or None for all branches."""
        branch = self.args.get("branch")
        everything = False
        if all_branches_allowed and "all-branches" in self.args:
            raw = self.args.get("all-branches", "").lower()
            if raw not in ("true", "false"):
                raise bad_request("all-branches must be true or false")
            everything = raw == "true"
        if everything and branch is not None:
            raise bad_request("Use either branch or all-branches, not both.")
        if everything:
            return None
        return branch if branch is not None else self.project.default_branch

    def dates(self, default_start: datetime) -> tuple:
        """(start, end) from start-date / end-date; end None = open."""
        raw_start, raw_end = self.args.get("start-date"), self.args.get("end-date")
        if raw_end is not None and raw_start is None:
            raise bad_request("start-date must be specified if an end-date is provided")
        start = self._date("start-date", raw_start) if raw_start is not None else default_start
        end = self._date("end-date", raw_end) if raw_end is not None else None
        if end is not None:
            if end < start:
                raise bad_request("end-date must be after start-date")
            if end - start > MAX_RANGE:
                raise bad_request("end-date can be at most 90 days after start-date")
        return start, end

    @staticmethod
    def _date(name: str, value: str) -> datetime:
        try:
            return _parse_time(value)
        except ValueError as exc:
            raise bad_request(f"{name} must be a date-time such as 2020-08-21T13:26:29Z") from exc


def _on_branch(items, branch):
    return [r for r in items if branch is None or r.branch == branch]


def _since(items, start, end=None):
    return [r for r in items if r.created >= start and (end is None or r.created < end)]


def _known_workflow(all_runs, name: str) -> bool:
    return any(r.name == name for r in all_runs)


# ---------------------------------------------------------------- statistics


def _rank(ordered: list, q: float) -> int:
    """Nearest-rank percentile of a sorted, non-empty list."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def duration_metrics(values: list, full: bool = True) -> dict:
    ordered = sorted(int(v) for v in values)
    if not ordered:
        base = {"min": 0, "median": 0, "p95": 0, "max": 0}
        return {**base, "mean": 0, "standard_deviation": 0.0} if full else {**base, "total": 0}
    out = {"min": ordered[0], "median": _rank(ordered, 0.5), "p95": _rank(ordered, 0.95), "max": ordered[-1]}
    if not full:
        out["total"] = sum(ordered)
        return out
    mean = sum(ordered) / len(ordered)
    out["mean"] = int(round(mean))
    out["standard_deviation"] = round(math.sqrt(sum((v - mean) ** 2 for v in ordered) / len(ordered)), 2)
    return out


def p95(values: list) -> float:
    ordered = sorted(values)
    return float(_rank(ordered, 0.95)) if ordered else 0.0


def success_rate(successful: int, total: int) -> float:
    return round(successful / total, 4) if total else 0.0


def mttr(items: list) -> tuple:
    """(mean seconds from a failure to the next success, number of recoveries); per workflow and branch."""
    by_stream = defaultdict(list)
    for run in items:
        by_stream[(run.name, run.branch)].append(run)
    recoveries = []
    for stream in by_stream.values():
        failed_since = None
        for run in sorted(stream, key=lambda r: (r.created, r.seq)):
            if run.status in FAILED:
                failed_since = failed_since or run.stopped
            elif run.status == SUCCESS and failed_since is not None:
                recoveries.append(max(0, int((run.stopped - failed_since).total_seconds())))
                failed_since = None
    return (int(round(sum(recoveries) / len(recoveries))) if recoveries else 0), len(recoveries)


def trend(current: float, previous: float) -> float:
    return round(current / previous, 4) if previous else 0.0


def run_counts(items: list) -> dict:
    successful = sum(1 for r in items if r.status == SUCCESS)
    failed = sum(1 for r in items if r.status in FAILED)
    return {"total_runs": len(items), "successful_runs": successful, "failed_runs": failed,
            "success_rate": success_rate(successful, len(items))}


def workflow_metrics(items: list, days: int) -> dict:
    """The metrics of getProjectWorkflowMetrics / getWorkflowSummary over a group of runs."""
    counts = run_counts(items)
    mean_recovery, recoveries = mttr(items)
    return {
        **counts,
        "mttr": mean_recovery,
        "total_recoveries": recoveries,
        "total_credits_used": sum(r.credits for r in items),
        "completed_runs": sum(1 for r in items if r.status == SUCCESS or r.status in FAILED),
        "duration_metrics": duration_metrics([r.duration for r in items]),
        "throughput": round(len(items) / days, 4),
    }


def summary_metrics(items: list, days: int) -> dict:
    """total_runs, total_duration_secs, total_credits_used, success_rate, throughput."""
    return {
        "total_runs": len(items),
        "total_duration_secs": sum(r.duration for r in items),
        "total_credits_used": sum(r.credits for r in items),
        "success_rate": run_counts(items)["success_rate"],
        "throughput": round(len(items) / days, 4),
    }


def group_metrics(items: list) -> dict:
    """total_credits_used, p95_duration_secs, total_runs, success_rate (pages summary)."""
    return {
        "total_credits_used": sum(r.credits for r in items),
        "p95_duration_secs": p95([r.duration for r in items]),
        "total_runs": len(items),
        "success_rate": run_counts(items)["success_rate"],
    }


def trends_of(current: dict, previous: dict | None, keys) -> dict:
    return {key: (trend(current[key], previous[key]) if previous is not None else 0.0) for key in keys}


class Windowed:
    """Runs of the reporting window and of the window before it (None when trends are not kept)."""

    def __init__(self, q: Query, all_runs: list):
        self.name, self.days, self.start = q.window()
        self.now = q.now
        self.current = _since(all_runs, self.start)
        self.previous = (_since(all_runs, self.start - timedelta(days=self.days), self.start)
                         if self.days <= TREND_MAX_DAYS else None)

    def pair(self, select) -> tuple:
        return select(self.current), (select(self.previous) if self.previous is not None else None)

    def bounds(self, items: list) -> tuple:
        """window_start / window_end: the first and last run in the window (the window itself when empty)."""
        if not items:
            return history.iso(self.start), history.iso(self.now)
        return history.iso(min(r.created for r in items)), history.iso(max(r.created for r in items))


# ---------------------------------------------------------------- tests


def test_key(run: Run, test: dict) -> tuple:
    return (run.name, test.get("job_name") or "", test.get("classname") or "", test.get("name") or "",
            test.get("file") or "")


def flaky_tests(items: list) -> dict:
    """{test key: flake info}: tests that both passed and failed on one pipeline (one commit)."""
    by_pipeline = defaultdict(lambda: defaultdict(list))  # key -> pipeline -> [(run, test)]
    for run in items:
        for test in run.rec.get("tests") or []:
            by_pipeline[test_key(run, test)][run.rec.get("pipeline_id")].append((run, test))
    found = {}
    for key, pipelines in by_pipeline.items():
        flakes = []
        for executions in pipelines.values():
            results = {t.get("result") for _, t in executions}
            if "success" in results and results & {"failure", "error"}:
                flakes.extend((run, t) for run, t in executions if t.get("result") in ("failure", "error"))
        if flakes:
            found[key] = flakes
    return found


def _job_of(run: Run, test: dict) -> dict | None:
    for job in run.rec.get("jobs") or []:
        if job.get("name") == test.get("job_name"):
            return job
    return None


def render_flaky(key: tuple, flakes: list) -> dict:
    workflow_name, job_name, classname, name, file = key
    last_run, last_test = max(flakes, key=lambda f: (f[0].created, f[0].seq))
    wasted = 0
    for run, test in flakes:
        job = _job_of(run, test)
        wasted += int(job.get("duration") or 0) if job else int(math.ceil(test.get("run_time") or 0))
    return {
        "time-wasted": wasted,
        "workflow-created-at": last_run.rec["created_at"],
        "workflow-id": last_run.rec["workflow_id"],
        "classname": classname,
        "pipeline-number": last_run.rec.get("pipeline_number"),
        "workflow-name": workflow_name,
        "test-name": name,
        "job-name": job_name,
        "job-number": last_test.get("job_number"),
        "times-flaked": len(flakes),
        "source": last_test.get("source") or "",
        "file": file,
    }


def test_entry(key: tuple, executions: list, flaky: bool) -> dict:
    _, job_name, classname, name, file = key
    times = sorted(float(t.get("run_time") or 0.0) for t in executions)
    return {
        "p95_duration": times[max(0, math.ceil(0.95 * len(times)) - 1)] if times else 0.0,
        "total_runs": len(executions),
        "classname": classname,
        "failed_runs": sum(1 for t in executions if t.get("result") in ("failure", "error")),
        "flaky": flaky,
        "source": next((t.get("source") for t in executions if t.get("source")), ""),
        "file": file,
        "job_name": job_name,
        "test_name": name,
    }


def _top(entries: list, sort_key, value) -> tuple:
    """The first TOP_TESTS entries, and how many omitted ones tie with the last one shown."""
    ordered = sorted(entries, key=sort_key)
    shown, rest = ordered[:TOP_TESTS], ordered[TOP_TESTS:]
    extra = sum(1 for e in rest if shown and value(e) == value(shown[-1]))
    return shown, extra


# ---------------------------------------------------------------- endpoints


def _context(call, project_slug):
    project = find_project(call, project_slug)
    q = Query(call, project)
    return project, q, project_runs(call, project, q.ref)


@routes.get("/insights/pages/{project-slug}/summary")
def project_page_summary(call, project_slug):
    project, q, all_runs = _context(call, project_slug)
    w = Windowed(q, all_runs)
    workflows_wanted = set(call.args.getlist("workflow-names"))
    branches_wanted = set(call.args.getlist("branches"))
    total_keys = ("total_runs", "total_duration_secs", "total_credits_used", "success_rate", "throughput")
    group_keys = ("total_credits_used", "p95_duration_secs", "total_runs", "success_rate")

    cur, prev = w.pair(lambda items: summary_metrics(items, w.days))
    project_data = {"metrics": cur, "trends": trends_of(cur, prev, total_keys)}

    workflow_data = []
    for name in sorted({r.name for r in w.current}):
        if workflows_wanted and name not in workflows_wanted:
            continue
        cur, prev = w.pair(lambda runs_, n=name: group_metrics([r for r in runs_ if r.name == n]))
        workflow_data.append({"workflow_name": name, "metrics": cur, "trends": trends_of(cur, prev, group_keys)})
    branch_data = []
    for name, branch in sorted({(r.name, r.branch) for r in w.current}):
        if (workflows_wanted and name not in workflows_wanted) or (branches_wanted and branch not in branches_wanted):
            continue
        cur, prev = w.pair(lambda runs_, n=name, b=branch: group_metrics(
            [r for r in runs_ if r.name == n and r.branch == b]))
        branch_data.append({"workflow_name": name, "branch": branch, "metrics": cur,
                            "trends": trends_of(cur, prev, group_keys)})
    retained = _since(all_runs, q.retention_start())
    return {
        "org_id": project.org.id,
        "project_id": project.id,
        "project_data": project_data,
        "project_workflow_data": workflow_data,
        "project_workflow_branch_data": branch_data,
        "all_branches": sorted({r.branch for r in retained}),
        "all_workflows": sorted({r.name for r in retained}),
    }


@routes.get("/insights/{org-slug}/summary")
def org_summary(call, org_slug):
    org = call.store.org_by_slug_or_id(org_slug)
    if org is None or not call.store.is_member(call.user, org):
        raise not_found(ORG_NOT_FOUND)
    q = Query(call)
    projects = sorted((p for p in call.store.projects.values() if p.org is org), key=lambda p: p.name)
    wanted = set(call.args.getlist("project-names"))
    _, days, _ = q.window()
    total_keys = ("total_runs", "total_duration_secs", "total_credits_used", "success_rate", "throughput")
    project_keys = ("total_credits_used", "total_duration_secs", "total_runs", "success_rate")
    org_current, org_previous, project_data = [], [], []
    for project in projects:
        w = Windowed(q, project_runs(call, project, q.ref))
        org_current.extend(w.current)
        if w.previous is not None:
            org_previous.extend(w.previous)
        if wanted and project.name not in wanted:
            continue
        cur, prev = w.pair(lambda items: {k: summary_metrics(items, days)[k] for k in project_keys})
        project_data.append({"project_name": project.name, "metrics": cur,
                             "trends": trends_of(cur, prev, project_keys)})
    cur = summary_metrics(org_current, days)
    prev = summary_metrics(org_previous, days) if days <= TREND_MAX_DAYS else None
    return {
        "org_data": {"metrics": cur, "trends": trends_of(cur, prev, total_keys)},
        "org_project_data": project_data,
        "all_projects": [p.name for p in projects],
    }


@routes.get("/insights/{project-slug}/branches")
def branches(call, project_slug):
    project, q, all_runs = _context(call, project_slug)
    retained = _since(all_runs, q.retention_start())
    name = call.args.get("workflow-name")
    found = sorted({r.branch for r in retained if name is None or r.name == name})
    return {"org_id": project.org.id, "project_id": project.id, "branches": found[:5000]}


@routes.get("/insights/{project-slug}/flaky-tests")
def flaky(call, project_slug):
    _, q, all_runs = _context(call, project_slug)
    found = flaky_tests(_since(all_runs, q.retention_start()))
    items = [render_flaky(key, flakes) for key, flakes in found.items()]
    items.sort(key=lambda f: (-f["times-flaked"], f["workflow-name"], f["job-name"], f["test-name"]))
    return {"flaky-tests": items, "total-flaky-tests": len(items)}


@routes.get("/insights/{project-slug}/workflows")
def project_workflows(call, project_slug):
    project, q, all_runs = _context(call, project_slug)
    branch = q.branch()
    w = Windowed(q, _on_branch(all_runs, branch))
    names = sorted({r.name for r in w.current})

    def render(index):
        items = [r for r in w.current if r.name == names[index]]
        start, end = w.bounds(items)
        return {"name": names[index], "metrics": workflow_metrics(items, w.days),
                "window_start": start, "window_end": end, "project_id": project.id}

    return paginate(range(len(names)), scope=f"insights-workflows:{project.id}:{branch}:{w.name}",
                    page_token=call.page_token, page_size=call.page_size, key=lambda i: i, render=render)


@routes.get("/insights/{project-slug}/workflows/{workflow-name}")
def workflow_runs(call, project_slug, workflow_name):
    project, q, all_runs = _context(call, project_slug)
    branch = q.branch()
    start, end = q.dates(q.retention_start())
    items = _since([r for r in _on_branch(all_runs, branch) if r.name == workflow_name], start, end)

    def render(run):
        rec = run.rec
        return {"id": rec["workflow_id"], "branch": run.branch, "duration": run.duration,
                "created_at": rec["created_at"], "stopped_at": rec.get("stopped_at") or rec["created_at"],
                "credits_used": run.credits, "status": run.status, "is_approval": bool(rec.get("is_approval"))}

    scope = f"insights-runs:{project.id}:{workflow_name}:{branch}:{history.iso(start)}:{end and history.iso(end)}"
    return paginate(items, scope=scope, page_token=call.page_token, page_size=call.page_size,
                    key=lambda r: -r.seq, render=render)  # newest first


def _job_runs(items: list) -> dict:
    """{job name: [job records]} over a group of workflow runs."""
    jobs = defaultdict(list)
    for run in items:
        for job in run.rec.get("jobs") or []:
            jobs[job["name"]].append(job)
    return jobs


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/jobs")
def workflow_jobs(call, project_slug, workflow_name):
    project, q, all_runs = _context(call, project_slug)
    branch = q.branch()
    w = Windowed(q, [r for r in _on_branch(all_runs, branch) if r.name == workflow_name])
    wanted = call.args.get("job-name")
    jobs = _job_runs(w.current)
    names = sorted(n for n in jobs if not wanted or wanted in n)
    bounds = {}
    for run in w.current:
        for job in run.rec.get("jobs") or []:
            bounds.setdefault(job["name"], []).append(run)

    def render(index):
        name = names[index]
        executions = jobs[name]
        successful = sum(1 for j in executions if j.get("status") == SUCCESS)
        failed = sum(1 for j in executions if j.get("status") in FAILED)
        start, end = w.bounds(bounds[name])
        return {
            "name": name,
            "metrics": {
                "total_runs": len(executions), "failed_runs": failed, "successful_runs": successful,
                "duration_metrics": duration_metrics([int(j.get("duration") or 0) for j in executions]),
                "success_rate": success_rate(successful, len(executions)),
                "total_credits_used": sum(int(j.get("credits_used") or 0) for j in executions),
                "throughput": round(len(executions) / w.days, 4),
            },
            "window_start": start, "window_end": end,
        }

    scope = f"insights-jobs:{project.id}:{workflow_name}:{branch}:{w.name}:{wanted}"
    return paginate(range(len(names)), scope=scope, page_token=call.page_token, page_size=call.page_size,
                    key=lambda i: i, render=render)


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/summary")
def workflow_summary(call, project_slug, workflow_name):
    _, q, all_runs = _context(call, project_slug)
    retained = _since(all_runs, q.retention_start())
    if not _known_workflow(retained, workflow_name):
        raise not_found(WORKFLOW_NOT_FOUND)
    branch = q.branch()
    # The spec lists no reporting-window here; the emulator honours one (default last-90-days).
    w = Windowed(q, [r for r in _on_branch(all_runs, branch) if r.name == workflow_name])
    cur, prev = w.pair(lambda items: workflow_metrics(items, w.days))
    start, end = w.bounds(w.current)
    metrics = {key: value for key, value in cur.items() if key != "total_recoveries"}
    metrics.update({"window_start": start, "window_end": end})

    def flat(m):
        return {"total_runs": m["total_runs"], "failed_runs": m["failed_runs"], "success_rate": m["success_rate"],
                "p95_duration_secs": m["duration_metrics"]["p95"],
                "median_duration_secs": m["duration_metrics"]["median"],
                "total_credits_used": m["total_credits_used"], "mttr": m["mttr"], "throughput": m["throughput"]}

    trends = trends_of(flat(cur), flat(prev) if prev is not None else None,
                       ("total_runs", "failed_runs", "success_rate", "p95_duration_secs", "median_duration_secs",
                        "total_credits_used", "mttr", "throughput"))
    return {"metrics": metrics, "trends": trends, "workflow_names": sorted({r.name for r in retained})}


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/test-metrics")
def test_metrics(call, project_slug, workflow_name):
    _, q, all_runs = _context(call, project_slug)
    branch = q.branch()
    retained = _since(all_runs, q.retention_start())
    flaky_keys = set(flaky_tests(retained))
    latest = [r for r in _on_branch(retained, branch) if r.name == workflow_name][-TEST_METRICS_RUNS:]
    by_test = defaultdict(list)
    test_runs = []
    for run in latest:
        tests = run.rec.get("tests") or []
        counts = {"error": 0, "failure": 0, "skipped": 0, "success": 0}
        for test in tests:
            by_test[test_key(run, test)].append(test)
            if test.get("result") in counts:
                counts[test.get("result")] += 1
        counts["total"] = len(tests)
        ran = counts["total"] - counts["skipped"]
        test_runs.append({"pipeline_number": int(run.rec.get("pipeline_number") or 0),
                          "workflow_id": run.rec["workflow_id"],
                          "success_rate": success_rate(counts["success"], ran), "test_counts": counts})
    entries = [test_entry(key, executions, key in flaky_keys) for key, executions in by_test.items()]
    failing = [e for e in entries if e["failed_runs"]]
    most_failed, failed_extra = _top(failing, lambda e: (-e["failed_runs"], e["test_name"]), lambda e: e["failed_runs"])
    slowest, slow_extra = _top(entries, lambda e: (-e["p95_duration"], e["test_name"]), lambda e: e["p95_duration"])
    total = sum(len(v) for v in by_test.values())
    return {
        "average_test_count": total // len(latest) if latest else 0,
        "most_failed_tests": most_failed,
        "most_failed_tests_extra": failed_extra,
        "slowest_tests": slowest,
        "slowest_tests_extra": slow_extra,
        "total_test_runs": total,
        "test_runs": test_runs,
    }


@routes.get("/insights/time-series/{project-slug}/workflows/{workflow-name}/jobs")
def job_timeseries(call, project_slug, workflow_name):
    _, q, all_runs = _context(call, project_slug)
    branch = q.branch(all_branches_allowed=False)
    granularity = call.args.get("granularity") or "daily"
    if granularity not in ("daily", "hourly"):
        raise bad_request("granularity must be daily or hourly")
    retention = (q.ref - HOURLY_RETENTION) if granularity == "hourly" else q.retention_start()
    start, end = q.dates(retention)
    start = max(start, retention)
    buckets = defaultdict(list)  # (timestamp, job name) -> [job records]
    for run in _on_branch(all_runs, branch):
        if run.name != workflow_name:
            continue
        for job in run.rec.get("jobs") or []:
            job = {**job, "started_at": job.get("started_at") or run.rec["created_at"]}
            started = _parse_time(job["started_at"])
            if started < start or (end is not None and started >= end):
                continue
            if granularity == "hourly":
                stamp = started.replace(minute=0, second=0, microsecond=0)
            else:
                stamp = started.replace(hour=0, minute=0, second=0, microsecond=0)
            buckets[(stamp, job["name"])].append(job)
    per_day = 24 if granularity == "hourly" else 1
    items = []
    for (stamp, name), jobs in sorted(buckets.items()):
        credits = sorted(int(j.get("credits_used") or 0) for j in jobs)
        items.append({
            "name": name,
            "min_started_at": history.iso(min(_parse_time(j["started_at"]) for j in jobs)),
            "max_ended_at": history.iso(max(_parse_time(j.get("stopped_at") or j["started_at"]) for j in jobs)),
            "timestamp": history.iso(stamp),
            "metrics": {
                "total_runs": len(jobs),
                "failed_runs": sum(1 for j in jobs if j.get("status") in FAILED),
                "successful_runs": sum(1 for j in jobs if j.get("status") == SUCCESS),
                "throughput": float(len(jobs) * per_day),
                "median_credits_used": _rank(credits, 0.5),
                "total_credits_used": sum(credits),
                "duration_metrics": duration_metrics([int(j.get("duration") or 0) for j in jobs], full=False),
            },
        })
    # The spec lists no page-token for this operation: everything in one answer.
    return {"next_page_token": None, "items": items}
