import pytest

from circleci_emulator import seed
from test_project_envvars import foreign_seed

BASE = "/project/gh/acme/api/schedule"
USER_ACTOR = {"id": seed.USER_ID, "login": "emulator-user", "name": "Emulator User",
              "avatar_url": "https://avatars.example.invalid/emulator-user"}


def payload(**changes):
    body = {"name": "nightly", "description": "every night", "attribution-actor": "current",
            "parameters": {"branch": "main", "deploy": True},
            "timetable": {"per-hour": 1, "hours-of-day": [3], "days-of-week": ["MON", "TUE"]}}
    body.update(changes)
    return body


def create(api, **changes):
    r = api.post(BASE, json=payload(**changes))
    assert r.status_code == 201, r.text
    return r.json()


def patch(api, sid, body):
    return api.request("PATCH", f"/schedule/{sid}", json=body)


def test_create(api):
    s = create(api)
    assert s["name"] == "nightly" and s["description"] == "every night"
    assert s["project-slug"] == "gh/acme/api"
    assert s["actor"] == USER_ACTOR
    assert s["parameters"] == {"branch": "main", "deploy": True}
    assert s["timetable"] == {"per-hour": 1, "hours-of-day": [3], "days-of-week": ["MON", "TUE"]}
    assert s["created-at"] == s["updated-at"]
    assert api.get(f"/schedule/{s['id']}").json() == s
    (state,) = api.state()["schedules"]["gh/acme/api"]
    assert state["attribution_actor"] == "current" and state["actor_id"] == seed.USER_ID


def test_system_actor_is_a_fixed_uuid(api):
    s = create(api, **{"attribution-actor": "system"})
    assert s["actor"] == {"id": seed.SYSTEM_ACTOR_ID, "login": "system-actor", "name": "Scheduled",
                          "avatar_url": None}
    assert api.state()["schedules"]["gh/acme/api"][0]["actor_id"] == seed.SYSTEM_ACTOR_ID


def test_description_is_nullable(api):
    assert create(api, description=None)["description"] is None
    body = payload(name="other")
    del body["description"]
    assert api.post(BASE, json=body).json()["description"] is None


def test_timetable_lists_normalised(api):
    s = create(api, timetable={"per-hour": 60, "hours-of-day": [23, 0, 5, 5],
                               "days-of-month": [31, 1], "months": ["DEC", "JAN", "JAN"]})
    assert s["timetable"] == {"per-hour": 60, "hours-of-day": [0, 5, 23], "days-of-month": [1, 31],
                              "months": ["JAN", "DEC"]}
    t = create(api, name="weekly", timetable={"per-hour": 2, "hours-of-day": [1], "days-of-week": ["SAT", "SUN"],
                                              "months": []})
    assert t["timetable"] == {"per-hour": 2, "hours-of-day": [1], "days-of-week": ["SUN", "SAT"]}


@pytest.mark.parametrize("timetable", [
    {"per-hour": 0, "hours-of-day": [1], "days-of-week": ["MON"]},
    {"per-hour": 61, "hours-of-day": [1], "days-of-week": ["MON"]},
    {"per-hour": 1, "hours-of-day": [24], "days-of-week": ["MON"]},
    {"per-hour": 1, "hours-of-day": [-1], "days-of-week": ["MON"]},
    {"per-hour": 1, "hours-of-day": [], "days-of-week": ["MON"]},
    {"per-hour": 1, "hours-of-day": [1], "days-of-week": []},
    {"per-hour": 1, "hours-of-day": [1], "days-of-month": [0]},
    {"per-hour": 1, "hours-of-day": [1], "days-of-month": [32]},
    {"per-hour": 1, "hours-of-day": [1], "days-of-week": ["MON"], "days-of-month": [1]},
])
def test_timetable_ranges(api, timetable):
    r = api.post(BASE, json=payload(timetable=timetable))
    assert r.status_code == 400
    assert "timetable" in r.json()["message"]
    assert api.state()["schedules"] == {}


def test_timetable_enums_are_checked_by_the_spec(api):
    r = api.post(BASE, json=payload(timetable={"per-hour": 1, "hours-of-day": [1], "days-of-week": ["MONDAY"]}))
    assert r.status_code == 400


def test_parameters_need_branch_or_tag(api):
    r = api.post(BASE, json=payload(parameters={"deploy": True}))
    assert r.status_code == 400 and "branch or tag" in r.json()["message"]
    assert create(api, name="tagged", parameters={"tag": "v1"})["parameters"] == {"tag": "v1"}


