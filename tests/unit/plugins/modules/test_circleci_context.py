# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_context
from ansible_collections.community.circleci.tests.unit.plugins._results import warning_messages
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

CTX_ID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
CONTEXT = {'id': CTX_ID, 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OTHER = {'id': '11111111-2222-4333-8444-555555555555', 'name': 'other', 'created_at': '2025-01-09T12:00:00.000Z'}
PROJECT_ID = '405d8375-3514-403b-8c43-83ae74cfe0e9'
PROJECT = {'id': PROJECT_ID, 'slug': 'gh/acme/api', 'name': 'api', 'organization_id': 'ec6887ec-7d44-4b31-b468-7e552408ee32'}
GROUP = '30865957-99e1-4b69-8c9f-d83a91756f89'
EXPR = 'pipeline.git.branch == "main"'
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
RESTRICTIONS = '/context/%s/restrictions' % CTX_ID
R_PROJECT = {'id': 'aaaaaaaa-0000-4000-8000-000000000001', 'context_id': CTX_ID, 'project_id': PROJECT_ID, 'name': 'api',
             'restriction_type': 'project', 'restriction_value': PROJECT_ID}
R_EXPR = {'id': 'aaaaaaaa-0000-4000-8000-000000000002', 'context_id': CTX_ID, 'name': '',
          'restriction_type': 'expression', 'restriction_value': EXPR}
R_GROUP = {'id': 'aaaaaaaa-0000-4000-8000-000000000003', 'context_id': CTX_ID, 'name': 'admins',
           'restriction_type': 'group', 'restriction_value': GROUP}
ARGS = {'name': 'deploy', 'owner_slug': 'gh/acme'}
WITH_RESTRICTIONS = dict(ARGS, restrictions=[{'type': 'project', 'value': 'gh/acme/api'}, {'type': 'expression', 'value': EXPR}])


def listing(*contexts):
    return call('GET', '/context', query=OWNER_QUERY, body={'items': list(contexts), 'next_page_token': None})


def restriction_body(rtype, value):
    return {'restriction_type': rtype, 'restriction_value': value}


def test_create_with_restrictions_resolves_the_project_slug(api, run_module):
    api.expect(
        listing(OTHER),
        call('GET', '/project/gh/acme/api', body=PROJECT),
        call('POST', '/context', json={'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}, body=CONTEXT),
        call('POST', RESTRICTIONS, json=restriction_body('project', PROJECT_ID), status=201, body=R_PROJECT),
        call('POST', RESTRICTIONS, json=restriction_body('expression', EXPR), status=201, body=R_EXPR),
    )
    result = run_module(circleci_context, WITH_RESTRICTIONS, diff=True)
    assert result['changed'] is True
    assert result['context'] == CONTEXT
    assert result['restrictions'] == [R_PROJECT, R_EXPR]
    # the diff shows the project as the user wrote it (the API holds it by UUID)
    assert result['diff'] == {'before': {}, 'after': {'id': CTX_ID, 'name': 'deploy', 'restrictions': [
        {'type': 'expression', 'value': EXPR}, {'type': 'project', 'value': 'gh/acme/api'}]}}


def test_create_in_check_mode_sends_no_write(api, run_module):
    api.expect(listing(), call('GET', '/project/gh/acme/api', body=PROJECT))
    result = run_module(circleci_context, WITH_RESTRICTIONS, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['context'] == {'name': 'deploy'}
    assert result['restrictions'] == [restriction_body('project', PROJECT_ID), restriction_body('expression', EXPR)]
    assert result['diff']['before'] == {}
    assert result['diff']['after']['name'] == 'deploy'
    assert {'type': 'project', 'value': 'gh/acme/api'} in result['diff']['after']['restrictions']


def test_rerun_in_any_order_is_idempotent(api, run_module):
    api.expect(
        listing(OTHER, CONTEXT),
        call('GET', '/project/github/acme/api', body=PROJECT),
        call('GET', RESTRICTIONS, body={'items': [R_EXPR, R_PROJECT]}),
    )
    args = dict(ARGS, restrictions=[{'type': 'expression', 'value': EXPR}, {'type': 'project', 'value': 'github/acme/api'}])
    result = run_module(circleci_context, args)
    assert result['changed'] is False
    assert result['context'] == CONTEXT
    assert result['restrictions'] == [R_EXPR, R_PROJECT]


def test_project_uuid_needs_no_project_lookup(api, run_module):
    api.expect(listing(CONTEXT), call('GET', RESTRICTIONS, body={'items': [R_PROJECT]}))
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'project', 'value': PROJECT_ID.upper()}]))
    assert result['changed'] is False


