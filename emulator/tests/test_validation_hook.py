"""The suite's response validation is real: it rejects what the spec rejects."""

import pytest
import requests

import conftest


def prepared(url, method="GET"):
    return requests.Request(method, url).prepare()


def test_every_response_so_far_was_validated(api):
    before = len(conftest.VALIDATED)
    api.get("/me")
    api.get("/context/not-a-uuid")
    assert len(conftest.VALIDATED) == before + 2


@pytest.mark.parametrize("url,status,body", [
    # an extra key in an additionalProperties: false schema
    ("http://127.0.0.1:1/api/v2/context/be8bb2e3-c3d6-4098-89f4-572ff976ba9a", 200,
     b'{"id": "be8bb2e3-c3d6-4098-89f4-572ff976ba9a", "name": "x", "created_at": "2015-09-21T17:29:21.042Z",'
     b' "value": "leak"}'),
    # a missing required key
    ("http://127.0.0.1:1/api/v2/me", 200, b'{"id": "be8bb2e3-c3d6-4098-89f4-572ff976ba9a", "login": "x"}'),
    # an undeclared status with a non-message body
    ("http://127.0.0.1:1/api/v2/context/be8bb2e3-c3d6-4098-89f4-572ff976ba9a", 403, b'{"error": "nope"}'),
    # a status that is neither declared nor a known deviation
    ("http://127.0.0.1:1/api/v2/context/be8bb2e3-c3d6-4098-89f4-572ff976ba9a", 418, b'{"message": "teapot"}'),
])
def test_hook_rejects_invalid_responses(url, status, body):
    with pytest.raises(conftest.ResponseViolation):
        conftest.check_response(prepared(url), status, body, {"Content-Type": "application/json"})


def test_hook_accepts_a_valid_response():
    conftest.check_response(prepared("http://127.0.0.1:1/api/v2/me"), 200,
                            b'{"id": "be8bb2e3-c3d6-4098-89f4-572ff976ba9a", "login": "x", "name": "n",'
                            b' "avatar_url": "a"}', {"Content-Type": "application/json"})
