# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_job_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

JOB_ID = 'e0000000-0000-4000-8000-000000000007'
HOLD_ID = 'e0000000-0000-4000-8000-000000000008'
WF_ID = 'd0000000-0000-4000-8000-000000000001'
DETAILS = {'number': 7, 'name': 'test', 'status': 'failed', 'latest_workflow': {'id': WF_ID, 'name': 'build'}}
ARTIFACT = {'path': 'test-results/junit.xml', 'node_index': 0, 'url': 'https://example.com/a'}
TEST = {'name': 'test_health', 'classname': 'tests.T', 'file': 't.py', 'result': 'failure', 'message': 'boom', 'run_time': 0.1, 'source': 'pytest'}


def test_details_only(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api/job/7', body=DETAILS))
    result = run_module(circleci_job_info, {'project_slug': 'gh/acme/api', 'job_number': 7}, check_mode=True)
    assert result == dict(result, changed=False, job=DETAILS)
    assert 'artifacts' not in result and 'tests' not in result


def test_artifacts_and_tests_every_page(api, run_module):
    other = dict(TEST, name='test_other', result='success')
    api.expect(
        call('GET', '/project/gh/acme/api/job/7', body=DETAILS),
        call('GET', '/project/gh/acme/api/7/artifacts', body={'items': [ARTIFACT], 'next_page_token': None}),
        call('GET', '/project/gh/acme/api/7/tests', body={'items': [TEST], 'next_page_token': 't2'}),
        call('GET', '/project/gh/acme/api/7/tests', query={'page-token': 't2'}, body={'items': [other], 'next_page_token': None}),
    )
    result = run_module(circleci_job_info, {'project_slug': 'gh/acme/api', 'job_number': 7, 'include': ['artifacts', 'tests']})
    assert result['artifacts'] == [ARTIFACT]
    assert result['tests'] == [TEST, other]


def test_tests_and_artifacts_in_every_form_the_service_may_answer(api, run_module):
    """A passing test's message null or "" (the spec says x-nullable; CircleCI's MCP server requires a string),
    run_time as a number or a numeric string, file absent, an artifact's pretty_path (the MCP server reads it):
    returned as answered, nothing refused."""
    passing = [dict(TEST, result='success', message=None), dict(TEST, result='success', message='', run_time='0.25')]
    no_file = dict(TEST)
    del no_file['file']
    artifact = dict(ARTIFACT, pretty_path='logs/test.log')
    api.expect(
        call('GET', '/project/gh/acme/api/job/7', body=DETAILS),
        call('GET', '/project/gh/acme/api/7/artifacts', body={'items': [artifact]}),
        call('GET', '/project/gh/acme/api/7/tests', body={'items': passing + [no_file], 'next_page_token': None}),
    )
    result = run_module(circleci_job_info, {'project_slug': 'gh/acme/api', 'job_number': 7, 'include': ['artifacts', 'tests']})
    assert result['tests'] == passing + [no_file]
    assert result['artifacts'] == [artifact]


def test_by_id_through_the_workflow(api, run_module):
    entry = {'id': JOB_ID, 'job_number': 7, 'project_slug': 'gh/acme/api', 'name': 'test', 'status': 'failed'}
    api.expect(
        call('GET', '/workflow/%s/job' % WF_ID, body={'items': [entry], 'next_page_token': None}),
        call('GET', '/project/gh/acme/api/job/7', body=DETAILS),
        call('GET', '/project/gh/acme/api/7/tests', body={'items': [TEST], 'next_page_token': None}),
    )
    result = run_module(circleci_job_info, {'job_id': JOB_ID, 'workflow_id': WF_ID, 'include': ['tests']})
    assert result['job'] == DETAILS
    assert result['tests'] == [TEST]


def test_approval_job_is_its_workflow_entry(api, run_module):
    hold = {'id': HOLD_ID, 'name': 'hold', 'type': 'approval', 'status': 'on_hold', 'approval_request_id': HOLD_ID, 'project_slug': 'gh/acme/api'}
    api.expect(call('GET', '/workflow/%s/job' % WF_ID, body={'items': [hold], 'next_page_token': None}))
    result = run_module(circleci_job_info, {'job_id': HOLD_ID, 'workflow_id': WF_ID, 'include': ['artifacts']})
    assert result['job'] == hold
    assert result['artifacts'] == []


@pytest.mark.parametrize('args, message', [
    ({'job_id': JOB_ID}, "missing parameter(s) required by 'job_id': workflow_id"),
    ({'job_id': JOB_ID, 'workflow_id': 'x'}, "workflow_id: 'x' is not a UUID"),
    ({'project_slug': 'gh/acme/api', 'job_number': -1}, 'job_number: must be 1 or more, got -1'),
    ({'project_slug': 'gh/acme/api', 'job_number': 7, 'include': ['logs']}, 'value of include must be one or more of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_job_info, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert api.requests == []
