# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_webhook, circleci_webhook_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
HOOK_ID = '1d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11'
SCOPE_QUERY = {'scope-id': PROJECT_ID, 'scope-type': 'project'}
SECRET = 'whsec-canary-0f9e8d7c6b'
URL = 'https://hooks.example.com/circleci'
ARGS = {'project_slug': 'gh/acme/api', 'name': 'notify'}


def project():
    return call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'slug': 'gh/acme/api', 'name': 'api'})


def stored(**overrides):
    webhook = {'id': HOOK_ID, 'name': 'notify', 'url': URL, 'events': ['job-completed', 'workflow-completed'],
               'verify-tls': True, 'signing-secret': '****', 'scope': {'id': PROJECT_ID, 'type': 'project'},
               'created-at': '2025-01-10T12:00:00.000Z', 'updated-at': '2025-01-10T12:00:00.000Z'}
    webhook.update(overrides)
    return webhook


def listing(*webhooks):
    return call('GET', '/webhook', query=SCOPE_QUERY, body={'items': list(webhooks), 'next_page_token': None})


def put(body, answer=None):
    return call('PUT', '/webhook/%s' % HOOK_ID, json=body, body=answer or stored())


def assert_secret_free(result):
    assert SECRET not in json.dumps(result)
    assert '****' not in json.dumps(result)


def test_create(api, run_module):
    body = {'name': 'notify', 'url': URL, 'events': ['job-completed', 'workflow-completed'], 'verify-tls': True,
            'signing-secret': SECRET, 'scope': {'id': PROJECT_ID, 'type': 'project'}}
    api.expect(project(), listing(), call('POST', '/webhook', json=body, status=201, body=stored()), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed', 'job-completed'],
                                               signing_secret=SECRET), diff=True)
    assert result['changed'] is True
    assert result['webhook'] == {'id': HOOK_ID, 'name': 'notify', 'url': URL, 'events': ['job-completed', 'workflow-completed'],
                                 'verify_tls': True, 'scope': {'id': PROJECT_ID, 'type': 'project'},
                                 'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-10T12:00:00.000Z'}
    assert result['diff']['before'] == {}
    assert result['diff']['after']['signing_secret'] == '<hidden>'
    assert_secret_free(result)


def test_create_by_project_id_needs_no_project_lookup(api, run_module):
    api.expect(listing(), call('POST', '/webhook', json=lambda body: body['scope'] == {'id': PROJECT_ID, 'type': 'project'}
                               and body['verify-tls'] is False, status=201, body=stored(**{'verify-tls': False})),
               listing(stored(**{'verify-tls': False})))
    result = run_module(circleci_webhook, {'project_id': PROJECT_ID.upper(), 'name': 'notify', 'url': URL,
                                           'events': ['job-completed'], 'verify_tls': False, 'signing_secret': SECRET})
    assert result['changed'] is True
    assert result['webhook']['verify_tls'] is False


def test_create_after_a_lost_answer_does_not_duplicate(api, run_module, sleeps):
    api.expect(project(), listing(),
               call('POST', '/webhook', drop=True),
               listing(stored()), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed', 'job-completed'],
                                               signing_secret=SECRET))
    assert result['changed'] is True
    assert result['webhook']['id'] == HOOK_ID
    assert len(sleeps) == 1


OTHER_ID = '2e5c5b5f-5b9d-4c3c-8e1f-7b2a6c3f9d22'


def test_a_concurrent_create_of_the_same_name_keeps_the_older_webhook(api, run_module):
    # another run created "notify" between our read ("absent") and our create: ours is newer,
    # so ours is deleted and the older one kept (the other run keeps it too)
    theirs = stored(id=OTHER_ID, **{'created-at': '2025-01-10T11:59:59.000Z'})
    api.expect(project(), listing(), call('POST', '/webhook', status=201, body=stored()), listing(theirs, stored()),
               call('DELETE', '/webhook/%s' % HOOK_ID, body={'message': 'ok'}))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed', 'job-completed'],
                                               signing_secret=SECRET))
    assert result['changed'] is True
    assert result['webhook']['id'] == OTHER_ID


