"""The statistics of the insights reports: percentiles, rates, recovery times, trends.

Percentiles are nearest-rank values; metrics of an empty group are 0 (never null).
"""

from __future__ import annotations

import math
from collections import defaultdict

from .common import FAILED, SUCCESS


def rank(ordered: list, q: float):
    """Nearest-rank percentile of a sorted, non-empty list."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def duration_metrics(values: list, full: bool = True) -> dict:
    ordered = sorted(int(v) for v in values)
    if not ordered:
        base = {"min": 0, "median": 0, "p95": 0, "max": 0}
        return {**base, "mean": 0, "standard_deviation": 0.0} if full else {**base, "total": 0}
    out = {"min": ordered[0], "median": rank(ordered, 0.5), "p95": rank(ordered, 0.95), "max": ordered[-1]}
    if not full:
        out["total"] = sum(ordered)
        return out
    mean = sum(ordered) / len(ordered)
    out["mean"] = int(round(mean))
    out["standard_deviation"] = round(math.sqrt(sum((v - mean) ** 2 for v in ordered) / len(ordered)), 2)
    return out


def p95(values: list) -> float:
    ordered = sorted(values)
    return float(rank(ordered, 0.95)) if ordered else 0.0


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


def trends_of(current: dict, previous: dict | None, keys) -> dict:
    return {key: (trend(current[key], previous[key]) if previous is not None else 0.0) for key in keys}


def run_counts(items: list) -> dict:
    """total_runs, successful_runs, failed_runs, success_rate of workflow runs."""
    successful = sum(1 for r in items if r.status == SUCCESS)
    failed = sum(1 for r in items if r.status in FAILED)
    return {"total_runs": len(items), "successful_runs": successful, "failed_runs": failed,
            "success_rate": success_rate(successful, len(items))}


def job_counts(jobs: list) -> tuple:
    """(successful, failed) among job records."""
    return (sum(1 for j in jobs if j.get("status") == SUCCESS),
            sum(1 for j in jobs if j.get("status") in FAILED))


def job_durations(jobs: list) -> list:
    return [int(j.get("duration") or 0) for j in jobs]
