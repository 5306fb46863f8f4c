"""Test reports: flaky tests of a project, test metrics of one workflow.

A test is flaky when it both passed and failed on one pipeline (one commit) in
the 90 days, any branch. Test metrics use the 10 most recent runs of the workflow.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ..routing import Routes
from .common import of_workflow, on_branch, project_context, since
from .metrics import success_rate

routes = Routes()

TEST_METRICS_RUNS = 10
TOP_TESTS = 10
FAILURES = ("failure", "error")


def test_key(run, test: dict) -> tuple:
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
            if "success" in results and results & set(FAILURES):
                flakes.extend((run, t) for run, t in executions if t.get("result") in FAILURES)
        if flakes:
            found[key] = flakes
    return found


def _job_of(run, test: dict) -> dict | None:
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
    # snake_case, as the service answers (the spec's kebab-case is mended: spec.py, mend 7)
    return {
        "time_wasted": wasted,
        "workflow_created_at": last_run.rec["created_at"],
        "workflow_id": last_run.rec["workflow_id"],
        "classname": classname,
        "pipeline_number": last_run.rec.get("pipeline_number"),
        "workflow_name": workflow_name,
        "test_name": name,
        "job_name": job_name,
        "job_number": last_test.get("job_number"),
        "times_flaked": len(flakes),
        "source": last_test.get("source") or "",
        "file": file,
    }


@routes.get("/insights/{project-slug}/flaky-tests")
def flaky(call, project_slug):
    _, q, all_runs = project_context(call, project_slug)
    found = flaky_tests(since(all_runs, q.retention_start()))
    items = [render_flaky(key, flakes) for key, flakes in found.items()]
    items.sort(key=lambda f: (-f["times_flaked"], f["workflow_name"], f["job_name"], f["test_name"]))
    return {"flaky_tests": items, "total_flaky_tests": len(items)}


# ---------------------------------------------------------------- test metrics


def test_entry(key: tuple, executions: list, flaky: bool) -> dict:
    _, job_name, classname, name, file = key
    times = sorted(float(t.get("run_time") or 0.0) for t in executions)
    return {
        "p95_duration": times[max(0, math.ceil(0.95 * len(times)) - 1)] if times else 0.0,
        "total_runs": len(executions),
        "classname": classname,
        "failed_runs": sum(1 for t in executions if t.get("result") in FAILURES),
        "flaky": flaky,
        "source": next((t.get("source") for t in executions if t.get("source")), ""),
        "file": file,
        "job_name": job_name,
        "test_name": name,
    }


def test_run(run) -> dict:
    """One workflow run's line of ``test_runs``: its test counts and success rate."""
    tests = run.rec.get("tests") or []
    counts = {"error": 0, "failure": 0, "skipped": 0, "success": 0}
    for test in tests:
        if test.get("result") in counts:
            counts[test.get("result")] += 1
    counts["total"] = len(tests)
    ran = counts["total"] - counts["skipped"]
    return {"pipeline_number": int(run.rec.get("pipeline_number") or 0), "workflow_id": run.rec["workflow_id"],
            "success_rate": success_rate(counts["success"], ran), "test_counts": counts}


def _top(entries: list, sort_key, value) -> tuple:
    """The first TOP_TESTS entries, and how many omitted ones tie with the last one shown."""
    ordered = sorted(entries, key=sort_key)
    shown, rest = ordered[:TOP_TESTS], ordered[TOP_TESTS:]
    extra = sum(1 for e in rest if shown and value(e) == value(shown[-1]))
    return shown, extra


@routes.get("/insights/{project-slug}/workflows/{workflow-name}/test-metrics")
def test_metrics(call, project_slug, workflow_name):
    _, q, all_runs = project_context(call, project_slug)
    branch = q.branch()
    retained = since(all_runs, q.retention_start())
    flaky_keys = set(flaky_tests(retained))
    latest = of_workflow(on_branch(retained, branch), workflow_name)[-TEST_METRICS_RUNS:]
    by_test = defaultdict(list)
    for run in latest:
        for test in run.rec.get("tests") or []:
            by_test[test_key(run, test)].append(test)
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
        "test_runs": [test_run(run) for run in latest],
    }
