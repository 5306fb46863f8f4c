# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_runner_token
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

RC = 'acme/linux-x64'
QUERY = {'resource-class': RC}
TOKEN_ID = '0f4c5a1e-8b2d-4c3e-9f1a-2b3c4d5e6f70'
LOST_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d'
OTHER_ID = '2b3c4d5e-6f70-4b2c-9d3e-4f5a6b7c8d9e'
VALUE = 'runner-token-canary-7d1e0c9b8a'
BODY = {'resource_class': RC, 'nickname': 'build-01'}


def token(token_id=TOKEN_ID, nickname='build-01', created_at='2026-03-02T10:00:00.000000Z'):
    return {'id': token_id, 'resource_class': RC, 'nickname': nickname, 'created_at': created_at}


def listing(*tokens):
    return call('GET', '/runner/token', query=QUERY, body={'items': list(tokens)})


def post(**kwargs):
    kwargs.setdefault('body', dict(token(), token=VALUE))
    return call('POST', '/runner/token', json=BODY, **kwargs)


def delete(token_id):
    return call('DELETE', '/runner/token/%s' % token_id, body={'message': 'deleted'})


def args(api, **extra):
    return dict(resource_class=RC, nickname='build-01', runner_api_url=api.url, **extra)


def file_mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_create_returns_the_value_once_and_writes_dest_with_mode_0600(api, run_module, tmp_path):
    dest = tmp_path / 'build-01.token'
    api.expect(listing(), post(), listing(token()))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)), diff=True)
    assert result['changed'] is True
    assert result['token'] == VALUE
    assert result['runner_token'] == token()
    assert result['dest'] == str(dest)
    assert dest.read_text() == VALUE and file_mode(dest) == 0o600
    assert result['diff'] == {'before': {}, 'after': {'resource_class': RC, 'nickname': 'build-01'}}
    assert os.listdir(tmp_path) == ['build-01.token']  # no temporary file left


def test_a_rerun_sends_no_write_and_leaves_dest_alone(api, run_module, tmp_path):
    dest = tmp_path / 'build-01.token'
    dest.write_text('the value of the first run')
    api.expect(listing(token(), token(OTHER_ID, nickname='build-02')))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)), diff=True)
    assert result['changed'] is False
    assert 'token' not in result and 'dest' not in result
    assert result['runner_token'] == token()
    assert dest.read_text() == 'the value of the first run'
    assert 'warnings' not in result


def test_a_rerun_with_a_missing_dest_warns_and_writes_nothing(api, run_module, tmp_path):
    dest = tmp_path / 'lost.token'
    api.expect(listing(token()))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)))
    assert result['changed'] is False
    assert not dest.exists()
    assert len(result['warnings']) == 1
    warning = json.dumps(result['warnings'])
    assert 'was not written' in warning and 'state=absent' in warning


def test_check_mode_sends_no_write_and_writes_no_file(api, run_module, tmp_path):
    dest = tmp_path / 'build-01.token'
    api.expect(listing())
    result = run_module(circleci_runner_token, args(api, dest=str(dest)), check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'token' not in result
    assert result['runner_token'] == {'resource_class': RC, 'nickname': 'build-01'}
    assert result['diff']['after'] == {'resource_class': RC, 'nickname': 'build-01'}
    assert not dest.exists()
    assert [r.method for r in api.requests] == ['GET']


@pytest.mark.parametrize('lost', [dict(drop=True), dict(status=500, body={'message': 'Internal server error.'})],
                         ids=['dropped', 'answered-500'])
def test_after_a_lost_answer_the_unseen_token_is_deleted_and_created_again(api, run_module, sleeps, tmp_path, lost):
    # the first create was processed (the token LOST_ID exists), its answer with the value never came:
    # a token nobody has. It is deleted before the create is sent again.
    dest = tmp_path / 'build-01.token'
    api.expect(listing(), call('POST', '/runner/token', json=BODY, **lost),
               listing(token(LOST_ID)), delete(LOST_ID),
               post(), listing(token()))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)))
    assert result['changed'] is True
    assert result['token'] == VALUE and result['runner_token']['id'] == TOKEN_ID
    assert dest.read_text() == VALUE
    assert len(sleeps) == 1


def test_after_a_lost_answer_of_an_unprocessed_create_nothing_is_deleted(api, run_module, sleeps):
    api.expect(listing(), call('POST', '/runner/token', json=BODY, status=502, body='<html>502</html>'),
               listing(), post(), listing(token()))
    result = run_module(circleci_runner_token, args(api))
    assert result['token'] == VALUE


