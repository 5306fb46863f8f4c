"""Job reports: the jobs of one workflow, and their time series (daily or hourly buckets)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from ... import history
from ...errors import bad_request
from ...pagination import paginate
from ..routing import Routes
from .common import Windowed, of_workflow, on_branch, parse_time, project_context
from .metrics import duration_metrics, job_counts, job_durations, rank, success_rate

routes = Routes()

HOURLY_RETENTION = timedelta(hours=48)
GRANULARITIES = ("daily", "hourly")


def jobs_of(items: list) -> dict:
    """{job name: [job records]} over a group of workflow runs."""
    jobs = defaultdict(list)
    for run in items:
        for job in run.rec.get("jobs") or []:
            jobs[job["name"]].append(job)
    return jobs


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/jobs")
def workflow_jobs(call, project_slug, workflow_name):
    project, q, all_runs = project_context(call, project_slug)
    branch = q.branch()
    w = Windowed(q, of_workflow(on_branch(all_runs, branch), workflow_name))
    wanted = call.args.get("job-name")
    jobs = jobs_of(w.current)
    names = sorted(n for n in jobs if not wanted or wanted in n)
    runs_of_job = {}
    for run in w.current:
        for job in run.rec.get("jobs") or []:
            runs_of_job.setdefault(job["name"], []).append(run)

    def render(index):
        name = names[index]
        executions = jobs[name]
        successful, failed = job_counts(executions)
        start, end = w.bounds(runs_of_job[name])
        return {
            "name": name,
            "metrics": {
                "total_runs": len(executions), "failed_runs": failed, "successful_runs": successful,
                "duration_metrics": duration_metrics(job_durations(executions)),
                "success_rate": success_rate(successful, len(executions)),
                "total_credits_used": sum(int(j.get("credits_used") or 0) for j in executions),
                "throughput": round(len(executions) / w.days, 4),
            },
            "window_start": start, "window_end": end,
        }

    scope = f"insights-jobs:{project.id}:{workflow_name}:{branch}:{w.name}:{wanted}"
    return paginate(range(len(names)), scope=scope, page_token=call.page_token, page_size=call.page_size,
                    key=lambda i: i, render=render)


# ---------------------------------------------------------------- time series


@routes.get("/insights/time-series/{project-slug}/workflows/{workflow-name}/jobs")
def job_timeseries(call, project_slug, workflow_name):
    _, q, all_runs = project_context(call, project_slug)
    branch = q.branch(all_branches_allowed=False)
    granularity = call.args.get("granularity") or "daily"
    if granularity not in GRANULARITIES:
        raise bad_request("granularity must be daily or hourly")
    retention = (q.ref - HOURLY_RETENTION) if granularity == "hourly" else q.retention_start()
    start, end = q.dates(retention)
    buckets = job_buckets(of_workflow(on_branch(all_runs, branch), workflow_name), granularity,
                          max(start, retention), end)
    per_day = 24 if granularity == "hourly" else 1
    items = [render_bucket(stamp, name, jobs, per_day) for (stamp, name), jobs in sorted(buckets.items())]
    # The spec lists no page-token for this operation: everything in one answer.
    return {"next_page_token": None, "items": items}


def job_buckets(items: list, granularity: str, start, end) -> dict:
    """{(bucket start, job name): [job records]} of the jobs started in [start, end) (end None: open)."""
    buckets = defaultdict(list)
    for run in items:
        for job in run.rec.get("jobs") or []:
            job = {**job, "started_at": job.get("started_at") or run.rec["created_at"]}
            started = parse_time(job["started_at"])
            if started < start or (end is not None and started >= end):
                continue
            if granularity == "hourly":
                stamp = started.replace(minute=0, second=0, microsecond=0)
            else:
                stamp = started.replace(hour=0, minute=0, second=0, microsecond=0)
            buckets[(stamp, job["name"])].append(job)
    return buckets


def render_bucket(stamp, name: str, jobs: list, per_day: int) -> dict:
    credits = sorted(int(j.get("credits_used") or 0) for j in jobs)
    successful, failed = job_counts(jobs)
    return {
        "name": name,
        "min_started_at": history.iso(min(parse_time(j["started_at"]) for j in jobs)),
        "max_ended_at": history.iso(max(parse_time(j.get("stopped_at") or j["started_at"]) for j in jobs)),
        "timestamp": history.iso(stamp),
        "metrics": {
            "total_runs": len(jobs),
            "failed_runs": failed,
            "successful_runs": successful,
            "throughput": float(len(jobs) * per_day),
            "median_credits_used": rank(credits, 0.5),
            "total_credits_used": sum(credits),
            "duration_metrics": duration_metrics(job_durations(jobs), full=False),
        },
    }
