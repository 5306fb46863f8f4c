# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_oidc_claims
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
ORG_PATH = '/org/%s/oidc-custom-claims' % ORG_ID
PROJECT_PATH = '/org/%s/project/%s/oidc-custom-claims' % (ORG_ID, PROJECT_ID)
COLLABORATIONS = [{'id': ORG_ID, 'vcs-type': 'github', 'name': 'acme', 'avatar_url': 'x', 'slug': 'gh/acme'}]


def claims(audience=None, ttl=None, **extra):
    body = {'org_id': ORG_ID}
    body.update(extra)
    if audience is not None:
        body.update(audience=audience, audience_updated_at='2025-01-10T12:00:00Z')
    if ttl is not None:
        body.update(ttl=ttl, ttl_updated_at='2025-01-10T12:00:00Z')
    return body


def get(body, path=ORG_PATH):
    return call('GET', path, body=body)


def test_set_ttl_then_rerun_with_normalised_readback(api, run_module):
    api.expect(get(claims()), call('PATCH', ORG_PATH, json={'ttl': '90m'}, body=claims(ttl='1h30m0s')))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'ttl': '90m'}, diff=True)
    assert result['changed'] is True
    assert result['claims']['ttl'] == '1h30m0s'
    assert result['diff'] == {'before': {}, 'after': {'ttl': '1h30m0s'}}

    # 90m against a readback of 1h30m0s: the same duration, so nothing is sent
    api.expect(get(claims(ttl='1h30m0s')))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'ttl': '90m'})
    assert result['changed'] is False
    assert [r.method for r in api.requests] == ['GET', 'PATCH', 'GET']


def test_audience_is_compared_as_a_set(api, run_module):
    api.expect(get(claims(audience=['a', 'b'])))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'audience': ['b', 'a']})
    assert result['changed'] is False
    assert result['claims']['audience'] == ['a', 'b']


def test_only_what_differs_is_patched(api, run_module):
    api.expect(get(claims(audience=['a'], ttl='1h0m0s')),
               call('PATCH', ORG_PATH, json={'audience': ['a', 'c']}, body=claims(audience=['a', 'c'], ttl='1h0m0s')))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'audience': ['a', 'c', 'a'], 'ttl': '60m'}, diff=True)
    assert result['changed'] is True
    assert result['diff'] == {'before': {'audience': ['a'], 'ttl': '1h0m0s'}, 'after': {'audience': ['a', 'c'], 'ttl': '1h0m0s'}}


def test_check_mode_sends_no_write(api, run_module):
    api.expect(get(claims(audience=['a'])))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'audience': ['b'], 'ttl': '10m'}, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['claims']['audience'] == ['b']
    assert result['diff'] == {'before': {'audience': ['a']}, 'after': {'audience': ['b'], 'ttl': '10m'}}


def test_project_by_slug_takes_the_org_from_the_project(api, run_module):
    api.expect(
        call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'slug': 'gh/acme/api', 'organization_id': ORG_ID}),
        get(claims(project_id=PROJECT_ID), PROJECT_PATH),
        call('PATCH', PROJECT_PATH, json={'audience': ['x']}, body=claims(audience=['x'], project_id=PROJECT_ID)),
    )
    result = run_module(circleci_oidc_claims, {'project_slug': 'gh/acme/api', 'audience': ['x']})
    assert result['changed'] is True
    assert result['claims']['project_id'] == PROJECT_ID


def test_org_slug_is_resolved_once(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=COLLABORATIONS), get(claims(ttl='10m0s')))
    result = run_module(circleci_oidc_claims, {'org_slug': 'gh/acme', 'ttl': '10m'})
    assert result['changed'] is False


def test_absent_resets_only_the_named_claims(api, run_module):
    api.expect(get(claims(audience=['a'], ttl='1h0m0s')),
               call('DELETE', ORG_PATH, query={'claims': 'audience'}, body=claims(ttl='1h0m0s')))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'audience': [], 'state': 'absent'}, diff=True)
    assert result['changed'] is True
    assert result['diff'] == {'before': {'audience': ['a'], 'ttl': '1h0m0s'}, 'after': {'ttl': '1h0m0s'}}
    assert 'audience' not in result['claims']


def test_absent_without_names_resets_both(api, run_module):
    api.expect(get(claims(audience=['a'], ttl='1h0m0s')),
               call('DELETE', ORG_PATH, query={'claims': 'audience,ttl'}, body=claims()))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'state': 'absent'})
    assert result['changed'] is True


def test_absent_when_unset_is_no_change(api, run_module):
    api.expect(get(claims(audience=['a'])))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'ttl': 'whatever', 'state': 'absent'})
    assert result['changed'] is False


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(get(claims(ttl='1h0m0s')))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'state': 'absent'}, check_mode=True)
    assert result['changed'] is True
    assert 'ttl' not in result['claims']


def test_api_error_is_reported(api, run_module):
    api.expect(call('GET', ORG_PATH, status=403, body={'error': 'Forbidden'}))
    result = run_module(circleci_oidc_claims, {'org_id': ORG_ID, 'ttl': '1h'})
    assert result['failed'] is True
    assert result['msg'] == 'GET %s -> 403: Forbidden' % ORG_PATH


@pytest.mark.parametrize('args, message', [
    ({'org_id': ORG_ID, 'ttl': '90 minutes'}, "ttl: '90 minutes' is not a duration"),
    ({'org_id': ORG_ID, 'ttl': '1h30m0.5s'}, "ttl: '1h30m0.5s' is not a duration"),
    ({'org_id': ORG_ID, 'audience': []}, 'audience: must list at least one audience'),
    ({'org_id': ORG_ID, 'audience': ['a', '']}, 'audience[1]: must be a non-empty string'),
    ({'org_id': ORG_ID}, 'state is present but any of the following are missing: audience, ttl'),
    ({'org_id': 'acme', 'ttl': '1h'}, "org_id: 'acme' is not a UUID"),
    ({'org_slug': 'acme', 'ttl': '1h'}, "org_slug: 'acme' is not an organization slug"),
    ({'org_id': ORG_ID, 'project_id': 'api', 'ttl': '1h'}, "project_id: 'api' is not a UUID"),
    ({'project_id': PROJECT_ID, 'ttl': '1h'}, 'one of the following is required: org_id, org_slug, project_slug'),
    ({'org_id': ORG_ID, 'org_slug': 'gh/acme', 'ttl': '1h'}, 'parameters are mutually exclusive: org_id|org_slug'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_oidc_claims, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
