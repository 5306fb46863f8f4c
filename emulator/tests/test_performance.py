"""Validation is built once and stays cheap: thousands of requests per test run are fine."""

import threading
import time

import requests

from circleci_emulator.spec import get_spec


def test_spec_is_built_once():
    assert get_spec() is get_spec()


def test_300_validated_requests_are_fast(api):
    ctx = api.create_context()
    started = time.monotonic()
    for i in range(100):
        assert api.put(f"/context/{ctx['id']}/environment-variable/V{i}", json={"value": "x"}).status_code == 200
        assert api.get(f"/context/{ctx['id']}").status_code == 200
        assert api.get("/project/gh/acme/api").status_code == 200
    elapsed = time.monotonic() - started
    # ~2-4 ms per request round trip here, including the suite's own response validation
    assert elapsed < 10, elapsed


def test_concurrent_writers(api):
    ctx = api.create_context()
    errors = []

    def writer(n):
        session = requests.Session()
        session.headers["Circle-Token"] = "emulator-token"
        for i in range(25):
            r = session.put(f"{api.emu.url}/context/{ctx['id']}/environment-variable/T{n}_{i}", json={"value": "v"})
            if r.status_code != 200:
                errors.append(r.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    variables = next(c for c in api.state()["contexts"] if c["id"] == ctx["id"])["env_vars"]
    assert len(variables) == 200
    seen, token = [], None
    while True:
        body = api.get(f"/context/{ctx['id']}/environment-variable", params={"page-token": token} if token else {}).json()
        seen += [i["variable"] for i in body["items"]]
        token = body["next_page_token"]
        if not token:
            break
    assert sorted(seen) == sorted(variables) and len(seen) == 200
