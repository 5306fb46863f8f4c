"""Usage exports: POST /organizations/{org_id}/usage_export_job and GET .../{usage_export_job_id}.

An export is ``created``, then ``processing``, then ``completed`` with download
URLs served by the emulator (``/_emulator/usage/...``: gzip-compressed CSV
files, one row per job run the emulator has recorded in the window, split over
two files as the service may do). It completes ``2 * pipeline_step_seconds``
after its creation (1 s by default), computed when read.

Creation is limited to 10 requests per hour per org (spec; docs/dev/API-BEHAVIOUR.md): the
11th answers 429 with Retry-After. A reset clears the count.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import time
from datetime import datetime, timedelta, timezone

from flask import request

from .. import engine
from ..errors import ApiError, bad_request, not_found
from ..slugs import is_uuid
from ..store import Org, Store, UsageExport
from .routing import Call, Routes, by_id

routes = Routes()

RATE_LIMIT = 10  # creates per org per hour
RATE_WINDOW = 3600.0
MAX_WINDOW = timedelta(days=31)  # end no more than 31 days after start (spec)
MAX_AGE = timedelta(days=365)  # start no more than one year ago (spec)
ORG_NOT_FOUND = "Organization not found"
EXPORT_NOT_FOUND = "Usage export not found"
FILES = 2
COLUMNS = (
    "organization_id", "organization_name", "organization_created_date", "project_id", "project_name",
    "project_created_date", "last_build_finished_at", "vcs_name", "vcs_url", "vcs_branch", "pipeline_id",
    "pipeline_created_at", "pipeline_number", "is_unregistered_user", "pipeline_trigger_source",
    "pipeline_trigger_user_id", "workflow_id", "workflow_name", "workflow_first_job_queued_at",
    "workflow_first_job_started_at", "workflow_stopped_at", "is_workflow_successful", "job_name", "job_id",
    "job_run_number", "job_run_date", "job_run_queued_at", "job_run_started_at", "job_run_stopped_at",
    "job_build_status", "resource_class", "operating_system", "executor", "parallelism", "job_run_seconds",
    "median_cpu_utilization_pct", "max_cpu_utilization_pct", "median_ram_utilization_pct",
    "max_ram_utilization_pct", "compute_credits", "dlc_credits", "user_credits", "storage_credits",
    "network_credits", "lease_credits", "lease_overage_credits", "ipranges_credits", "total_credits",
)


def find_org(call: Call, org_id: str) -> Org:
    org = call.visible_org(org_id)
    if org is None:
        raise not_found(ORG_NOT_FOUND)
    return org


def parse_time(value, name: str) -> datetime:
    if not isinstance(value, str):
        raise bad_request(f"{name} is required.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name} must be an RFC 3339 date-time.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def download_urls(export: UsageExport) -> list:
    if engine.export_state(export) != "completed":
        return []
    base = request.host_url.rstrip("/")
    return [f"{base}/_emulator/usage/{export.id}/usage-{export.id[:8]}-{n}.csv.gz" for n in range(1, FILES + 1)]


def check_rate(store: Store, org: Org) -> None:
    now = time.monotonic()
    recent = [t for t in store.usage_export_creates.get(org.id, []) if now - t < RATE_WINDOW]
    if len(recent) >= RATE_LIMIT:
        store.usage_export_creates[org.id] = recent
        retry = max(1, math.ceil(RATE_WINDOW - (now - recent[0])))
        raise ApiError(429, "Rate limit exceeded.", headers={"Retry-After": str(retry)})
    recent.append(now)
    store.usage_export_creates[org.id] = recent


@routes.post("/organizations/{org_id}/usage_export_job")
def create_usage_export(call, org_id):
    org = find_org(call, org_id)
    check_rate(call.store, org)  # every request counts, as on the service
    body = call.json_object()
    start, end = parse_time(body.get("start"), "start"), parse_time(body.get("end"), "end")
    if end <= start:
        raise bad_request("end must be after start.")
    if end - start > MAX_WINDOW:
        raise bad_request("end must be no more than 31 days after start.")
    if start < datetime.now(timezone.utc) - MAX_AGE:
        raise bad_request("start must be no more than one year ago.")
    shared = body.get("shared_org_ids") or []
    if not isinstance(shared, list) or not all(is_uuid(x) for x in shared):
        raise bad_request("shared_org_ids must be a list of organization ids.")
    export = UsageExport(call.store.new_id(), org.id, body["start"], body["end"], [x.lower() for x in shared],
                         call.store.now(), 2 * call.step_seconds, call.store.next_seq())
    call.store.usage_exports[export.id] = export
    return 201, {"usage_export_job_id": export.id, "state": engine.export_state(export), "start": export.start,
                 "end": export.end, "download_urls": download_urls(export)}


@routes.get("/organizations/{org_id}/usage_export_job/{usage_export_job_id}")
def get_usage_export(call, org_id, usage_export_job_id):
    org = find_org(call, org_id)
    export = by_id(call.store.usage_exports, usage_export_job_id)
    if export is None or export.org_id != org.id:
        raise not_found(EXPORT_NOT_FOUND)
    return {"usage_export_job_id": export.id, "state": engine.export_state(export), "download_urls": download_urls(export)}


# ---------------------------------------------------------------- files (served by admin.py)


def export_rows(store: Store, export: UsageExport) -> list:
    """One row per job run recorded in the export's window, for its org and shared orgs."""
    engine.settle(store)
    start = parse_time(export.start, "start").timestamp()
    end = parse_time(export.end, "end").timestamp()
    org_ids = {export.org_id, *export.shared_org_ids}
    rows = []
    for project in sorted(store.projects.values(), key=lambda p: p.slug):
        if project.org.id not in org_ids:
            continue
        recorded = store.workflow_runs.get(project.id, [])
        last = max((r["stopped_at"] for r in recorded), default="")
        for run in recorded:
            jobs = [j for j in run["jobs"] if j.get("started_at")]
            first = min((j["started_at"] for j in jobs), default="")
            for job in jobs:
                if not start <= engine.ts_of(job["started_at"]) <= end:
                    continue
                pipeline = store.pipelines.get(run["pipeline_id"])
                seconds = job.get("duration", 0)
                rows.append({
                    "organization_id": project.org.id, "organization_name": project.org.name,
                    "organization_created_date": "2020-01-01", "project_id": project.id,
                    "project_name": project.name, "project_created_date": "2020-01-01",
                    "last_build_finished_at": last, "vcs_name": project.org.vcs_type, "vcs_url": project.vcs_url,
                    "vcs_branch": run.get("branch") or "", "pipeline_id": run["pipeline_id"],
                    "pipeline_created_at": pipeline.created_at if pipeline else run["created_at"],
                    "pipeline_number": run["pipeline_number"], "is_unregistered_user": "N",
                    "pipeline_trigger_source": "api",
                    "pipeline_trigger_user_id": pipeline.actor_id if pipeline else "",
                    "workflow_id": run["workflow_id"], "workflow_name": run["workflow_name"],
                    "workflow_first_job_queued_at": first, "workflow_first_job_started_at": first,
                    "workflow_stopped_at": run["stopped_at"],
                    "is_workflow_successful": "true" if run["status"] == "success" else "false",
                    "job_name": job["name"], "job_id": job["id"],
                    "job_run_number": store.jobs[job["id"]].number if job["id"] in store.jobs else "",
                    "job_run_date": job["started_at"][:10], "job_run_queued_at": job["started_at"],
                    "job_run_started_at": job["started_at"], "job_run_stopped_at": job.get("stopped_at") or "",
                    "job_build_status": job["status"], "resource_class": "medium", "operating_system": "linux",
                    "executor": "docker", "parallelism": 1, "job_run_seconds": seconds,
                    "median_cpu_utilization_pct": "", "max_cpu_utilization_pct": "",
                    "median_ram_utilization_pct": "", "max_ram_utilization_pct": "",
                    "compute_credits": job.get("credits_used", 0), "dlc_credits": 0, "user_credits": 0,
                    "storage_credits": 0, "network_credits": 0, "lease_credits": 0, "lease_overage_credits": 0,
                    "ipranges_credits": 0, "total_credits": job.get("credits_used", 0),
                })
    return rows


def export_file(store: Store, export_id: str, name: str) -> bytes | None:
    """The gzip-compressed CSV file ``name`` of a completed export, or None."""
    export = store.usage_exports.get(export_id)
    if export is None or engine.export_state(export) != "completed":
        return None
    names = [f"usage-{export.id[:8]}-{n}.csv.gz" for n in range(1, FILES + 1)]
    if name not in names:
        return None
    index = names.index(name)
    rows = export_rows(store, export)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[index::FILES])
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)
