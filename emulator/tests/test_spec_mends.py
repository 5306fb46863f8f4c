"""Each mend of the spec is still needed: the unmended spec rejects valid traffic."""

import json

import pytest

from circleci_emulator.spec import Spec, SpecRequest, SpecResponse, get_spec, load_spec_dict, mend_spec

CONTEXT_ID = "be8bb2e3-c3d6-4098-89f4-572ff976ba9a"


@pytest.fixture(scope="module")
def unmended():
    return Spec(mend=False)


@pytest.fixture(scope="module")
def mended():
    return get_spec()


def route(spec, method, path, **kw):
    match = spec.router.match(method, path)
    return SpecRequest(method, match.template, match.params, **kw)


def test_context_owner_additional_properties(unmended, mended):
    body = json.dumps({"name": "deploy", "owner": {"slug": "gh/acme", "type": "organization"}}).encode()
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "post", "/context", body=body, content_type="application/json")
        assert (spec.request_violation(request) is None) is ok


def test_update_env_var_additional_properties(unmended, mended):
    data = json.dumps({"variable": "FOO", "context_id": CONTEXT_ID, "created_at": "2015-09-21T17:29:21.042Z",
                       "updated_at": "2015-09-21T17:29:21.042Z"}).encode()
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "put", f"/context/{CONTEXT_ID}/environment-variable/FOO")
        assert (spec.response_errors(request, SpecResponse(200, data)) == []) is ok


@pytest.mark.parametrize("path", ["/project/gh/acme/api/envvar", "/project/gh/acme/api/checkout-key",
                                  "/project/gh/acme/api/schedule"])
def test_next_page_token_null(unmended, mended, path):
    data = json.dumps({"items": [], "next_page_token": None}).encode()
    for spec, ok in ((unmended, False), (mended, True)):
        errors = spec.response_errors(route(spec, "get", path), SpecResponse(200, data))
        assert (errors == []) is ok, errors


def test_mend_touches_only_what_it_should():
    raw = load_spec_dict(mend=False)
    mended = mend_spec(raw)
    assert raw != mended
    assert "additionalProperties" in raw["components"]["schemas"]["update_env_var"]  # a copy was mended
    assert "additionalProperties" not in mended["components"]["schemas"]["update_env_var"]
    assert mended["components"]["schemas"]["context_created"]["additionalProperties"] is False
    assert mended["paths"].keys() == raw["paths"].keys()


def test_the_shipped_spec_is_the_reference():
    import hashlib

    from circleci_emulator.spec import spec_text

    digest = hashlib.sha256(spec_text().encode("utf-8")).hexdigest()
    assert digest == "f72141ad9f3780c3ef9d74c904344a23958aa20bcd723e0df87e12c856a3a018"


def test_make_decision_403(unmended, mended):
    data = json.dumps({"error": "Forbidden"}).encode()
    path = "/owner/a0000000-0000-4000-8000-000000000001/context/config/decision"
    for spec, ok in ((unmended, False), (mended, True)):
        errors = spec.response_errors(route(spec, "post", path), SpecResponse(403, data))
        assert (errors == []) is ok, errors


def test_error_keyed_operations_are_oidc_and_policies(mended):
    ops = mended.error_keyed
    assert len(ops) == 15
    assert all("oidc-custom-claims" in template or template.startswith("/owner/") for _, template in ops)
    assert 401 not in ops[("get", "/org/{orgID}/oidc-custom-claims")]  # undeclared: stays {"message"}
    assert 401 in ops[("get", "/owner/{ownerID}/context/{context}/policy-bundle")]


@pytest.mark.parametrize("path, name", [
    ("/insights/pages/gh/acme/api/summary", "branches"),
    ("/insights/pages/gh/acme/api/summary", "workflow-names"),
    ("/insights/gh/acme/summary", "project-names"),
])
def test_insights_repeated_filters(unmended, mended, path, name):
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "get", path, query={name: ["main", "build"]})
        assert (spec.request_violation(request) is None) is ok


@pytest.mark.parametrize("path", ["/deploy/environments", "/deploy/components"])
def test_deploy_lists_page_size_optional(unmended, mended, path):
    from werkzeug.datastructures import ImmutableMultiDict

    query = ImmutableMultiDict({"org-id": "a0000000-0000-4000-8000-000000000001"})
    for spec, ok in ((unmended, False), (mended, True)):
        violation = spec.request_violation(route(spec, "get", path, query=query))
        assert (violation is None) is ok, violation
    # still an integer when given
    bad = ImmutableMultiDict({"org-id": "a0000000-0000-4000-8000-000000000001", "page-size": "x"})
    assert "page-size" in mended.request_violation(route(mended, "get", path, query=bad))

