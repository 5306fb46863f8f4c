# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_user_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

USER_ID = '8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
ME = {'id': USER_ID, 'login': 'alice', 'name': 'Alice', 'avatar_url': 'https://example.com/a.png'}
ORG = {'id': '5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b', 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github', 'avatar_url': ''}


def test_token_user_only(api, run_module):
    api.expect(call('GET', '/me', body=ME))
    result = run_module(circleci_user_info, {}, check_mode=True)
    assert result['changed'] is False
    assert result['user'] == ME
    assert 'collaborations' not in result


def test_token_user_with_collaborations(api, run_module):
    api.expect(call('GET', '/me', body=ME), call('GET', '/me/collaborations', body=[ORG]))
    result = run_module(circleci_user_info, {'collaborations': True})
    assert result['collaborations'] == [ORG]


def test_user_by_id(api, run_module):
    api.expect(call('GET', '/user/' + USER_ID, body=ME))
    assert run_module(circleci_user_info, {'user_id': USER_ID.upper()})['user'] == ME


def test_unknown_user_fails_with_the_api_message(api, run_module):
    api.expect(call('GET', '/user/' + USER_ID, status=404, body={'message': 'User not found.'}))
    result = run_module(circleci_user_info, {'user_id': USER_ID})
    assert result['msg'] == 'GET /user/%s -> 404: User not found.' % USER_ID


def test_bad_user_id_fails_before_any_request(api, run_module):
    result = run_module(circleci_user_info, {'user_id': 'alice'})
    assert result['msg'] == "user_id: 'alice' is not a UUID"
    assert api.requests == []
