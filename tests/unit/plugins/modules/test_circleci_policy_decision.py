# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_policy_decision
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
DECISION = '/owner/%s/context/config/decision' % ORG_ID
CONFIG = 'version: 2.1\njobs: {}\n'
HARD = {'rule': 'use_official_images', 'reason': 'node:20 is not official'}
SOFT = {'rule': 'small_resource_class', 'reason': 'large is too big'}


def decide(answer, body=None):
    return call('POST', DECISION, json=body or {'input': CONFIG}, body=answer)


def test_pass(api, run_module):
    api.expect(decide({'status': 'PASS', 'enabled_rules': ['use_official_images']}))
    result = run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'config': CONFIG})
    assert result['changed'] is False
    assert result['decision']['status'] == 'PASS'


def test_hard_fail_fails_the_task_naming_the_rule(api, run_module):
    answer = {'status': 'HARD_FAIL', 'hard_failures': [HARD], 'soft_failures': [SOFT]}
    api.expect(decide(answer))
    result = run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'config': CONFIG})
    assert result['failed'] is True
    assert result['msg'] == 'the policy decision is HARD_FAIL: use_official_images: node:20 is not official'
    assert result['decision'] == answer
    assert result['failures'] == ['use_official_images: node:20 is not official']


def test_soft_fail_only_fails_with_fail_on_soft(api, run_module):
    answer = {'status': 'SOFT_FAIL', 'soft_failures': [SOFT]}
    api.expect(decide(answer), decide(answer))
    assert run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'config': CONFIG}).get('failed') is None
    result = run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'config': CONFIG, 'fail_on': 'soft'})
    assert result['failed'] is True
    assert 'small_resource_class: large is too big' in result['msg']


def test_never_returns_the_decision(api, run_module):
    api.expect(decide({'status': 'HARD_FAIL', 'hard_failures': [HARD]}))
    result = run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'config': CONFIG, 'fail_on': 'never'})
    assert result['changed'] is False
    assert result['decision']['hard_failures'] == [HARD]


def test_src_file_and_metadata_in_check_mode(api, run_module, tmp_path):
    src = tmp_path / 'config.yml'
    src.write_text(CONFIG)
    api.expect(decide({'status': 'PASS'}, body={'input': CONFIG, 'metadata': {'branch': 'main'}}))
    result = run_module(circleci_policy_decision, {'owner_id': ORG_ID, 'src': str(src), 'metadata': {'branch': 'main'}},
                        check_mode=True)
    assert result['decision'] == {'status': 'PASS'}


@pytest.mark.parametrize('args, message', [
    ({'owner_id': ORG_ID}, 'one of the following is required: config, src'),
    ({'owner_id': ORG_ID, 'config': '  '}, 'config: must be a non-empty string'),
    ({'owner_id': ORG_ID, 'src': '/nonexistent/config.yml'}, "src: cannot read '/nonexistent/config.yml'"),
    ({'owner_id': 'acme', 'config': CONFIG}, "owner_id: 'acme' is not a UUID"),
    ({'owner_id': ORG_ID, 'config': CONFIG, 'fail_on': 'warn'}, 'value of fail_on must be one of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_policy_decision, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
