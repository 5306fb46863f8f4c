"""Where an injected fault strikes (before or after the request is processed), and what the
request log says about it: ``fault``, ``fault_stage`` and ``handler_status``."""

import pytest
import requests

CONTEXT = {"name": "x", "owner": {"slug": "gh/acme", "type": "organization"}}


def test_429_and_plain_500_are_refusals(api):
    api.faults(queue=["429", "500"])
    assert api.post("/context", json=CONTEXT).status_code == 429
    assert api.post("/context", json=CONTEXT).status_code == 500
    assert api.state()["contexts"] == []
    assert [(e["fault"], e["fault_stage"], "handler_status" in e) for e in api.log()] == [
        ("429", "before", False), ("500", "before", False)]


def test_500_after_processing_writes_then_answers_500(api):
    api.faults(queue=["500+after"])
    r = api.post("/context", json=CONTEXT)
    assert r.status_code == 500 and r.json() == {"message": "Internal server error."}
    assert [c["name"] for c in api.state()["contexts"]] == ["x"]
    (entry,) = api.log()
    assert (entry["fault"], entry["fault_stage"], entry["handler_status"], entry["status"]) == ("500", "after", 200, 500)


def test_a_drop_is_after_processing(api):
    api.faults(queue=["drop"])
    with pytest.raises(requests.ConnectionError):
        api.post("/context", json=CONTEXT)
    (entry,) = api.log()
    assert (entry["fault"], entry["fault_stage"], entry["handler_status"]) == ("drop", "after", 200)
    assert [c["name"] for c in api.state()["contexts"]] == ["x"]


def test_error_after_rate_one_processes_every_faulted_request(api):
    api.faults(rate_500=1, error_after=1, error_status=503)
    for name in ("a", "b"):
        assert api.post("/context", json=dict(CONTEXT, name=name)).status_code == 503
    assert sorted(c["name"] for c in api.state()["contexts"]) == ["a", "b"]
    assert {(e["fault_stage"], e["handler_status"]) for e in api.log()} == {("after", 200)}


def test_error_after_splits_the_5xx_by_seed(api):
    def stages():
        api.admin("POST", "/reset")
        api.faults(rate_500=1, error_after=0.5, seed=3)
        for _ in range(40):
            api.get("/me")
        return [e["fault_stage"] for e in api.log()]

    first = stages()
    assert first == stages()  # the seed decides
    assert 5 < first.count("after") < 35 and first.count("after") + first.count("before") == 40


def test_error_after_zero_keeps_the_sequence_of_a_seed(api):
    def faults(**extra):
        api.admin("POST", "/reset")
        api.faults(rate_429=0.3, rate_500=0.2, rate_drop=0.0, seed=11, **extra)
        for _ in range(30):
            api.get("/me")
        return [e.get("fault") for e in api.log()]

    assert faults() == faults(error_after=0)


@pytest.mark.parametrize("bad", [{"error_after": 2}, {"error_after": True}, {"queue": ["500+before"]}, {"queue": ["429+after"]}])
def test_invalid_stage_settings(api, bad):
    assert api.admin("PUT", "/faults", json=bad).status_code == 400
