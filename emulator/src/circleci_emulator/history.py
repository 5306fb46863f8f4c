"""The seeded insights history: 90 days of finished workflow runs per project.

Every project gets a deterministic history generated from its id (a fixed
``random.Random(project id)``), laid out over the 90 days before the
*reference*: the start of the current UTC day (:func:`reference`). The history
is therefore identical in every emulator process on the same day, and stable
within a day. Runs are plain records in the format of :mod:`runs` (the one
the pipeline engine writes), so the insights endpoints merge both lists and
compute everything from one run list.

Shape (the names the pipeline engine uses, see the contract in the README):

- workflows ``build`` (jobs ``build`` -> ``test``) and ``lint`` (job ``lint``),
  triggered together by one to four pipelines a day (at least two on the
  last day, the first of them on the default branch), on the default branch
  (about 60 %) and two feature branches;
- ``test`` runs a suite of ten tests (one always skipped); two of them are
  flaky: when one fails, the workflow is rerun on the same pipeline (same
  commit) and passes, which is what the flaky-tests report finds;
- one test is broken on a feature branch for a week (fails until fixed), a few
  other failures happen at random, the ``build`` job fails now and then, a
  few ``build`` workflows are canceled, ``lint`` fails about one run in twenty.
- credits: 10 per started minute of each job (a medium resource class).

:func:`seeded_index` maps each pipeline number, pipeline id, workflow id, job
number and job id of the history to its pipeline number: the engine builds that
pipeline into the store from these records when an endpoint asks for it
(``engine.seeded_pipeline``), so what the reports name answers everywhere.
"""

from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone

RETENTION_DAYS = 90
FEATURE_BRANCH_CHOICES = ("feature/login", "feature/search", "feature/billing", "fix/retry-timeouts")
CREDITS_PER_MINUTE = 10

# (classname, name, file, typical seconds)
TEST_SUITE = (
    ("tests.test_api", "test_health", "tests/test_api.py", 0.05),
    ("tests.test_api", "test_create_item", "tests/test_api.py", 0.4),
    ("tests.test_api", "test_list_items_paginated", "tests/test_api.py", 0.9),
    ("tests.test_auth", "test_login", "tests/test_auth.py", 0.3),
    ("tests.test_auth", "test_session_expiry", "tests/test_auth.py", 2.5),
    ("tests.test_db", "test_migrations", "tests/test_db.py", 4.0),
    ("tests.test_db", "test_connection_pool", "tests/test_db.py", 1.2),
    ("tests.test_search", "test_search_ranking", "tests/test_search.py", 1.8),
    ("tests.test_search", "test_search_timeout", "tests/test_search.py", 3.1),
    ("tests.test_legacy", "test_legacy_export", "tests/test_legacy.py", 0.0),
)
FLAKY_TESTS = ("test_session_expiry", "test_search_timeout")
SKIPPED_TEST = "test_legacy_export"
BROKEN_TEST = "test_create_item"  # broken for a while on the first feature branch
FLAKE_RATE = 0.07
TEST_SOURCE = "pytest"


def utcnow() -> datetime:
    """The current time (a function, so that tests can pin the clock)."""
    return datetime.now(timezone.utc)


def reference(now: datetime | None = None) -> datetime:
    """The start of the current UTC day: the end of the seeded history, the base of reporting windows."""
    now = now or utcnow()
    return now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def credits_for(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60)) * CREDITS_PER_MINUTE


_CACHE: dict = {}


def seeded_runs(project, ref: datetime | None = None) -> list:
    """The project's seeded runs (records, oldest first; shared: do not modify). A project created
    through the API has none: its history starts with its first pipeline."""
    if not getattr(project, "has_history", True):
        return []
    ref = ref or reference()
    key = (project.id, project.slug, project.default_branch, ref)
    runs = _CACHE.get(key)
    if runs is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        runs = _CACHE[key] = _generate(project, ref)
    return runs


class HistoryIndex:
    """Where each pipeline number, pipeline id, workflow id, job number and job id of a project's
    seeded history leads: the pipeline number (the engine builds that pipeline from its runs,
    ``engine.seeded_pipeline``)."""

    def __init__(self, runs: list):
        self.pipelines: dict = {}  # pipeline number -> [records of its workflows, oldest first]
        self.by_pipeline_id: dict = {}
        self.by_workflow_id: dict = {}
        self.by_job_number: dict = {}
        self.by_job_id: dict = {}
        for rec in runs:
            number = rec["pipeline_number"]
            self.pipelines.setdefault(number, []).append(rec)
            self.by_pipeline_id[rec["pipeline_id"]] = number
            self.by_workflow_id[rec["workflow_id"]] = number
            for job in rec["jobs"]:
                self.by_job_number[job["number"]] = number
                self.by_job_id[job["id"]] = number


def seeded_index(project, ref: datetime | None = None) -> HistoryIndex:
    """The index of the project's seeded history (cached like the runs)."""
    ref = ref or reference()
    key = ("index", project.id, project.slug, project.default_branch, ref)
    index = _CACHE.get(key)
    if index is None:
        index = _CACHE[key] = HistoryIndex(seeded_runs(project, ref))
    return index


