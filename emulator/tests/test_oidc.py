"""OIDC custom claims: org and project level, over real HTTP (responses validated by conftest)."""

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.api.oidc import format_duration, normalise_ttl

ORG = seed.ACME_ORG_ID
PROJECT = "a0000000-0000-4000-8000-000000000101"  # gh/acme/api
STANDALONE_PROJECT = "c0000000-0000-4000-8000-000000000201"
OTHER_ORG = "b0000000-0000-4000-8000-000000000003"
OTHER_PROJECT = "b0000000-0000-4000-8000-000000000301"
MISSING = "d0000000-0000-4000-8000-00000000dead"

ORG_PATH = f"/org/{ORG}/oidc-custom-claims"
PROJECT_PATH = f"/org/{ORG}/project/{PROJECT}/oidc-custom-claims"


def foreign_org_seed() -> dict:
    data = seed.default_seed()
    data["users"][0]["orgs"] = ["gh/acme", seed.STANDALONE_ORG_ID]
    data["orgs"].append({"id": OTHER_ORG, "vcs_type": "github", "name": "other",
                         "projects": [{"id": OTHER_PROJECT, "name": "svc"}]})
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=foreign_org_seed()) as emulator:
        yield emulator


def patch(api, path, body):
    return api.request("PATCH", path, json=body)


# ---------------------------------------------------------------- ttl normalisation (unit)


@pytest.mark.parametrize("given, expected", [
    ("90m", "1h30m0s"), ("1h", "1h0m0s"), ("30s", "30s"), ("1d", "24h0m0s"), ("1w", "168h0m0s"),
    ("1500ms", "1.5s"), ("500ms", "500ms"), ("0s", "0s"), ("61s", "1m1s"), ("1h1m1s1ms", "1h1m1.001s"),
    ("2h90m", "3h30m0s"), ("1m1ms", "1m0.001s"), ("3600s", "1h0m0s"),
])
def test_ttl_is_normalised_like_go(given, expected):
    assert normalise_ttl(given) == expected


@pytest.mark.parametrize("bad", ["", "1", "h", "1.5h", "1H", "-1h", "1h 30m", "1y", "1s1s1s1s1s1s1s1s",
                                 "99999999999999w"])
def test_bad_ttl_is_refused(bad):
    with pytest.raises(ValueError):
        normalise_ttl(bad)


def test_format_duration_zero_and_fractions():
    assert format_duration(0) == "0s"
    assert format_duration(1010) == "1.01s"
    assert format_duration(3_600_500) == "1h0m0.5s"


# ---------------------------------------------------------------- org claims


def test_org_get_unset_answers_only_the_org(api):
    r = api.get(ORG_PATH)
    assert r.status_code == 200
    assert r.json() == {"org_id": ORG}


def test_org_patch_sets_and_normalises(api):
    r = patch(api, ORG_PATH, {"audience": ["sts.amazonaws.com", "a-first", "sts.amazonaws.com"], "ttl": "90m"})
    assert r.status_code == 200
    body = r.json()
    assert body["org_id"] == ORG and "project_id" not in body
    assert body["audience"] == ["a-first", "sts.amazonaws.com"]  # a set, sorted
    assert body["ttl"] == "1h30m0s"
    assert body["audience_updated_at"] == body["ttl_updated_at"]
    assert api.get(ORG_PATH).json() == body


def test_org_patch_is_partial(api):
    first = patch(api, ORG_PATH, {"audience": ["one"], "ttl": "1h"}).json()
    second = patch(api, ORG_PATH, {"ttl": "2h"}).json()
    assert second["audience"] == ["one"]
    assert second["audience_updated_at"] == first["audience_updated_at"]
    assert second["ttl"] == "2h0m0s"
    assert second["ttl_updated_at"] > first["ttl_updated_at"]
    third = patch(api, ORG_PATH, {"audience": ["two", "one"]}).json()
    assert third["audience"] == ["one", "two"] and third["ttl"] == "2h0m0s"
    assert patch(api, ORG_PATH, {}).json() == third


def test_org_patch_empty_audience_clears_it(api):
    patch(api, ORG_PATH, {"audience": ["one"], "ttl": "1h"})
    body = patch(api, ORG_PATH, {"audience": []}).json()
    assert "audience" not in body and "audience_updated_at" not in body
    assert body["ttl"] == "1h0m0s"


@pytest.mark.parametrize("ttl", ["abc", "1.5h", "1y", "", "1H"])
def test_org_patch_bad_ttl_is_400_error_body(api, ttl):
    patch(api, ORG_PATH, {"ttl": "1h"})
    r = patch(api, ORG_PATH, {"ttl": ttl, "audience": ["x"]})
    assert r.status_code == 400
    assert set(r.json()) == {"error"}
    assert api.get(ORG_PATH).json()["ttl"] == "1h0m0s"  # nothing applied
    assert "audience" not in api.get(ORG_PATH).json()


