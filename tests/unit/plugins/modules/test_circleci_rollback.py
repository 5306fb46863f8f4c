# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_rollback
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
PIPELINE_ID = '5034460f-c7c4-4c43-9457-de07e2029e7b'
WORKFLOW_ID = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'
ROLLBACK_PATH = '/projects/%s/rollback' % PROJECT_ID
BODY = {'environment_name': 'production', 'component_name': 'api', 'current_version': '1.24.0', 'target_version': '1.23.0'}
ARGS = dict(BODY, project_id=PROJECT_ID)
ANSWER = {'id': PIPELINE_ID, 'rollback_type': 'PIPELINE'}
PIPELINE = {'id': PIPELINE_ID, 'number': 26, 'state': 'created', 'project_slug': 'gh/acme/api',
            'created_at': '2025-01-10T12:00:00.000Z', 'errors': [], 'trigger': {'type': 'api'}}


def post(json=None, status=202, body=None, **kw):
    return call('POST', ROLLBACK_PATH, json=BODY if json is None else json, status=status,
                body=ANSWER if body is None else body, **kw)


def get_pipeline():
    return call('GET', '/pipeline/%s' % PIPELINE_ID, body=PIPELINE)


def workflows(status):
    item = {'id': WORKFLOW_ID, 'name': 'rollback', 'status': status, 'pipeline_id': PIPELINE_ID, 'pipeline_number': 26,
            'project_slug': 'gh/acme/api', 'created_at': '2025-01-10T12:00:01.000Z', 'stopped_at': None,
            'started_by': '00000000-0000-4000-8000-000000000001'}
    return call('GET', '/pipeline/%s/workflow' % PIPELINE_ID, body={'items': [item], 'next_page_token': None})


def test_rollback_returns_the_pipeline_it_started(api, run_module, sleeps):
    api.expect(post(), get_pipeline())
    result = run_module(circleci_rollback, ARGS)
    assert result['changed'] is True
    assert result['rollback'] == ANSWER
    assert result['pipeline'] == PIPELINE
    assert result['workflows'] == []
    assert result['request'] == {'method': 'POST', 'path': ROLLBACK_PATH, 'body': BODY}
    assert sleeps == []


def test_project_slug_is_resolved_and_every_option_is_sent(api, run_module):
    body = dict(BODY, namespace='default', reason='5xx after the release', parameters={'drain': True, 'n': 2})
    api.expect(call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'slug': 'gh/acme/api'}),
               post(json=body), get_pipeline())
    result = run_module(circleci_rollback, dict(body, project_slug='gh/acme/api'))
    assert result['changed'] is True
    assert result['request']['body'] == body


def test_wait_until_the_rollback_workflow_is_finished(api, run_module, sleeps):
    api.expect(post(), workflows('running'), workflows('success'), get_pipeline())
    result = run_module(circleci_rollback, dict(ARGS, wait=True, poll_interval=2))
    assert result['changed'] is True
    assert [(w['name'], w['status']) for w in result['workflows']] == [('rollback', 'success')]
    assert result['failed_workflows'] == []
    assert sleeps == [2]


def test_a_failed_rollback_workflow_fails_the_task_naming_it(api, run_module, sleeps):
    api.expect(post(), workflows('failed'), get_pipeline())
    result = run_module(circleci_rollback, dict(ARGS, wait=True))
    assert result['failed'] is True
    assert result['changed'] is True
    assert 'workflows did not succeed: rollback (failed, id %s)' % WORKFLOW_ID in result['msg']
    assert result['failed_workflows'] == ['rollback']
    assert result['rollback'] == ANSWER


def test_check_mode_sends_nothing(api, run_module):
    result = run_module(circleci_rollback, dict(BODY, project_slug='gh/acme/api', wait=True), check_mode=True)
    assert result['changed'] is True
    assert result['rollback'] == {} and result['pipeline'] == {}
    assert result['request'] == {'method': 'POST', 'path': '/projects/<id of gh/acme/api>/rollback', 'body': BODY}
    result = run_module(circleci_rollback, ARGS, check_mode=True)
    assert result['request']['path'] == ROLLBACK_PATH
    assert api.requests == []


def test_a_lost_answer_is_not_sent_again(api, run_module, sleeps):
    api.expect(post(drop=True))
    result = run_module(circleci_rollback, ARGS)
    assert result['failed'] is True
    assert 'may have been applied' in result['msg']
    assert result['api_path'] == ROLLBACK_PATH
    assert sleeps == []


def test_a_5xx_is_not_sent_again(api, run_module, sleeps):
    api.expect(post(status=502, body={'message': 'Bad Gateway'}))
    result = run_module(circleci_rollback, ARGS)
    assert result['failed'] is True
    assert result['status'] == 502
    assert 'may have been applied' in result['msg']


def test_a_429_is_waited_out_and_sent_again(api, run_module, sleeps):
    api.expect(post(status=429, body={'message': 'Rate limit exceeded.'}, headers={'Retry-After': '3'}), post(),
               get_pipeline())
    result = run_module(circleci_rollback, ARGS)
    assert result['changed'] is True
    assert sleeps == [3]


def test_the_apis_refusal_is_the_failure(api, run_module):
    message = 'No rollback pipeline definition is configured for this project.'
    api.expect(post(status=409, body={'message': message}))
    result = run_module(circleci_rollback, ARGS)
    assert result['failed'] is True
    assert result['status'] == 409
    assert result['msg'] == 'POST %s -> 409: %s' % (ROLLBACK_PATH, message)


def test_an_unknown_project_slug_names_the_option(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_rollback, dict(BODY, project_slug='gh/acme/nope'))
    assert result['failed'] is True
    assert result['msg'].startswith("project_slug: 'gh/acme/nope' was not found, or the token may not access it")


def test_a_rollback_that_is_not_a_pipeline_is_not_followed(api, run_module):
    api.expect(post(body={'id': PIPELINE_ID, 'rollback_type': 'WORKFLOW_RERUN'}))
    result = run_module(circleci_rollback, dict(ARGS, wait=True))
    assert result['changed'] is True
    assert result['rollback']['rollback_type'] == 'WORKFLOW_RERUN'
    assert result['pipeline'] == {}
    assert 'not a pipeline' in result['message']