class _Generator:
    def __init__(self, project, ref: datetime):
        self.project = project
        self.ref = ref
        self.rng = random.Random(f"circleci-emulator-insights:{project.id}")
        self.pipeline_number = 0
        self.job_number = 0
        self.runs: list = []
        features = self.rng.sample(FEATURE_BRANCH_CHOICES, 2)
        self.branches = [project.default_branch, *features]
        self.broken_branch = features[0]
        self.broken_days = range(33, 41)  # days before the reference

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def job(self, name: str, start: datetime, seconds: int, status: str) -> dict:
        self.job_number += 1
        stop = start + timedelta(seconds=seconds)
        return {"id": self.new_id(), "name": name, "number": self.job_number, "status": status,
                "started_at": iso(start), "stopped_at": iso(stop), "duration": seconds,
                "credits_used": credits_for(seconds), "_stop": stop}

    def record(self, name: str, pipeline: dict, created: datetime, jobs: list, status: str, tests=()) -> dict:
        stop = max(j.pop("_stop") for j in jobs)
        duration = int((stop - created).total_seconds())
        rec = {
            "project_id": self.project.id, "project_slug": self.project.slug,
            "workflow_id": self.new_id(), "workflow_name": name,
            "pipeline_id": pipeline["id"], "pipeline_number": pipeline["number"], "branch": pipeline["branch"],
            "status": status, "created_at": iso(created), "stopped_at": iso(stop), "duration": duration,
            "credits_used": sum(j["credits_used"] for j in jobs), "is_approval": False,
            "jobs": jobs, "tests": list(tests),
        }
        self.runs.append(rec)
        return rec

    def test_results(self, job: dict, days_ago: int, branch: str, rerun: bool) -> list:
        rng = self.rng
        random_failure = rng.choice(TEST_SUITE)[1] if rng.random() < 0.02 else None
        results = []
        for classname, name, file, seconds in TEST_SUITE:
            run_time = round(seconds * rng.uniform(0.7, 1.6), 3)
            if name == SKIPPED_TEST:
                result, message = "skipped", "skipped: legacy exporter disabled"
            elif name in FLAKY_TESTS and not rerun and rng.random() < FLAKE_RATE:
                result, message = "failure", "TimeoutError: operation timed out after 2.0s"
            elif name == BROKEN_TEST and branch == self.broken_branch and days_ago in self.broken_days:
                result, message = "failure", "AssertionError: expected 201, got 500"
            elif name == random_failure and not rerun:
                result, message = "failure", "AssertionError: unexpected response"
            else:
                result, message = "success", ""
            results.append({"name": name, "classname": classname, "result": result, "run_time": run_time,
                            "file": file, "source": TEST_SOURCE, "job_name": "test",
                            "job_number": job["number"], "message": message})
        return results

    def build_workflow(self, pipeline: dict, created: datetime, days_ago: int, rerun: bool = False) -> dict:
        rng = self.rng
        start = created + timedelta(seconds=rng.randint(2, 8))
        build_failed = not rerun and rng.random() < 0.03
        build = self.job("build", start, rng.randint(40, 95), "failed" if build_failed else "success")
        if build_failed:
            return self.record("build", pipeline, created, [build], "failed")
        test_start = start + timedelta(seconds=build["duration"] + rng.randint(1, 5))
        if not rerun and rng.random() < 0.02:  # canceled while testing
            test = self.job("test", test_start, rng.randint(10, 60), "canceled")
            return self.record("build", pipeline, created, [build, test], "canceled")
        test = self.job("test", test_start, rng.randint(90, 210), "success")
        tests = self.test_results(test, days_ago, pipeline["branch"], rerun)
        failed = [t["name"] for t in tests if t["result"] == "failure"]
        status = "failed" if failed else "success"
        test["status"] = status
        rec = self.record("build", pipeline, created, [build, test], status, tests)
        if failed and set(failed) <= set(FLAKY_TESTS) and rng.random() < 0.9:
            # someone reruns the flaky failure on the same commit; it passes
            again = datetime.fromisoformat(rec["stopped_at"]) + timedelta(seconds=rng.randint(120, 900))
            self.build_workflow(pipeline, again, days_ago, rerun=True)
        return rec

    def lint_workflow(self, pipeline: dict, created: datetime) -> dict:
        status = "failed" if self.rng.random() < 0.05 else "success"
        lint = self.job("lint", created + timedelta(seconds=self.rng.randint(2, 8)), self.rng.randint(15, 45), status)
        return self.record("lint", pipeline, created, [lint], status)

    def generate(self) -> list:
        rng = self.rng
        for days_ago in range(RETENTION_DAYS, 0, -1):
            day = self.ref - timedelta(days=days_ago)
            count = rng.choice((1, 2, 2, 3, 3, 4))
            if days_ago == 1:
                count = max(count, 2)
            # spread over 07:00..20:00, one pipeline at a time
            offsets = sorted(rng.sample(range(7 * 3600, 20 * 3600, 600), count))
            for offset in offsets:
                self.pipeline_number += 1
                branch = rng.choices(self.branches, weights=(6, 2, 2))[0]
                if days_ago == 1 and offset == offsets[0]:
                    branch = self.project.default_branch  # the last day always has default-branch runs
                pipeline = {"id": self.new_id(), "number": self.pipeline_number, "branch": branch}
                created = day + timedelta(seconds=offset)
                self.build_workflow(pipeline, created, days_ago)
                self.lint_workflow(pipeline, created + timedelta(seconds=1))
        self.runs.sort(key=lambda r: r["created_at"])
        return self.runs


def _generate(project, ref: datetime) -> list:
    return _Generator(project, ref).generate()