def test_a_concurrent_create_keeps_ours_when_it_is_the_older(api, run_module):
    theirs = stored(id=OTHER_ID, **{'created-at': '2025-01-10T12:00:01.000Z'})
    api.expect(project(), listing(), call('POST', '/webhook', status=201, body=stored()), listing(stored(), theirs))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed', 'job-completed'],
                                               signing_secret=SECRET))
    assert result['webhook']['id'] == HOOK_ID


def test_check_mode_create_sends_no_write(api, run_module):
    api.expect(project(), listing())
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed'], signing_secret=SECRET),
                        check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'id' not in result['webhook']
    assert result['webhook']['events'] == ['workflow-completed']
    assert [r.method for r in api.requests] == ['GET', 'GET']
    assert_secret_free(result)


def test_rerun_with_on_create_is_gets_only(api, run_module):
    # events in another order, stored answer in snake_case: still no change
    api.expect(project(), listing(stored(verify_tls=True, **{'events': ['workflow-completed', 'job-completed']})))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['job-completed', 'workflow-completed', 'job-completed'],
                                               verify_tls=True, signing_secret=SECRET, update_mode='on_create'))
    assert result['changed'] is False
    assert [r.method for r in api.requests] == ['GET', 'GET']
    assert_secret_free(result)


def test_snake_case_reads_are_understood(api, run_module):
    snake = {'id': HOOK_ID, 'name': 'notify', 'url': URL, 'events': ['workflow-completed'], 'verify_tls': False,
             'signing_secret': '****', 'scope': {'id': PROJECT_ID, 'type': 'project'},
             'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-10T12:00:00.000Z'}
    api.expect(project(), listing(snake))
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['workflow-completed'], verify_tls=False,
                                               signing_secret=SECRET, update_mode='on_create'))
    assert result['changed'] is False
    assert result['webhook']['verify_tls'] is False


def test_always_rewrites_the_secret(api, run_module):
    body = {'name': 'notify', 'url': URL, 'events': ['job-completed', 'workflow-completed'], 'verify-tls': True,
            'signing-secret': SECRET}
    api.expect(project(), listing(stored()), put(body))
    result = run_module(circleci_webhook, dict(ARGS, signing_secret=SECRET), diff=True)
    assert result['changed'] is True
    assert result['diff']['after']['signing_secret'] == '<hidden> (rewritten)'
    assert_secret_free(result)


def test_url_change_resends_the_secret_and_keeps_the_other_fields(api, run_module):
    new_url = 'https://hooks.example.com/v2'
    body = {'name': 'notify', 'url': new_url, 'events': ['job-completed', 'workflow-completed'], 'verify-tls': True,
            'signing-secret': SECRET}
    api.expect(project(), listing(stored()), put(body, stored(url=new_url)))
    result = run_module(circleci_webhook, dict(ARGS, url=new_url, signing_secret=SECRET, update_mode='on_create'), diff=True)
    assert result['changed'] is True
    assert result['webhook']['url'] == new_url
    assert result['diff']['before']['url'] == URL
    assert result['diff']['after']['url'] == new_url
    assert result['diff']['after']['signing_secret'] == '<hidden>'
    assert_secret_free(result)


def test_update_without_secret_fails_before_writing(api, run_module):
    api.expect(project(), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, url='https://hooks.example.com/v2'))
    assert result['failed'] is True
    assert result['msg'].startswith("signing_secret: required to update webhook 'notify' (to change: url)")
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_no_change_needs_no_secret(api, run_module):
    api.expect(project(), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, url=URL))
    assert result['changed'] is False


