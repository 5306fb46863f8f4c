"""Workflow reports: the workflows of a project, the runs of one workflow, one workflow's summary."""

from __future__ import annotations

from ... import history
from ...errors import not_found
from ...pagination import paginate
from ..routing import Routes
from .common import FAILED, SUCCESS, Windowed, of_workflow, on_branch, project_context, since
from .metrics import duration_metrics, mttr, run_counts, trends_of

routes = Routes()

WORKFLOW_NOT_FOUND = "Workflow not found"
SUMMARY_TREND_KEYS = ("total_runs", "failed_runs", "success_rate", "p95_duration_secs", "median_duration_secs",
                      "total_credits_used", "mttr", "throughput")


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


@routes.get("/insights/{project-slug}/workflows")
def project_workflows(call, project_slug):
    project, q, all_runs = project_context(call, project_slug)
    branch = q.branch()
    w = Windowed(q, on_branch(all_runs, branch))
    names = sorted({r.name for r in w.current})

    def render(index):
        items = of_workflow(w.current, names[index])
        start, end = w.bounds(items)
        return {"name": names[index], "metrics": workflow_metrics(items, w.days),
                "window_start": start, "window_end": end, "project_id": project.id}

    return paginate(range(len(names)), scope=f"insights-workflows:{project.id}:{branch}:{w.name}",
                    page_token=call.page_token, page_size=call.page_size, key=lambda i: i, render=render)


@routes.get("/insights/{project-slug}/workflows/{workflow-name}")
def workflow_runs(call, project_slug, workflow_name):
    project, q, all_runs = project_context(call, project_slug)
    branch = q.branch()
    start, end = q.dates(q.retention_start())
    items = since(of_workflow(on_branch(all_runs, branch), workflow_name), start, end)

    def render(run):
        rec = run.rec
        return {"id": rec["workflow_id"], "branch": run.branch, "duration": run.duration,
                "created_at": rec["created_at"], "stopped_at": rec.get("stopped_at") or rec["created_at"],
                "credits_used": run.credits, "status": run.status, "is_approval": bool(rec.get("is_approval"))}

    scope = f"insights-runs:{project.id}:{workflow_name}:{branch}:{history.iso(start)}:{end and history.iso(end)}"
    return paginate(items, scope=scope, page_token=call.page_token, page_size=call.page_size,
                    key=lambda r: -r.seq, render=render)  # newest first


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/summary")
def workflow_summary(call, project_slug, workflow_name):
    _, q, all_runs = project_context(call, project_slug)
    retained = since(all_runs, q.retention_start())
    if not of_workflow(retained, workflow_name):
        raise not_found(WORKFLOW_NOT_FOUND)
    branch = q.branch()
    # The spec lists no reporting-window here; the emulator honours one (default last-90-days).
    w = Windowed(q, of_workflow(on_branch(all_runs, branch), workflow_name))
    cur, prev = w.pair(lambda items: workflow_metrics(items, w.days))
    start, end = w.bounds(w.current)
    metrics = {key: value for key, value in cur.items() if key != "total_recoveries"}
    metrics.update({"window_start": start, "window_end": end})
    trends = trends_of(_flat(cur), _flat(prev) if prev is not None else None, SUMMARY_TREND_KEYS)
    return {"metrics": metrics, "trends": trends, "workflow_names": sorted({r.name for r in retained})}


def _flat(m: dict) -> dict:
    """The summary's trend values from workflow_metrics."""
    return {"total_runs": m["total_runs"], "failed_runs": m["failed_runs"], "success_rate": m["success_rate"],
            "p95_duration_secs": m["duration_metrics"]["p95"],
            "median_duration_secs": m["duration_metrics"]["median"],
            "total_credits_used": m["total_credits_used"], "mttr": m["mttr"], "throughput": m["throughput"]}
