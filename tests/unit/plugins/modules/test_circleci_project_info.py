# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_project_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

SLUG = 'gh/acme/api'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
PROJECT = {'slug': SLUG, 'name': 'api', 'id': PROJECT_ID, 'organization_name': 'acme', 'organization_slug': 'gh/acme',
           'organization_id': 'a0000000-0000-4000-8000-000000000001',
           'vcs_info': {'vcs_url': 'https://github.com/acme/api', 'provider': 'GitHub', 'default_branch': 'main'}}
STANDALONE = 'circleci/c0000000-0000-4000-8000-000000000002/c0000000-0000-4000-8000-000000000201'
ENV_VAR = {'name': 'A', 'value': 'xxxx1234', 'created-at': '#joda/inst 2023-04-14T21:20:14+0000'}
KEY = {'public-key': 'ssh-rsa AAAA', 'type': 'deploy-key', 'fingerprint': 'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f',
       'preferred': True, 'created-at': '2025-01-10T12:00:00.000Z'}
HOOK = {'id': 'b0000000-0000-4000-8000-000000000001', 'name': 'notify', 'url': 'https://hooks.example.com/x',
        'events': ['workflow-completed'], 'verify-tls': True, 'signing-secret': '****',
        'scope': {'id': PROJECT_ID, 'type': 'project'}}
SCHEDULE = {'id': 'd0000000-0000-4000-8000-000000000001', 'name': 'nightly', 'description': None,
            'timetable': {'per-hour': 1, 'hours-of-day': [2], 'days-of-week': ['MON']}, 'parameters': {'branch': 'main'},
            'actor': {'id': 'e0000000-0000-4000-8000-000000000001', 'login': 'someone', 'name': 'Someone'}}


def page(*items):
    return {'items': list(items), 'next_page_token': None}


def test_project_only_is_one_get(api, run_module):
    api.expect(call('GET', '/project/' + SLUG, body=PROJECT))
    result = run_module(circleci_project_info, {'project_slug': SLUG}, check_mode=True)
    assert result['changed'] is False
    assert result['project'] == PROJECT
    assert not set(result) & {'settings', 'env_vars', 'checkout_keys', 'webhooks', 'schedules'}


def test_everything(api, run_module):
    api.expect(
        call('GET', '/project/' + SLUG, body=PROJECT),
        call('GET', '/project/%s/settings' % SLUG, body={'advanced': {'oss': False}}),
        call('GET', '/project/%s/envvar' % SLUG, body=page(ENV_VAR)),
        call('GET', '/project/%s/checkout-key' % SLUG, body=page(KEY)),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page(HOOK)),
        call('GET', '/project/%s/schedule' % SLUG, body=page(SCHEDULE)),
    )
    result = run_module(circleci_project_info, {'project_slug': SLUG,
                                                'include': ['schedules', 'webhooks', 'checkout_keys', 'env_vars', 'settings']})
    assert result['settings'] == {'advanced': {'oss': False}}
    # the API's hyphenated field names in snake_case, as the checkout key module returns them
    assert result['env_vars'] == [{'name': 'A', 'value': 'xxxx1234', 'created_at': '#joda/inst 2023-04-14T21:20:14+0000'}]
    assert result['checkout_keys'] == [{'public_key': 'ssh-rsa AAAA', 'type': 'deploy-key', 'fingerprint': KEY['fingerprint'],
                                        'preferred': True, 'created_at': '2025-01-10T12:00:00.000Z'}]
    # webhooks and schedules come in the shape the webhook and schedule modules return
    assert result['webhooks'] == [{'id': HOOK['id'], 'name': 'notify', 'url': 'https://hooks.example.com/x',
                                   'events': ['workflow-completed'], 'verify_tls': True,
                                   'scope': {'id': PROJECT_ID, 'type': 'project'}}]
    assert [(s['name'], s['attribution_actor'], s['parameters']) for s in result['schedules']] == [('nightly', 'current', {'branch': 'main'})]
    assert result['schedules'][0]['timetable']['hours_of_day'] == [2]


