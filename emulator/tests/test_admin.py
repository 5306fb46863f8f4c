from circleci_emulator import seed


def test_health(api):
    assert api.admin("GET", "/health").json() == {"status": "ok", "version": "0.1.0", "strict": True,
                                                  "validate_responses": True}


def test_request_log_entries(api):
    ctx = api.create_context()
    api.put(f"/context/{ctx['id']}/environment-variable/FOO", json={"value": "bar"})
    api.get("/context", params={"owner-slug": "gh/acme", "page-token": ["a"]})
    api.admin("GET", "/state")  # never logged
    log = api.log()
    assert log[0] == {
        "method": "POST", "path": "/context", "query": {}, "status": 200, "operation_id": "createContext",
        "body": {"name": "deploy", "owner": {"slug": "gh/acme", "type": "organization"}},
    }
    assert log[1] == {
        "method": "PUT", "path": f"/context/{ctx['id']}/environment-variable/FOO", "query": {}, "status": 200,
        "operation_id": "addEnvironmentVariableToContext", "body": {"value": "bar"},
    }
    assert log[2]["query"] == {"owner-slug": ["gh/acme"], "page-token": ["a"]}
    assert log[2]["status"] == 404 and log[2]["body"] is None
    assert len(log) == 3


def test_log_keeps_the_raw_path(api):
    assert api.get("/project/gh/acme/api").status_code == 200
    assert api.get("/project/gh%2Facme%2Fapi").json()["slug"] == "gh/acme/api"  # escaped slashes work too
    assert [e["path"] for e in api.log()] == ["/project/gh/acme/api", "/project/gh%2Facme%2Fapi"]


def test_clear_log(api):
    api.get("/me")
    assert api.admin("DELETE", "/requests").status_code == 200
    assert api.log() == []
    api.get("/me")
    assert len(api.log()) == 1


def test_state_has_everything_including_secrets(api):
    ctx = api.create_context()
    api.put(f"/context/{ctx['id']}/environment-variable/TOKEN", json={"value": "s3cr3t"})
    api.post(f"/context/{ctx['id']}/restrictions",
             json={"restriction_type": "project", "restriction_value": seed.ACME_API_PROJECT_ID})
    state = api.state()
    assert {o["slug"] for o in state["orgs"]} == {"gh/acme", seed.STANDALONE_ORG_SLUG}
    assert {p["slug"] for p in state["projects"]} == {
        "gh/acme/api", "gh/acme/web", seed.STANDALONE_PROJECT_SLUG}
    assert state["users"][0]["tokens"] == ["emulator-token"]
    (c,) = state["contexts"]
    assert c["owner"] == {"id": seed.ACME_ORG_ID, "slug": "gh/acme", "type": "organization"}
    assert c["env_vars"]["TOKEN"]["value"] == "s3cr3t"
    assert c["restrictions"][0]["restriction_value"] == seed.ACME_API_PROJECT_ID


def test_reset_goes_back_to_the_seed(api):
    api.create_context()
    api.faults(rate_429=0.5)
    assert api.admin("POST", "/reset").status_code == 200
    assert api.state()["contexts"] == []
    assert api.log() == []
    assert api.admin("GET", "/faults").json()["rate_429"] == 0


def test_reset_with_a_new_seed(api):
    new_seed = seed.default_seed()
    new_seed["contexts"] = [{"name": "seeded", "owner": seed.ACME_ORG_ID, "env_vars": {"A": "1"}}]
    assert api.admin("POST", "/reset", json={"seed": new_seed}).status_code == 200
    assert [c["name"] for c in api.get("/context", params={"owner-slug": "gh/acme"}).json()["items"]] == ["seeded"]
    api.create_context("extra")
    api.admin("POST", "/reset")  # the new seed stays the seed
    assert [c["name"] for c in api.state()["contexts"]] == ["seeded"]
    api.admin("POST", "/reset", json={"seed": seed.default_seed()})


def test_reset_with_a_bad_seed_changes_nothing(api):
    api.create_context()
    r = api.admin("POST", "/reset", json={"seed": {"orgs": [{"id": "nope", "vcs_type": "github", "name": "x"}]}})
    assert r.status_code == 400
    assert len(api.state()["contexts"]) == 1


def test_unknown_admin_path(api):
    r = api.admin("GET", "/nothing")
    assert r.status_code == 404
    assert api.log() == []


def test_python_api_conveniences(api):
    emu = api.emu
    emu.set_faults(rate_429=1)
    assert api.get("/me").status_code == 429
    assert emu.request_log()[-1]["fault"] == "429"
    emu.reset()
    assert emu.request_log() == []
    assert api.get("/me").status_code == 200
    assert emu.state()["users"][0]["login"] == "emulator-user"
    assert emu.url == emu.base + "/api/v2" and emu.port > 0
