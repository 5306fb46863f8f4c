# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._oidc import (
    ClaimsScope,
    check_audience,
    check_ttl,
    claims_view,
    parse_duration,
    plan_absent,
    plan_present,
    same_ttl,
)
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
COLLABORATIONS = [{'id': ORG_ID, 'vcs-type': 'github', 'name': 'acme', 'avatar_url': 'x', 'slug': 'gh/acme'}]


@pytest.mark.parametrize('text, ms', [
    ('90m', 5400000),
    ('1h30m0s', 5400000),
    ('1h30m', 5400000),
    ('1.5s', 1500),
    ('500ms', 500),
    ('0s', 0),
    ('0', 0),
    ('1w', 604800000),
    ('2d', 172800000),
    ('1m30.5s', 90500),
    ('1\u00b5s', 0.001),
    ('1h0m0.001s', 3600001),
])
def test_parse_duration(text, ms):
    assert parse_duration(text) == ms


@pytest.mark.parametrize('text', ['', 'h', '10', '1x', '1h 30m', '1.5', 'm10', None])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_same_ttl_compares_durations():
    assert same_ttl('90m', '1h30m0s')
    assert same_ttl('1500ms', '1.5s')
    assert not same_ttl('90m', '1h0m0s')
    assert not same_ttl('90m', None)
    assert not same_ttl('90m', '')


@pytest.mark.parametrize('value', ['90m', '1h30m', '10s', '1w2d3h4m5s6ms', '500ms'])
def test_check_ttl_accepts(value):
    assert check_ttl('ttl', value) == value


@pytest.mark.parametrize('value', ['1h30m0.5s', '90', 'one hour', '1h 30m', '1s1s1s1s1s1s1s1s', '-1h', ''])
def test_check_ttl_names_the_option(value):
    with pytest.raises(ValidationError) as error:
        check_ttl('ttl', value)
    assert str(error.value).startswith("ttl: '%s' is not a duration" % value)


def test_check_audience():
    assert check_audience('audience', ['b', 'a', 'b']) == ['b', 'a']
    with pytest.raises(ValidationError, match=r'^audience: must list at least one'):
        check_audience('audience', [])
    with pytest.raises(ValidationError, match=r'^audience\[1\]: must be a non-empty string'):
        check_audience('audience', ['a', ''])


def test_plan_present_compares_sets_and_durations():
    current = {'org_id': ORG_ID, 'audience': ['a', 'b'], 'ttl': '1h30m0s'}
    assert plan_present(current, ['b', 'a'], '90m') == {}
    assert plan_present(current, ['a'], None) == {'audience': ['a']}
    assert plan_present(current, None, '1h') == {'ttl': '1h'}
    assert plan_present({'org_id': ORG_ID}, ['a'], '1h') == {'audience': ['a'], 'ttl': '1h'}


def test_plan_absent_only_resets_what_is_set():
    assert plan_absent({'audience': ['a'], 'ttl': '1h0m0s'}, ['ttl', 'audience']) == ['audience', 'ttl']
    assert plan_absent({'audience': [], 'ttl': '1h0m0s'}, ['audience']) == []
    assert plan_absent({'org_id': ORG_ID}, ['audience', 'ttl']) == []


def test_claims_view_sorts_and_drops_unset():
    assert claims_view({'org_id': ORG_ID, 'audience': ['b', 'a'], 'ttl': '1h0m0s'}) == {'audience': ['a', 'b'], 'ttl': '1h0m0s'}
    assert claims_view({'org_id': ORG_ID, 'audience': []}) == {}


@pytest.fixture
def resolver(api):
    with CircleCIClient('t', api_url=api.url) as client:
        yield Resolver(client)


def scope_of(resolver, **params):
    return ClaimsScope.resolve(resolver, ClaimsScope.check_params(params))


def test_org_slug_costs_one_collaborations_read(api, resolver):
    api.expect(call('GET', '/me/collaborations', body=COLLABORATIONS))
    assert scope_of(resolver, org_slug='github/acme').path == '/org/%s/oidc-custom-claims' % ORG_ID
    assert resolver.org_id('gh/ACME') == ORG_ID  # cached


def test_unknown_org_slug_names_the_option(api, resolver):
    api.expect(call('GET', '/me/collaborations', body=COLLABORATIONS))
    with pytest.raises(ValidationError, match=r"^org_slug: organization 'gh/other' is not among"):
        scope_of(resolver, org_slug='gh/other')