@pytest.mark.parametrize('part, path, query', [
    ('settings', '/project/%s/settings' % SLUG, {}),
    ('env_vars', '/project/%s/envvar' % SLUG, {}),
    ('webhooks', '/webhook', {'scope-id': PROJECT_ID, 'scope-type': 'project'}),
])
def test_only_what_is_asked_for_is_fetched(api, run_module, part, path, query):
    body = {'advanced': {}} if part == 'settings' else page()
    api.expect(call('GET', '/project/' + SLUG, body=PROJECT), call('GET', path, query=query, body=body))
    result = run_module(circleci_project_info, {'project_slug': SLUG, 'include': [part]})
    assert part in result


def test_standalone_project_has_no_checkout_keys_and_no_request_for_them(api, run_module):
    project = dict(PROJECT, slug=STANDALONE)
    api.expect(call('GET', '/project/' + STANDALONE, body=project))
    result = run_module(circleci_project_info, {'project_slug': STANDALONE, 'include': ['checkout_keys']})
    assert result['checkout_keys'] == []


def test_missing_project_is_empty(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_project_info, {'project_slug': 'gh/acme/nope', 'include': ['env_vars', 'settings']})
    assert result['changed'] is False
    assert (result['project'], result['env_vars'], result['settings']) == ({}, [], {})


def test_other_errors_fail(api, run_module):
    api.expect(call('GET', '/project/' + SLUG, status=401, body={'message': 'You must log in first.'}))
    result = run_module(circleci_project_info, {'project_slug': SLUG})
    assert result['failed'] is True
    assert result['status'] == 401


@pytest.mark.parametrize('args, message', [
    ({'project_slug': 'api'}, "project_slug: 'api' is not a project slug"),
    ({'project_slug': SLUG, 'include': ['secrets']}, 'value of include must be one or more of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_project_info, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []


DEFINITION = {'id': 'd0000000-0000-4000-8000-000000000201', 'name': 'build-and-test', 'created_at': '2025-01-10T12:00:00.000Z',
              'config_source': {'provider': 'github_app', 'repo': {'external_id': '1', 'full_name': 'acme/api'},
                                'file_path': '.circleci/config.yml'},
              'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '1', 'full_name': 'acme/api'}}}
TRIGGER_SECRET = 'trigger-url-canary-7f3e'
WEBHOOK_TRIGGER = {'id': 'e0000000-0000-4000-8000-000000000301', 'event_name': 'deploy', 'checkout_ref': 'main', 'config_ref': 'main',
                   'event_source': {'provider': 'webhook',
                                    'webhook': {'url': 'https://internal.circleci.com/private/soc/e/x?secret=' + TRIGGER_SECRET,
                                                'sender': 'slack'}},
                   'created_at': '2025-01-10T12:00:00.000Z', 'disabled': False}


def test_pipeline_definitions_and_triggers_without_the_webhook_url(api, run_module):
    definitions = '/projects/%s/pipeline-definitions' % PROJECT_ID
    api.expect(call('GET', '/project/' + STANDALONE, body=dict(PROJECT, slug=STANDALONE)),
               call('GET', definitions, body={'items': [DEFINITION]}),
               call('GET', '%s/%s/triggers' % (definitions, DEFINITION['id']), body={'items': [WEBHOOK_TRIGGER]}))
    result = run_module(circleci_project_info, {'project_slug': STANDALONE, 'include': ['triggers', 'pipeline_definitions']})
    assert result['pipeline_definitions'] == [dict(DEFINITION, description='')]  # description always a string
    (trigger,) = result['triggers']
    assert trigger['pipeline_definition_id'] == DEFINITION['id']
    assert trigger['event_source'] == {'provider': 'webhook', 'webhook': {'sender': 'slack'}}
    assert TRIGGER_SECRET not in repr(result)


def test_a_missing_project_has_no_definitions_and_no_request_for_them(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_project_info, {'project_slug': 'gh/acme/nope', 'include': ['pipeline_definitions', 'triggers']})
    assert (result['pipeline_definitions'], result['triggers']) == ([], [])