def test_check_mode_update_sends_no_write(api, run_module):
    api.expect(project(), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, events=['workflow-completed'], signing_secret=SECRET,
                                               update_mode='on_create'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['webhook']['events'] == ['workflow-completed']
    assert result['diff']['before']['events'] == ['job-completed', 'workflow-completed']
    assert_secret_free(result)


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(project(), listing(stored()), call('DELETE', '/webhook/%s' % HOOK_ID, body={'message': 'ok'}))
    result = run_module(circleci_webhook, dict(ARGS, state='absent'))
    assert (result['changed'], result['webhook']) == (True, {})
    api.expect(project(), listing())
    result = run_module(circleci_webhook, dict(ARGS, state='absent'))
    assert result['changed'] is False


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(project(), listing(stored()))
    result = run_module(circleci_webhook, dict(ARGS, state='absent'), check_mode=True)
    assert result['changed'] is True


def test_duplicate_names_are_refused(api, run_module):
    api.expect(project(), listing(stored(), stored(id='2d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11')))
    result = run_module(circleci_webhook, dict(ARGS, url=URL))
    assert result['failed'] is True
    assert result['msg'].startswith("name: 2 webhooks of the project are named 'notify'")


def test_create_needs_url_events_and_secret(api, run_module):
    api.expect(project(), listing())
    result = run_module(circleci_webhook, dict(ARGS, url=URL, events=['job-completed']))
    assert result['failed'] is True
    assert result['msg'] == "signing_secret: required to create webhook 'notify'"


def test_unknown_project_is_an_error_naming_the_option(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_webhook, {'project_slug': 'gh/acme/nope', 'name': 'notify', 'state': 'absent'})
    assert result['failed'] is True
    assert result['msg'].startswith("project_slug: project 'gh/acme/nope' was not found")


@pytest.mark.parametrize('args, message', [
    (dict(ARGS, url='http://hooks.example.com/x', events=['job-completed'], signing_secret=SECRET), "url: 'http://hooks.example.com/x' is not an https:// URL"),
    (dict(ARGS, url='hooks.example.com', events=['job-completed'], signing_secret=SECRET), "url: 'hooks.example.com' is not an https:// URL"),
    (dict(ARGS, url=URL, events=[], signing_secret=SECRET), 'events: at least one of workflow-completed, job-completed is required'),
    (dict(ARGS, url=URL, events=['pipeline-completed'], signing_secret=SECRET), 'value of events must be one or more of'),
    ({'project_slug': 'acme/api', 'name': 'notify'}, "project_slug: 'acme/api' is not a project slug"),
    ({'project_id': 'not-a-uuid', 'name': 'notify'}, "project_id: 'not-a-uuid' is not a UUID"),
    (dict(ARGS, name=' '), 'name: must be a non-empty string'),
    ({'name': 'notify'}, 'one of the following is required: project_slug, project_id'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_webhook, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert api.requests == []
    assert_secret_free(result)


# --- circleci_webhook_info ---------------------------------------------------------------

def test_info_lists_without_secrets(api, run_module):
    other = stored(id='2d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11', name='other', events=['workflow-completed'])
    api.expect(project(), listing(stored(), other))
    result = run_module(circleci_webhook_info, {'project_slug': 'gh/acme/api'})
    assert result['changed'] is False
    assert [hook['name'] for hook in result['webhooks']] == ['notify', 'other']
    assert all('signing_secret' not in hook and 'signing-secret' not in hook for hook in result['webhooks'])


def test_info_by_project_id_and_name(api, run_module):
    api.expect(listing(stored(), stored(id='2d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11', name='other')))
    result = run_module(circleci_webhook_info, {'project_id': PROJECT_ID, 'name': 'other'}, check_mode=True)
    assert [hook['name'] for hook in result['webhooks']] == ['other']


def test_info_bad_project_id_fails_before_any_request(api, run_module):
    result = run_module(circleci_webhook_info, {'project_id': 'x'})
    assert result['failed'] is True
    assert result['msg'].startswith("project_id: 'x' is not a UUID")
    assert api.requests == []