def test_duplicate_name_is_409(api):
    create(api)
    assert api.post(BASE, json=payload()).status_code == 409
    assert create(api, name="nightly-web") and api.post("/project/gh/acme/web/schedule",
                                                        json=payload()).status_code == 201


def test_refused_for_circleci_slugs(api):
    base = f"/project/circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}/schedule"
    for r in (api.post(base, json=payload()), api.get(base)):
        assert r.status_code == 400 and "GitHub App" in r.json()["message"]


def test_patch_is_partial(api):
    s = create(api)
    r = patch(api, s["id"], {"description": None})
    assert r.status_code == 200
    body = r.json()
    assert body["description"] is None and body["name"] == "nightly" and body["timetable"] == s["timetable"]
    assert body["updated-at"] > s["updated-at"] and body["created-at"] == s["created-at"]
    body = patch(api, s["id"], {"attribution-actor": "system", "name": "renamed",
                                "parameters": {"tag": "v2"}}).json()
    assert body["actor"]["id"] == seed.SYSTEM_ACTOR_ID and body["name"] == "renamed"
    assert body["parameters"] == {"tag": "v2"}  # replaced whole
    assert patch(api, s["id"], {"attribution-actor": "current"}).json()["actor"] == USER_ACTOR


def test_patch_timetable_replaces_it_whole(api):
    s = create(api)
    body = patch(api, s["id"], {"timetable": {"per-hour": 4, "hours-of-day": [1, 2], "days-of-month": [15]}}).json()
    assert body["timetable"] == {"per-hour": 4, "hours-of-day": [1, 2], "days-of-month": [15]}
    r = patch(api, s["id"], {"timetable": {"per-hour": 5}})
    assert r.status_code == 400


def test_patch_validation_changes_nothing(api):
    s = create(api)
    create(api, name="taken")
    for body in ({"name": "x", "parameters": {"foo": 1}}, {"name": "taken"},
                 {"timetable": {"per-hour": 99, "hours-of-day": [1], "days-of-week": ["MON"]}}):
        assert patch(api, s["id"], body).status_code in (400, 409), body
    assert api.get(f"/schedule/{s['id']}").json() == s


def test_list_and_delete(api):
    ids = [create(api, name=f"s{i:02d}")["id"] for i in range(21)]
    first = api.get(BASE).json()
    second = api.get(BASE, params={"page-token": first["next_page_token"]}).json()
    assert [s["id"] for s in first["items"] + second["items"]] == ids
    r = api.delete(f"/schedule/{ids[0]}")
    assert r.status_code == 200 and r.json() == {"message": "Schedule deleted."}
    assert api.get(f"/schedule/{ids[0]}").status_code == 404
    assert api.delete(f"/schedule/{ids[0]}").status_code == 404
    assert patch(api, ids[0], {"name": "x"}).status_code == 404
    assert len(api.get(BASE).json()["items"]) == 20


def test_foreign_project(api):
    api.admin("POST", "/reset", json={"seed": foreign_seed()})
    try:
        assert api.post("/project/gh/other/secret/schedule", json=payload()).status_code == 404
    finally:
        api.admin("POST", "/reset", json={"seed": seed.default_seed()})


def test_spec_mend_schedule_nullables_is_needed():
    """Mend 4: the unmended spec refuses a null description and the system actor's null avatar_url."""
    import json

    from circleci_emulator.spec import Spec, SpecRequest, SpecResponse, get_spec

    answer = {"id": "27ea3fb8-812a-493e-b165-6b6141382646", "name": "n", "description": None,
              "project-slug": "gh/acme/api", "parameters": {"branch": "main"},
              "actor": {"id": seed.SYSTEM_ACTOR_ID, "login": "system-actor", "name": "Scheduled", "avatar_url": None},
              "timetable": {"per-hour": 1, "hours-of-day": [1], "days-of-week": ["MON"]},
              "created-at": "2015-09-21T17:29:21.042Z", "updated-at": "2015-09-21T17:29:21.042Z"}
    data = json.dumps(answer).encode()
    for spec, ok in ((Spec(mend=False), False), (get_spec(), True)):
        match = spec.router.match("get", f"/schedule/{answer['id']}")
        request = SpecRequest("get", match.template, match.params)
        assert (spec.response_errors(request, SpecResponse(200, data)) == []) is ok
        match = spec.router.match("patch", f"/schedule/{answer['id']}")
        request = SpecRequest("patch", match.template, match.params, body=b'{"description": null}',
                              content_type="application/json")
        assert (spec.request_violation(request) is None) is ok
