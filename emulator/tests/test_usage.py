"""Usage exports: create, completion with download URLs (gzip CSV), validation, 10 creates per hour per org."""

import csv
import gzip
import io
from datetime import datetime, timedelta, timezone

import pytest
import requests

from circleci_emulator import seed
from circleci_emulator.api.usage import COLUMNS
from pipeline_helpers import STEP, fast, fresh, ok, trigger, wait_for, wait_status, workflow
from test_project_envvars import foreign_seed

ORG = seed.ACME_ORG_ID
BASE = f"/organizations/{ORG}/usage_export_job"


@pytest.fixture(autouse=True)
def _fresh(api):
    fresh(api)


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def window(days_back: float = 1, length: float = 2) -> dict:
    start = datetime.now(timezone.utc) - timedelta(days=days_back)
    return {"start": stamp(start), "end": stamp(start + timedelta(days=length))}


def create(api, status=201, org=ORG, **body):
    r = api.post(f"/organizations/{org}/usage_export_job", json=body or window())
    assert r.status_code == status, r.text
    return r.json()


def csv_rows(url: str) -> list:
    r = requests.get(url, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/gzip"
    text = gzip.decompress(r.content).decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def test_create_then_completed(api):
    body = window()
    job = create(api, **body)
    assert set(job) == {"usage_export_job_id", "state", "start", "end", "download_urls"}
    assert job["state"] == "created" and job["download_urls"] == []
    assert job["start"] == body["start"] and job["end"] == body["end"]
    path = f"{BASE}/{job['usage_export_job_id']}"
    seen = set()

    def fetch():
        got = ok(api.get(path))
        seen.add(got["state"])
        return got

    done = wait_for(fetch, lambda j: j["state"] == "completed", timeout=3, interval=STEP / 5)
    assert set(done) == {"usage_export_job_id", "state", "download_urls"}  # the GET schema has no start/end
    assert seen <= {"created", "processing", "completed"} and "completed" in seen
    assert len(done["download_urls"]) == 2
    assert all(u.startswith(api.emu.base + "/_emulator/usage/") and u.endswith(".csv.gz")
               for u in done["download_urls"])
    assert [csv_rows(u) for u in done["download_urls"]] == [[], []]  # nothing has run: headers only


def test_export_lists_recorded_job_runs(api):
    p = trigger(api, emulator_outcome="failed")
    for name in ("build", "lint"):
        wait_status(api, workflow(api, p["id"], name)["id"], "failed", "success")
    job = create(api)
    done = wait_for(lambda: ok(api.get(f"{BASE}/{job['usage_export_job_id']}")), lambda j: j["state"] == "completed")
    rows = [row for url in done["download_urls"] for row in csv_rows(url)]
    assert sorted((r["workflow_name"], r["job_name"], r["job_build_status"]) for r in rows) == [
        ("build", "build", "success"), ("build", "test", "failed"), ("lint", "lint", "success")]
    assert all(r["organization_id"] == ORG and r["project_name"] == "api" and r["pipeline_id"] == p["id"]
               for r in rows)
    assert all(r["total_credits"] == "10" for r in rows)
    # a window before the runs lists none of them
    old = create(api, **window(days_back=30, length=5))
    done = wait_for(lambda: ok(api.get(f"{BASE}/{old['usage_export_job_id']}")), lambda j: j["state"] == "completed")
    assert [row for url in done["download_urls"] for row in csv_rows(url)] == []


def test_files_not_ready_or_unknown_404(api):
    fast(api, 30)
    job = create(api)
    name = f"usage-{job['usage_export_job_id'][:8]}-1.csv.gz"
    assert requests.get(f"{api.emu.base}/_emulator/usage/{job['usage_export_job_id']}/{name}",
                        timeout=10).status_code == 404
    assert ok(api.get(f"{BASE}/{job['usage_export_job_id']}"))["download_urls"] == []
    assert requests.get(f"{api.emu.base}/_emulator/usage/nope/x.csv.gz", timeout=10).status_code == 404


@pytest.mark.parametrize("days_back,length,word", [
    (2, -1, "after start"),
    (2, 0, "after start"),
    (40, 32, "31 days"),
    (400, 1, "one year"),
])
def test_validation(api, days_back, length, word):
    r = api.post(BASE, json=window(days_back=days_back, length=length))
    assert r.status_code == 400 and word in r.json()["message"]
    assert api.state()["usage_exports"] == []


def test_window_boundaries_pass(api):
    create(api, **window(days_back=364, length=31))


def test_spec_validation(api):
    r = api.post(BASE, json={"start": "2026-01-01T00:00:00Z"})
    assert r.status_code == 400 and api.log()[-1]["violation"]
    r = api.post(BASE, json=dict(window(), extra=1))
    assert r.status_code == 400 and api.log()[-1]["violation"]


def test_unknown_and_foreign_org(api):
    assert create(api, status=404, org="b0000000-0000-4000-8000-00000000ffff") == {"message": "Organization not found"}
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    assert create(api, status=404, org="b0000000-0000-4000-8000-000000000001")
    job = create(api)
    assert api.get(f"/organizations/{seed.STANDALONE_ORG_ID}/usage_export_job/{job['usage_export_job_id']}") \
        .status_code == 404
    r = api.get(f"{BASE}/5e4b1f84-0000-4000-8000-000000000000")
    assert r.status_code == 404 and r.json() == {"message": "Usage export not found"}


def test_shared_org_ids(api):
    job = create(api, **dict(window(), shared_org_ids=[seed.STANDALONE_ORG_ID]))
    assert job["state"] == "created"
    r = api.post(BASE, json=dict(window(), shared_org_ids=["nope"]))
    assert r.status_code == 400


def test_ten_creates_per_hour_per_org(api):
    for _ in range(10):
        create(api)
    r = api.post(BASE, json=window())
    assert r.status_code == 429 and r.json() == {"message": "Rate limit exceeded."}
    assert 3500 <= int(r.headers["Retry-After"]) <= 3600
    assert len(api.state()["usage_exports"]) == 10
    create(api, org=seed.STANDALONE_ORG_ID)  # per org
    # the GET endpoint is not limited here (see the README)
    exports = api.state()["usage_exports"]
    for _ in range(3):
        ok(api.get(f"{BASE}/{exports[0]['id']}"))
    # a reset clears the count
    fresh(api)
    create(api)


def test_rejected_requests_count_too(api):
    for _ in range(10):
        assert api.post(BASE, json=window(days_back=2, length=-1)).status_code == 400
    assert api.post(BASE, json=window()).status_code == 429
