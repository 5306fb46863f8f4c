# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_workflow_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

WF = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'


BUILD = '1a5c3b7e-0000-4000-8000-000000000001'
TEST = '1a5c3b7e-0000-4000-8000-000000000002'
HOLD = '1a5c3b7e-0000-4000-8000-000000000003'


def test_workflow_and_all_its_jobs(api, run_module):
    """The emulator's approval shape build -> test -> hold -> deploy over two pages; fields the module does not
    know (max_auto_reruns, requires) come back as answered."""
    api.expect(call('GET', '/workflow/%s' % WF, body={'id': WF, 'name': 'build', 'status': 'on_hold', 'max_auto_reruns': 2}),
               call('GET', '/workflow/%s/job' % WF, body={'items': [
                   {'id': BUILD, 'name': 'build', 'requires': {}},
                   {'id': TEST, 'name': 'test', 'requires': {BUILD: ['success']}}], 'next_page_token': 't2'}),
               call('GET', '/workflow/%s/job' % WF, query={'page-token': 't2'}, body={'items': [
                   {'id': HOLD, 'name': 'hold', 'type': 'approval', 'requires': {TEST: ['success']}},
                   {'name': 'deploy', 'requires': {HOLD: ['success']}}], 'next_page_token': None}))
    result = run_module(circleci_workflow_info, {'workflow_id': WF})
    assert result['changed'] is False
    assert result['workflow']['status'] == 'on_hold' and result['workflow']['max_auto_reruns'] == 2
    assert [job['name'] for job in result['jobs']] == ['build', 'test', 'hold', 'deploy']
    assert result['jobs'][2]['requires'] == {TEST: ['success']}


def test_missing_workflow_fails_with_the_api_message(api, run_module):
    api.expect(call('GET', '/workflow/%s' % WF, status=404, body={'message': 'Workflow not found'}))
    result = run_module(circleci_workflow_info, {'workflow_id': WF})
    assert result['failed'] is True
    assert result['msg'] == 'GET /workflow/%s -> 404: Workflow not found' % WF
