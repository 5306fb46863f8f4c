import pytest

from circleci_emulator import seed
from circleci_emulator.slugs import opaque_id, uuid_of_opaque


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
    assert body[1]["slug"] == seed.STANDALONE_ORG_SLUG  # opaque: base58 of the org id's bytes
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


@pytest.mark.parametrize("slug", [
    seed.STANDALONE_PROJECT_SLUG,  # opaque, as answered
    f"circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}",  # the ids (the spec's parameter text)
    f"circleci/{seed.STANDALONE_ORG_ID.upper()}/{opaque_id(seed.STANDALONE_PROJECT_ID)}",  # mixed
])
def test_standalone_project(api, slug):
    body = api.get(f"/project/{slug}").json()
    assert body["slug"] == seed.STANDALONE_PROJECT_SLUG
    assert body["organization_slug"] == seed.STANDALONE_ORG_SLUG
    assert body["id"] == seed.STANDALONE_PROJECT_ID
    assert body["organization_id"] == seed.STANDALONE_ORG_ID
    assert body["vcs_info"]["provider"] == "CircleCI"


def test_opaque_slugs_are_base58_of_the_uuid_bytes():
    assert seed.STANDALONE_ORG_SLUG == "circleci/Qi81Dp4C8a8LZcjYGWFbAH"
    assert seed.STANDALONE_PROJECT_SLUG == "circleci/Qi81Dp4C8a8LZcjYGWFbAH/Qi81Dp4C8a8LZcjYGWFbK6"
    assert opaque_id("00000000-0000-0000-0000-000000000001") == "1111111111111112"  # zero bytes -> "1"
    for value in (seed.STANDALONE_ORG_ID, seed.ACME_ORG_ID, "ffffffff-ffff-ffff-ffff-ffffffffffff"):
        assert uuid_of_opaque(opaque_id(value)) == value
    assert uuid_of_opaque("43G3lM5RtfFE7v5sa4nWAU") is None  # the spec's example has an "l": not base58
    assert uuid_of_opaque("2") is None  # too short for 16 bytes


def test_opaque_segments_are_case_sensitive(api):
    swapped = seed.STANDALONE_PROJECT_SLUG.swapcase().replace("CIRCLECI", "circleci")
    assert api.get(f"/project/{swapped}").status_code == 404


@pytest.mark.parametrize("slug", ["gh/acme/nope", "gh/other/api", "bb/acme/api",
                                  f"circleci/{seed.STANDALONE_ORG_ID}/{seed.ACME_API_PROJECT_ID}"])
def test_unknown_project(api, slug):
    r = api.get(f"/project/{slug}")
    assert r.status_code == 404
    assert r.json() == {"message": "Project not found"}


def test_web_project(api):
    assert api.get("/project/gh/acme/web").json()["id"] == seed.ACME_WEB_PROJECT_ID
