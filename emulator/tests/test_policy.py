"""Config policies: bundle, decision settings, decisions and logs, over real HTTP."""

import hashlib

import pytest

from circleci_emulator import Emulator, seed

ORG = seed.ACME_ORG_ID
OTHER_ORG = "b0000000-0000-4000-8000-000000000003"
MISSING = "d0000000-0000-4000-8000-00000000dead"
PROJECT = "a0000000-0000-4000-8000-000000000101"
BASE = f"/owner/{ORG}/context/config"

PASSING = 'package org\n\npolicy_name["passing"]\n\nenable_rule["branch_is_main"]\n'
HARD = 'package org\n\npolicy_name["hard"]\n\nenable_rule["no_docker"]\nhard_fail["no_docker"]\n'
SOFT = 'package org\nimport rego.v1\npolicy_name contains "soft"\nsoft_fail contains "use_orbs"\n'


def foreign_org_seed() -> dict:
    data = seed.default_seed()
    data["orgs"].append({"id": OTHER_ORG, "vcs_type": "github", "name": "other", "projects": []})
    data["users"][0]["orgs"] = ["gh/acme", seed.STANDALONE_ORG_ID]
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=foreign_org_seed()) as emulator:
        yield emulator


def push(api, policies, dry=False):
    return api.post(BASE + "/policy-bundle", json={"policies": policies}, params={"dry": "true"} if dry else None)


def enable(api, enabled=True):
    r = api.request("PATCH", BASE + "/decision/settings", json={"enabled": enabled})
    assert r.status_code == 200, r.text
    return r.json()


def decide(api, metadata=None):
    body = {"input": "version: 2.1\njobs: {}\n"}
    if metadata is not None:
        body["metadata"] = metadata
    r = api.post(BASE + "/decision", json=body)
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------- bundle


def test_empty_bundle(api):
    r = api.get(BASE + "/policy-bundle")
    assert r.status_code == 200 and r.json() == {}


def test_push_replaces_the_bundle_and_answers_201_diff(api):
    r = push(api, {"passing.rego": PASSING, "hard.rego": HARD})
    assert r.status_code == 201
    assert r.json() == {"created": ["hard", "passing"], "deleted": [], "modified": []}
    bundle = api.get(BASE + "/policy-bundle").json()
    assert sorted(bundle) == ["hard", "passing"]  # named by the policy_name rule
    assert set(bundle["hard"]) == {"name", "content", "created_at", "created_by"}
    assert bundle["hard"]["content"] == HARD and bundle["hard"]["created_by"] == seed.USER_ID

    r = push(api, {"passing": PASSING.replace("branch_is_main", "other_rule"), "soft": SOFT})
    assert r.status_code == 201
    assert r.json() == {"created": ["soft"], "deleted": ["hard"], "modified": ["passing"]}
    after = api.get(BASE + "/policy-bundle").json()
    assert sorted(after) == ["passing", "soft"]
    assert after["passing"]["created_at"] > bundle["passing"]["created_at"]


def test_unchanged_policies_keep_created_at(api):
    push(api, {"a": PASSING})
    before = api.get(BASE + "/policy-bundle/passing").json()
    r = push(api, {"a": PASSING})
    assert r.json() == {"created": [], "deleted": [], "modified": []}
    assert api.get(BASE + "/policy-bundle/passing").json() == before


def test_dry_run_changes_nothing_and_answers_200(api):
    push(api, {"p": PASSING, "h": HARD})
    before = api.state()["policies"]
    r = push(api, {"h": HARD.replace("no_docker", "x"), "s": SOFT}, dry=True)
    assert r.status_code == 200
    assert r.json() == {"created": ["soft"], "deleted": ["passing"], "modified": ["hard"]}
    assert api.state()["policies"] == before


def test_name_falls_back_to_the_key(api):
    push(api, {"plain": "package org\n\nallow := true\n"})
    assert api.get(BASE + "/policy-bundle/plain").json()["name"] == "plain"


@pytest.mark.parametrize("policies", [
    {"a": "package foo\npolicy_name[\"a\"]\n"},         # not package org
    {"a": PASSING, "b": PASSING},                      # the same policy_name twice
    {"a": 42},                                         # not a string (strict: spec violation)
])
def test_bad_bundle_is_400(api, policies):
    push(api, {"p": PASSING})
    before = api.state()["policies"]
    r = push(api, policies)
    assert r.status_code == 400 and set(r.json()) == {"error"}
    assert api.state()["policies"] == before


