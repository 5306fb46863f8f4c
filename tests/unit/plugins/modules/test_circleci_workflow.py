# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_workflow
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PIPELINE_ID = '5034460f-c7c4-4c43-9457-de07e2029e7b'
WF_ID = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'
NEW_WF_ID = '7e3d2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c1b'
LINT_ID = '0b6c2d9e-7a1b-4c3d-8e9f-1a2b3c4d5e6f'
BUILD_JOB = '11111111-1111-4111-8111-111111111111'
TEST_JOB = '22222222-2222-4222-8222-222222222222'
HOLD_ID = '5a1e4f0c-2b3d-4e5f-8a9b-0c1d2e3f4a5b'


def workflow(status, workflow_id=WF_ID, name='build', created='2025-01-10T12:00:01.000Z'):
    return {'id': workflow_id, 'name': name, 'status': status, 'pipeline_id': PIPELINE_ID, 'pipeline_number': 7,
            'project_slug': 'gh/acme/api', 'created_at': created, 'stopped_at': None,
            'started_by': '00000000-0000-4000-8000-000000000001'}


def get(status, workflow_id=WF_ID):
    return call('GET', '/workflow/%s' % workflow_id, body=workflow(status, workflow_id))


def jobs(hold_status=None, test_status='success', workflow_id=WF_ID):
    items = [{'id': BUILD_JOB, 'name': 'build', 'type': 'build', 'status': 'success', 'job_number': 1},
             {'id': TEST_JOB, 'name': 'test', 'type': 'build', 'status': test_status, 'job_number': 2}]
    if hold_status:
        items.append({'id': HOLD_ID, 'name': 'hold', 'type': 'approval', 'status': hold_status, 'approval_request_id': HOLD_ID})
    return call('GET', '/workflow/%s/job' % workflow_id, body={'items': items, 'next_page_token': None})


def siblings(*items):
    return call('GET', '/pipeline/%s/workflow' % PIPELINE_ID, body={'items': list(items), 'next_page_token': None})


APPROVE = call('POST', '/workflow/%s/approve/%s' % (WF_ID, HOLD_ID), status=202, body={'message': 'Accepted.'})


def test_approve_by_job_name(api, run_module):
    api.expect(get('on_hold'), jobs('on_hold'), APPROVE, get('running'), jobs('success'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'hold'})
    assert result['changed'] is True
    assert result['workflow']['status'] == 'running'


def test_approve_again_is_no_change_and_no_write(api, run_module):
    api.expect(get('success'), jobs('success'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'hold'})
    assert result['changed'] is False
    assert result['reason'] == "approval job 'hold' is success, not on_hold"


def test_approve_by_approval_request_id_in_check_mode_sends_no_write(api, run_module):
    api.expect(get('on_hold'), jobs('on_hold'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'approval_request_id': HOLD_ID}, check_mode=True)
    assert result['changed'] is True
    assert result['workflow']['status'] == 'on_hold'
    assert [request.method for request in api.requests] == ['GET', 'GET']


def test_approve_then_wait_to_success(api, run_module, sleeps):
    api.expect(get('on_hold'), jobs('on_hold'), APPROVE,
               get('on_hold'), jobs('success'),  # the approval is not visible in the status yet
               get('running'),
               get('success'), jobs('success'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'hold',
                                            'wait': True, 'poll_interval': 1})
    assert result['changed'] is True
    assert result['workflow']['status'] == 'success'
    assert result['pending_approvals'] == []
    assert sleeps == [1, 1]


def test_approve_unknown_job_fails_naming_the_option(api, run_module):
    api.expect(get('on_hold'), jobs('on_hold'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'deploy'})
    assert result['failed'] is True
    assert result['msg'] == 'job_name: workflow build (%s) has no such job; its approval jobs: hold' % WF_ID


def test_approve_a_build_job_fails(api, run_module):
    api.expect(get('on_hold'), jobs('on_hold'))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'test'})
    assert result['msg'] == "job_name: job 'test' of workflow build is not an approval job"


def test_cancel_a_running_workflow(api, run_module):
    api.expect(get('running'), call('POST', '/workflow/%s/cancel' % WF_ID, status=202, body={'message': 'Accepted.'}),
               get('canceled'), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'cancel'})
    assert result['changed'] is True
    assert result['workflow']['status'] == 'canceled'


def test_cancel_a_finished_workflow_is_no_change(api, run_module):
    api.expect(get('canceled'), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'cancel'})
    assert result['changed'] is False
    assert result['reason'] == 'workflow is already canceled'


def test_cancel_and_wait_is_not_a_failure(api, run_module, sleeps):
    api.expect(get('on_hold'), call('POST', '/workflow/%s/cancel' % WF_ID, status=202, body={'message': 'Accepted.'}),
               get('canceled'), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'cancel', 'wait': True})
    assert 'failed' not in result
    assert result['changed'] is True


def test_rerun_from_failed(api, run_module):
    api.expect(get('failed'), siblings(workflow('failed'), workflow('success', LINT_ID, 'lint')),
               call('POST', '/workflow/%s/rerun' % WF_ID, json={'from_failed': True}, status=202, body={'workflow_id': NEW_WF_ID}),
               get('running', NEW_WF_ID), jobs(workflow_id=NEW_WF_ID))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'from_failed': True})
    assert result['changed'] is True
    assert result['rerun_workflow_id'] == NEW_WF_ID
    assert result['workflow']['id'] == NEW_WF_ID


