"""Insights: every endpoint and parameter, pagination, consistency, determinism, recorded runs.

Every answer here also goes through conftest's hook, which validates it against the spec.
The clock is pinned (``history.utcnow``) so that the seeded history is the same in every run.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

import conftest
from circleci_emulator import Emulator, history, runs, seed
from circleci_emulator.api import insights
from circleci_emulator.spec import get_spec

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
REF = datetime(2026, 6, 15, tzinfo=timezone.utc)
API = "gh/acme/api"
WEB = "gh/acme/web"
STANDALONE = seed.STANDALONE_PROJECT_SLUG
PROJECTS = {API: seed.ACME_API_PROJECT_ID, WEB: seed.ACME_WEB_PROJECT_ID, STANDALONE: seed.STANDALONE_PROJECT_ID}
WINDOWS = {"last-24-hours": 1, "last-7-days": 7, "last-30-days": 30, "last-60-days": 60, "last-90-days": 90}


def iso(ts: datetime) -> str:
    return history.iso(ts)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setattr(history, "utcnow", lambda: NOW)


@pytest.fixture(scope="module")
def lax():
    """A non-strict emulator (for the object-typed query parameters, see the README)."""
    with Emulator(strict=False) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def paged():
    """An emulator with one item per page."""
    with Emulator(page_size=1) as emulator:
        yield emulator


def client(emu):
    api = conftest.Api(emu)
    api.admin("POST", "/reset")
    return api


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def all_pages(api, path, **params):
    items, token, pages = [], None, 0
    while True:
        query = dict(params, **({"page-token": token} if token else {}))
        body = ok(api.get(path, params=query))
        items.extend(body["items"])
        pages += 1
        token = body["next_page_token"]
        if token is None:
            return items, pages


def record(emu, *, slug=API, name="build", branch="main", status="success", created=None, duration=60,
           credits=10, pipeline_id=None, pipeline_number=900, jobs=None, tests=()):
    """Record one finished workflow the way the pipeline engine does."""
    created = created or (REF + timedelta(hours=1))
    stopped = created + timedelta(seconds=duration)
    if jobs is None:
        jobs = [{"id": str(uuid.uuid4()), "name": name, "status": status, "started_at": iso(created),
                 "stopped_at": iso(stopped), "duration": duration, "credits_used": credits}]
    rec = {
        "project_id": PROJECTS[slug], "project_slug": slug,
        "workflow_id": str(uuid.uuid4()), "workflow_name": name,
        "pipeline_id": pipeline_id or str(uuid.uuid4()), "pipeline_number": pipeline_number, "branch": branch,
        "status": status, "created_at": iso(created), "stopped_at": iso(stopped),
        "duration": duration, "credits_used": credits, "is_approval": False,
        "jobs": jobs, "tests": list(tests),
    }
    with emu.store.lock:
        runs.record_workflow(emu.store, rec)
    return rec


def a_test(name, result, job_number=1, run_time=0.5):
    return {"name": name, "classname": "tests.recorded", "result": result, "run_time": run_time,
            "file": "tests/recorded.py", "job_name": "test", "job_number": job_number, "message": ""}


def nearest_rank(values, q):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# ---------------------------------------------------------------- every endpoint answers, validated


def endpoint_paths(slug):
    return [
        f"/insights/pages/{slug}/summary",
        f"/insights/time-series/{slug}/workflows/build/jobs",
        f"/insights/{slug}/branches",
        f"/insights/{slug}/flaky-tests",
        f"/insights/{slug}/workflows",
        f"/insights/{slug}/workflows/build",
        f"/insights/{slug}/workflows/build/jobs",
        f"/insights/{slug}/workflows/build/summary",
        f"/insights/{slug}/workflows/build/test-metrics",
    ]


def test_every_spec_operation_is_served(api):
    spec_paths = {p for p in get_spec().data["paths"] if p.startswith("/insights")}
    served = {template for (method, template) in insights.routes.table}
    assert served == spec_paths and len(served) == 10
    assert all(method == "get" for (method, _) in insights.routes.table)


@pytest.mark.parametrize("slug", list(PROJECTS))
def test_every_endpoint_answers_for_every_seeded_project(api, slug):
    before = len(conftest.VALIDATED)
    for path in endpoint_paths(slug):
        body = ok(api.get(path))
        assert body  # non-empty answers
    org_slug = slug.rsplit("/", 1)[0]
    ok(api.get(f"/insights/{org_slug}/summary"))
    assert len(conftest.VALIDATED) == before + len(endpoint_paths(slug)) + 1  # all checked against the spec


@pytest.mark.parametrize("path", endpoint_paths("gh/acme/nope") + endpoint_paths("gh/other/api"))
def test_unknown_project_is_404(api, path):
    r = api.get(path)
    assert r.status_code == 404
    assert r.json() == {"message": "Project not found"}


@pytest.mark.parametrize("org", ["gh/nobody", "bb/acme", "circleci/00000000-0000-4000-8000-0000000000ff"])
def test_unknown_org_is_404(api, org):
    r = api.get(f"/insights/{org}/summary")
    assert r.status_code == 404
    assert r.json() == {"message": "Organization not found"}


def test_unknown_workflow(api):
    assert ok(api.get(f"/insights/{API}/workflows/deploy")) == {"items": [], "next_page_token": None}
    assert ok(api.get(f"/insights/{API}/workflows/deploy/jobs")) == {"items": [], "next_page_token": None}
    assert ok(api.get(f"/insights/time-series/{API}/workflows/deploy/jobs")) == {"items": [], "next_page_token": None}
    metrics = ok(api.get(f"/insights/{API}/workflows/deploy/test-metrics"))
    assert metrics["total_test_runs"] == 0 and metrics["test_runs"] == [] and metrics["most_failed_tests"] == []
    r = api.get(f"/insights/{API}/workflows/deploy/summary")
    assert r.status_code == 404 and r.json() == {"message": "Workflow not found"}


# ---------------------------------------------------------------- the seeded history


@pytest.mark.parametrize("slug", list(PROJECTS))
def test_seeded_history_shape(api, slug):
    workflows = ok(api.get(f"/insights/{slug}/workflows", params={"all-branches": "true"}))["items"]
    assert [w["name"] for w in workflows] == ["build", "lint"]
    for w in workflows:
        assert w["metrics"]["failed_runs"] > 0 and w["metrics"]["successful_runs"] > w["metrics"]["failed_runs"]
    jobs = ok(api.get(f"/insights/{slug}/workflows/build/jobs", params={"all-branches": "true"}))["items"]
    assert [j["name"] for j in jobs] == ["build", "test"]
    assert [j["name"] for j in ok(api.get(f"/insights/{slug}/workflows/lint/jobs"))["items"]] == ["lint"]
    branches = ok(api.get(f"/insights/{slug}/branches"))["branches"]
    assert "main" in branches and len(branches) == 3
    flaky = ok(api.get(f"/insights/{slug}/flaky-tests"))
    assert flaky["total_flaky_tests"] >= 2
    assert {f["test_name"] for f in flaky["flaky_tests"]} == set(history.FLAKY_TESTS)
    # the history covers the 90 days before the reference, and nothing after it
    items, _ = all_pages(api, f"/insights/{slug}/workflows/build", **{"all-branches": "true"})
    created = [parse(i["created_at"]) for i in items]
    assert min(created) >= REF - timedelta(days=90) and max(created) < REF
    assert max(created) >= REF - timedelta(days=1)  # the last day has runs


def test_flaky_tests_passed_and_failed_on_one_commit(api):
    """What the report lists is what the definition says, checked on the seeded records themselves."""
    project = api.emu.store.projects[seed.ACME_API_PROJECT_ID]
    results = {}
    for rec in history.seeded_runs(project, REF):
        for t in rec["tests"]:
            results.setdefault((t["name"], rec["pipeline_id"]), set()).add(t["result"])
    flaked = Counter(name for (name, _), found in results.items() if {"success", "failure"} <= found)
    body = ok(api.get(f"/insights/{API}/flaky-tests"))
    assert {f["test_name"]: f["times_flaked"] for f in body["flaky_tests"]} == dict(flaked)
    assert body["total_flaky_tests"] == len(flaked) >= 2
    for f in body["flaky_tests"]:
        assert f["workflow_name"] == "build" and f["job_name"] == "test" and f["time_wasted"] > 0
        assert f["source"] == "pytest" and f["file"].startswith("tests/")


FLAKY_KEYS = {"time_wasted", "workflow_created_at", "workflow_id", "classname", "pipeline_number", "workflow_name",
              "test_name", "job_name", "job_number", "times_flaked", "source", "file"}


def test_flaky_tests_answer_snake_case_keys(api):
    """The live service answers snake_case here, not the spec's kebab-case (spec mend 7); CircleCI's MCP
    server requires flaky_tests[].job_number and test_name (numbers and strings) and total_flaky_tests."""
    body = ok(api.get(f"/insights/{API}/flaky-tests"))
    assert set(body) == {"flaky_tests", "total_flaky_tests"}
    assert body["flaky_tests"] and isinstance(body["total_flaky_tests"], int)
    for flake in body["flaky_tests"]:
        assert set(flake) == FLAKY_KEYS
        assert isinstance(flake["job_number"], int) and isinstance(flake["test_name"], str)
        assert isinstance(flake["pipeline_number"], int) and isinstance(flake["times_flaked"], int)


def test_real_clock_reference_is_the_start_of_today(monkeypatch):
    monkeypatch.undo()
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    assert history.reference() in (today, today + timedelta(days=1))  # (a test run across midnight)
    with Emulator() as emu:
        api = conftest.Api(emu)
        items, _ = all_pages(api, f"/insights/{API}/workflows/build", **{"all-branches": "true"})
    created = [parse(i["created_at"]) for i in items]
    assert max(created) < history.reference() and min(created) >= history.reference() - timedelta(days=91)


# ---------------------------------------------------------------- determinism


def snapshot(api):
    answers = {}
    for slug in PROJECTS:
        for path in endpoint_paths(slug):
            answers[path] = ok(api.get(path, params={"all-branches": "true"} if "time-series" not in path else {}))
        answers[f"runs {slug}"] = all_pages(api, f"/insights/{slug}/workflows/lint")[0]
    answers["org"] = ok(api.get("/insights/gh/acme/summary"))
    return answers


def test_two_emulators_answer_identically(api):
    first = snapshot(api)
    history._CACHE.clear()  # generate the history again, not reuse it
    with Emulator() as other:
        second = snapshot(conftest.Api(other))
    assert first == second
    assert first[f"/insights/{API}/workflows"] != first[f"/insights/{WEB}/workflows"]  # per-project histories


def history_digest():
    from circleci_emulator.store import Store
    store = Store()
    text = json.dumps([history.seeded_runs(p, REF) for p in store.projects.values()], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_history_is_the_same_in_another_process():
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_insights; print(test_insights.history_digest())")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code, os.path.dirname(__file__)], capture_output=True, text=True,
                         env=env, check=True, timeout=120)
    assert out.stdout.strip() == history_digest()


# ---------------------------------------------------------------- reporting windows and branches


@pytest.mark.parametrize("window,days", list(WINDOWS.items()))
def test_reporting_window_matches_the_runs_listing(api, window, days):
    listed = ok(api.get(f"/insights/{API}/workflows", params={"reporting-window": window}))["items"]
    start = REF - timedelta(days=days)
    for item in listed:
        runs_in_window, _ = all_pages(api, f"/insights/{API}/workflows/{item['name']}", **{"start-date": iso(start)})
        assert item["metrics"]["total_runs"] == len(runs_in_window) > 0
        assert item["metrics"]["throughput"] == round(len(runs_in_window) / days, 4)
        assert parse(item["window_start"]) >= start
        summary = ok(api.get(f"/insights/{API}/workflows/{item['name']}/summary",
                             params={"reporting-window": window}))
        assert summary["metrics"]["total_runs"] == len(runs_in_window)


def test_windows_grow(api):
    totals = [ok(api.get(f"/insights/pages/{API}/summary", params={"reporting-window": w}))
              ["project_data"]["metrics"]["total_runs"] for w in WINDOWS]
    assert totals == sorted(totals) and totals[0] < totals[-1]
    default = ok(api.get(f"/insights/pages/{API}/summary"))["project_data"]["metrics"]["total_runs"]
    assert default == totals[-1]  # last-90-days


@pytest.mark.parametrize("path", [f"/insights/{API}/workflows", f"/insights/pages/{API}/summary",
                                  f"/insights/{API}/workflows/build/jobs", "/insights/gh/acme/summary"])
def test_bad_reporting_window(api, lax, path):
    r = api.get(path, params={"reporting-window": "last-8-days"})
    assert r.status_code == 400 and "reporting-window" in r.json()["message"]  # strict: the spec refuses it
    r = client(lax).get(path, params={"reporting-window": "last-8-days"})
    assert r.status_code == 400 and "reporting-window" in r.json()["message"]  # and the handler too


def test_trends_compare_with_the_window_before(api):
    for window, days in WINDOWS.items():
        body = ok(api.get(f"/insights/{API}/workflows/build/summary",
                          params={"all-branches": "true", "reporting-window": window}))
        if days > 30:
            assert set(body["trends"].values()) == {0.0}
            continue
        start = REF - timedelta(days=days)
        previous, _ = all_pages(api, f"/insights/{API}/workflows/build", **{
            "all-branches": "true", "start-date": iso(start - timedelta(days=days)), "end-date": iso(start)})
        current = body["metrics"]["total_runs"]
        expected = round(current / len(previous), 4) if previous else 0.0
        assert body["trends"]["total_runs"] == expected
    week = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"reporting-window": "last-30-days"}))
    assert week["trends"]["total_runs"] > 0


def test_branch_defaults_to_the_default_branch_and_all_branches_adds_up(api):
    branches = ok(api.get(f"/insights/{API}/branches"))["branches"]
    per_branch = {b: ok(api.get(f"/insights/{API}/workflows/build/summary", params={"branch": b}))
                  ["metrics"]["total_runs"] for b in branches}
    everything = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"all-branches": "true"}))
    default = ok(api.get(f"/insights/{API}/workflows/build/summary"))
    false = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"all-branches": "false"}))
    assert default["metrics"] == false["metrics"]
    assert default["metrics"]["total_runs"] == per_branch["main"] < everything["metrics"]["total_runs"]
    assert sum(per_branch.values()) == everything["metrics"]["total_runs"]
    unknown = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"branch": "no-such-branch"}))
    assert unknown["metrics"]["total_runs"] == 0 and unknown["metrics"]["duration_metrics"]["max"] == 0
    for b in branches:
        items, _ = all_pages(api, f"/insights/{API}/workflows/build", branch=b)
        assert {i["branch"] for i in items} == {b} and len(items) == per_branch[b]


@pytest.mark.parametrize("path", [f"/insights/{API}/workflows", f"/insights/{API}/workflows/build",
                                  f"/insights/{API}/workflows/build/jobs", f"/insights/{API}/workflows/build/summary",
                                  f"/insights/{API}/workflows/build/test-metrics"])
def test_branch_and_all_branches_together_is_400(api, path):
    r = api.get(path, params={"branch": "main", "all-branches": "true"})
    assert r.status_code == 400 and r.json() == {"message": "Use either branch or all-branches, not both."}
    assert ok(api.get(path, params={"branch": "main", "all-branches": "false"}))


def test_bad_boolean_is_400(api, lax):
    assert api.get(f"/insights/{API}/workflows", params={"all-branches": "yes"}).status_code == 400
    r = client(lax).get(f"/insights/{API}/workflows", params={"all-branches": "yes"})
    assert r.status_code == 400 and "all-branches" in r.json()["message"]


def test_branches_by_workflow_name(api):
    record(api.emu, name="lint", branch="lint-only")
    everything = ok(api.get(f"/insights/{API}/branches"))
    assert everything["org_id"] == seed.ACME_ORG_ID and everything["project_id"] == seed.ACME_API_PROJECT_ID
    assert "lint-only" in everything["branches"]
    assert "lint-only" in ok(api.get(f"/insights/{API}/branches", params={"workflow-name": "lint"}))["branches"]
    build = ok(api.get(f"/insights/{API}/branches", params={"workflow-name": "build"}))["branches"]
    assert "lint-only" not in build and "main" in build
    assert ok(api.get(f"/insights/{API}/branches", params={"workflow-name": "nope"}))["branches"] == []


# ---------------------------------------------------------------- start-date / end-date


def test_runs_listing_dates(api):
    everything, _ = all_pages(api, f"/insights/{API}/workflows/build", **{"all-branches": "true"})
    start, end = REF - timedelta(days=20), REF - timedelta(days=10)
    window, _ = all_pages(api, f"/insights/{API}/workflows/build",
                          **{"all-branches": "true", "start-date": iso(start), "end-date": iso(end)})
    expected = [i for i in everything if start <= parse(i["created_at"]) < end]
    assert window == expected and 0 < len(window) < len(everything)
    since, _ = all_pages(api, f"/insights/{API}/workflows/build",
                         **{"all-branches": "true", "start-date": "2026-06-05T00:00:00+00:00"})
    assert since == [i for i in everything if parse(i["created_at"]) >= REF - timedelta(days=10)]


@pytest.mark.parametrize("params,word", [
    ({"end-date": "2026-06-01T00:00:00Z"}, "start-date"),
    ({"start-date": "2026-01-01T00:00:00Z", "end-date": "2026-06-01T00:00:00Z"}, "90 days"),
    ({"start-date": "2026-06-01T00:00:00Z", "end-date": "2026-05-01T00:00:00Z"}, "after"),
])
@pytest.mark.parametrize("path", [f"/insights/{API}/workflows/build",
                                  f"/insights/time-series/{API}/workflows/build/jobs"])
def test_bad_date_ranges(api, path, params, word):
    r = api.get(path, params=params)
    assert r.status_code == 400 and word in r.json()["message"]


def test_malformed_date(api, lax):
    assert api.get(f"/insights/{API}/workflows/build", params={"start-date": "yesterday"}).status_code == 400
    r = client(lax).get(f"/insights/{API}/workflows/build", params={"start-date": "yesterday"})
    assert r.status_code == 400 and "start-date" in r.json()["message"]


# ---------------------------------------------------------------- pagination


def test_runs_listing_pages_newest_first(api):
    items, pages = all_pages(api, f"/insights/{API}/workflows/build", **{"all-branches": "true"})
    assert pages == math.ceil(len(items) / api.emu.runtime.page_size) and pages > 5
    assert len({i["id"] for i in items}) == len(items)
    created = [i["created_at"] for i in items]
    assert created == sorted(created, reverse=True)
    total = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"all-branches": "true"}))
    assert total["metrics"]["total_runs"] == len(items)


def test_a_new_run_between_pages_neither_repeats_nor_skips(api):
    first = ok(api.get(f"/insights/{API}/workflows/build"))
    record(api.emu, created=REF + timedelta(hours=2))
    rest, _ = all_pages(api, f"/insights/{API}/workflows/build")
    token = first["next_page_token"]
    remaining = []
    while token:
        body = ok(api.get(f"/insights/{API}/workflows/build", params={"page-token": token}))
        remaining.extend(body["items"])
        token = body["next_page_token"]
    assert first["items"] + remaining == rest[1:]  # the new run comes first, on a fresh listing only


def test_workflows_and_jobs_listings_page(paged):
    api = client(paged)
    workflows, pages = all_pages(api, f"/insights/{API}/workflows")
    assert [w["name"] for w in workflows] == ["build", "lint"] and pages == 2
    jobs, pages = all_pages(api, f"/insights/{API}/workflows/build/jobs")
    assert [j["name"] for j in jobs] == ["build", "test"] and pages == 2
    runs_, pages = all_pages(api, f"/insights/{API}/workflows/lint", branch="main")
    assert pages == len(runs_) > 50


@pytest.mark.parametrize("path", [f"/insights/{API}/workflows", f"/insights/{API}/workflows/build",
                                  f"/insights/{API}/workflows/build/jobs"])
def test_bad_page_tokens(paged, path):
    api = client(paged)
    assert api.get(path, params={"page-token": "garbage"}).status_code == 404
    token = ok(api.get(path))["next_page_token"]
    # a token only works for the list it came from (same filters)
    r = api.get(path, params={"page-token": token, "branch": "feature/none"})
    assert r.status_code == 404 and r.json() == {"message": "Invalid page token."}


# ---------------------------------------------------------------- consistency between endpoints


def test_workflow_listing_summary_and_runs_agree(api):
    for params in ({}, {"all-branches": "true"}, {"reporting-window": "last-30-days"}):
        listing = {w["name"]: w for w in ok(api.get(f"/insights/{API}/workflows", params=params))["items"]}
        for name, item in listing.items():
            summary = ok(api.get(f"/insights/{API}/workflows/{name}/summary", params=params))
            metrics = dict(item["metrics"])
            metrics.pop("total_recoveries")
            assert {k: v for k, v in summary["metrics"].items() if not k.startswith("window_")} == metrics
            assert summary["metrics"]["window_start"] == item["window_start"]
            assert summary["workflow_names"] == ["build", "lint"]
            start = REF - timedelta(days=WINDOWS[params.get("reporting-window", "last-90-days")])
            query = {k: v for k, v in params.items() if k != "reporting-window"}
            items, _ = all_pages(api, f"/insights/{API}/workflows/{name}", **query, **{"start-date": iso(start)})
            durations = [i["duration"] for i in items]
            statuses = Counter(i["status"] for i in items)
            m = item["metrics"]
            assert m["total_runs"] == len(items)
            assert m["successful_runs"] == statuses["success"]
            assert m["failed_runs"] == statuses["failed"] + statuses["error"]
            assert m["success_rate"] == round(statuses["success"] / len(items), 4)
            assert m["total_credits_used"] == sum(i["credits_used"] for i in items)
            assert m["duration_metrics"]["min"] == min(durations)
            assert m["duration_metrics"]["max"] == max(durations)
            assert m["duration_metrics"]["median"] == nearest_rank(durations, 0.5)
            assert m["duration_metrics"]["p95"] == nearest_rank(durations, 0.95)
            assert m["duration_metrics"]["mean"] == round(sum(durations) / len(durations))
            assert item["window_start"] == min(i["created_at"] for i in items)
            assert item["window_end"] == max(i["created_at"] for i in items)


def test_project_page_summary_agrees(api):
    page = ok(api.get(f"/insights/pages/{API}/summary", params={"reporting-window": "last-30-days"}))
    assert page["org_id"] == seed.ACME_ORG_ID and page["project_id"] == seed.ACME_API_PROJECT_ID
    listing = ok(api.get(f"/insights/{API}/workflows",
                         params={"all-branches": "true", "reporting-window": "last-30-days"}))["items"]
    by_name = {w["workflow_name"]: w["metrics"] for w in page["project_workflow_data"]}
    for item in listing:
        assert by_name[item["name"]]["total_runs"] == item["metrics"]["total_runs"]
        assert by_name[item["name"]]["total_credits_used"] == item["metrics"]["total_credits_used"]
        assert by_name[item["name"]]["success_rate"] == item["metrics"]["success_rate"]
        assert by_name[item["name"]]["p95_duration_secs"] == item["metrics"]["duration_metrics"]["p95"]
    project = page["project_data"]["metrics"]
    assert project["total_runs"] == sum(i["metrics"]["total_runs"] for i in listing)
    assert project["total_credits_used"] == sum(i["metrics"]["total_credits_used"] for i in listing)
    successful = sum(i["metrics"]["successful_runs"] for i in listing)
    assert project["success_rate"] == round(successful / project["total_runs"], 4)
    assert project["throughput"] == round(project["total_runs"] / 30, 4)
    for name in ("build", "lint"):
        rows = [b for b in page["project_workflow_branch_data"] if b["workflow_name"] == name]
        assert sum(b["metrics"]["total_runs"] for b in rows) == by_name[name]["total_runs"]
        for row in rows:
            per_branch = ok(api.get(f"/insights/{API}/workflows/{name}/summary",
                                    params={"branch": row["branch"], "reporting-window": "last-30-days"}))
            assert per_branch["metrics"]["total_runs"] == row["metrics"]["total_runs"]
    assert page["all_branches"] == ok(api.get(f"/insights/{API}/branches"))["branches"]
    assert page["all_workflows"] == ["build", "lint"]


def test_org_summary_agrees(api):
    org = ok(api.get("/insights/gh/acme/summary", params={"reporting-window": "last-7-days"}))
    assert org["all_projects"] == ["api", "web"]
    assert [p["project_name"] for p in org["org_project_data"]] == ["api", "web"]
    for row in org["org_project_data"]:
        page = ok(api.get(f"/insights/pages/gh/acme/{row['project_name']}/summary",
                          params={"reporting-window": "last-7-days"}))["project_data"]
        for key in ("total_runs", "total_duration_secs", "total_credits_used", "success_rate"):
            assert row["metrics"][key] == page["metrics"][key]
            assert row["trends"][key] == page["trends"][key]
    total = org["org_data"]["metrics"]
    assert total["total_runs"] == sum(p["metrics"]["total_runs"] for p in org["org_project_data"])
    assert total["total_credits_used"] == sum(p["metrics"]["total_credits_used"] for p in org["org_project_data"])
    by_id = ok(api.get(f"/insights/{seed.ACME_ORG_ID}/summary", params={"reporting-window": "last-7-days"}))
    assert by_id == org
    standalone = ok(api.get(f"/insights/{seed.STANDALONE_ORG_SLUG}/summary"))
    assert standalone["all_projects"] == ["platform"]


def test_jobs_agree_with_runs_and_time_series(api):
    runs_, _ = all_pages(api, f"/insights/{API}/workflows/build")
    jobs = {j["name"]: j for j in ok(api.get(f"/insights/{API}/workflows/build/jobs"))["items"]}
    assert jobs["build"]["metrics"]["total_runs"] == len(runs_)  # every build workflow starts with build
    assert jobs["build"]["metrics"]["failed_runs"] + jobs["test"]["metrics"]["failed_runs"] == \
        sum(1 for r in runs_ if r["status"] == "failed")
    assert jobs["build"]["metrics"]["total_credits_used"] + jobs["test"]["metrics"]["total_credits_used"] == \
        sum(r["credits_used"] for r in runs_)
    series = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs"))["items"]
    for name, job in jobs.items():
        rows = [s for s in series if s["name"] == name]
        m = job["metrics"]
        assert sum(s["metrics"]["total_runs"] for s in rows) == m["total_runs"]
        assert sum(s["metrics"]["failed_runs"] for s in rows) == m["failed_runs"]
        assert sum(s["metrics"]["successful_runs"] for s in rows) == m["successful_runs"]
        assert sum(s["metrics"]["total_credits_used"] for s in rows) == m["total_credits_used"]
        assert min(s["metrics"]["duration_metrics"]["min"] for s in rows) == m["duration_metrics"]["min"]
        assert max(s["metrics"]["duration_metrics"]["max"] for s in rows) == m["duration_metrics"]["max"]
        assert m["success_rate"] == round(m["successful_runs"] / m["total_runs"], 4)


def test_job_name_filter(api):
    assert [j["name"] for j in ok(api.get(f"/insights/{API}/workflows/build/jobs",
                                          params={"job-name": "tes"}))["items"]] == ["test"]
    assert [j["name"] for j in ok(api.get(f"/insights/{API}/workflows/build/jobs",
                                          params={"job-name": "build"}))["items"]] == ["build"]
    assert ok(api.get(f"/insights/{API}/workflows/build/jobs", params={"job-name": "x"}))["items"] == []


def test_time_series_granularity_and_dates(api):
    daily = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs", params={"granularity": "daily"}))
    assert daily == ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs"))  # daily is the default
    assert daily["next_page_token"] is None
    for row in daily["items"]:
        stamp = parse(row["timestamp"])
        assert (stamp.hour, stamp.minute) == (0, 0)
        assert stamp <= parse(row["min_started_at"]) < stamp + timedelta(days=1)
        assert parse(row["max_ended_at"]) >= parse(row["min_started_at"])
        assert row["metrics"]["throughput"] == row["metrics"]["total_runs"]
    hourly = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs", params={"granularity": "hourly"}))
    assert hourly["items"]  # the last day of the history has default-branch runs
    for row in hourly["items"]:
        stamp = parse(row["timestamp"])
        assert stamp.minute == 0 and stamp >= REF - timedelta(hours=48)
        assert stamp <= parse(row["min_started_at"]) < stamp + timedelta(hours=1)
        assert row["metrics"]["throughput"] == 24 * row["metrics"]["total_runs"]
    assert len(hourly["items"]) < len(daily["items"])
    start, end = REF - timedelta(days=10), REF - timedelta(days=5)
    ranged = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs",
                        params={"start-date": iso(start), "end-date": iso(end)}))["items"]
    assert ranged == [r for r in daily["items"] if start <= parse(r["timestamp"]) < end]
    feature = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs",
                         params={"branch": "no-such-branch"}))["items"]
    assert feature == []
    assert api.get(f"/insights/time-series/{API}/workflows/build/jobs",
                   params={"granularity": "weekly"}).status_code == 400


def test_test_metrics(api):
    body = ok(api.get(f"/insights/{API}/workflows/build/test-metrics"))
    newest, _ = all_pages(api, f"/insights/{API}/workflows/build")
    assert [t["workflow_id"] for t in body["test_runs"]] == [r["id"] for r in newest[:10]][::-1]
    assert body["total_test_runs"] == sum(t["test_counts"]["total"] for t in body["test_runs"])
    assert body["average_test_count"] == body["total_test_runs"] // 10
    for run in body["test_runs"]:
        c = run["test_counts"]
        assert c["total"] == c["success"] + c["failure"] + c["error"] + c["skipped"]
        ran = c["total"] - c["skipped"]
        assert run["success_rate"] == (round(c["success"] / ran, 4) if ran else 0.0)
    slowest = [t["p95_duration"] for t in body["slowest_tests"]]
    assert slowest == sorted(slowest, reverse=True) and len(slowest) == len(history.TEST_SUITE)
    flaky = {f["test_name"] for f in ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"]}
    assert {t["test_name"] for t in body["slowest_tests"] if t["flaky"]} == flaky
    everything = ok(api.get(f"/insights/{API}/workflows/build/test-metrics", params={"all-branches": "true"}))
    assert everything["test_runs"][-1]["workflow_id"] == \
        all_pages(api, f"/insights/{API}/workflows/build", **{"all-branches": "true"})[0][0]["id"]
    lint = ok(api.get(f"/insights/{API}/workflows/lint/test-metrics"))
    assert lint["total_test_runs"] == 0 and len(lint["test_runs"]) == 10


# ---------------------------------------------------------------- recorded runs merge in


def test_a_recorded_run_shows_up_everywhere(api):
    emu = api.emu
    before = snapshot(api)
    old_jobs = {j["name"]: j["metrics"] for j in ok(api.get(f"/insights/{API}/workflows/build/jobs"))["items"]}
    rec = record(emu, status="failed", duration=70, credits=20, created=NOW - timedelta(hours=1),
                 jobs=[{"id": str(uuid.uuid4()), "name": "build", "status": "success",
                        "started_at": iso(NOW - timedelta(hours=1)),
                        "stopped_at": iso(NOW - timedelta(minutes=59)), "duration": 60, "credits_used": 10},
                       {"id": str(uuid.uuid4()), "name": "test", "status": "failed",
                        "started_at": iso(NOW - timedelta(minutes=59)),
                        "stopped_at": iso(NOW - timedelta(minutes=58, seconds=50)), "duration": 10,
                        "credits_used": 10}])
    after_runs, _ = all_pages(api, f"/insights/{API}/workflows/build")
    assert after_runs[0] == {"id": rec["workflow_id"], "branch": "main", "duration": 70,
                             "created_at": rec["created_at"], "stopped_at": rec["stopped_at"], "credits_used": 20,
                             "status": "failed", "is_approval": False}
    old_summary = before[f"/insights/{API}/workflows/build/summary"]["metrics"]
    new_summary = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"all-branches": "true"}))["metrics"]
    assert new_summary["total_runs"] == old_summary["total_runs"] + 1
    assert new_summary["failed_runs"] == old_summary["failed_runs"] + 1
    assert new_summary["total_credits_used"] == old_summary["total_credits_used"] + 20
    assert new_summary["window_end"] == rec["created_at"]
    for window in WINDOWS:  # "now" is in every window
        listing = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"reporting-window": window}))
        assert listing["metrics"]["window_end"] == rec["created_at"]
    page = ok(api.get(f"/insights/pages/{API}/summary"))["project_data"]["metrics"]
    assert page["total_runs"] == before[f"/insights/pages/{API}/summary"]["project_data"]["metrics"]["total_runs"] + 1
    org = ok(api.get("/insights/gh/acme/summary"))["org_data"]["metrics"]
    assert org["total_runs"] == before["org"]["org_data"]["metrics"]["total_runs"] + 1
    jobs = {j["name"]: j["metrics"] for j in ok(api.get(f"/insights/{API}/workflows/build/jobs"))["items"]}
    assert jobs["build"]["total_runs"] == old_jobs["build"]["total_runs"] + 1
    assert jobs["build"]["successful_runs"] == old_jobs["build"]["successful_runs"] + 1
    assert jobs["test"]["failed_runs"] == old_jobs["test"]["failed_runs"] + 1
    hourly = ok(api.get(f"/insights/time-series/{API}/workflows/build/jobs", params={"granularity": "hourly"}))
    last = [r for r in hourly["items"] if r["timestamp"] == iso(NOW - timedelta(hours=1))]
    assert {r["name"] for r in last} == {"build", "test"}
    # the other project and a reset are untouched / cleared
    assert ok(api.get(f"/insights/{WEB}/workflows/build/summary", params={"all-branches": "true"})) == \
        before[f"/insights/{WEB}/workflows/build/summary"]
    api.admin("POST", "/reset")
    assert snapshot(api) == before


def test_recorded_runs_give_exact_numbers(api):
    """Runs on a branch of their own: every metric can be worked out by hand."""
    emu = api.emu
    t0 = REF + timedelta(hours=1)
    record(emu, branch="exact", status="failed", duration=10, credits=5, created=t0)
    record(emu, branch="exact", status="failed", duration=20, credits=5, created=t0 + timedelta(seconds=100))
    record(emu, branch="exact", status="success", duration=30, credits=5, created=t0 + timedelta(seconds=400))
    record(emu, branch="exact", status="success", duration=40, credits=5, created=t0 + timedelta(seconds=900))
    record(emu, branch="exact", status="not_run", duration=0, credits=0, created=t0 + timedelta(seconds=950))
    summary = ok(api.get(f"/insights/{API}/workflows/build/summary", params={"branch": "exact"}))["metrics"]
    assert summary == {
        "total_runs": 4, "successful_runs": 2, "failed_runs": 2, "success_rate": 0.5, "completed_runs": 4,
        # first failure stopped at t0+10, the next success stopped at t0+430
        "mttr": 420, "total_credits_used": 20,
        "duration_metrics": {"min": 10, "mean": 25, "median": 20, "p95": 40, "max": 40,
                             "standard_deviation": round(math.sqrt(125), 2)},
        "throughput": round(4 / 90, 4), "window_start": iso(t0), "window_end": iso(t0 + timedelta(seconds=900)),
    }
    listing = ok(api.get(f"/insights/{API}/workflows", params={"branch": "exact"}))["items"]
    assert [w["name"] for w in listing] == ["build"] and listing[0]["metrics"]["total_recoveries"] == 1
    week = ok(api.get(f"/insights/{API}/workflows/build/summary",
                      params={"branch": "exact", "reporting-window": "last-7-days"}))
    assert week["trends"]["total_runs"] == 0.0  # nothing on this branch the week before


def test_a_recorded_rerun_makes_a_flaky_test(api):
    emu = api.emu
    pipeline = str(uuid.uuid4())
    record(emu, status="failed", pipeline_id=pipeline, created=REF + timedelta(hours=1),
           tests=[a_test("test_recorded_flake", "failure", job_number=5001), a_test("test_steady", "success")])
    assert "test_recorded_flake" not in {f["test_name"] for f in
                                         ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"]}
    record(emu, status="success", pipeline_id=pipeline, created=REF + timedelta(hours=2),
           tests=[a_test("test_recorded_flake", "success", job_number=5002), a_test("test_steady", "success")])
    # a failure on another pipeline (another commit) is no flake
    record(emu, status="failed", created=REF + timedelta(hours=3),
           tests=[a_test("test_steady", "failure", job_number=5003)])
    found = {f["test_name"]: f for f in ok(api.get(f"/insights/{API}/flaky-tests"))["flaky_tests"]}
    assert "test_steady" not in found
    flake = found["test_recorded_flake"]
    assert flake["times_flaked"] == 1 and flake["job_number"] == 5001 and flake["pipeline_number"] == 900
    assert flake["classname"] == "tests.recorded" and flake["file"] == "tests/recorded.py"
    metrics = ok(api.get(f"/insights/{API}/workflows/build/test-metrics"))
    mine = {t["test_name"]: t for t in metrics["most_failed_tests"]}
    assert mine["test_recorded_flake"]["flaky"] is True and mine["test_steady"]["flaky"] is False
    assert metrics["test_runs"][-1]["test_counts"] == {"error": 0, "failure": 1, "skipped": 0, "success": 0,
                                                       "total": 1}


def test_a_pipeline_run_in_the_emulator_is_counted(api, monkeypatch):
    """Through the pipeline engine: trigger, then read only insights (which records finished workflows)."""
    monkeypatch.undo()  # the engine stamps real times
    summary = f"/insights/{API}/workflows/build/summary"
    before = ok(api.get(summary))["metrics"]
    r = api.post(f"/project/{API}/pipeline",
                 json={"branch": "main", "parameters": {"emulator_outcome": "failed", "emulator_job_seconds": "0.1"}})
    assert r.status_code == 201, r.text
    deadline = time.monotonic() + 30
    while (after := ok(api.get(summary))["metrics"])["total_runs"] == before["total_runs"]:
        assert time.monotonic() < deadline, "the finished workflow never reached insights"
        time.sleep(0.2)
    assert after["total_runs"] == before["total_runs"] + 1
    assert after["failed_runs"] == before["failed_runs"] + 1
    newest = ok(api.get(f"/insights/{API}/workflows/build"))["items"][0]
    assert newest["status"] == "failed" and newest["branch"] == "main"
    assert ok(api.get(f"/insights/{API}/workflows/build/test-metrics"))["test_runs"][-1]["workflow_id"] == newest["id"]


# ---------------------------------------------------------------- object-typed query parameters


def test_page_summary_filters(lax):
    api = client(lax)
    full = ok(api.get(f"/insights/pages/{API}/summary"))
    only = ok(api.get(f"/insights/pages/{API}/summary", params={"workflow-names": "lint", "branches": ["main"]}))
    assert [w["workflow_name"] for w in only["project_workflow_data"]] == ["lint"]
    assert {(b["workflow_name"], b["branch"]) for b in only["project_workflow_branch_data"]} == {("lint", "main")}
    assert only["project_data"] == full["project_data"]  # project-level metrics are not filtered
    assert only["all_branches"] == full["all_branches"] and only["all_workflows"] == ["build", "lint"]
    two = ok(api.get(f"/insights/pages/{API}/summary", params={"branches": full["all_branches"][:2]}))
    assert {b["branch"] for b in two["project_workflow_branch_data"]} == set(full["all_branches"][:2])


def test_org_summary_project_names(lax):
    api = client(lax)
    full = ok(api.get("/insights/gh/acme/summary"))
    only = ok(api.get("/insights/gh/acme/summary", params={"project-names": "web"}))
    assert [p["project_name"] for p in only["org_project_data"]] == ["web"]
    assert only["org_project_data"][0] == full["org_project_data"][1]
    assert only["org_data"] == full["org_data"] and only["all_projects"] == ["api", "web"]
    both = ok(api.get("/insights/gh/acme/summary", params={"project-names": ["api", "web"]}))
    assert both == full