def test_bundle_too_large_is_413(api):
    big = PASSING + "#" * (2_621_440 + 1)
    r = push(api, {"big": big})
    assert r.status_code == 413
    assert r.json() == {"error": "http: request payload too large"}
    assert api.get(BASE + "/policy-bundle").json() == {}
    assert push(api, {"ok": PASSING + "#" * 2_000_000}).status_code == 201


def test_get_policy_document(api):
    push(api, {"h": HARD})
    r = api.get(BASE + "/policy-bundle/hard")
    assert r.status_code == 200 and r.json()["content"] == HARD
    r = api.get(BASE + "/policy-bundle/nope")
    assert r.status_code == 404 and r.json() == {"error": "policy not found"}


# ---------------------------------------------------------------- owner and context checks


@pytest.mark.parametrize("path", ["/policy-bundle", "/policy-bundle/x", "/decision", "/decision/settings",
                                  f"/decision/{MISSING}", f"/decision/{MISSING}/policy-bundle"])
def test_other_contexts_are_400(api, path):
    r = api.get(f"/owner/{ORG}/context/plan" + path)
    assert r.status_code == 400
    assert r.json() == {"error": "context: must be a valid value."}


def test_other_context_writes_are_400(api):
    base = f"/owner/{ORG}/context/deploy"
    for r in (api.post(base + "/policy-bundle", json={"policies": {}}),
              api.post(base + "/decision", json={"input": "x"}),
              api.request("PATCH", base + "/decision/settings", json={"enabled": True})):
        assert r.status_code == 400 and set(r.json()) == {"error"}
    assert api.state()["policies"] == []


@pytest.mark.parametrize("owner", [OTHER_ORG, MISSING])
def test_foreign_or_unknown_owner_is_403(api, owner):
    base = f"/owner/{owner}/context/config"
    for r in (api.get(base + "/policy-bundle"), api.post(base + "/policy-bundle", json={"policies": {}}),
              api.get(base + "/decision/settings"), api.post(base + "/decision", json={"input": "x"}),
              api.get(base + "/decision")):
        assert r.status_code == 403
        assert r.json() == {"error": "Forbidden"}
    assert api.state()["policies"] == []


def test_non_uuid_owner_is_400(api):
    r = api.get("/owner/gh-acme/context/config/policy-bundle")
    assert r.status_code == 400 and r.json() == {"error": "OwnerID: must be a valid UUID."}


def test_bad_token_is_401_error_body(api):
    api.session.headers["Circle-Token"] = "nope"
    r = api.get(BASE + "/policy-bundle")
    assert r.status_code == 401 and set(r.json()) == {"error"}


# ---------------------------------------------------------------- settings


def test_settings_default_disabled_and_patch(api):
    r = api.get(BASE + "/decision/settings")
    assert r.status_code == 200 and r.json() == {"enabled": False}
    assert enable(api) == {"enabled": True}
    assert api.get(BASE + "/decision/settings").json() == {"enabled": True}
    assert enable(api, False) == {"enabled": False}
    r = api.request("PATCH", BASE + "/decision/settings", json={})
    assert r.status_code == 200 and r.json() == {"enabled": False}


def test_settings_non_boolean_is_400(api):
    r = api.request("PATCH", BASE + "/decision/settings", json={"enabled": "yes"})
    assert r.status_code == 400 and set(r.json()) == {"error"}


# ---------------------------------------------------------------- decisions


def test_disabled_decisions_answer_not_enabled(api):
    push(api, {"h": HARD})
    assert decide(api) == {"status": "NOT_ENABLED"}


def test_pass(api):
    push(api, {"p": PASSING})
    enable(api)
    assert decide(api) == {"status": "PASS", "enabled_rules": ["branch_is_main"]}


def test_no_policies_pass(api):
    enable(api)
    assert decide(api) == {"status": "PASS"}


def test_soft_fail(api):
    push(api, {"p": PASSING, "s": SOFT})
    enable(api)
    assert decide(api) == {"status": "SOFT_FAIL", "enabled_rules": ["branch_is_main", "use_orbs"],
                           "soft_failures": [{"rule": "use_orbs", "reason": "use_orbs failed"}]}


def test_hard_fail_wins(api):
    push(api, {"p": PASSING, "s": SOFT, "h": HARD})
    enable(api)
    decision = decide(api)
    assert decision["status"] == "HARD_FAIL"
    assert decision["hard_failures"] == [{"rule": "no_docker", "reason": "no_docker failed"}]
    assert decision["soft_failures"] == [{"rule": "use_orbs", "reason": "use_orbs failed"}]
    assert decision["enabled_rules"] == ["branch_is_main", "no_docker", "use_orbs"]


def test_decision_needs_input(api):
    for body in ({}, {"input": 3}, {"metadata": {}}):
        r = api.post(BASE + "/decision", json=body)
        assert r.status_code == 400 and set(r.json()) == {"error"}
    assert api.state()["policies"] == []


