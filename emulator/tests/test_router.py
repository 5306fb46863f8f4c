import pytest

from circleci_emulator.spec import get_spec


@pytest.mark.parametrize("method,path,template,params", [
    ("get", "/project/gh/acme/api", "/project/{project-slug}", {"project-slug": "gh/acme/api"}),
    ("post", "/project/gh/acme/api", "/project/{provider}/{organization}/{project}",
     {"provider": "gh", "organization": "acme", "project": "api"}),
    ("get", "/project/gh/acme/api/envvar/FOO", "/project/{project-slug}/envvar/{name}",
     {"project-slug": "gh/acme/api", "name": "FOO"}),
    ("get", "/project/gh/acme/api/checkout-key/SHA256%3Aab%2Fcd", "/project/{project-slug}/checkout-key/{fingerprint}",
     {"project-slug": "gh/acme/api", "fingerprint": "SHA256:ab/cd"}),
    ("get", "/project/gh/acme/api/pipeline/mine", "/project/{project-slug}/pipeline/mine",
     {"project-slug": "gh/acme/api"}),
    ("get", "/project/gh/acme/api/pipeline/12", "/project/{project-slug}/pipeline/{pipeline-number}",
     {"project-slug": "gh/acme/api", "pipeline-number": "12"}),
    ("get", "/project/gh/acme/api/settings", "/project/{provider}/{organization}/{project}/settings",
     {"provider": "gh", "organization": "acme", "project": "api"}),
    ("post", "/pipeline/continue", "/pipeline/continue", {}),
    ("get", "/insights/gh/acme/summary", "/insights/{org-slug}/summary", {"org-slug": "gh/acme"}),
    ("get", "/me/collaborations", "/me/collaborations", {}),
    ("put", "/context/x/environment-variable/Y", "/context/{context_id}/environment-variable/{env_var_name}",
     {"context_id": "x", "env_var_name": "Y"}),
])
def test_routes(method, path, template, params):
    match = get_spec().router.match(method, path)
    assert (match.template, match.params, match.method_known) == (template, params, True)


def test_unknown():
    router = get_spec().router
    assert router.match("get", "/nothing/here").template is None
    match = router.match("put", "/me")
    assert match.template == "/me" and not match.method_known
