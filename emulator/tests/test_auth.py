from conftest import TOKEN, Api


def test_header_token(api):
    r = api.get("/me")
    assert r.status_code == 200
    assert r.json()["login"] == "emulator-user"


def test_basic_auth_with_token_as_username(api):
    anonymous = Api(api.emu, token=None)
    r = anonymous.get("/me", auth=(TOKEN, ""))
    assert r.status_code == 200
    assert r.json()["login"] == "emulator-user"


def test_missing_token(api):
    r = Api(api.emu, token=None).get("/me")
    assert r.status_code == 401
    assert r.json() == {"message": "You must log in first."}


def test_unknown_token(api):
    r = Api(api.emu, token="not-a-token").get("/context", params={"owner-slug": "gh/acme"})
    assert r.status_code == 401
    assert r.json() == {"message": "You must log in first."}


def test_unknown_basic_auth_token(api):
    r = Api(api.emu, token=None).get("/me", auth=("nope", ""))
    assert r.status_code == 401


def test_query_parameter_token_is_refused(api):
    anonymous = Api(api.emu, token=None)
    for path in ("/me", "/context?owner-slug=gh/acme", "/project/gh/acme/api"):
        r = anonymous.get(path, params={"circle-token": TOKEN})
        assert r.status_code == 401, path
        assert "query parameter authentication" in r.json()["message"]


def test_401_is_logged_and_changes_nothing(api):
    anonymous = Api(api.emu, token="bad")
    r = anonymous.post("/context", json={"name": "x", "owner": {"slug": "gh/acme"}})
    assert r.status_code == 401
    assert api.state()["contexts"] == []
    assert [(e["method"], e["path"], e["status"]) for e in api.log()] == [("POST", "/context", 401)]


def test_unknown_path_is_404_before_auth(api):
    r = Api(api.emu, token=None).get("/no/such/thing")
    assert r.status_code == 404
    assert r.json() == {"message": "Not found"}


# ---------------------------------------------------------------- bodies that are not UTF-8

NOT_UTF8 = b'{"name": "\xff\xfe", "owner": {"slug": "gh/acme", "type": "organization"}}'


def test_a_body_that_is_not_utf8_is_400_not_500(api):
    r = api.post("/context", data=NOT_UTF8, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json() == {"message": "The request body is not valid UTF-8 JSON."}
    entry = api.log()[-1]
    assert "error" not in entry and entry["violation"].startswith("The request body is not UTF-8")
    assert api.state()["contexts"] == []


def test_a_body_that_is_not_utf8_is_400_before_authentication(api):
    for client in (Api(api.emu, token=None), Api(api.emu, token="not-a-token")):
        r = client.post("/context", data=NOT_UTF8, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "UTF-8" in r.json()["message"]


def test_a_body_that_is_not_utf8_is_400_also_when_not_strict():
    from circleci_emulator import Emulator

    with Emulator(strict=False) as emu:
        r = Api(emu).post("/context", data=NOT_UTF8, headers={"Content-Type": "application/json"})
        assert r.status_code == 400


def test_a_policy_operation_answers_its_error_key(api):
    """OIDC and policy operations answer {"error"} for their declared 400 (the spec)."""
    r = api.post("/owner/a0000000-0000-4000-8000-000000000001/context/config/policy-bundle",
                 data=b'{"policies": {"a": "\xff"}}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and set(r.json()) == {"error"}


# ---------------------------------------------------------------- 405


def test_a_405_names_the_allowed_methods(api):
    r = api.request("TRACE", "/me")
    assert r.status_code == 405 and r.json() == {"message": "Method not allowed"}
    assert set(r.headers["Allow"].split(", ")) == {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
    r = api.admin("PATCH", "/health")
    assert r.status_code == 405 and set(r.headers["Allow"].split(", ")) >= {"GET"}
