# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_policy_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
BASE = '/owner/%s/context/config' % ORG_ID
ARGS = {'owner_id': ORG_ID}


def test_bundle(api, run_module):
    bundle = {'a': [{'name': 'a', 'content': 'package org'}]}
    api.expect(call('GET', BASE + '/policy-bundle', body=bundle))
    result = run_module(circleci_policy_info, ARGS)
    assert (result['changed'], result['bundle'], result['policies']) == (False, bundle, {'a': 'package org'})


def test_policy_found_and_missing(api, run_module):
    api.expect(call('GET', BASE + '/policy-bundle/a', body={'name': 'a', 'content': 'package org'}),
               call('GET', BASE + '/policy-bundle/nope', status=404, body={'error': 'policy not found'}))
    assert run_module(circleci_policy_info, dict(ARGS, what='policy', policy_name='a'))['policy']['content'] == 'package org'
    assert run_module(circleci_policy_info, dict(ARGS, what='policy', policy_name='nope'))['policy'] == {}


def test_settings(api, run_module):
    api.expect(call('GET', BASE + '/decision/settings', body={'enabled': True}))
    assert run_module(circleci_policy_info, dict(ARGS, what='settings'))['settings'] == {'enabled': True}


def test_decisions_all_pages_with_filters(api, run_module):
    query = {'status': 'HARD_FAIL', 'branch': 'main', 'project_id': PROJECT_ID, 'after': '2025-01-01T00:00:00Z'}
    api.expect(
        call('GET', BASE + '/decision', query=query, body=[{'id': '1'}, {'id': '2'}]),
        call('GET', BASE + '/decision', query=dict(query, offset='2'), body=[{'id': '3'}]),
        call('GET', BASE + '/decision', query=dict(query, offset='3'), body=[]),
    )
    args = dict(ARGS, what='decisions', status='HARD_FAIL', branch='main', project_id=PROJECT_ID, after='2025-01-01T00:00:00Z')
    assert [d['id'] for d in run_module(circleci_policy_info, args)['decisions']] == ['1', '2', '3']


def test_decision_with_its_bundle(api, run_module):
    api.expect(call('GET', BASE + '/decision/d1', body={'id': 'd1', 'decision': {'status': 'PASS'}}),
               call('GET', BASE + '/decision/d1/policy-bundle', body={'a': [{'name': 'a', 'content': 'A'}]}))
    result = run_module(circleci_policy_info, dict(ARGS, what='decision', decision_id='d1', include_bundle=True))
    assert result['decision'] == {'id': 'd1', 'decision': {'status': 'PASS'}, 'policy_bundle': {'a': 'A'}}


def test_missing_decision_is_empty(api, run_module):
    api.expect(call('GET', BASE + '/decision/d9', status=404, body={'error': 'decision log not found'}))
    assert run_module(circleci_policy_info, dict(ARGS, what='decision', decision_id='d9'))['decision'] == {}


@pytest.mark.parametrize('args, message', [
    (dict(ARGS, what='policy'), 'what is policy but all of the following are missing: policy_name'),
    (dict(ARGS, what='decision'), 'what is decision but all of the following are missing: decision_id'),
    (dict(ARGS, status='PASS'), 'status: only applies with what=decisions'),
    (dict(ARGS, what='settings', policy_name='a'), 'policy_name: only applies with what=policy'),
    (dict(ARGS, include_bundle=True), 'include_bundle: only applies with what=decision'),
    (dict(ARGS, what='decisions', after='yesterday'), "after: 'yesterday' is not an RFC 3339 date-time"),
    (dict(ARGS, what='decisions', project_id='gh/acme/api'), "project_id: 'gh/acme/api' is not a UUID"),
    ({'org_slug': 'acme'}, "org_slug: 'acme' is not an organization slug"),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_policy_info, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