FLAKY_SNAKE = {"flaky_tests": [{
    "time_wasted": 120, "workflow_created_at": "2026-01-01T10:00:00.000Z", "workflow_id": CONTEXT_ID,
    "classname": "tests.test_auth", "pipeline_number": 12, "workflow_name": "build", "test_name": "test_login",
    "job_name": "test", "job_number": 34, "times_flaked": 1, "source": "pytest", "file": "tests/test_auth.py"}],
    "total_flaky_tests": 1}


def test_flaky_tests_snake_case(unmended, mended):
    """Mend 7: the live answer is snake_case; the spec requires its kebab-case keys."""
    snake = json.dumps(FLAKY_SNAKE).encode()
    kebab = json.dumps({"flaky-tests": [], "total-flaky-tests": 0}).encode()
    for spec, data, ok in ((unmended, snake, False), (mended, snake, True), (mended, kebab, False)):
        errors = spec.response_errors(route(spec, "get", "/insights/gh/acme/api/flaky-tests"), SpecResponse(200, data))
        assert (errors == []) is ok, errors


def test_flaky_tests_mend_renames_every_key(mended):
    schema = mended.data["paths"]["/insights/{project-slug}/flaky-tests"]["get"]["responses"]["200"]
    schema = schema["content"]["application/json"]["schema"]
    item = schema["properties"]["flaky_tests"]["items"]
    assert schema["required"] == ["flaky_tests", "total_flaky_tests"]
    assert not [k for k in list(item["properties"]) + item["required"] if "-" in k]
    assert set(item["properties"]) == set(FLAKY_SNAKE["flaky_tests"][0])


@pytest.mark.parametrize("config", [{"branch": "main", "content": "version: 2.1\n"}, {"tag": "v1", "content": ""}])
def test_pipeline_run_inline_config_content(unmended, mended, config):
    """Mend 8: circleci-cli and the MCP server send config: {branch|tag, content}."""
    body = json.dumps({"definition_id": CONTEXT_ID, "config": config, "checkout": {"branch": "main"}}).encode()
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "post", "/project/gh/acme/api/pipeline/run", body=body, content_type="application/json")
        assert (spec.request_violation(request) is None) is ok


def test_pipeline_run_config_still_refuses_other_keys(mended):
    body = json.dumps({"definition_id": CONTEXT_ID, "config": {"branch": "main", "contents": "x"}}).encode()
    request = route(mended, "post", "/project/gh/acme/api/pipeline/run", body=body, content_type="application/json")
    assert "contents" in (mended.request_violation(request) or "")


TRIGGERS = "/projects/c0000000-0000-4000-8000-000000000201/pipeline-definitions/d0000000-0000-4000-8000-000000000201/triggers"
TRIGGER = "/projects/c0000000-0000-4000-8000-000000000201/triggers/e1000000-0000-4000-8000-000000000001"


@pytest.mark.parametrize("extra", [{"name": "deploy"}, {"description": "from chatops"}, {"parameters": {"deploy": True}}])
def test_trigger_extras_clients_send(unmended, mended, extra):
    """circleci-cli sends a trigger's name and description, the Terraform provider its parameters."""
    body = dict({"event_source": {"provider": "webhook", "webhook": {"sender": "ci"}}, "checkout_ref": "main",
                 "config_ref": "main", "event_name": "deploy"}, **extra)
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "post", TRIGGERS, body=json.dumps(body).encode(), content_type="application/json")
        assert (spec.request_violation(request) is None) is ok
        answer = dict({"id": "e1000000-0000-4000-8000-000000000001", "event_name": "deploy",
                       "event_source": {"provider": "webhook", "webhook": {"url": "https://x.invalid/e?secret=s"}},
                       "checkout_ref": "main", "config_ref": "main", "disabled": False}, **extra)
        errors = spec.response_errors(route(spec, "get", TRIGGER), SpecResponse(200, json.dumps(answer).encode()))
        assert (errors == []) is ok, errors


@pytest.mark.parametrize("field, value", [("repo", {"external_id": "1"}), ("provider", "github_app")])
def test_trigger_patch_naming_the_event_source_reaches_the_handler(unmended, mended, field, value):
    """The service answers such a PATCH 400 "Unexpected field 'event_source.repo'": the mended spec
    lets it through to the handler, which answers those words (test_pipeline_definitions.py)."""
    body = json.dumps({"event_source": {field: value}}).encode()
    for spec, ok in ((unmended, False), (mended, True)):
        request = route(spec, "patch", TRIGGER, body=body, content_type="application/json")
        assert (spec.request_violation(request) is None) is ok