def test_decision_bad_metadata_is_400(api):
    r = api.post(BASE + "/decision", json={"input": "x", "metadata": {"project_id": "not-a-uuid"}})
    assert r.status_code == 400 and set(r.json()) == {"error"}


# ---------------------------------------------------------------- decision logs


def test_each_decision_is_logged(api):
    push(api, {"h": HARD})
    decide(api)  # NOT_ENABLED is logged too
    enable(api)
    decide(api, {"project_id": PROJECT, "build_number": 7, "vcs": {"branch": "main"}})
    r = api.get(BASE + "/decision")
    assert r.status_code == 200
    logs = r.json()
    assert [log["decision"]["status"] for log in logs] == ["HARD_FAIL", "NOT_ENABLED"]  # newest first
    newest = logs[0]
    assert set(newest) == {"id", "created_at", "decision", "metadata", "policies", "time_taken_ms"}
    assert newest["metadata"] == {"project_id": PROJECT, "build_number": 7, "vcs": {"branch": "main"}}
    assert newest["policies"] == {"hard": hashlib.sha512(HARD.encode()).hexdigest()}
    assert api.get(BASE + f"/decision/{newest['id']}").json() == newest


def test_log_filters(api):
    push(api, {"p": PASSING})
    enable(api)
    decide(api, {"vcs": {"branch": "main"}, "project_id": PROJECT, "build_number": 1})
    middle = api.get(BASE + "/decision").json()[0]
    push(api, {"h": HARD})
    decide(api, {"vcs": {"branch": "dev"}})
    decide(api, {"branch": "main"})
    logs = api.get(BASE + "/decision").json()
    assert len(logs) == 3

    def ids(**params):
        r = api.get(BASE + "/decision", params=params)
        assert r.status_code == 200, r.text
        return [log["id"] for log in r.json()]

    assert ids(status="PASS") == [middle["id"]]
    assert ids(status="HARD_FAIL") == [logs[0]["id"], logs[1]["id"]]
    assert ids(branch="main") == [logs[0]["id"], logs[2]["id"]]
    assert ids(project_id=PROJECT) == [middle["id"]]
    assert ids(build_number="1") == [middle["id"]]
    assert ids(after=middle["created_at"]) == [logs[0]["id"], logs[1]["id"]]
    assert ids(before=logs[1]["created_at"]) == [middle["id"]]
    assert ids(offset=1) == [logs[1]["id"], logs[2]["id"]]
    assert ids(offset=3) == []


def test_log_offset_paging(api, emu):
    enable(api)
    for _ in range(emu.runtime.page_size + 3):
        decide(api)
    first = api.get(BASE + "/decision").json()
    second = api.get(BASE + "/decision", params={"offset": len(first)}).json()
    assert len(first) == emu.runtime.page_size and len(second) == 3
    assert not {log["id"] for log in first} & {log["id"] for log in second}


def test_missing_decision_is_404(api):
    for path in (f"/decision/{MISSING}", f"/decision/{MISSING}/policy-bundle", "/decision/nope"):
        r = api.get(BASE + path)
        assert r.status_code == 404 and r.json() == {"error": "decision log not found"}


def test_decision_policy_bundle_is_the_bundle_at_decision_time(api):
    push(api, {"h": HARD})
    enable(api)
    decide(api)
    decision_id = api.get(BASE + "/decision").json()[0]["id"]
    then = api.get(BASE + "/policy-bundle").json()
    push(api, {"p": PASSING})
    r = api.get(BASE + f"/decision/{decision_id}/policy-bundle")
    assert r.status_code == 200 and r.json() == then
    assert api.get(BASE + "/policy-bundle").json() != then


# ---------------------------------------------------------------- admin state, reset


def test_state_dump_and_reset(api):
    push(api, {"h": HARD})
    enable(api)
    decide(api)
    (state,) = api.state()["policies"]
    assert state["owner_id"] == ORG and state["context"] == "config"
    assert state["decision_settings"] == {"enabled": True}
    assert list(state["bundle"]) == ["hard"] and state["bundle"]["hard"]["content"] == HARD
    assert [d["decision"]["status"] for d in state["decisions"]] == ["HARD_FAIL"]
    api.admin("POST", "/reset")
    assert api.state()["policies"] == []
    assert api.get(BASE + "/decision/settings").json() == {"enabled": False}


def test_reads_do_not_create_state(api):
    api.get(BASE + "/policy-bundle")
    api.get(BASE + "/decision")
    api.get(BASE + "/decision/settings")
    assert api.state()["policies"] == []
