# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_policy_bundle
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
BASE = '/owner/%s/context/config' % ORG_ID
BUNDLE = BASE + '/policy-bundle'
SETTINGS = BASE + '/decision/settings'
POLICIES = {'a': 'package org\npolicy_name["a"]\n', 'b': 'package org\npolicy_name["b"]\n'}
NO_DIFF = {'created': [], 'deleted': [], 'modified': []}
ARGS = {'owner_id': ORG_ID, 'policies': POLICIES}


def dry(body, policies=None):
    return call('POST', BUNDLE, query={'dry': 'true'}, json={'policies': POLICIES if policies is None else policies}, body=body)


def push(body, policies=None):
    return call('POST', BUNDLE, query={}, json={'policies': POLICIES if policies is None else policies}, status=201, body=body)


def test_push_a_new_bundle(api, run_module):
    api.expect(dry({'created': ['b', 'a'], 'deleted': [], 'modified': []}), push({'created': ['a', 'b'], 'deleted': [], 'modified': []}))
    result = run_module(circleci_policy_bundle, ARGS)
    assert result['changed'] is True
    assert result['diff'] == {'created': ['a', 'b'], 'deleted': [], 'modified': []}
    assert 'settings' not in result


def test_check_mode_sends_exactly_one_dry_post(api, run_module):
    api.expect(dry({'created': ['a'], 'deleted': ['old'], 'modified': ['b']}))
    result = run_module(circleci_policy_bundle, ARGS, check_mode=True)
    assert result['changed'] is True
    assert result['diff'] == {'created': ['a'], 'deleted': ['old'], 'modified': ['b']}
    assert api.log == ['POST %s?dry=true' % BUNDLE]


def test_check_mode_with_settings_only_reads_them(api, run_module):
    api.expect(dry(NO_DIFF), call('GET', SETTINGS, body={'enabled': False}))
    result = run_module(circleci_policy_bundle, dict(ARGS, decision_enabled=True), check_mode=True)
    assert result['changed'] is True
    assert result['settings'] == {'enabled': True}
    assert [r for r in api.log if not r.startswith('GET ')] == ['POST %s?dry=true' % BUNDLE]


def test_idempotent_rerun_sends_only_the_dry_run(api, run_module):
    api.expect(dry(NO_DIFF), call('GET', SETTINGS, body={'enabled': True}))
    result = run_module(circleci_policy_bundle, dict(ARGS, decision_enabled=True))
    assert result['changed'] is False
    assert result['diff'] == NO_DIFF
    assert result['settings'] == {'enabled': True}
    assert api.log == ['POST %s?dry=true' % BUNDLE, 'GET %s' % SETTINGS]


def test_settings_are_patched_when_they_differ(api, run_module):
    api.expect(dry(NO_DIFF), call('GET', SETTINGS, body={'enabled': True}),
               call('PATCH', SETTINGS, json={'enabled': False}, body={'enabled': False}))
    result = run_module(circleci_policy_bundle, dict(ARGS, decision_enabled=False))
    assert result['changed'] is True
    assert result['settings'] == {'enabled': False}


def test_src_directory(api, run_module, tmp_path):
    for name, content in POLICIES.items():
        (tmp_path / ('%s.rego' % name)).write_text(content)
    api.expect(dry(NO_DIFF))
    result = run_module(circleci_policy_bundle, {'owner_id': ORG_ID, 'src': str(tmp_path)})
    assert result['changed'] is False


def test_absent_pushes_an_empty_bundle(api, run_module):
    api.expect(dry({'deleted': ['a', 'b']}, policies={}), push({'deleted': ['a', 'b']}, policies={}))
    result = run_module(circleci_policy_bundle, {'owner_id': ORG_ID, 'state': 'absent'})
    assert result['changed'] is True
    assert result['diff'] == {'created': [], 'deleted': ['a', 'b'], 'modified': []}


def test_diff_mode_shows_the_sources(api, run_module):
    api.expect(call('GET', BUNDLE, body={'a': [{'name': 'a', 'content': POLICIES['a']}], 'old': [{'name': 'old', 'content': 'x'}]}),
               dry({'created': ['b'], 'deleted': ['old'], 'modified': []}))
    result = run_module(circleci_policy_bundle, ARGS, check_mode=True, diff=True)
    assert result['diff']['before'] == {'policies': {'a': POLICIES['a'], 'old': 'x'}}
    assert result['diff']['after'] == {'policies': POLICIES}
    assert result['diff']['created'] == ['b']


def test_diff_names_policies_as_the_api_does_not_by_file_name(api, run_module):
    # files deploy.rego and branches.rego declare policy_name "deploy_rules" and "only_main": the API
    # lists those names in created / modified, so the before / after views use them too
    policies = {'deploy': 'package org\npolicy_name["deploy_rules"]\n', 'branches': 'package org\npolicy_name contains "only_main"\n'}
    api.expect(call('GET', BUNDLE, body={'deploy_rules': [{'name': 'deploy_rules', 'content': 'package org\n'}]}),
               dry({'created': ['only_main'], 'deleted': [], 'modified': ['deploy_rules']}, policies=policies))
    result = run_module(circleci_policy_bundle, dict(ARGS, policies=policies), check_mode=True, diff=True)
    assert sorted(result['diff']['after']['policies']) == ['deploy_rules', 'only_main']
    assert set(result['diff']['created'] + result['diff']['modified']) == set(result['diff']['after']['policies'])


def test_org_slug_is_resolved(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ORG_ID, 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github', 'avatar_url': 'x'}]),
               dry(NO_DIFF))
    result = run_module(circleci_policy_bundle, {'org_slug': 'gh/acme', 'policies': POLICIES})
    assert result['changed'] is False


def test_too_large_is_a_clear_error(api, run_module):
    api.expect(call('POST', BUNDLE, query={'dry': 'true'}, status=413, body={'error': 'http: request payload too large'}))
    result = run_module(circleci_policy_bundle, ARGS)
    assert result['failed'] is True
    assert result['status'] == 413
    assert 'the policy bundle is too large' in result['msg']


@pytest.mark.parametrize('args, message', [
    ({'owner_id': ORG_ID}, 'state is present but any of the following are missing: policies, src'),
    ({'owner_id': 'acme', 'policies': POLICIES}, "owner_id: 'acme' is not a UUID"),
    ({'org_slug': 'acme', 'policies': POLICIES}, "org_slug: 'acme' is not an organization slug"),
    ({'owner_id': ORG_ID, 'policies': POLICIES, 'state': 'absent'}, 'policies: not used with state=absent'),
    ({'owner_id': ORG_ID, 'policies': {'a': 1}}, "policies: the content of 'a' must be a string"),
    ({'owner_id': ORG_ID, 'src': '/nonexistent/policies'}, "src: '/nonexistent/policies' is not a directory"),
    ({'owner_id': ORG_ID, 'policies': POLICIES, 'context': 'other'}, 'value of context must be one of: config'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_policy_bundle, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
