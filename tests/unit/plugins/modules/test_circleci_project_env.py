# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.plugins.module_utils._projects import mask_differs
from ansible_collections.community.circleci.plugins.modules import circleci_project_env
from ansible_collections.community.circleci.tests.unit.plugins._results import warning_messages
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

SLUG = 'gh/acme/api'
ENV = '/project/gh/acme/api/envvar'
CANARY = 's3cr3t-canary-value'
ARGS = {'project_slug': SLUG}


def env_listing(*entries):
    """entries: names, or (name, masked value) pairs."""
    items = []
    for entry in entries:
        name, masked = entry if isinstance(entry, tuple) else (entry, 'xxxx' + CANARY[-4:])
        items.append({'name': name, 'value': masked, 'created-at': '#joda/inst 2023-04-14T21:20:14+0000'})
    return call('GET', ENV, body={'items': items, 'next_page_token': None})


def post(name, value):
    return call('POST', ENV, json={'name': name, 'value': value}, status=201, body={'name': name, 'value': 'xxxx' + value[-4:]})


def delete(name):
    return call('DELETE', '%s/%s' % (ENV, name), body={'message': 'Environment variable deleted.'})


def assert_secret_free(result):
    assert CANARY not in json.dumps(result)


def test_set_one_variable(api, run_module):
    api.expect(env_listing('OTHER'), post('NPM_TOKEN', CANARY))
    result = run_module(circleci_project_env, dict(ARGS, name='NPM_TOKEN', value=CANARY), diff=True)
    assert result['changed'] is True
    assert (result['added'], result['updated'], result['removed'], result['untouched']) == (['NPM_TOKEN'], [], [], [])
    assert result['diff'] == {
        'before': {'project_slug': SLUG, 'variables': {'OTHER': '<hidden>'}},
        'after': {'project_slug': SLUG, 'variables': {'NPM_TOKEN': '<hidden>', 'OTHER': '<hidden>'}},
    }
    assert_secret_free(result)


def test_check_mode_sends_no_write(api, run_module):
    api.expect(env_listing('A'))
    result = run_module(circleci_project_env, dict(ARGS, variables={'A': CANARY, 'B': CANARY}, purge=True),
                        check_mode=True, diff=True)
    assert result['changed'] is True
    assert (result['added'], result['updated']) == (['B'], ['A'])
    assert [r.method for r in api.requests] == ['GET']
    assert_secret_free(result)


def test_on_create_rerun_is_gets_only(api, run_module):
    api.expect(env_listing('A', 'B'))
    result = run_module(circleci_project_env, dict(ARGS, variables={'A': CANARY, 'B': CANARY}, update_mode='on_create', purge=True))
    assert result['changed'] is False
    assert result['untouched'] == ['A', 'B']
    assert result.get('warnings') is None
    assert [r.method for r in api.requests] == ['GET']


def test_on_create_never_rewrites_even_a_proven_difference(api, run_module):
    # the mask ends in 'zzzz': the value is certainly not CANARY, but on_create leaves it alone (and warns)
    api.expect(env_listing(('A', 'xxxxzzzz')))
    result = run_module(circleci_project_env, dict(ARGS, name='A', value=CANARY, update_mode='on_create'))
    assert result['changed'] is False
    assert result['untouched'] == ['A']
    assert 'diff' not in result  # computed only in diff mode
    assert_secret_free(result)


def test_always_rewrites_an_existing_variable(api, run_module):
    api.expect(env_listing('A'), post('A', CANARY))
    result = run_module(circleci_project_env, dict(ARGS, name='A', value=CANARY), diff=True)
    assert (result['changed'], result['updated']) == (True, ['A'])
    assert result['diff']['after']['variables'] == {'A': '<hidden> (rewritten)'}


def test_variables_with_purge_and_numbers(api, run_module):
    api.expect(env_listing('KEEP', 'OLD'))
    api.expect_unordered(post('PORT', '5432'), delete('OLD'))  # sent in parallel
    result = run_module(circleci_project_env, dict(ARGS, variables={'KEEP': CANARY, 'PORT': 5432}, update_mode='on_create', purge=True))
    assert (result['added'], result['updated'], result['removed'], result['untouched']) == (['PORT'], [], ['OLD'], ['KEEP'])


def test_every_page_is_read(api, run_module):
    api.expect(
        call('GET', ENV, body={'items': [{'name': 'A', 'value': 'xxxx1234'}], 'next_page_token': 'p2'}),
        call('GET', ENV, query={'page-token': 'p2'}, body={'items': [{'name': 'B', 'value': 'xxxx1234'}], 'next_page_token': None}),
    )
    result = run_module(circleci_project_env, dict(ARGS, variables={'A': None, 'B': None, 'C': None}, state='absent'), check_mode=True)
    assert (result['removed'], result['untouched']) == (['A', 'B'], ['C'])


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(env_listing('A', 'B'), delete('A'))
    result = run_module(circleci_project_env, dict(ARGS, name='A', state='absent'))
    assert (result['changed'], result['removed']) == (True, ['A'])
    api.expect(env_listing('B'))
    result = run_module(circleci_project_env, dict(ARGS, name='A', state='absent'))
    assert (result['changed'], result['removed'], result['untouched']) == (False, [], ['A'])
    assert warning_messages(result) == ["no variable named 'A' exists in project 'gh/acme/api': nothing was deleted"]