def test_bad_ttl_is_400_also_when_not_strict():
    with Emulator(strict=False) as emu:
        import requests
        r = requests.patch(emu.url + ORG_PATH, json={"ttl": "1y"}, headers={"Circle-Token": emu.token}, timeout=30)
        assert r.status_code == 400
        assert "error" in r.json()


def test_org_delete_resets_the_named_claims(api):
    patch(api, ORG_PATH, {"audience": ["one"], "ttl": "1h"})
    r = api.delete(ORG_PATH, params={"claims": "ttl"})
    assert r.status_code == 200
    assert r.json()["audience"] == ["one"] and "ttl" not in r.json() and "ttl_updated_at" not in r.json()
    r = api.delete(ORG_PATH, params={"claims": "audience,ttl"})
    assert r.json() == {"org_id": ORG}
    assert api.get(ORG_PATH).json() == {"org_id": ORG}
    assert api.delete(ORG_PATH, params={"claims": "audience"}).json() == {"org_id": ORG}  # idempotent


@pytest.mark.parametrize("claims", ["", "issuer", "audience,foo", ","])
def test_org_delete_unknown_claim_is_400(api, claims):
    patch(api, ORG_PATH, {"audience": ["one"]})
    r = api.delete(ORG_PATH, params={"claims": claims})
    assert r.status_code == 400
    assert set(r.json()) == {"error"}
    assert api.get(ORG_PATH).json()["audience"] == ["one"]


def test_org_delete_without_claims_is_400(api):
    r = api.delete(ORG_PATH)
    assert r.status_code == 400 and set(r.json()) == {"error"}


@pytest.mark.parametrize("org", [OTHER_ORG, MISSING])
def test_foreign_or_unknown_org_is_403(api, org):
    path = f"/org/{org}/oidc-custom-claims"
    for r in (api.get(path), patch(api, path, {"ttl": "1h"}), api.delete(path, params={"claims": "ttl"})):
        assert r.status_code == 403
        assert r.json() == {"error": "Forbidden"}
    assert api.state()["oidc_claims"] == []


def test_non_uuid_org_is_400_error_body(api):
    r = api.get("/org/gh-acme/oidc-custom-claims")
    assert r.status_code == 400 and set(r.json()) == {"error"}


# ---------------------------------------------------------------- project claims


def test_project_claims_are_separate_from_org_claims(api):
    assert api.get(PROJECT_PATH).json() == {"org_id": ORG, "project_id": PROJECT}
    patch(api, ORG_PATH, {"audience": ["org-aud"], "ttl": "1h"})
    body = patch(api, PROJECT_PATH, {"audience": ["proj"], "ttl": "30s"}).json()
    assert body["org_id"] == ORG and body["project_id"] == PROJECT
    assert body["audience"] == ["proj"] and body["ttl"] == "30s"
    assert api.get(ORG_PATH).json()["audience"] == ["org-aud"]
    r = api.delete(PROJECT_PATH, params={"claims": "audience"})
    assert r.status_code == 200 and "audience" not in r.json() and r.json()["ttl"] == "30s"
    assert api.get(ORG_PATH).json()["ttl"] == "1h0m0s"


def test_project_bad_ttl_is_400(api):
    r = patch(api, PROJECT_PATH, {"ttl": "5 minutes"})
    assert r.status_code == 400 and set(r.json()) == {"error"}


@pytest.mark.parametrize("org, project", [
    (ORG, STANDALONE_PROJECT),   # a project of another org of the user
    (ORG, OTHER_PROJECT),        # a project of a foreign org
    (OTHER_ORG, OTHER_PROJECT),  # a foreign org
    (ORG, MISSING),              # no such project
])
def test_project_must_belong_to_an_accessible_org(api, org, project):
    path = f"/org/{org}/project/{project}/oidc-custom-claims"
    for r in (api.get(path), patch(api, path, {"audience": ["x"]}), api.delete(path, params={"claims": "audience"})):
        assert r.status_code == 403
        assert r.json() == {"error": "Forbidden"}
    assert api.state()["oidc_claims"] == []


# ---------------------------------------------------------------- admin state, reset


def test_state_dump_and_reset(api):
    patch(api, ORG_PATH, {"audience": ["b", "a"], "ttl": "1d"})
    patch(api, PROJECT_PATH, {"ttl": "1w"})
    claims = {(c["org_id"], c["project_id"]): c for c in api.state()["oidc_claims"]}
    assert claims[(ORG, None)]["audience"] == ["a", "b"] and claims[(ORG, None)]["ttl"] == "24h0m0s"
    assert claims[(ORG, PROJECT)]["ttl"] == "168h0m0s" and claims[(ORG, PROJECT)]["audience"] is None
    api.admin("POST", "/reset")
    assert api.state()["oidc_claims"] == []
    assert api.get(ORG_PATH).json() == {"org_id": ORG}


def test_requests_are_logged_with_operation_ids(api):
    api.admin("DELETE", "/requests")
    patch(api, ORG_PATH, {"ttl": "1h"})
    api.delete(PROJECT_PATH, params={"claims": "ttl"})
    assert [e["operation_id"] for e in api.log()] == ["PatchOrgClaims", "DeleteProjectClaims"]
