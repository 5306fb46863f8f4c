"""Finished workflow runs: the record the pipeline engine writes and insights read.

The pipeline engine calls :func:`record_workflow` once, when a workflow reaches a
terminal status (success, failed, error, canceled, not_run, unauthorized); the
insights endpoints read :func:`recorded_runs` and merge it with their
deterministic seeded history. One record is a plain dict::

    {
      "project_id": "...", "project_slug": "gh/acme/api",
      "workflow_id": "...", "workflow_name": "build",
      "pipeline_id": "...", "pipeline_number": 12, "branch": "main",
      "status": "success",                 # terminal workflow status
      "created_at": "2026-...Z", "stopped_at": "2026-...Z",
      "duration": 42,                      # seconds, int
      "credits_used": 10, "is_approval": False,
      "jobs": [{"id": "...", "name": "test", "status": "success", "started_at": "...Z",
                "stopped_at": "...Z", "duration": 12, "credits_used": 5}],
      "tests": [{"name": "...", "classname": "...", "result": "success" | "failure" | "skipped",
                 "run_time": 0.12, "file": "...", "job_name": "test", "job_number": 7,
                 "message": "..."}],
    }

Callers hold ``store.lock`` (API handlers always do).
"""

from __future__ import annotations

import copy


def record_workflow(store, record: dict) -> None:
    """Append one finished workflow run (a deep copy) under its project id."""
    store.workflow_runs.setdefault(record["project_id"], []).append(copy.deepcopy(record))


def recorded_runs(store, project_id: str) -> list:
    """Finished runs of one project, oldest first (the list itself: do not modify)."""
    return store.workflow_runs.get(project_id, [])
