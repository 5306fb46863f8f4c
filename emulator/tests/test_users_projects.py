import pytest

from circleci_emulator import seed


def test_me(api):
    assert api.get("/me").json() == {
        "id": seed.USER_ID,
        "login": "emulator-user",
        "name": "Emulator User",
        "avatar_url": "https://avatars.example.invalid/emulator-user",
    }


def test_collaborations(api):
    body = api.get("/me/collaborations").json()
    assert body[0] == {
        "id": seed.ACME_ORG_ID,
        "vcs-type": "github",
        "name": "acme",
        "avatar_url": "https://avatars.example.invalid/acme",
        "slug": "gh/acme",
    }
    assert body[1]["slug"] == f"circleci/{seed.STANDALONE_ORG_ID}"
    assert body[1]["vcs-type"] == "circleci"


def test_user_by_id(api):
    assert api.get(f"/user/{seed.USER_ID}").json()["login"] == "emulator-user"
    r = api.get("/user/00000000-0000-4000-8000-0000000000ff")
    assert r.status_code == 404


@pytest.mark.parametrize("slug", ["gh/acme/api", "github/acme/api", "GH/Acme/API"])
def test_project_by_github_slug(api, slug):
    r = api.get(f"/project/{slug}")
    assert r.status_code == 200
    assert r.json() == {
        "slug": "gh/acme/api",
        "name": "api",
        "id": seed.ACME_API_PROJECT_ID,
        "organization_name": "acme",
        "organization_slug": "gh/acme",
        "organization_id": seed.ACME_ORG_ID,
        "vcs_info": {"vcs_url": "https://github.com/acme/api", "provider": "GitHub", "default_branch": "main"},
    }


def test_standalone_project(api):
    slug = f"circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}"
    body = api.get(f"/project/{slug}").json()
    assert body["slug"] == slug
    assert body["id"] == seed.STANDALONE_PROJECT_ID
    assert body["organization_id"] == seed.STANDALONE_ORG_ID
    assert body["vcs_info"]["provider"] == "CircleCI"


@pytest.mark.parametrize("slug", ["gh/acme/nope", "gh/other/api", "bb/acme/api",
                                  f"circleci/{seed.STANDALONE_ORG_ID}/{seed.ACME_API_PROJECT_ID}"])
def test_unknown_project(api, slug):
    r = api.get(f"/project/{slug}")
    assert r.status_code == 404
    assert r.json() == {"message": "Project not found"}


def test_web_project(api):
    assert api.get("/project/gh/acme/web").json()["id"] == seed.ACME_WEB_PROJECT_ID
