# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_context_env
from ansible_collections.community.circleci.tests.unit.plugins._results import warning_messages
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

CTX_ID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
CONTEXT = {'id': CTX_ID, 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
ENV = '/context/%s/environment-variable' % CTX_ID
CANARY = 's3cr3t-canary-value'
ARGS = {'context': 'deploy', 'owner_slug': 'gh/acme'}


def listing():
    return call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None})


def env_listing(*names):
    items = [{'variable': name, 'context_id': CTX_ID, 'created_at': '2025-01-10T12:00:00.000Z',
              'updated_at': '2025-01-10T12:00:00.000Z'} for name in names]
    return call('GET', ENV, body={'items': items, 'next_page_token': None})


def put(name, value):
    return call('PUT', '%s/%s' % (ENV, name), json={'value': value},
                body={'variable': name, 'context_id': CTX_ID, 'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-11T12:00:00.000Z'})


def delete(name):
    return call('DELETE', '%s/%s' % (ENV, name), body={'message': 'Environment variable deleted.'})


def assert_secret_free(result):
    assert CANARY not in json.dumps(result)


def test_set_one_variable(api, run_module):
    api.expect(listing(), env_listing('OTHER'), put('DEPLOY_TOKEN', CANARY))
    result = run_module(circleci_context_env, dict(ARGS, name='DEPLOY_TOKEN', value=CANARY), diff=True)
    assert result['changed'] is True
    assert (result['added'], result['updated'], result['removed'], result['untouched']) == (['DEPLOY_TOKEN'], [], [], [])
    assert result['diff'] == {
        'before': {'context': 'deploy', 'variables': {'OTHER': '<hidden>'}},
        'after': {'context': 'deploy', 'variables': {'DEPLOY_TOKEN': '<hidden>', 'OTHER': '<hidden>'}},
    }
    assert_secret_free(result)


