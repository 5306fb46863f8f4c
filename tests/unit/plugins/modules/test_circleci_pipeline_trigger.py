# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_pipeline_trigger
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PIPELINE_ID = '5034460f-c7c4-4c43-9457-de07e2029e7b'
BUILD_ID = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'
LINT_ID = '0b6c2d9e-7a1b-4c3d-8e9f-1a2b3c4d5e6f'
HOLD_ID = '5a1e4f0c-2b3d-4e5f-8a9b-0c1d2e3f4a5b'
DEFINITION_ID = '2338d0ae-5541-4bbf-88a2-55e9f7281f80'
CREATED = {'id': PIPELINE_ID, 'state': 'created', 'number': 7, 'created_at': '2025-01-10T12:00:00.000Z'}
PIPELINE = dict(CREATED, project_slug='gh/acme/api', errors=[], trigger={'type': 'api'})
GITHUB_APP = 'circleci/c0000000-0000-4000-8000-000000000002/c0000000-0000-4000-8000-000000000201'


def workflow(name, status, workflow_id):
    return {'id': workflow_id, 'name': name, 'status': status, 'pipeline_id': PIPELINE_ID, 'pipeline_number': 7,
            'project_slug': 'gh/acme/api', 'created_at': '2025-01-10T12:00:01.000Z', 'stopped_at': None,
            'started_by': '00000000-0000-4000-8000-000000000001'}


def workflows(*items):
    return call('GET', '/pipeline/%s/workflow' % PIPELINE_ID, body={'items': list(items), 'next_page_token': None})


def get_pipeline(body=None):
    return call('GET', '/pipeline/%s' % PIPELINE_ID, body=body or PIPELINE)


def trigger(json):
    return call('POST', '/project/gh/acme/api/pipeline', json=json, status=201, body=CREATED)


def test_trigger_without_wait_returns_the_pipeline(api, run_module, sleeps):
    api.expect(trigger({'branch': 'main', 'parameters': {'deploy': True, 'n': 3}}), get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'branch': 'main',
                                                    'parameters': {'deploy': True, 'n': 3}})
    assert result['changed'] is True
    assert result['pipeline'] == PIPELINE
    assert result['workflows'] == []
    assert sleeps == []


def test_check_mode_sends_nothing_and_shows_the_request(api, run_module):
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'tag': 'v1'}, check_mode=True)
    assert result['changed'] is True
    assert result['pipeline'] == {}
    assert result['request'] == {'method': 'POST', 'path': '/project/gh/acme/api/pipeline', 'body': {'tag': 'v1'}}
    assert api.requests == []


def test_definition_id_uses_the_run_endpoint_with_refs(api, run_module):
    body = {'definition_id': DEFINITION_ID, 'config': {'branch': 'main'}, 'checkout': {'tag': 'v2'}, 'parameters': {'x': 'y'}}
    api.expect(call('POST', '/project/%s/pipeline/run' % GITHUB_APP, json=body, status=201, body=CREATED),
               get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition_id': DEFINITION_ID,
                                                    'branch': 'main', 'checkout': {'tag': 'v2'}, 'parameters': {'x': 'y'}})
    assert result['changed'] is True
    assert result['pipeline']['id'] == PIPELINE_ID


def test_run_endpoint_that_creates_nothing_is_no_change(api, run_module):
    api.expect(call('POST', '/project/gh/acme/api/pipeline/run', json={'definition_id': DEFINITION_ID},
                    status=200, body={'message': 'Ignoring pipeline due to CI skip in the commit'}))
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'definition_id': DEFINITION_ID, 'wait': True})
    assert result['changed'] is False
    assert result['message'] == 'Ignoring pipeline due to CI skip in the commit'
    assert result['pipeline'] == {}


