# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_job
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

JOB_ID = 'e0000000-0000-4000-8000-000000000007'
WF_ID = 'd0000000-0000-4000-8000-000000000001'
DETAILS = '/project/gh/acme/api/job/7'
BY_NUMBER = {'project_slug': 'gh/acme/api', 'job_number': 7}
BY_ID = {'job_id': JOB_ID, 'workflow_id': WF_ID}


def details(status):
    return call('GET', DETAILS, body={'number': 7, 'name': 'test', 'status': status})


def workflow_jobs(status):
    other = {'id': 'e0000000-0000-4000-8000-000000000006', 'name': 'build', 'status': 'success', 'job_number': 6}
    job = {'id': JOB_ID, 'name': 'test', 'status': status, 'job_number': 7, 'project_slug': 'gh/acme/api'}
    return call('GET', '/workflow/%s/job' % WF_ID, body={'items': [other, job], 'next_page_token': None})


@pytest.mark.parametrize('status', ['running', 'queued', 'not_running', 'on_hold', 'blocked'])
def test_cancels_a_job_that_has_not_ended(api, run_module, status):
    api.expect(details(status), call('POST', DETAILS + '/cancel', status=200, body={'message': 'Job canceled.'}), details('canceled'))
    result = run_module(circleci_job, BY_NUMBER)
    assert result['changed'] is True
    assert result['action_taken'] is True
    assert result['message'] == 'Job canceled.'
    assert result['job']['status'] == 'canceled'


@pytest.mark.parametrize('status', ['success', 'failed', 'canceled', 'not_run'])
def test_finished_job_is_left_alone(api, run_module, status):
    api.expect(details(status))
    result = run_module(circleci_job, BY_NUMBER)
    assert result['changed'] is False
    assert result['reason'] == 'job is already %s' % status
    assert result['job']['status'] == status


def test_check_mode_only_reads(api, run_module):
    api.expect(details('running'))
    result = run_module(circleci_job, BY_NUMBER, check_mode=True)
    assert result['changed'] is True
    assert result['job']['status'] == 'running'


def test_by_id_reads_the_workflow_jobs(api, run_module):
    api.expect(workflow_jobs('running'), call('POST', '/jobs/%s/cancel' % JOB_ID, status=200, body={'message': 'Job canceled.'}),
               workflow_jobs('canceled'))
    result = run_module(circleci_job, BY_ID)
    assert result['changed'] is True
    assert result['job']['id'] == JOB_ID
    assert result['job']['status'] == 'canceled'


def test_by_id_finished_job_sends_no_write(api, run_module):
    api.expect(workflow_jobs('success'))
    result = run_module(circleci_job, BY_ID)
    assert result['changed'] is False
    assert result['reason'] == 'job is already success'


def test_by_id_not_in_the_workflow_fails(api, run_module):
    api.expect(call('GET', '/workflow/%s/job' % WF_ID, body={'items': [], 'next_page_token': None}))
    result = run_module(circleci_job, BY_ID)
    assert result['msg'] == 'job_id: job %s is not a job of workflow %s' % (JOB_ID, WF_ID)


def test_job_id_alone_sends_the_cancel(api, run_module):
    api.expect(call('POST', '/jobs/%s/cancel' % JOB_ID, status=200, body={'message': 'Job canceled.'}))
    result = run_module(circleci_job, {'job_id': JOB_ID})
    assert result['changed'] is True
    assert result['job'] == {'id': JOB_ID}


def test_job_id_alone_refused_for_a_finished_job_is_no_change(api, run_module):
    api.expect(call('POST', '/jobs/%s/cancel' % JOB_ID, status=400, body={'message': 'Job test has already finished (status success).'}))
    result = run_module(circleci_job, {'job_id': JOB_ID})
    assert result['changed'] is False
    assert result['reason'] == 'Job test has already finished (status success).'


def test_job_id_alone_in_check_mode_sends_nothing_and_warns(api, run_module):
    result = run_module(circleci_job, {'job_id': JOB_ID}, check_mode=True)
    assert result['changed'] is True
    assert 'cannot tell whether it would be canceled' in json.dumps(result['warnings'])
    assert api.requests == []


def test_job_that_ends_between_read_and_cancel_is_no_change(api, run_module):
    api.expect(details('running'), call('POST', DETAILS + '/cancel', status=400, body={'message': 'Job test has already finished (status success).'}))
    result = run_module(circleci_job, BY_NUMBER)
    assert result['changed'] is False
    assert result['reason'].startswith('Job test has already finished')


def test_other_api_errors_fail(api, run_module):
    api.expect(call('POST', '/jobs/%s/cancel' % JOB_ID, status=404, body={'message': 'Job not found.'}))
    result = run_module(circleci_job, {'job_id': JOB_ID})
    assert result['failed'] is True
    assert result['msg'] == 'POST /jobs/%s/cancel -> 404: Job not found.' % JOB_ID


@pytest.mark.parametrize('args, message', [
    ({'job_id': 'nope'}, "job_id: 'nope' is not a UUID"),
    ({'project_slug': 'gh/acme', 'job_number': 7}, "project_slug: 'gh/acme' is not a project slug"),
    ({'project_slug': 'gh/acme/api', 'job_number': 0}, 'job_number: must be 1 or more, got 0'),
    ({'project_slug': 'gh/acme/api'}, 'parameters are required together: project_slug, job_number'),
    ({'workflow_id': WF_ID}, 'one of the following is required: job_id, project_slug'),
    ({'workflow_id': WF_ID, 'project_slug': 'gh/acme/api', 'job_number': 7}, 'parameters are mutually exclusive: workflow_id|project_slug'),
    ({'job_id': JOB_ID, 'project_slug': 'gh/acme/api', 'job_number': 7}, 'parameters are mutually exclusive'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_job, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert api.requests == []
