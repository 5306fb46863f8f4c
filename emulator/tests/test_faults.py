import threading
import time

import pytest
import requests


def statuses(api, n):
    out = []
    for _ in range(n):
        out.append(api.get("/me").status_code)
    return out


def test_defaults(api):
    assert api.admin("GET", "/faults").json() == {
        "latency_ms": 0, "rate_429": 0.0, "retry_after": 1, "rate_500": 0.0,
        "error_status": 500, "rate_drop": 0.0, "seed": 0, "queue": [], "pipeline_step_seconds": 0.5,
        "error_after": 0.0, "rate_limit_for": 0, "error_retry_after": None,
    }


def test_429_before_processing(api):
    api.faults(rate_429=1, retry_after=7)
    r = api.post("/context", json={"name": "x", "owner": {"slug": "gh/acme"}})
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "7"
    assert r.json() == {"message": "Rate limit exceeded."}
    assert api.state()["contexts"] == []
    (entry,) = api.log()
    assert entry["fault"] == "429" and entry["status"] == 429


def test_retry_after_may_be_a_fraction_of_a_second(api):
    api.faults(rate_429=1, retry_after=0.2)
    r = api.get("/me")
    assert r.status_code == 429 and r.headers["Retry-After"] == "0.2"


def test_rate_limit_for_refuses_everything_with_the_remaining_wait(api):
    api.faults(rate_limit_for=2)
    first = api.get("/me")
    assert first.status_code == 429 and first.headers["Retry-After"] == "2"
    assert api.post("/context", json={"name": "x", "owner": {"slug": "gh/acme"}}).status_code == 429
    assert api.state()["contexts"] == []
    left = api.admin("GET", "/faults").json()["rate_limit_for"]
    assert 0 < left <= 2
    time.sleep(1.1)
    assert api.get("/me").headers["Retry-After"] == "1"  # rounded up: never 0 while limited
    time.sleep(left - 1.0)
    assert api.get("/me").status_code == 200
    assert api.admin("GET", "/faults").json()["rate_limit_for"] == 0
    entries = api.log()
    assert [e["status"] for e in entries] == [429, 429, 429, 200]
    assert all(e["fault"] == "429" for e in entries[:3]) and "fault" not in entries[3]


def test_rate_limit_for_does_not_move_the_seeded_sequence(api):
    api.faults(rate_429=0.5, seed=3)
    plain = statuses(api, 8)
    api.faults(seed=3, rate_limit_for=0.3)
    assert statuses(api, 2) == [429, 429]
    time.sleep(0.35)
    assert statuses(api, 8) == plain


@pytest.mark.parametrize("key, value", [("rate_limit_for", -1), ("rate_limit_for", "5"), ("retry_after", True),
                                        ("retry_after", 90000)])
def test_bad_rate_limit_settings_are_refused(api, key, value):
    r = api.admin("PUT", "/faults", json={key: value})
    assert r.status_code == 400 and key in r.json()["message"]


def test_500_before_processing(api):
    api.faults(rate_500=1)
    r = api.post("/context", json={"name": "x", "owner": {"slug": "gh/acme"}})
    assert r.status_code == 500
    assert r.json() == {"message": "Internal server error."}
    assert api.state()["contexts"] == []
    assert api.log()[0]["fault"] == "500"


def test_error_retry_after_adds_the_header_to_injected_5xx(api):
    api.faults(rate_500=1, error_retry_after=0.2)
    r = api.get("/me")
    assert r.status_code == 500 and r.headers["Retry-After"] == "0.2"
    api.faults(error_retry_after=None)
    assert "Retry-After" not in api.get("/me").headers


def test_503_is_html(api):
    api.faults(rate_500=1, error_status=503)
    r = api.get("/me")
    assert r.status_code == 503
    assert r.headers["Content-Type"].startswith("text/html")


