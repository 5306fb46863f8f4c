import base64
import hashlib
import re
from urllib.parse import quote

from circleci_emulator import seed

BASE = "/project/gh/acme/api/checkout-key"
MD5 = re.compile(r"^([0-9a-f]{2}:){15}[0-9a-f]{2}$")


def blob_of(public_key):
    kind, data = public_key.split(" ")
    assert kind == "ssh-rsa"
    blob = base64.b64decode(data)
    assert blob[4:11] == b"ssh-rsa"
    return blob


def create(api, ktype="deploy-key"):
    r = api.post(BASE, json={"type": ktype})
    assert r.status_code == 201, r.text
    return r.json()


def test_create_deploy_key_with_real_fingerprints(api):
    key = create(api)
    assert set(key) == {"public-key", "type", "fingerprint", "preferred", "created-at"}
    assert key["type"] == "deploy-key" and key["preferred"] is True
    assert key["public-key"].startswith("ssh-rsa AAAAB3NzaC1yc2E")
    blob = blob_of(key["public-key"])
    assert MD5.match(key["fingerprint"])
    assert key["fingerprint"] == ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())
    (state,) = api.state()["checkout_keys"]["gh/acme/api"]
    assert state["fingerprint_md5"] == key["fingerprint"]
    sha = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert state["fingerprint_sha256"] == sha and "=" not in sha
    assert state["public_key"] == key["public-key"] and state["type"] == "deploy-key"


def test_user_key_reads_back_as_github_user_key(api):
    assert create(api, "user-key")["type"] == "github-user-key"
    assert api.get(BASE).json()["items"][0]["type"] == "github-user-key"


def test_list_digest(api):
    first, second = create(api), create(api)
    md5_list = api.get(BASE).json()
    assert [k["fingerprint"] for k in md5_list["items"]] == [first["fingerprint"], second["fingerprint"]]
    assert md5_list["next_page_token"] is None
    assert api.get(BASE, params={"digest": "md5"}).json() == md5_list
    sha_list = api.get(BASE, params={"digest": "sha256"}).json()["items"]
    assert all(k["fingerprint"].startswith("SHA256:") for k in sha_list)
    states = api.state()["checkout_keys"]["gh/acme/api"]
    assert [k["fingerprint"] for k in sha_list] == [s["fingerprint_sha256"] for s in states]
    assert api.get(BASE, params={"digest": "sha1"}).status_code == 400


def test_newest_key_is_preferred(api):
    first, second = create(api), create(api)
    assert [k["preferred"] for k in api.get(BASE).json()["items"]] == [False, True]
    api.delete(f"{BASE}/{second['fingerprint']}")
    assert api.get(f"{BASE}/{first['fingerprint']}").json()["preferred"] is True


def test_get_and_delete_by_either_fingerprint(api):
    key = create(api)
    sha = api.get(BASE, params={"digest": "sha256"}).json()["items"][0]["fingerprint"]
    got = api.get(f"{BASE}/{key['fingerprint']}").json()
    assert got == key
    assert api.get(f"{BASE}/{quote(key['fingerprint'], safe='')}").json() == key  # %3A
    assert api.get(f"{BASE}/{key['fingerprint'].upper()}").json() == key
    by_sha = api.get(f"{BASE}/{quote(sha, safe='')}")
    assert by_sha.status_code == 200 and by_sha.json()["fingerprint"] == sha
    r = api.delete(f"{BASE}/{quote(sha, safe='')}")
    assert r.status_code == 200 and r.json() == {"message": "Checkout key deleted."}
    assert api.get(f"{BASE}/{key['fingerprint']}").status_code == 404
    assert api.delete(f"{BASE}/{key['fingerprint']}").status_code == 404
    assert api.get(BASE).json()["items"] == []


def test_keys_are_per_project(api):
    key = create(api)
    assert api.get(f"/project/gh/acme/web/checkout-key/{key['fingerprint']}").status_code == 404
    assert api.get("/project/gh/acme/web/checkout-key").json()["items"] == []


def test_bad_type_is_400(api):
    assert api.post(BASE, json={"type": "github-user-key"}).status_code == 400
    assert api.post(BASE, json={}).status_code == 400


def test_no_update(api):
    key = create(api)
    assert api.put(f"{BASE}/{key['fingerprint']}", json={"type": "user-key"}).status_code == 404


def test_refused_for_circleci_slugs(api):
    base = f"/project/circleci/{seed.STANDALONE_ORG_ID}/{seed.STANDALONE_PROJECT_ID}/checkout-key"
    for r in (api.post(base, json={"type": "deploy-key"}), api.get(base), api.get(base + "/aa:bb")):
        assert r.status_code == 400
        assert "not available" in r.json()["message"]
    assert api.state()["checkout_keys"] == {}


def test_pagination(api):
    keys = [create(api)["fingerprint"] for _ in range(22)]
    first = api.get(BASE).json()
    second = api.get(BASE, params={"page-token": first["next_page_token"], "digest": "md5"}).json()
    assert [k["fingerprint"] for k in first["items"] + second["items"]] == keys