def test_circleci_slugs_need_no_request(api, resolver):
    assert scope_of(resolver, org_slug='circleci/%s' % ORG_ID).org_id == ORG_ID
    scope = scope_of(resolver, project_slug='circleci/%s/%s' % (ORG_ID, PROJECT_ID))
    assert (scope.org_id, scope.project_id) == (ORG_ID, PROJECT_ID)


SA_ORG_ID = 'c0000000-0000-4000-8000-000000000002'
SA_PROJECT_ID = 'c0000000-0000-4000-8000-000000000201'
SA_ORG_SLUG = 'circleci/Qi81Dp4C8a8LZcjYGWFbAH'
SA_PROJECT_SLUG = SA_ORG_SLUG + '/Qi81Dp4C8a8LZcjYGWFbK6'
SA_PROJECT = {'id': SA_PROJECT_ID, 'slug': SA_PROJECT_SLUG, 'organization_id': SA_ORG_ID, 'organization_slug': SA_ORG_SLUG}
SA_COLLABORATIONS = COLLABORATIONS + [{'id': SA_ORG_ID, 'vcs-type': 'circleci', 'name': 'sa', 'slug': SA_ORG_SLUG}]


def test_opaque_slugs_are_resolved_through_the_api(api, resolver):
    """circleci/... slugs as CircleCI shows them: opaque ids, never taken for UUIDs."""
    api.expect(call('GET', '/me/collaborations', body=SA_COLLABORATIONS),
               call('GET', '/project/' + SA_PROJECT_SLUG, body=SA_PROJECT))
    assert scope_of(resolver, org_slug=SA_ORG_SLUG).org_id == SA_ORG_ID
    scope = scope_of(resolver, org_slug=SA_ORG_SLUG, project_slug=SA_PROJECT_SLUG)
    assert scope.path == '/org/%s/project/%s/oidc-custom-claims' % (SA_ORG_ID, SA_PROJECT_ID)


def test_an_org_slug_in_the_other_form_of_the_project_slug_is_compared_by_id(api, resolver):
    api.expect(call('GET', '/me/collaborations', body=SA_COLLABORATIONS))
    uuid_form = 'circleci/%s/%s' % (SA_ORG_ID, SA_PROJECT_ID)
    scope = scope_of(resolver, org_slug=SA_ORG_SLUG, project_slug=uuid_form)
    assert (scope.org_id, scope.project_id) == (SA_ORG_ID, SA_PROJECT_ID)
    other = 'circleci/%s/%s' % ('d0000000-0000-4000-8000-000000000009', SA_PROJECT_ID)
    with pytest.raises(ValidationError, match=r"^project_slug: project '.*' is not in organization 'circleci/Qi81"):
        scope_of(resolver, org_slug=SA_ORG_SLUG, project_slug=other)


def test_project_slug_gives_the_org(api, resolver):
    api.expect(call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'slug': 'gh/acme/api', 'organization_id': ORG_ID}))
    scope = scope_of(resolver, org_slug='gh/acme', project_slug='gh/acme/api')
    assert scope.path == '/org/%s/project/%s/oidc-custom-claims' % (ORG_ID, PROJECT_ID)


def test_project_of_another_org_is_refused(api, resolver):
    api.expect(call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'organization_id': ORG_ID}))
    with pytest.raises(ValidationError, match=r'^project_slug: .* belongs to organization'):
        scope_of(resolver, org_id='b0000000-0000-4000-8000-000000000001', project_slug='gh/acme/api')
    with pytest.raises(ValidationError, match=r"^project_slug: project 'gh/acme/api' is not in organization 'gh/other'"):
        scope_of(resolver, org_slug='gh/other', project_slug='gh/acme/api')


def test_missing_project_names_the_option(api, resolver):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    with pytest.raises(ValidationError, match=r"^project_slug: project 'gh/acme/nope' was not found"):
        scope_of(resolver, project_slug='gh/acme/nope')


@pytest.mark.parametrize('params, message', [
    ({'org_id': 'acme'}, "org_id: 'acme' is not a UUID"),
    ({'org_slug': 'acme'}, "org_slug: 'acme' is not an organization slug"),
    ({'org_id': ORG_ID, 'project_id': 'api'}, "project_id: 'api' is not a UUID"),
    ({'project_slug': 'gh/acme'}, "project_slug: 'gh/acme' is not a project slug"),
])
def test_identity_checks(params, message):
    with pytest.raises(ValidationError) as error:
        ClaimsScope.check_params(params)
    assert str(error.value).startswith(message)
