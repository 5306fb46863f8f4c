# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_context_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

CTX_ID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
CONTEXT = {'id': CTX_ID, 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OTHER = {'id': '11111111-2222-4333-8444-555555555555', 'name': 'other', 'created_at': '2025-01-09T12:00:00.000Z'}
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
ENV_VAR = {'variable': 'REGION', 'context_id': CTX_ID, 'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-10T12:00:00.000Z'}
RESTRICTION = {'id': 'aaaaaaaa-0000-4000-8000-000000000002', 'context_id': CTX_ID, 'name': '',
               'restriction_type': 'expression', 'restriction_value': 'pipeline.git.branch == "main"'}


def test_lists_every_page_in_check_mode(api, run_module):
    api.expect(
        call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': 'p2'}),
        call('GET', '/context', query=dict(OWNER_QUERY, **{'page-token': 'p2'}), body={'items': [OTHER], 'next_page_token': None}),
    )
    result = run_module(circleci_context_info, {'owner_slug': 'gh/acme'}, check_mode=True)
    assert result['changed'] is False
    assert result['contexts'] == [CONTEXT, OTHER]


def test_one_context_by_name_with_env_vars_and_restrictions(api, run_module):
    api.expect(
        call('GET', '/context', query=OWNER_QUERY, body={'items': [OTHER, CONTEXT], 'next_page_token': None}),
        call('GET', '/context/%s/environment-variable' % CTX_ID, body={'items': [ENV_VAR], 'next_page_token': None}),
        call('GET', '/context/%s/restrictions' % CTX_ID, body={'items': [RESTRICTION]}),
    )
    result = run_module(circleci_context_info, {'owner_slug': 'gh/acme', 'name': 'deploy', 'include': ['env_vars', 'restrictions']})
    assert result['contexts'] == [dict(CONTEXT, env_vars=[ENV_VAR], restrictions=[RESTRICTION])]


def test_one_context_by_id(api, run_module):
    api.expect(
        call('GET', '/context/' + CTX_ID, body=CONTEXT),
        call('GET', '/context/%s/environment-variable' % CTX_ID, body={'items': [], 'next_page_token': None}),
    )
    result = run_module(circleci_context_info, {'context_id': CTX_ID, 'include': ['env_vars']})
    assert result['contexts'] == [dict(CONTEXT, env_vars=[])]


def test_missing_context_id_is_an_empty_list(api, run_module):
    api.expect(call('GET', '/context/' + CTX_ID, status=403, body={'message': 'Permission denied'}))
    assert run_module(circleci_context_info, {'context_id': CTX_ID})['contexts'] == []


def test_missing_name_is_an_empty_list(api, run_module):
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [OTHER], 'next_page_token': None}))
    assert run_module(circleci_context_info, {'owner_slug': 'gh/acme', 'name': 'deploy'})['contexts'] == []


def test_bad_context_id_fails_before_any_request(api, run_module):
    result = run_module(circleci_context_info, {'context_id': 'deploy'})
    assert result['msg'] == "context_id: 'deploy' is not a UUID"
    assert api.requests == []


def test_context_id_and_owner_are_exclusive(api, run_module):
    result = run_module(circleci_context_info, {'context_id': CTX_ID, 'owner_slug': 'gh/acme'})
    assert result['failed'] is True
    assert 'mutually exclusive' in result['msg']
    assert api.requests == []