def test_wait_until_every_workflow_is_finished(api, run_module, sleeps):
    api.expect(
        trigger({}),
        workflows(),  # a new pipeline has no workflows for a moment
        get_pipeline(),
        workflows(workflow('build', 'running', BUILD_ID), workflow('lint', 'success', LINT_ID)),
        workflows(workflow('build', 'success', BUILD_ID), workflow('lint', 'success', LINT_ID)),
        get_pipeline(),
    )
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True, 'poll_interval': 2})
    assert result['changed'] is True
    assert [(w['name'], w['status']) for w in result['workflows']] == [('build', 'success'), ('lint', 'success')]
    assert result['pending_approvals'] == []
    assert result['failed_workflows'] == []
    assert sleeps == [2, 2]


def test_failed_workflow_fails_the_task_naming_it(api, run_module, sleeps):
    api.expect(trigger({}),
               workflows(workflow('build', 'failed', BUILD_ID), workflow('lint', 'success', LINT_ID)),
               get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True})
    assert result['failed'] is True
    assert result['changed'] is True
    assert 'build (failed, id %s)' % BUILD_ID in result['msg']
    assert 'lint' not in result['msg']
    assert result['failed_workflows'] == ['build']
    assert len(result['workflows']) == 2 and result['pipeline']['id'] == PIPELINE_ID


def test_failed_workflow_without_fail_on_workflow_failure(api, run_module, sleeps):
    api.expect(trigger({}), workflows(workflow('build', 'failed', BUILD_ID)), get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True, 'fail_on_workflow_failure': False})
    assert 'failed' not in result
    assert result['failed_workflows'] == ['build']


def test_on_hold_returns_the_pending_approvals(api, run_module, sleeps):
    jobs = [{'id': '11111111-1111-4111-8111-111111111111', 'name': 'build', 'type': 'build', 'status': 'success'},
            {'id': HOLD_ID, 'name': 'hold', 'type': 'approval', 'status': 'on_hold', 'approval_request_id': HOLD_ID}]
    api.expect(trigger({}),
               workflows(workflow('build', 'running', BUILD_ID), workflow('lint', 'running', LINT_ID)),
               workflows(workflow('build', 'on_hold', BUILD_ID), workflow('lint', 'success', LINT_ID)),
               call('GET', '/workflow/%s/job' % BUILD_ID, body={'items': jobs, 'next_page_token': None}),
               get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True, 'poll_interval': 1})
    assert 'failed' not in result
    assert result['pending_approvals'] == [{'workflow_id': BUILD_ID, 'workflow_name': 'build', 'job_name': 'hold',
                                            'job_id': HOLD_ID, 'approval_request_id': HOLD_ID}]


def test_timeout_fails_naming_wait_timeout_and_the_statuses(api, run_module, sleeps):
    running = workflows(workflow('build', 'running', BUILD_ID))
    # polls at 0, 2, 4 and 5 seconds (the last one at the deadline), then gives up
    api.expect(trigger({}), running, running, running, running, get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True, 'wait_timeout': 5, 'poll_interval': 2})
    assert result['failed'] is True
    assert result['msg'].startswith('wait_timeout: gave up after 5 seconds')
    assert 'build (running, id %s)' % BUILD_ID in result['msg']
    assert sleeps == [2, 2, 1]
    assert result['workflows'][0]['status'] == 'running'


def test_errored_pipeline_fails_with_its_errors(api, run_module, sleeps):
    errored = dict(PIPELINE, state='errored', errors=[{'type': 'config', 'message': 'Config does not conform to schema'}])
    api.expect(trigger({}), workflows(), get_pipeline(errored))
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True})
    assert result['failed'] is True
    assert 'errored: config: Config does not conform to schema' in result['msg']


def test_parameters_are_checked_before_any_request(api, run_module):
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'parameters': {'x': 'v' * 513}})
    assert result['failed'] is True
    assert result['msg'] == 'parameters.x: longer than 512 characters'
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'parameters': {'x': [1]}})
    assert result['msg'] == 'parameters.x: must be a string, an integer or a boolean, got list'
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api',
                                                    'parameters': dict(('p%d' % i, i) for i in range(101))})
    assert result['msg'] == 'parameters: at most 100 parameters are allowed, got 101'
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'parameters': {'k' * 129: 1}})
    assert result['msg'].startswith('parameters: parameter name')
    assert api.requests == []