def test_rerun_of_a_workflow_already_rerun_is_no_change(api, run_module):
    api.expect(get('failed'), siblings(workflow('failed'), workflow('success', NEW_WF_ID, created='2025-01-10T12:05:00.000Z')), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'from_failed': True})
    assert result['changed'] is False
    assert result['reason'] == 'workflow was already rerun as %s' % NEW_WF_ID


def test_rerun_from_failed_of_a_successful_workflow_is_no_change(api, run_module):
    api.expect(get('success'), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'from_failed': True})
    assert result['changed'] is False
    assert result['reason'] == 'workflow is success: from_failed applies to failed workflows only'


def test_rerun_of_a_running_workflow_is_no_change(api, run_module):
    api.expect(get('running'), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun'})
    assert result['changed'] is False


def test_rerun_jobs_by_name_and_id_then_wait_for_failure(api, run_module, sleeps):
    api.expect(get('failed'), siblings(workflow('failed')), jobs(test_status='failed'),
               call('POST', '/workflow/%s/rerun' % WF_ID, json={'jobs': [TEST_JOB, BUILD_JOB], 'enable_ssh': True, 'sparse_tree': True},
                    status=202, body={'workflow_id': NEW_WF_ID}),
               get('failed', NEW_WF_ID), jobs(test_status='failed', workflow_id=NEW_WF_ID))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'jobs': ['test', BUILD_JOB],
                                            'enable_ssh': True, 'sparse_tree': True, 'wait': True})
    assert result['failed'] is True
    assert result['changed'] is True
    assert result['msg'] == 'workflow build (%s) did not succeed: it is failed' % NEW_WF_ID


def test_rerun_unknown_job_fails_before_any_write(api, run_module):
    api.expect(get('failed'), siblings(workflow('failed')), jobs())
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'jobs': ['deploy']})
    assert result['failed'] is True
    assert result['msg'] == "jobs[0]: 'deploy' is neither the name nor the id of a job of workflow build; its jobs: build, test"


def test_options_are_checked_before_any_request(api, run_module):
    cases = [
        ({'workflow_id': 'nope', 'action': 'cancel'}, "workflow_id: 'nope' is not a UUID"),
        ({'workflow_id': WF_ID, 'action': 'approve'}, 'action is approve but any of the following are missing: job_name, approval_request_id'),
        ({'workflow_id': WF_ID, 'action': 'cancel', 'job_name': 'hold'}, 'job_name: only applies with action=approve'),
        ({'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'hold', 'from_failed': True}, 'from_failed: only applies with action=rerun'),
        ({'workflow_id': WF_ID, 'action': 'rerun', 'from_failed': True, 'jobs': ['a']}, 'from_failed: from_failed and jobs are mutually exclusive'),
        ({'workflow_id': WF_ID, 'action': 'rerun', 'sparse_tree': True}, 'sparse_tree is True but all of the following are missing: jobs'),
        ({'workflow_id': WF_ID, 'action': 'rerun', 'jobs': []}, 'jobs: must list at least one job name or UUID'),
    ]
    for args, message in cases:
        result = run_module(circleci_workflow, args)
        assert result['failed'] is True
        assert result['msg'] == message
    assert api.requests == []


def test_wait_after_rerun_times_out_naming_wait_timeout(api, run_module, sleeps):
    api.expect(get('canceled'), siblings(workflow('canceled')),
               call('POST', '/workflow/%s/rerun' % WF_ID, json={}, status=202, body={'workflow_id': NEW_WF_ID}),
               get('running', NEW_WF_ID), get('running', NEW_WF_ID), get('running', NEW_WF_ID), jobs(workflow_id=NEW_WF_ID))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'rerun', 'wait': True, 'wait_timeout': 3, 'poll_interval': 2})
    assert result['failed'] is True
    assert result['changed'] is True
    assert result['msg'] == 'wait_timeout: gave up after 3 seconds: workflow build (%s) was still running' % NEW_WF_ID
    assert result['workflow']['id'] == NEW_WF_ID
    assert sleeps == [2, 1]


def test_wait_stops_at_another_pending_approval(api, run_module, sleeps):
    second = {'items': [{'id': HOLD_ID, 'name': 'hold', 'type': 'approval', 'status': 'success', 'approval_request_id': HOLD_ID},
                        {'id': BUILD_JOB, 'name': 'hold-prod', 'type': 'approval', 'status': 'on_hold', 'approval_request_id': BUILD_JOB}],
              'next_page_token': None}
    api.expect(get('on_hold'), jobs('on_hold'), APPROVE,
               get('on_hold'), call('GET', '/workflow/%s/job' % WF_ID, body=second))
    result = run_module(circleci_workflow, {'workflow_id': WF_ID, 'action': 'approve', 'job_name': 'hold', 'wait': True})
    assert 'failed' not in result
    assert [approval['job_name'] for approval in result['pending_approvals']] == ['hold-prod']
    assert sleeps == []
