"""The URL orb allow-list of an organization: list, create, remove; no update."""

import uuid

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.seed import SeedError
from circleci_emulator.store import Store
from test_organizations import OTHER_ORG_ID, two_org_seed

SEEDED_ID = "80000000-0000-4000-8000-000000000001"
SEEDED = {"id": SEEDED_ID, "name": "CircleCI-Public", "prefix": "https://raw.githubusercontent.com/CircleCI-Public/",
          "auth": "github-app"}
BASE = "/organization/gh/acme/url-orb-allow-list"
ENTRY = {"name": "internal", "prefix": "https://orbs.example.com/ci/", "auth": "none"}


def allow_list_seed() -> dict:
    data = two_org_seed()
    data["orgs"][0]["url_orb_allow_list"] = [dict(SEEDED)]
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=allow_list_seed()) as emulator:
        yield emulator


def test_the_seeded_entry(api):
    assert api.get(BASE).json() == {"items": [SEEDED]}
    assert api.get(f"/organization/{seed.ACME_ORG_ID}/url-orb-allow-list").json() == {"items": [SEEDED]}
    assert api.state()["url_orb_allow_list"] == [dict(SEEDED, org_id=seed.ACME_ORG_ID)]


@pytest.mark.parametrize("org", ["gh/acme", "github/acme", seed.ACME_ORG_ID])
def test_create_list_remove(api, org):
    path = f"/organization/{org}/url-orb-allow-list"
    r = api.post(path, json=ENTRY)
    assert r.status_code == 200
    created = r.json()
    assert created["message"] == "Created."
    uuid.UUID(created["id"])
    assert api.get(BASE).json()["items"] == [SEEDED, dict(ENTRY, id=created["id"])]
    r = api.delete(f"{path}/{created['id']}")
    assert (r.status_code, r.json()) == (200, {"id": created["id"], "message": "Deleted."})
    assert api.get(BASE).json()["items"] == [SEEDED]
    r = api.delete(f"{path}/{created['id']}")
    assert (r.status_code, r.json()) == (404, {"message": "URL orb allow-list entry not found."})


@pytest.mark.parametrize("change", [
    {"prefix": "http://orbs.example.com/"},
    {"prefix": "https://orbs.example.com/ci"},
    {"prefix": "orbs.example.com/"},
    {"prefix": "https:///"},
    {"prefix": "https://orbs.example.com/a b/"},
    {"prefix": ""},
    {"auth": "token"},
    {"name": ""},
    {"name": None},
], ids=["http", "no-trailing-slash", "no-scheme", "no-host", "space", "empty-prefix", "unknown-auth", "empty-name",
        "null-name"])
def test_bad_entries_are_400(api, change):
    body = dict(ENTRY, **change)
    assert api.post(BASE, json=body).status_code == 400
    assert api.get(BASE).json()["items"] == [SEEDED]


@pytest.mark.parametrize("missing", ["name", "prefix", "auth"])
def test_every_field_is_required(api, missing):
    body = dict(ENTRY)
    del body[missing]
    assert api.post(BASE, json=body).status_code == 400


def test_an_entry_is_removed_only_under_its_own_org(api):
    r = api.delete(f"/organization/{seed.STANDALONE_ORG_ID}/url-orb-allow-list/{SEEDED_ID}")
    assert r.status_code == 404
    assert api.get(BASE).json()["items"] == [SEEDED]


def test_unknown_and_foreign_orgs(api):
    r = api.get("/organization/gh/nobody/url-orb-allow-list")
    assert (r.status_code, r.json()) == (404, {"message": "Organization does not exist."})
    assert api.get(f"/organization/{OTHER_ORG_ID}/url-orb-allow-list").status_code == 403
    assert api.post("/organization/gh/other/url-orb-allow-list", json=ENTRY).status_code == 403


def test_a_seeded_entry_with_an_unknown_auth_is_refused():
    data = seed.default_seed()
    data["orgs"][0]["url_orb_allow_list"] = [dict(ENTRY, auth="token")]
    with pytest.raises(SeedError):
        Store(data)
