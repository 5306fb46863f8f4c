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