def test_a_lost_answer_to_the_post_is_sent_again(api, run_module, sleeps):
    # POST overwrites: sending it again after a 502 is harmless
    api.expect(env_listing(), call('POST', ENV, status=502, body='Bad Gateway'), post('A', CANARY))
    result = run_module(circleci_project_env, dict(ARGS, name='A', value=CANARY))
    assert result['added'] == ['A']
    assert len(sleeps) == 1


def test_unknown_project_is_a_clear_error(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope/envvar', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_project_env, {'project_slug': 'gh/acme/nope', 'name': 'A', 'value': CANARY})
    assert result['failed'] is True
    assert result['msg'].startswith("project_slug: project 'gh/acme/nope' was not found")


def test_a_value_echoed_in_an_api_error_is_masked(api, run_module):
    api.expect(env_listing(), call('POST', ENV, status=400, body={'message': 'bad value %s' % CANARY}))
    result = run_module(circleci_project_env, dict(ARGS, name='A', value=CANARY))
    assert result['failed'] is True
    assert_secret_free(result)


@pytest.mark.parametrize('masked, value, differs', [
    ('xxxx1234', 'abc1234', False),
    ('xxxx1234', 'abc1235', True),
    ('xxxx1234', '123', False),       # too short to compare
    ('****', 'abcdef', False),        # not the expected mask
    (None, 'abcdef', False),
])
def test_mask_differs(masked, value, differs):
    assert mask_differs(masked, value) is differs


@pytest.mark.parametrize('args, message', [
    ({'project_slug': 'acme/api', 'name': 'A', 'value': 'some-value'}, "project_slug: 'acme/api' is not a project slug"),
    (dict(ARGS, name='1-BAD NAME', value='some-value'), "name: '1-BAD NAME' is not a valid environment variable name"),
    (dict(ARGS, variables={'FLAG': True}), "variables: the value of 'FLAG' must be a string or a number"),
    (dict(ARGS, name='A'), 'value: required when state=present and name is set'),
    (dict(ARGS, name='A', value='some-value', purge=True), 'purge: only used with variables and state=present'),
    (dict(ARGS, name='A', value='some-value', update_mode='sometimes'), 'value of update_mode must be one of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_project_env, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []


# --- bulk writes: bounded concurrency -------------------------------------------------------

def test_bulk_writes_in_parallel_absorb_429s(api, run_module, sleeps):
    many = dict(('VAR_%02d' % index, '%s-%02d' % (CANARY, index)) for index in range(12))
    api.expect(env_listing('VAR_00', 'GONE'))
    api.expect_unordered(
        call('POST', ENV, json={'name': 'VAR_05', 'value': many['VAR_05']}, status=429, headers={'Retry-After': '1'}),
        delete('GONE'),
        *[post(name, value) for name, value in many.items()])
    result = run_module(circleci_project_env, dict(ARGS, variables=many, purge=True, concurrency=8))
    assert result['added'] == sorted(many)[1:] and result['updated'] == ['VAR_00'] and result['removed'] == ['GONE']
    assert sleeps == [1.0]
    assert api.connections <= 8
    assert_secret_free(result)


def test_concurrency_1_keeps_the_order(api, run_module):
    api.expect(env_listing('Z'), post('A', CANARY), post('B', CANARY), delete('Z'))
    result = run_module(circleci_project_env, dict(ARGS, variables={'B': CANARY, 'A': CANARY}, purge=True, concurrency=1))
    assert (result['added'], result['removed']) == (['A', 'B'], ['Z'])


def test_failed_writes_are_named(api, run_module):
    api.expect(env_listing())
    api.expect_unordered(post('A', CANARY), call('POST', ENV, json={'name': 'B', 'value': CANARY}, status=400, body={'message': 'bad'}))
    result = run_module(circleci_project_env, dict(ARGS, variables={'A': CANARY, 'B': CANARY}))
    assert result['failed'] is True and result['status'] == 400
    assert (result['failed_variables'], result['written']) == (['B'], ['A'])
    assert 'not written: B' in result['msg'] and 'Written: A' in result['msg']
    assert_secret_free(result)


def test_concurrency_out_of_range_fails_before_any_request(api, run_module):
    result = run_module(circleci_project_env, dict(ARGS, name='A', value='some-value', concurrency=20))
    assert result['msg'] == 'concurrency: must be an integer from 1 (one request at a time) to 16, got 20'