def test_drop_processes_then_closes(api):
    api.faults(rate_drop=1)
    with pytest.raises(requests.ConnectionError):
        api.post("/context", json={"name": "lost", "owner": {"slug": "gh/acme"}})
    assert [c["name"] for c in api.state()["contexts"]] == ["lost"]
    (entry,) = api.log()
    assert entry["fault"] == "drop" and entry["status"] == 200
    api.faults(rate_drop=0)
    for _ in range(3):  # the server (and the session's pool) survive
        assert api.get("/me").status_code == 200
    r = api.post("/context", json={"name": "lost", "owner": {"slug": "gh/acme"}})
    assert r.status_code == 409  # a blind retry of the lost POST meets the duplicate


def test_drop_many_times_server_survives(api):
    api.faults(rate_drop=1)
    for i in range(20):
        with pytest.raises(requests.ConnectionError):
            api.put(f"/context/{api.emu.store.new_id()}/environment-variable/X", json={"value": "v"})
    api.faults(rate_drop=0)
    assert api.get("/me").status_code == 200


def test_latency(api):
    api.faults(latency_ms=300)
    started = time.monotonic()
    assert api.get("/me").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert api.admin("GET", "/health").status_code == 200  # admin is never delayed... quickly
    api.faults(latency_ms=0)
    started = time.monotonic()
    api.get("/me")
    assert time.monotonic() - started < 0.3


def test_rates_are_deterministic_by_seed(api):
    api.faults(rate_429=0.3, rate_500=0.2, seed=42)
    first = statuses(api, 40)
    api.faults(seed=42)
    second = statuses(api, 40)
    assert first == second
    assert {200, 429, 500} == set(first)
    api.faults(seed=7)
    assert statuses(api, 40) != first


def test_queue(api):
    api.faults(queue=["429", "503", "drop"])
    assert api.get("/me").status_code == 429
    assert api.get("/me").status_code == 503
    with pytest.raises(requests.ConnectionError):
        api.get("/me")
    assert api.get("/me").status_code == 200
    assert [e.get("fault") for e in api.log()] == ["429", "503", "drop", None]


def test_queue_none_serves_a_request_so_that_a_fault_hits_the_next_one(api):
    api.faults(queue=["none", "drop"], rate_429=1)  # the queue comes before the rates
    assert api.get("/me").status_code == 200
    with pytest.raises(requests.ConnectionError):
        api.post("/context", json={"name": "aimed", "owner": {"slug": "gh/acme"}})
    assert [(e["method"], e.get("fault")) for e in api.log()] == [("GET", None), ("POST", "drop")]
    assert api.get("/me").status_code == 429


def test_admin_is_never_faulted_nor_logged(api):
    api.faults(rate_429=1, latency_ms=500)
    started = time.monotonic()
    for _ in range(3):
        assert api.admin("GET", "/state").status_code == 200
    assert time.monotonic() - started < 0.5
    assert api.log() == []


@pytest.mark.parametrize("bad", [
    {"rate_429": 1.5}, {"rate_500": -0.1}, {"latency_ms": "slow"}, {"nope": 1},
    {"rate_429": 0.6, "rate_500": 0.6}, {"queue": ["404"]}, {"error_status": 404},
])
def test_invalid_fault_settings(api, bad):
    r = api.admin("PUT", "/faults", json=bad)
    assert r.status_code == 400
    assert api.admin("GET", "/faults").json()["rate_429"] == 0


def test_partial_update_keeps_others(api):
    api.faults(rate_429=0.5, retry_after=3)
    assert api.faults(rate_500=0.1) | {} == api.admin("GET", "/faults").json()
    config = api.admin("GET", "/faults").json()
    assert (config["rate_429"], config["retry_after"], config["rate_500"]) == (0.5, 3, 0.1)


def test_reset_clears_faults(api):
    api.faults(rate_429=1)
    api.admin("POST", "/reset")
    assert api.get("/me").status_code == 200


def test_concurrent_clients_under_faults(api):
    api.faults(rate_429=0.2, rate_500=0.1, seed=1)
    results = []

    def worker():
        session = requests.Session()
        for _ in range(25):
            results.append(session.get(api.emu.url + "/me", headers={"Circle-Token": "emulator-token"}).status_code)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and set(results) <= {200, 429, 500}
    assert len(api.log()) == 200


def test_every_setting_has_its_check():
    from circleci_emulator.faults import CHECKS, DEFAULTS

    assert set(CHECKS) == set(DEFAULTS)