def test_check_mode_sends_no_write(api, run_module):
    api.expect(listing(), env_listing())
    result = run_module(circleci_context_env, dict(ARGS, name='DEPLOY_TOKEN', value=CANARY), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['added'] == ['DEPLOY_TOKEN']
    assert_secret_free(result)


def test_on_create_leaves_an_existing_variable_alone(api, run_module):
    api.expect(listing(), env_listing('DEPLOY_TOKEN'))
    result = run_module(circleci_context_env, dict(ARGS, name='DEPLOY_TOKEN', value=CANARY, update_mode='on_create'))
    assert result['changed'] is False
    assert result['untouched'] == ['DEPLOY_TOKEN']
    assert 'diff' not in result  # computed only in diff mode (see _envvars.reconcile_env_vars)


def test_always_rewrites_an_existing_variable(api, run_module):
    api.expect(listing(), env_listing('DEPLOY_TOKEN'), put('DEPLOY_TOKEN', CANARY))
    result = run_module(circleci_context_env, dict(ARGS, name='DEPLOY_TOKEN', value=CANARY), diff=True)
    assert result['changed'] is True
    assert result['updated'] == ['DEPLOY_TOKEN']
    assert result['diff']['after']['variables'] == {'DEPLOY_TOKEN': '<hidden> (rewritten)'}


def test_variables_with_purge(api, run_module):
    api.expect(listing(), env_listing('AWS_REGION', 'OLD'))
    api.expect_unordered(  # sent in parallel (concurrency 4 by default)
        put('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE'),
        put('PORT', '5432'),
        delete('OLD'),
    )
    args = dict(ARGS, variables={'AWS_REGION': 'eu-west-1', 'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE', 'PORT': 5432},
                update_mode='on_create', purge=True)
    result = run_module(circleci_context_env, args)
    assert result['changed'] is True
    assert (result['added'], result['updated'], result['removed'], result['untouched']) == (
        ['AWS_ACCESS_KEY_ID', 'PORT'], [], ['OLD'], ['AWS_REGION'])


def test_variables_rerun_is_idempotent(api, run_module):
    api.expect(listing(), env_listing('A', 'B'))
    result = run_module(circleci_context_env, dict(ARGS, variables={'A': CANARY, 'B': CANARY}, update_mode='on_create', purge=True))
    assert result['changed'] is False
    assert result['untouched'] == ['A', 'B']


def test_without_purge_unlisted_variables_stay(api, run_module):
    api.expect(listing(), env_listing('A', 'KEEP'))
    result = run_module(circleci_context_env, dict(ARGS, variables={'A': CANARY}, update_mode='on_create'))
    assert result['changed'] is False
    assert result['removed'] == []


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(listing(), env_listing('A', 'B'), delete('A'))
    result = run_module(circleci_context_env, dict(ARGS, name='A', state='absent'))
    assert (result['changed'], result['removed']) == (True, ['A'])
    api.expect(listing(), env_listing('B'))
    result = run_module(circleci_context_env, dict(ARGS, name='A', state='absent'))
    assert (result['changed'], result['removed'], result['untouched']) == (False, [], ['A'])
    assert warning_messages(result) == ["no variable named 'A' exists in context 'deploy': nothing was deleted"]


def test_a_misspelt_variable_in_a_removal_is_named_with_a_suggestion(api, run_module):
    api.expect(listing(), env_listing('AWS_REGION', 'DEPLOY_KEY'))
    result = run_module(circleci_context_env, dict(ARGS, variables={'AWS_REGOIN': None}, state='absent'))
    assert result['changed'] is False
    assert warning_messages(result) == ["no variable named 'AWS_REGOIN' exists in context 'deploy': nothing was deleted"
                                        " (did you mean 'AWS_REGION'?)"]


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(listing(), env_listing('A'))
    result = run_module(circleci_context_env, dict(ARGS, variables={'A': None}, state='absent'), check_mode=True)
    assert (result['changed'], result['removed']) == (True, ['A'])


def test_by_context_id_needs_no_listing(api, run_module):
    api.expect(env_listing(), put('A', CANARY))
    result = run_module(circleci_context_env, {'context_id': CTX_ID, 'name': 'A', 'value': CANARY})
    assert result['added'] == ['A']


def test_missing_context_id_is_a_clear_error(api, run_module):
    api.expect(call('GET', ENV, status=403, body={'message': 'Permission denied'}))
    result = run_module(circleci_context_env, {'context_id': CTX_ID, 'name': 'A', 'value': CANARY})
    assert result['failed'] is True
    assert result['msg'].startswith("context_id: context '%s' was not found, or the token may not access it" % CTX_ID)


def test_missing_context_name_is_a_clear_error(api, run_module):
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [], 'next_page_token': None}))
    result = run_module(circleci_context_env, {'context': 'no-such-context', 'owner_slug': 'gh/acme', 'name': 'A', 'value': CANARY})
    assert result['failed'] is True
    assert result['msg'] == "context: context 'no-such-context' was not found for owner_slug 'gh/acme'"


def test_check_mode_with_a_context_not_created_yet_plans_every_variable(api, run_module):
    # one listing of contexts, and nothing else: no env var listing for a context that is not there
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [], 'next_page_token': None}))
    result = run_module(circleci_context_env, dict(ARGS, variables={'B': CANARY, 'A': CANARY}), check_mode=True)
    assert result['changed'] is True
    assert result['added'] == ['A', 'B']
    # (the warning itself is checked by the integration target: under pytest, ansible-core sends it to Display)
    assert_secret_free(result)


def test_a_value_echoed_in_an_api_error_is_masked(api, run_module):
    api.expect(listing(), env_listing(), call('PUT', ENV + '/A', status=400, body={'message': 'bad value %s' % CANARY}))
    result = run_module(circleci_context_env, dict(ARGS, name='A', value=CANARY))
    assert result['failed'] is True
    assert result['status'] == 400
    assert_secret_free(result)


