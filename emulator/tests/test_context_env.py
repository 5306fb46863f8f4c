import pytest


@pytest.fixture
def ctx(api):
    return api.create_context()


def env_path(ctx, name=""):
    return f"/context/{ctx['id']}/environment-variable" + (f"/{name}" if name else "")


def test_put_creates_and_never_echoes_the_value(api, ctx):
    r = api.put(env_path(ctx, "DB_PASSWORD"), json={"value": "hunter2"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"variable", "context_id", "created_at", "updated_at"}
    assert body["variable"] == "DB_PASSWORD" and body["context_id"] == ctx["id"]
    assert body["created_at"] == body["updated_at"]
    assert "hunter2" not in r.text
    listing = api.get(env_path(ctx))
    assert listing.json() == {"items": [body], "next_page_token": None}
    assert "hunter2" not in listing.text
    state = next(c for c in api.state()["contexts"] if c["id"] == ctx["id"])
    assert state["env_vars"]["DB_PASSWORD"]["value"] == "hunter2"


def test_put_overwrites(api, ctx):
    first = api.put(env_path(ctx, "FOO"), json={"value": "one"}).json()
    second = api.put(env_path(ctx, "FOO"), json={"value": "two"}).json()
    assert second["created_at"] == first["created_at"]
    assert second["updated_at"] > first["updated_at"]
    items = api.get(env_path(ctx)).json()["items"]
    assert items == [second]
    state = next(c for c in api.state()["contexts"] if c["id"] == ctx["id"])
    assert state["env_vars"]["FOO"]["value"] == "two"


def test_delete(api, ctx):
    api.put(env_path(ctx, "FOO"), json={"value": "one"})
    r = api.delete(env_path(ctx, "FOO"))
    assert r.status_code == 200
    assert r.json() == {"message": "Environment variable deleted."}
    assert api.get(env_path(ctx)).json()["items"] == []
    assert api.delete(env_path(ctx, "FOO")).status_code == 404


@pytest.mark.parametrize("name", ["1ABC", "WITH-DASH", "sp ace"])
def test_invalid_names(api, ctx, name):
    r = api.put(env_path(ctx, name), json={"value": "x"})
    assert r.status_code == 400


def test_value_is_required(api, ctx):
    assert api.put(env_path(ctx, "FOO"), json={}).status_code == 400
    assert api.put(env_path(ctx, "FOO")).status_code == 400
    assert api.put(env_path(ctx, "FOO"), json={"value": 3}).status_code == 400


def test_45_variables_in_pages_of_20(api, ctx):
    names = [f"VAR_{i:02d}" for i in range(45)]
    for name in names:
        assert api.put(env_path(ctx, name), json={"value": "v"}).status_code == 200
    pages, token = [], None
    while True:
        params = {"page-token": token} if token else {}
        body = api.get(env_path(ctx), params=params).json()
        pages.append([item["variable"] for item in body["items"]])
        token = body["next_page_token"]
        if token is None:
            break
        assert isinstance(token, str) and token
    assert [len(p) for p in pages] == [20, 20, 5]
    assert sum(pages, []) == names
    sent_tokens = [e["query"].get("page-token") for e in api.log() if e["method"] == "GET"]
    assert sent_tokens[0] is None and all(sent_tokens[1:])


def test_invalid_page_token_is_404(api, ctx):
    api.put(env_path(ctx, "FOO"), json={"value": "v"})
    for token in ("garbage", "eyJzIjoieCIsImsiOjF9"):  # the second decodes, but for another list
        r = api.get(env_path(ctx), params={"page-token": token})
        assert r.status_code == 404, token


def test_token_of_another_list_is_404(api, ctx):
    other = api.create_context("other")
    for i in range(25):
        api.put(env_path(other, f"V{i}"), json={"value": "v"})
    token = api.get(env_path(other)).json()["next_page_token"]
    assert api.get(env_path(other), params={"page-token": token}).status_code == 200
    assert api.get(env_path(ctx), params={"page-token": token}).status_code == 404


def test_deleting_between_pages_skips_nothing(api, ctx):
    names = [f"V{i:02d}" for i in range(25)]
    for name in names:
        api.put(env_path(ctx, name), json={"value": "v"})
    first = api.get(env_path(ctx)).json()
    api.delete(env_path(ctx, "V00"))
    api.delete(env_path(ctx, "V05"))
    second = api.get(env_path(ctx), params={"page-token": first["next_page_token"]}).json()
    assert [i["variable"] for i in second["items"]] == names[20:]
