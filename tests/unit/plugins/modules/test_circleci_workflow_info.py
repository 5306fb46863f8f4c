# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_workflow_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

WF = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'


def test_workflow_and_all_its_jobs(api, run_module):
    api.expect(call('GET', '/workflow/%s' % WF, body={'id': WF, 'name': 'build', 'status': 'on_hold'}),
               call('GET', '/workflow/%s/job' % WF, body={'items': [{'name': 'build'}], 'next_page_token': 't2'}),
               call('GET', '/workflow/%s/job' % WF, query={'page-token': 't2'}, body={'items': [{'name': 'hold'}], 'next_page_token': None}))
    result = run_module(circleci_workflow_info, {'workflow_id': WF})
    assert result['changed'] is False
    assert result['workflow']['status'] == 'on_hold'
    assert [job['name'] for job in result['jobs']] == ['build', 'hold']


def test_missing_workflow_fails_with_the_api_message(api, run_module):
    api.expect(call('GET', '/workflow/%s' % WF, status=404, body={'message': 'Workflow not found'}))
    result = run_module(circleci_workflow_info, {'workflow_id': WF})
    assert result['failed'] is True
    assert result['msg'] == 'GET /workflow/%s -> 404: Workflow not found' % WF
