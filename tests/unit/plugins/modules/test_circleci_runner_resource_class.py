# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_runner_resource_class
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

RC = 'acme/linux-x64'
RC_ID = '6b1f7c3e-2d4a-4f0b-9a8e-1c2d3e4f5a6b'
OTHER = {'id': '7c2e8d4f-3e5b-4a1c-8b9f-2d3e4f5a6b7c', 'resource_class': 'acme/macos', 'description': 'Macs'}
TOKENS_QUERY = {'resource-class': RC}


def stored(description='Linux machines'):
    return {'id': RC_ID, 'resource_class': RC, 'description': description}


def listing(*classes):
    return call('GET', '/runner/resource', query={'namespace': 'acme'}, body={'items': list(classes)})


def tokens(*nicknames):
    return call('GET', '/runner/token', query=TOKENS_QUERY, body={'items': [
        {'id': RC_ID, 'resource_class': RC, 'nickname': nickname, 'created_at': '2026-03-02T10:00:00.000000Z'}
        for nickname in nicknames]})


def args(api, **extra):
    return dict(dict(resource_class=RC, runner_api_url=api.url), **extra)


def test_create(api, run_module):
    api.expect(listing(OTHER), call('POST', '/runner/resource', json={'resource_class': RC, 'description': 'Linux machines'},
                                    body=stored()))
    result = run_module(circleci_runner_resource_class, args(api, description='Linux machines'), diff=True)
    assert result['changed'] is True
    assert result['resource_class'] == stored()
    assert result['diff'] == {'before': {}, 'after': {'resource_class': RC, 'description': 'Linux machines'}}


def test_check_mode_create_sends_no_write(api, run_module):
    api.expect(listing())
    result = run_module(circleci_runner_resource_class, args(api, description='Linux machines'), check_mode=True)
    assert result['changed'] is True
    assert result['resource_class'] == {'resource_class': RC, 'description': 'Linux machines'}
    assert [r.method for r in api.requests] == ['GET']


def test_rerun_sends_no_write(api, run_module):
    api.expect(listing(OTHER, stored()), listing(stored()))
    assert run_module(circleci_runner_resource_class, args(api, description='Linux machines'))['changed'] is False
    assert run_module(circleci_runner_resource_class, args(api))['changed'] is False  # no description: kept


def test_create_needs_a_description(api, run_module):
    api.expect(listing())
    result = run_module(circleci_runner_resource_class, args(api))
    assert result['failed'] is True and result['option'] == 'description'
    assert [r.method for r in api.requests] == ['GET']


def test_another_description_fails_naming_it_unless_recreate(api, run_module):
    api.expect(listing(stored('old')))
    result = run_module(circleci_runner_resource_class, args(api, description='new'))
    assert result['failed'] is True and result['option'] == 'description'
    assert 'recreate=true' in result['msg']


def test_recreate_deletes_and_creates_the_class(api, run_module):
    api.expect(listing(stored('old')), call('DELETE', '/runner/resource/%s' % RC_ID, body={'message': 'deleted'}),
               call('POST', '/runner/resource', json={'resource_class': RC, 'description': 'new'}, body=stored('new')))
    result = run_module(circleci_runner_resource_class, args(api, description='new', recreate=True), diff=True)
    assert result['changed'] is True and result['resource_class']['description'] == 'new'
    assert result['diff']['before'] == {'resource_class': RC, 'description': 'old'}


def test_a_409_on_create_adopts_the_class_another_run_created(api, run_module):
    api.expect(listing(), call('POST', '/runner/resource', status=409, body={'message': 'resource class already exists'}),
               listing(stored()))
    result = run_module(circleci_runner_resource_class, args(api, description='Linux machines'))
    assert result['changed'] is True and result['resource_class']['id'] == RC_ID


def test_a_lost_answer_to_the_create_is_read_back_not_sent_again(api, run_module, sleeps):
    api.expect(listing(), call('POST', '/runner/resource', drop=True), listing(stored()))
    result = run_module(circleci_runner_resource_class, args(api, description='Linux machines'))
    assert result['resource_class']['id'] == RC_ID


def test_absent_without_tokens(api, run_module):
    api.expect(listing(stored()), tokens(), call('DELETE', '/runner/resource/%s' % RC_ID, body={'message': 'deleted'}))
    result = run_module(circleci_runner_resource_class, args(api, state='absent'), diff=True)
    assert result['changed'] is True and result['resource_class'] == {}
    assert result['diff'] == {'before': {'resource_class': RC, 'description': 'Linux machines'}, 'after': {}}


def test_absent_with_tokens_needs_force_also_in_check_mode(api, run_module):
    api.expect(listing(stored()), tokens('build-01', 'build-02'), listing(stored()), tokens('build-01'))
    for check_mode in (False, True):
        result = run_module(circleci_runner_resource_class, args(api, state='absent'), check_mode=check_mode)
        assert result['failed'] is True and result['option'] == 'force'
        assert 'force=true' in result['msg']
    assert '2 tokens' in result['msg'] or '1 token' in result['msg']
    assert [r.method for r in api.requests] == ['GET'] * 4


def test_absent_with_force_deletes_with_the_tokens_in_one_request(api, run_module):
    api.expect(listing(stored()), call('DELETE', '/runner/resource/%s/force' % RC_ID, body={'message': 'deleted'}))
    result = run_module(circleci_runner_resource_class, args(api, state='absent', force=True))
    assert result['changed'] is True


def test_a_token_created_between_the_read_and_the_delete_is_a_failure_naming_force(api, run_module):
    api.expect(listing(stored()), tokens(),
               call('DELETE', '/runner/resource/%s' % RC_ID, status=409, body={'message': 'resource class has tokens'}),
               tokens('late'))
    result = run_module(circleci_runner_resource_class, args(api, state='absent'))
    assert result['failed'] is True and result['option'] == 'force'


def test_absent_twice_changes_nothing_and_a_missing_namespace_is_nothing_to_delete(api, run_module):
    api.expect(listing(OTHER), call('GET', '/runner/resource', query={'namespace': 'acme'}, status=404,
                                    body={'message': 'namespace not found'}))
    assert run_module(circleci_runner_resource_class, args(api, state='absent'))['changed'] is False
    assert run_module(circleci_runner_resource_class, args(api, state='absent'))['changed'] is False


def test_an_unknown_or_foreign_namespace_fails_naming_resource_class(api, run_module):
    api.expect(call('GET', '/runner/resource', query={'namespace': 'acme'}, status=404, body={'message': 'namespace not found'}),
               call('GET', '/runner/resource', query={'namespace': 'acme'}, status=403, body={'message': 'no access'}))
    result = run_module(circleci_runner_resource_class, args(api, description='x'))
    assert result['failed'] is True and result['option'] == 'resource_class'
    assert "namespace 'acme' was not found" in result['msg']
    result = run_module(circleci_runner_resource_class, args(api, description='x', state='absent'))
    assert result['failed'] is True and 'not a member' in result['msg']


def test_a_404_from_a_base_url_that_is_not_the_runner_api_names_runner_api_url(api, run_module):
    api.expect(call('GET', '/x/runner/resource', query={'namespace': 'acme'}, status=404, body={'message': 'Not found'}))
    result = run_module(circleci_runner_resource_class, args(api, description='x', runner_api_url=api.url + '/x'))
    assert result['failed'] is True
    assert 'runner_api_url %s/x does not end with /api/v3: is it the runner API base URL?' % api.url in result['msg']