def test_without_restrictions_they_are_not_read(api, run_module):
    api.expect(listing(CONTEXT))
    result = run_module(circleci_context, ARGS, diff=True)
    assert result['changed'] is False
    assert 'restrictions' not in result
    assert result['diff'] == {'before': {'id': CTX_ID, 'name': 'deploy'}, 'after': {'id': CTX_ID, 'name': 'deploy'}}


def test_purge_replaces_extra_restrictions(api, run_module):
    api.expect(
        listing(CONTEXT),
        call('GET', RESTRICTIONS, body={'items': [R_PROJECT, R_EXPR]}),
        call('DELETE', RESTRICTIONS + '/' + R_PROJECT['id'], body={'message': 'Context restriction deleted.'}),
        call('POST', RESTRICTIONS, json=restriction_body('group', GROUP), status=201, body=R_GROUP),
    )
    args = dict(ARGS, restrictions=[{'type': 'expression', 'value': EXPR}, {'type': 'group', 'value': GROUP}])
    result = run_module(circleci_context, args, diff=True)
    assert result['changed'] is True
    assert result['restrictions'] == [R_EXPR, R_GROUP]
    assert result['diff']['before']['restrictions'] == [{'type': 'expression', 'value': EXPR}, {'type': 'project', 'value': PROJECT_ID}]
    assert result['diff']['after']['restrictions'] == [{'type': 'expression', 'value': EXPR}, {'type': 'group', 'value': GROUP}]


def test_without_purge_restrictions_are_only_added(api, run_module):
    api.expect(
        listing(CONTEXT),
        call('GET', RESTRICTIONS, body={'items': [R_PROJECT, R_EXPR]}),
        call('POST', RESTRICTIONS, json=restriction_body('group', GROUP), status=201, body=R_GROUP),
    )
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'group', 'value': GROUP}], purge_restrictions=False))
    assert result['changed'] is True
    assert result['restrictions'] == [R_PROJECT, R_EXPR, R_GROUP]


def test_empty_restrictions_with_purge_remove_all(api, run_module):
    api.expect(
        listing(CONTEXT),
        call('GET', RESTRICTIONS, body={'items': [R_EXPR]}),
        call('DELETE', RESTRICTIONS + '/' + R_EXPR['id'], body={'message': 'Context restriction deleted.'}),
    )
    result = run_module(circleci_context, dict(ARGS, restrictions=[]))
    assert result['changed'] is True
    assert result['restrictions'] == []


def test_restriction_conflict_counts_as_present(api, run_module):
    api.expect(
        listing(CONTEXT),
        call('GET', RESTRICTIONS, body={'items': []}),
        call('POST', RESTRICTIONS, json=restriction_body('group', GROUP), status=409,
             body={'message': "The restriction you're trying to add already exists."}),
        call('GET', RESTRICTIONS, body={'items': [R_GROUP]}),
    )
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'group', 'value': GROUP}]))
    assert result['changed'] is True
    assert result['restrictions'] == [R_GROUP]


def test_create_after_a_lost_answer_does_not_create_twice(api, run_module, sleeps):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(listing(), call('POST', '/context', json=body, drop=True), listing(CONTEXT))
    result = run_module(circleci_context, ARGS)
    assert result['changed'] is True
    assert result['context'] == CONTEXT
    assert len(sleeps) == 1


def test_a_409_on_create_adopts_the_context_another_run_created(api, run_module):
    # another run created "deploy" between our read ("absent") and our create
    api.expect(listing(), call('POST', '/context', status=409, body={'message': 'A context with this name already exists.'}),
               listing(CONTEXT))
    result = run_module(circleci_context, ARGS)
    assert result['changed'] is True
    assert result['context'] == CONTEXT


def test_owner_id_and_account_owner(api, run_module):
    owner_id = 'ec6887ec-7d44-4b31-b468-7e552408ee32'
    api.expect(
        call('GET', '/context', query={'owner-id': owner_id, 'owner-type': 'account'}, body={'items': [], 'next_page_token': None}),
        call('POST', '/context', json={'name': 'deploy', 'owner': {'id': owner_id, 'type': 'account'}}, body=CONTEXT),
    )
    result = run_module(circleci_context, {'name': 'deploy', 'owner_id': owner_id, 'owner_type': 'account'})
    assert result['changed'] is True