def test_circleci_projects_need_a_definition_id(api, run_module):
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'branch': 'main'})
    assert result['failed'] is True
    assert result['msg'].startswith('definition_id: is required for')
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'checkout': {'branch': 'x'}})
    assert result['msg'] == 'checkout: only applies with definition_id or definition (the pipeline run endpoint)'
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'wait': True, 'poll_interval': 0})
    assert result['msg'].startswith('poll_interval: must be a positive number')
    assert api.requests == []


def test_api_refusal_is_reported_with_its_message(api, run_module):
    api.expect(call('POST', '/project/gh/acme/api/pipeline', status=400, body={'message': 'Branch not found'}))
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'branch': 'nope'})
    assert result['failed'] is True
    assert result['msg'] == 'POST /project/gh/acme/api/pipeline -> 400: Branch not found'


DEFINITIONS = '/projects/c0000000-0000-4000-8000-000000000201/pipeline-definitions'


def standalone_project():
    return call('GET', '/project/%s' % GITHUB_APP, body={'id': 'c0000000-0000-4000-8000-000000000201', 'slug': GITHUB_APP})


def test_a_definition_by_name_is_resolved_then_run(api, run_module):
    body = {'definition_id': DEFINITION_ID, 'config': {'branch': 'main'}, 'checkout': {'branch': 'main'}}
    api.expect(standalone_project(),
               call('GET', DEFINITIONS, body={'items': [{'id': DEFINITION_ID, 'name': 'deploy'},
                                                        {'id': BUILD_ID, 'name': 'build-and-test'}]}),
               call('POST', '/project/%s/pipeline/run' % GITHUB_APP, json=body, status=201, body=CREATED), get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition': 'deploy', 'branch': 'main'})
    assert result['changed'] is True
    assert result['request']['body']['definition_id'] == DEFINITION_ID


def test_check_mode_resolves_the_definition_and_writes_nothing(api, run_module):
    api.expect(standalone_project(), call('GET', DEFINITIONS, body={'items': [{'id': DEFINITION_ID, 'name': 'deploy'}]}))
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition': 'deploy'}, check_mode=True)
    assert result['changed'] is True
    assert result['request']['body'] == {'definition_id': DEFINITION_ID}
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_an_unknown_definition_name_fails_naming_the_option(api, run_module):
    api.expect(standalone_project(), call('GET', DEFINITIONS, body={'items': [{'id': DEFINITION_ID, 'name': 'deploy'}]}))
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition': 'release'})
    assert result['failed'] is True
    assert result['option'] == 'definition'
    assert "no pipeline definition named 'release'" in result['msg']


def test_inline_config_content_goes_with_the_config_ref(api, run_module):
    config = 'version: 2.1\njobs: {}\n'
    body = {'definition_id': DEFINITION_ID, 'config': {'branch': 'main', 'content': config}, 'checkout': {'branch': 'main'}}
    api.expect(call('POST', '/project/%s/pipeline/run' % GITHUB_APP, json=body, status=201, body=CREATED), get_pipeline())
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition_id': DEFINITION_ID, 'branch': 'main',
                                                    'config': {'content': config}})
    assert result['changed'] is True


def test_definition_options_are_checked_before_any_request(api, run_module):
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition': 'deploy', 'definition_id': DEFINITION_ID})
    assert result['msg'] == 'parameters are mutually exclusive: definition_id|definition'
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition': ' '})
    assert result['msg'] == 'definition: must be a non-empty string'
    result = run_module(circleci_pipeline_trigger, {'project_slug': 'gh/acme/api', 'config': {'content': 'version: 2.1'}})
    assert result['msg'].startswith('config: only applies with definition_id or definition')
    result = run_module(circleci_pipeline_trigger, {'project_slug': GITHUB_APP, 'definition_id': DEFINITION_ID,
                                                    'config': {'content': ''}})
    assert result['msg'] == 'config.content: must be a non-empty string'
    assert api.requests == []
