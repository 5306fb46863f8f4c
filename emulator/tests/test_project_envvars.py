import re

import pytest

from circleci_emulator import seed

BASE = "/project/gh/acme/api/envvar"
JODA = re.compile(r"^#joda/inst \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


def foreign_seed():
    data = seed.default_seed()
    data["orgs"].append({"id": "b0000000-0000-4000-8000-000000000001", "vcs_type": "github", "name": "other",
                         "projects": [{"id": "b0000000-0000-4000-8000-000000000101", "name": "secret"}]})
    data["users"][0]["orgs"] = ["gh/acme"]
    return data


def env_state(api, slug="gh/acme/api"):
    return api.state()["project_env_vars"].get(slug, {})


def test_create_answers_201_masked(api):
    r = api.post(BASE, json={"name": "DB_PASSWORD", "value": "hunter2-secret-9876"})
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "DB_PASSWORD" and body["value"] == "xxxx9876"
    assert JODA.match(body["created-at"]), body
    assert "hunter2" not in r.text
    state = env_state(api)
    assert state["DB_PASSWORD"]["value"] == "hunter2-secret-9876"  # the dump keeps the real value


def test_get_and_list_are_masked(api):
    api.post(BASE, json={"name": "A", "value": "abcdefgh"})
    api.post(BASE, json={"name": "SHORT", "value": "ab"})
    assert api.get(BASE + "/A").json()["value"] == "xxxxefgh"
    assert api.get(BASE + "/SHORT").json()["value"] == "xxxxab"
    listing = api.get(BASE).json()
    assert [(i["name"], i["value"]) for i in listing["items"]] == [("A", "xxxxefgh"), ("SHORT", "xxxxab")]
    assert listing["next_page_token"] is None
    assert all(JODA.match(i["created-at"]) for i in listing["items"])


def test_post_overwrites(api):
    api.post(BASE, json={"name": "A", "value": "first-1111"})
    api.post(BASE, json={"name": "B", "value": "b"})
    r = api.post(BASE, json={"name": "A", "value": "second-2222"})
    assert r.status_code == 201 and r.json()["value"] == "xxxx2222"
    items = api.get(BASE).json()["items"]
    assert [i["name"] for i in items] == ["A", "B"]  # keeps its place
    assert env_state(api)["A"]["value"] == "second-2222"


def test_no_put(api):
    r = api.put(BASE + "/A", json={"value": "x"})
    assert r.status_code == 404


def test_delete(api):
    api.post(BASE, json={"name": "A", "value": "x"})
    r = api.delete(BASE + "/A")
    assert r.status_code == 200 and r.json() == {"message": "Environment variable deleted."}
    assert api.get(BASE + "/A").status_code == 404
    assert api.delete(BASE + "/A").status_code == 404
    assert api.get(BASE).json()["items"] == []
    assert env_state(api) == {}


@pytest.mark.parametrize("name", ["1ABC", "WITH-DASH", "sp ace", ""])
def test_invalid_names(api, name):
    assert api.post(BASE, json={"name": name, "value": "x"}).status_code == 400


def test_value_required(api):
    assert api.post(BASE, json={"name": "A"}).status_code == 400  # strict validation


def test_pagination(api):
    names = [f"V{i:02d}" for i in range(25)]
    for name in names:
        api.post(BASE, json={"name": name, "value": "v"})
    first = api.get(BASE).json()
    assert len(first["items"]) == 20 and first["next_page_token"]
    second = api.get(BASE, params={"page-token": first["next_page_token"]}).json()
    assert [i["name"] for i in first["items"] + second["items"]] == names
    assert second["next_page_token"] is None
    assert api.get("/project/gh/acme/web/envvar", params={"page-token": first["next_page_token"]}).status_code == 404


def test_standalone_projects_have_env_vars(api):
    slug = f"circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}"
    assert api.post(f"/project/{slug}/envvar", json={"name": "A", "value": "12345"}).status_code == 201
    assert api.get(f"/project/{slug}/envvar/A").json()["value"] == "xxxx2345"


@pytest.fixture
def foreign(api):
    assert api.admin("POST", "/reset", json={"seed": foreign_seed()}).status_code == 200
    yield api
    api.admin("POST", "/reset", json={"seed": seed.default_seed()})


def test_unknown_and_foreign_projects_are_404(foreign):
    assert foreign.get("/project/gh/nobody/none/envvar").status_code == 404
    assert foreign.post("/project/gh/other/secret/envvar", json={"name": "A", "value": "x"}).status_code == 404
