"""Summary reports: the project page summary, the org summary, the branches of a project."""

from __future__ import annotations

from ...errors import not_found
from ..routing import Routes
from .common import TREND_MAX_DAYS, Query, Windowed, project_context, project_runs, since
from .metrics import p95, run_counts, trends_of

routes = Routes()

ORG_NOT_FOUND = "Organization not found"
TOTAL_KEYS = ("total_runs", "total_duration_secs", "total_credits_used", "success_rate", "throughput")
GROUP_KEYS = ("total_credits_used", "p95_duration_secs", "total_runs", "success_rate")
PROJECT_KEYS = ("total_credits_used", "total_duration_secs", "total_runs", "success_rate")
MAX_BRANCHES = 5000


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


def group_row(w: Windowed, select, **names) -> dict:
    """One row of a workflow or workflow-and-branch group: its names, metrics and trends."""
    cur, prev = w.pair(lambda items: group_metrics([r for r in items if select(r)]))
    return {**names, "metrics": cur, "trends": trends_of(cur, prev, GROUP_KEYS)}


@routes.get("/insights/pages/{project-slug}/summary")
def project_page_summary(call, project_slug):
    project, q, all_runs = project_context(call, project_slug)
    w = Windowed(q, all_runs)
    workflows_wanted = set(call.args.getlist("workflow-names"))
    branches_wanted = set(call.args.getlist("branches"))
    cur, prev = w.pair(lambda items: summary_metrics(items, w.days))
    workflow_data = [
        group_row(w, lambda r, n=name: r.name == n, workflow_name=name)
        for name in sorted({r.name for r in w.current})
        if not workflows_wanted or name in workflows_wanted
    ]
    branch_data = [
        group_row(w, lambda r, n=name, b=branch: r.name == n and r.branch == b, workflow_name=name, branch=branch)
        for name, branch in sorted({(r.name, r.branch) for r in w.current})
        if (not workflows_wanted or name in workflows_wanted) and (not branches_wanted or branch in branches_wanted)
    ]
    retained = since(all_runs, q.retention_start())
    return {
        "org_id": project.org.id,
        "project_id": project.id,
        "project_data": {"metrics": cur, "trends": trends_of(cur, prev, TOTAL_KEYS)},
        "project_workflow_data": workflow_data,
        "project_workflow_branch_data": branch_data,
        "all_branches": sorted({r.branch for r in retained}),
        "all_workflows": sorted({r.name for r in retained}),
    }


@routes.get("/insights/{org-slug}/summary")
def org_summary(call, org_slug):
    org = call.store.org_by_slug_or_id(org_slug)
    if org is None or not call.member_of(org):
        raise not_found(ORG_NOT_FOUND)
    q = Query(call)
    projects = sorted((p for p in call.store.projects.values() if p.org is org), key=lambda p: p.name)
    wanted = set(call.args.getlist("project-names"))
    _, days, _ = q.window()
    org_current, org_previous, project_data = [], [], []
    for project in projects:
        w = Windowed(q, project_runs(call, project, q.ref))
        org_current.extend(w.current)
        if w.previous is not None:
            org_previous.extend(w.previous)
        if wanted and project.name not in wanted:
            continue
        cur, prev = w.pair(lambda items: {k: summary_metrics(items, days)[k] for k in PROJECT_KEYS})
        project_data.append({"project_name": project.name, "metrics": cur,
                             "trends": trends_of(cur, prev, PROJECT_KEYS)})
    cur = summary_metrics(org_current, days)
    prev = summary_metrics(org_previous, days) if days <= TREND_MAX_DAYS else None
    return {
        "org_data": {"metrics": cur, "trends": trends_of(cur, prev, TOTAL_KEYS)},
        "org_project_data": project_data,
        "all_projects": [p.name for p in projects],
    }


@routes.get("/insights/{project-slug}/branches")
def branches(call, project_slug):
    project, q, all_runs = project_context(call, project_slug)
    retained = since(all_runs, q.retention_start())
    name = call.args.get("workflow-name")
    found = sorted({r.branch for r in retained if name is None or r.name == name})
    return {"org_id": project.org.id, "project_id": project.id, "branches": found[:MAX_BRANCHES]}
