import json

import pytest

from circleci_emulator import Emulator
from circleci_emulator.seed import SeedError
from conftest import Api

YAML_SEED = """
users:
  - id: 10000000-0000-4000-8000-000000000001
    login: alice
    name: Alice
    tokens: [alice-token, alice-second-token]
orgs:
  - id: 20000000-0000-4000-8000-000000000001
    vcs_type: bitbucket
    name: team
    projects:
      - {id: 30000000-0000-4000-8000-000000000001, name: app, default_branch: develop}
contexts:
  - id: 40000000-0000-4000-8000-000000000001
    name: prod
    owner: bitbucket/team
    env_vars: {API_KEY: abc123, OTHER: x}
    restrictions:
      - {type: project, value: bb/team/app}
      - {type: expression, value: 'pipeline.git.branch == "main"'}
"""


@pytest.fixture
def yaml_file(tmp_path):
    path = tmp_path / "seed.yaml"
    path.write_text(YAML_SEED)
    return path


def test_yaml_seed(yaml_file):
    with Emulator(seed_file=str(yaml_file)) as emu:
        api = Api(emu, token="alice-second-token")
        assert api.get("/me").json()["login"] == "alice"
        assert api.get("/me/collaborations").json()[0]["slug"] == "bb/team"
        project = api.get("/project/bitbucket/team/app").json()
        assert project["slug"] == "bb/team/app"
        assert project["vcs_info"] == {"vcs_url": "https://bitbucket.org/team/app", "provider": "Bitbucket",
                                       "default_branch": "develop"}
        ctx_id = "40000000-0000-4000-8000-000000000001"
        assert api.get("/context", params={"owner-slug": "bb/team"}).json()["items"][0]["id"] == ctx_id
        names = [v["variable"] for v in api.get(f"/context/{ctx_id}/environment-variable").json()["items"]]
        assert names == ["API_KEY", "OTHER"]
        restrictions = api.get(f"/context/{ctx_id}/restrictions").json()["items"]
        assert restrictions[0]["restriction_value"] == "30000000-0000-4000-8000-000000000001"
        assert restrictions[0]["name"] == "app"
        assert Api(emu).get("/me").status_code == 401  # the default token is not in this seed


def test_json_seed(tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"users": [{"id": "10000000-0000-4000-8000-000000000001", "login": "bob",
                                           "tokens": ["t"]}]}))
    with Emulator(seed_file=str(path)) as emu:
        assert Api(emu, token="t").get("/me").json()["name"] == "bob"
        assert Api(emu, token="t").get("/me/collaborations").json() == []


@pytest.mark.parametrize("bad", [
    {"orgs": [{"id": "not-a-uuid", "vcs_type": "github", "name": "x"}]},
    {"orgs": [{"id": "20000000-0000-4000-8000-000000000001", "vcs_type": "gitlab", "name": "x"}]},
    {"users": [{"login": "no-id"}]},
    {"contexts": [{"name": "x", "owner": "gh/nobody"}]},
    {"users": [{"id": "10000000-0000-4000-8000-000000000001", "login": "x", "orgs": ["gh/nobody"]}]},
])
def test_bad_seeds(bad):
    with pytest.raises(SeedError):
        Emulator(seed=bad)