def test_giving_up_after_a_lost_answer_leaves_no_unseen_token(api, run_module, sleeps):
    api.expect(listing(), call('POST', '/runner/token', json=BODY, drop=True),
               listing(token(LOST_ID)), delete(LOST_ID))
    result = run_module(circleci_runner_token, args(api, retries=0))
    assert result['failed'] is True
    assert result['method'] == 'POST' and result['api_path'] == '/runner/token'
    assert 'token' not in result


def test_a_concurrent_create_of_the_same_nickname_keeps_the_older_token(api, run_module, tmp_path):
    # another run created "build-01" between our read and our create: its token is older, so this
    # run deletes its own and fails; the value it got is nowhere in the result
    dest = tmp_path / 'build-01.token'
    ours = token(created_at='2026-03-02T10:00:01.000000Z')
    theirs = token(OTHER_ID, created_at='2026-03-02T10:00:00.500000Z')
    api.expect(listing(), post(body=dict(ours, token=VALUE)), listing(theirs, ours), delete(TOKEN_ID))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)))
    assert result['failed'] is True and result['option'] == 'nickname'
    assert 'another run' in result['msg']
    assert VALUE not in json.dumps(result)
    assert not dest.exists()


def test_a_concurrent_create_keeps_ours_when_it_is_the_older(api, run_module):
    theirs = token(OTHER_ID, created_at='2026-03-02T10:00:01.000000Z')
    api.expect(listing(), post(), listing(token(), theirs))
    result = run_module(circleci_runner_token, args(api))
    assert result['token'] == VALUE and result['runner_token']['id'] == TOKEN_ID


def test_when_dest_cannot_be_written_the_new_token_is_deleted(api, run_module, tmp_path, monkeypatch):
    def refuse(source, target):
        raise PermissionError(13, 'Permission denied')

    monkeypatch.setattr(os, 'replace', refuse)
    dest = tmp_path / 'build-01.token'
    api.expect(listing(), post(), listing(token()), delete(TOKEN_ID))
    result = run_module(circleci_runner_token, args(api, dest=str(dest)))
    assert result['failed'] is True and result['option'] == 'dest'
    assert 'deleted again' in result['msg']
    assert VALUE not in json.dumps(result)
    assert os.listdir(tmp_path) == []


def test_absent_deletes_every_token_of_the_nickname(api, run_module):
    api.expect(listing(token(), token(OTHER_ID, nickname='build-02'), token(LOST_ID)),
               delete(TOKEN_ID), delete(LOST_ID))
    result = run_module(circleci_runner_token, args(api, state='absent'), diff=True)
    assert result['changed'] is True
    assert result['runner_token'] == {}
    assert result['diff'] == {'before': {'resource_class': RC, 'nickname': 'build-01'}, 'after': {}}


def test_absent_of_a_missing_token_or_class_changes_nothing(api, run_module):
    api.expect(listing(token(OTHER_ID, nickname='build-02')),
               call('GET', '/runner/token', query=QUERY, status=404, body={'message': 'resource class not found'}))
    assert run_module(circleci_runner_token, args(api, state='absent'))['changed'] is False
    assert run_module(circleci_runner_token, args(api, state='absent'))['changed'] is False


def test_present_in_a_missing_class_fails_naming_resource_class(api, run_module):
    api.expect(call('GET', '/runner/token', query=QUERY, status=404, body={'message': 'resource class not found'}))
    result = run_module(circleci_runner_token, args(api))
    assert result['failed'] is True and result['option'] == 'resource_class'
    assert "'acme/linux-x64' was not found" in result['msg']


def test_several_tokens_of_the_nickname_fail_present(api, run_module):
    api.expect(listing(token(), token(LOST_ID)))
    result = run_module(circleci_runner_token, args(api))
    assert result['failed'] is True and result['option'] == 'nickname'
    assert '2 tokens of the resource class are nicknamed' in result['msg']


def test_a_bare_array_answer_is_read_too(api, run_module):
    api.expect(call('GET', '/runner/token', query=QUERY, body=[token()]))
    assert run_module(circleci_runner_token, args(api))['changed'] is False


def test_the_runner_api_url_comes_from_the_environment(api, run_module, monkeypatch):
    monkeypatch.setenv('CIRCLECI_RUNNER_API_URL', api.url)
    api.expect(listing(token()))
    result = run_module(circleci_runner_token, dict(resource_class=RC, nickname='build-01'))
    assert result['changed'] is False


def test_the_module_declares_its_value_no_log():
    assert circleci_runner_token.NO_LOG_RESULT_KEYS == ('token',)