def test_absent_deletes_the_context(api, run_module):
    api.expect(listing(CONTEXT), call('DELETE', '/context/' + CTX_ID, body={'message': 'Context deleted.'}))
    result = run_module(circleci_context, dict(ARGS, state='absent'), diff=True)
    assert result['changed'] is True
    assert result['context'] == {}
    assert result['diff'] == {'before': {'id': CTX_ID, 'name': 'deploy'}, 'after': {}}


def test_removing_a_context_that_does_not_exist_warns_with_a_close_name(api, run_module):
    api.expect(listing(CONTEXT))
    result = run_module(circleci_context, dict(ARGS, name='deplyo', state='absent'))
    assert result['changed'] is False
    assert warning_messages(result) == ["no context named 'deplyo' exists for owner_slug 'gh/acme': nothing was deleted"
                                        " (did you mean 'deploy'?)"]
    api.expect(listing(CONTEXT))
    result = run_module(circleci_context, dict(ARGS, name='staging', state='absent'))
    assert warning_messages(result) == ["no context named 'staging' exists for owner_slug 'gh/acme': nothing was deleted"]


def test_delete_after_a_lost_answer_is_confirmed_by_the_listing(api, run_module, sleeps):
    # the first DELETE worked but its answer was lost; the retry meets the 403 of a missing context
    api.expect(
        listing(CONTEXT),
        call('DELETE', '/context/' + CTX_ID, drop=True),
        call('DELETE', '/context/' + CTX_ID, status=403, body={'message': 'Permission denied.'}),
        listing(OTHER),
    )
    result = run_module(circleci_context, dict(ARGS, state='absent'))
    assert result['changed'] is True
    assert len(sleeps) == 1


def test_delete_refused_while_the_context_exists_is_an_error(api, run_module):
    api.expect(
        listing(CONTEXT),
        call('DELETE', '/context/' + CTX_ID, status=403, body={'message': 'Permission denied.'}),
        listing(CONTEXT),
    )
    result = run_module(circleci_context, dict(ARGS, state='absent'))
    assert result['failed'] is True
    assert result['msg'] == 'DELETE /context/%s -> 403: Permission denied.' % CTX_ID


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(listing(CONTEXT))
    assert run_module(circleci_context, dict(ARGS, state='absent'), check_mode=True)['changed'] is True


def test_absent_when_missing_is_no_change(api, run_module):
    api.expect(listing(OTHER))
    result = run_module(circleci_context, dict(ARGS, state='absent'))
    assert result['changed'] is False
    assert result['context'] == {}


def test_bad_project_value_fails_before_any_request(api, run_module):
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'expression', 'value': EXPR}, {'type': 'project', 'value': 'x'}]))
    assert result['failed'] is True
    assert result['msg'] == "restrictions[1].value: 'x' is not a project slug or UUID"
    assert api.requests == []


def test_unknown_restriction_type_fails_before_any_request(api, run_module):
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'branch', 'value': 'main'}]))
    assert result['failed'] is True
    assert 'restrictions' in result['msg'] and 'branch' in result['msg']
    assert api.requests == []


def test_bad_owner_slug_fails_before_any_request(api, run_module):
    result = run_module(circleci_context, {'name': 'deploy', 'owner_slug': 'acme'})
    assert result['msg'].startswith("owner_slug: 'acme' is not an organization slug")
    assert api.requests == []


def test_missing_project_names_the_restriction(api, run_module):
    api.expect(listing(CONTEXT), call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_context, dict(ARGS, restrictions=[{'type': 'project', 'value': 'gh/acme/nope'}]))
    assert result['failed'] is True
    assert result['msg'].startswith("restrictions[0].value: project 'gh/acme/nope' was not found")


def test_api_error_fails_once_with_status_method_and_api_path(api, run_module):
    api.expect(call('GET', '/context', query=OWNER_QUERY, status=401, body={'message': 'Invalid token provided.'}))
    result = run_module(circleci_context, ARGS)
    assert result['failed'] is True
    assert result['msg'] == 'GET /context -> 401: Invalid token provided.'
    assert (result['status'], result['method'], result['api_path']) == (401, 'GET', '/context')
    # not `path`, which AnsibleModule would read as a file of the module's host (adding its details)
    assert sorted(set(result) - {'invocation'}) == ['api_path', 'failed', 'method', 'msg', 'status']


def test_token_from_environment_is_sent(api, run_module, monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', 'env-token-123')
    api.expect(listing(CONTEXT))
    args = dict(ARGS, api_token=None)
    run_module(circleci_context, args)
    assert api.requests[0].headers['Circle-Token'] == 'env-token-123'