# Values here are long: Ansible masks every occurrence of a no_log value in the output.
@pytest.mark.parametrize('args, message', [
    (dict(ARGS, name='1-BAD NAME', value='some-value'), "name: '1-BAD NAME' is not a valid environment variable name"),
    (dict(ARGS, variables={'GOOD': 'some-value', 'BAD-NAME': 'other-value'}), "variables: 'BAD-NAME' is not a valid environment variable name"),
    (dict(ARGS, variables={'FLAG': True}), "variables: the value of 'FLAG' must be a string or a number"),
    (dict(ARGS, name='A'), 'value: required when state=present and name is set'),
    (dict(ARGS, name='A', state='absent', purge=True), 'purge: only used with variables and state=present'),
    ({'context_id': 'deploy', 'name': 'A', 'value': 'some-value'}, "context_id: 'deploy' is not a UUID"),
    ({'context': 'deploy', 'name': 'A', 'value': 'some-value'}, 'owner_slug: owner_slug or owner_id is required'),
    (dict(ARGS, name='A', value='some-value', update_mode='sometimes'), 'value of update_mode must be one of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_context_env, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []


# --- bulk writes: bounded concurrency -------------------------------------------------------

MANY = dict(('VAR_%02d' % index, '%s-%02d' % (CANARY, index)) for index in range(20))


def test_bulk_writes_run_in_parallel_over_reused_connections(api, run_module):
    api.expect(listing(), env_listing())
    api.expect_unordered(*[put(name, value) for name, value in MANY.items()])
    result = run_module(circleci_context_env, dict(ARGS, variables=MANY, concurrency=4))
    assert result['added'] == sorted(MANY)
    # one Session: the listing's connection is reused, and at most `concurrency` are open at once
    assert api.connections <= 4
    assert_secret_free(result)


def test_concurrency_1_sends_in_the_exact_sorted_order(api, run_module):
    names = ['B', 'A', 'D', 'C']
    api.expect(listing(), env_listing('C', 'OLD2', 'OLD1'),
               put('A', CANARY), put('B', CANARY), put('C', CANARY), put('D', CANARY), delete('OLD1'), delete('OLD2'))
    result = run_module(circleci_context_env, dict(ARGS, variables=dict.fromkeys(names, CANARY), purge=True, concurrency=1))
    assert (result['added'], result['updated'], result['removed']) == (['A', 'B', 'D'], ['C'], ['OLD1', 'OLD2'])
    assert api.connections == 1


def test_429s_are_absorbed_per_request(api, run_module, sleeps):
    limited = call('PUT', ENV + '/VAR_03', status=429, headers={'Retry-After': '1'}, body={'message': 'Too many requests'})
    limited2 = call('PUT', ENV + '/VAR_07', status=429, headers={'Retry-After': '2'}, body={'message': 'Too many requests'})
    api.expect(listing(), env_listing())
    api.expect_unordered(limited, limited2, *[put(name, value) for name, value in MANY.items()])
    result = run_module(circleci_context_env, dict(ARGS, variables=MANY))
    assert not result.get('failed') and result['added'] == sorted(MANY)
    assert sorted(sleeps) == [1.0, 2.0]


def test_failed_writes_are_named_with_those_written(api, run_module):
    api.expect(listing(), env_listing('OLD'))
    api.expect_unordered(
        put('A', CANARY),
        call('PUT', ENV + '/B', status=400, body={'message': 'bad value %s' % CANARY}),
        put('C', CANARY),
        call('DELETE', ENV + '/OLD', status=500, body={'message': 'boom'}),
    )
    # retries=0: a DELETE that got a 500 would otherwise be sent again (it is idempotent)
    result = run_module(circleci_context_env, dict(ARGS, variables=dict.fromkeys('ABC', CANARY), purge=True, retries=0))
    assert result['failed'] is True and result['status'] is None  # two different statuses
    assert result['failed_variables'] == ['B', 'OLD']
    assert result['written'] == ['A', 'C'] and result['deleted'] == []
    assert [(e['name'], e['action'], e['status']) for e in result['errors']] == [('B', 'write', 400), ('OLD', 'delete', 500)]
    assert result['msg'].startswith('2 of 4 variable changes failed: write B (PUT /context/')
    assert 'Written: A, C; deleted: none; not written: B; not deleted: OLD' in result['msg']
    assert_secret_free(result)


@pytest.mark.parametrize('concurrency', [0, 17, -1])
def test_concurrency_out_of_range_fails_before_any_request(api, run_module, concurrency):
    result = run_module(circleci_context_env, dict(ARGS, name='A', value='some-value', concurrency=concurrency))
    assert result['failed'] is True
    assert result['msg'] == 'concurrency: must be an integer from 1 (one request at a time) to 16, got %d' % concurrency
    assert result['option'] == 'concurrency'
