"""Groups of an organization: create, list (paged), read, delete; no update."""

import uuid

import pytest

from circleci_emulator import Emulator, seed
from circleci_emulator.seed import SeedError
from circleci_emulator.store import Store
from test_organizations import OTHER_ORG_ID, two_org_seed

ORG = seed.STANDALONE_ORG_ID
BASE = f"/organizations/{ORG}/groups"
SEEDED_GROUP_ID = "90000000-0000-4000-8000-000000000001"


def group_seed() -> dict:
    data = two_org_seed()
    data["orgs"][1]["groups"] = [{"id": SEEDED_GROUP_ID, "name": "Release managers", "description": "They ship"}]
    return data


@pytest.fixture(scope="module")
def emu():
    with Emulator(seed=group_seed()) as emulator:
        yield emulator


def create(api, name, description=None, status=201, org=ORG):
    body = {"name": name} if description is None else {"name": name, "description": description}
    r = api.post(f"/organizations/{org}/groups", json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_the_seeded_group(api):
    body = api.get(BASE).json()
    assert body == {"items": [{"id": SEEDED_GROUP_ID, "name": "Release managers", "description": "They ship"}],
                    "next_page_token": None, "total_count": 1}
    assert api.state()["groups"] == [{"id": SEEDED_GROUP_ID, "org_id": ORG, "name": "Release managers",
                                      "description": "They ship"}]


def test_create_read_delete(api):
    group = create(api, "Deployers", "Can deploy")
    assert set(group) == {"id", "name", "description"}
    uuid.UUID(group["id"])
    assert (group["name"], group["description"]) == ("Deployers", "Can deploy")
    assert api.get(f"{BASE}/{group['id']}").json() == group
    assert group in api.get(BASE).json()["items"]
    r = api.delete(f"{BASE}/{group['id']}")
    assert (r.status_code, r.json()) == (200, {"message": "Group deleted."})
    r = api.get(f"{BASE}/{group['id']}")
    assert (r.status_code, r.json()) == (404, {"message": "Group does not exist."})
    assert api.delete(f"{BASE}/{group['id']}").status_code == 404


def test_description_defaults_to_empty(api):
    assert create(api, "Plain")["description"] == ""


def test_a_name_that_exists_is_409(api):
    create(api, "Deployers")
    r = api.post(BASE, json={"name": "Deployers", "description": "again"})
    assert (r.status_code, r.json()) == (409, {"message": "Failed to create group, group Deployers already exists."})
    assert [g["name"] for g in api.state()["groups"]].count("Deployers") == 1
    create(api, "Deployers", org=seed.ACME_ORG_ID)  # another organization may have one


@pytest.mark.parametrize("body", [{"name": ""}, {"description": "x"}, {"name": "x", "description": 3},
                                  {"name": "x", "members": []}],
                         ids=["empty-name", "no-name", "description-not-string", "unknown-key"])
def test_bad_bodies_are_400(api, body):
    assert api.post(BASE, json=body).status_code == 400
    assert len(api.state()["groups"]) == 1


def test_pages(api):
    for index in range(5):
        create(api, f"g{index}")
    first = api.get(BASE, params={"limit": 4}).json()
    assert len(first["items"]) == 4 and first["total_count"] == 6 and first["next_page_token"]
    second = api.get(BASE, params={"limit": 4, "page-token": first["next_page_token"]}).json()
    assert len(second["items"]) == 2 and second["next_page_token"] is None
    names = [g["name"] for g in first["items"] + second["items"]]
    assert names == ["Release managers", "g0", "g1", "g2", "g3", "g4"]
    assert api.get(BASE, params={"limit": 0}).status_code == 400


def test_unknown_and_foreign_orgs(api):
    missing = "d0000000-0000-4000-8000-00000000dead"
    r = api.get(f"/organizations/{missing}/groups")
    assert (r.status_code, r.json()) == (404, {"message": "Organization does not exist."})
    r = api.post(f"/organizations/{OTHER_ORG_ID}/groups", json={"name": "x"})
    assert (r.status_code, r.json()) == (403, {"message": "Permission denied."})
    # a group is found only under its own organization
    assert api.get(f"/organizations/{seed.ACME_ORG_ID}/groups/{SEEDED_GROUP_ID}").status_code == 404
    assert api.delete(f"/organizations/{seed.ACME_ORG_ID}/groups/{SEEDED_GROUP_ID}").status_code == 404


def test_a_deleted_group_leaves_context_restrictions_alone(api):
    group = create(api, "Restricted")
    ctx = api.create_context("grouped", owner={"id": ORG, "type": "organization"})
    body = {"restriction_type": "group", "restriction_value": group["id"]}
    assert api.post(f"/context/{ctx['id']}/restrictions", json=body).status_code == 201
    assert api.delete(f"{BASE}/{group['id']}").status_code == 200
    assert api.get(f"/context/{ctx['id']}/restrictions").json()["items"][0]["restriction_value"] == group["id"]


def test_a_seeded_group_needs_a_name():
    data = seed.default_seed()
    data["orgs"][0]["groups"] = [{"description": "no name"}]
    with pytest.raises(SeedError):
        Store(data)
