# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.community.circleci.tests.unit.plugins.conftest import TOKEN
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ME = {'id': '8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'login': 'alice', 'name': 'Alice', 'avatar_url': 'https://example.com/a.png'}


def test_plain_answer_one_element_per_term(api, run_lookup):
    api.expect(call('GET', '/me', body=ME), call('GET', '/me/collaborations', body=[{'slug': 'gh/acme'}]))
    assert run_lookup('circleci_api', ['/me', 'me/collaborations']) == [ME, [{'slug': 'gh/acme'}]]
    assert api.requests[0].headers['Circle-Token'] == TOKEN


def test_paginated_answer_follows_every_page_once_with_params(api, run_lookup):
    query = {'branch': 'main'}
    api.expect(
        call('GET', '/project/gh/acme/api/pipeline', query=query, body={'items': [{'number': 3}], 'next_page_token': 'p2'}),
        call('GET', '/project/gh/acme/api/pipeline', query=dict(query, **{'page-token': 'p2'}), body={'items': [{'number': 2}], 'next_page_token': 'p3'}),
        call('GET', '/project/gh/acme/api/pipeline', query=dict(query, **{'page-token': 'p3'}), body={'items': [{'number': 1}], 'next_page_token': None}),
    )
    assert run_lookup('circleci_api', ['/project/gh/acme/api/pipeline'], params={'branch': 'main'}) == [[{'number': 3}, {'number': 2}, {'number': 1}]]


def test_paginate_false_returns_the_first_answer_as_is(api, run_lookup):
    page = {'items': [{'number': 3}], 'next_page_token': 'p2'}
    api.expect(call('GET', '/pipeline', query={'org-slug': 'gh/acme', 'mine': 'true'}, body=page))
    assert run_lookup('circleci_api', ['/pipeline'], params={'org-slug': 'gh/acme', 'mine': True}, paginate=False) == [page]


def test_absolute_url_under_api_url_is_read_as_its_path(api, run_lookup):
    api.expect(call('GET', '/me', body=ME))
    assert run_lookup('circleci_api', [api.url + '/me']) == [ME]


@pytest.mark.parametrize('term, message', [
    ('https://evil.example.com/api/v2/me', "_terms[0]: 'https://evil.example.com/api/v2/me' is not under api_url"),
    ('//evil.example.com/me', "_terms[0]: '//evil.example.com/me' is not under api_url"),
    ('/me?x=1', "_terms[0]: '/me?x=1' contains a query string: give query parameters in params"),
    ('/project/../me', "_terms[0]: '/project/../me' contains a '..' segment"),
    ('', '_terms[0]: must be a non-empty string'),
])
def test_refused_terms_send_nothing(api, run_lookup, term, message):
    with pytest.raises(AnsibleLookupError) as error:
        run_lookup('circleci_api', [term])
    assert str(error.value).startswith(message)
    assert api.requests == []


def test_token_from_the_environment(api, run_lookup, monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', 'env-token-1')
    api.expect(call('GET', '/me', body=ME))
    assert run_lookup('circleci_api', ['/me'], api_token=None) == [ME]
    assert api.requests[0].headers['Circle-Token'] == 'env-token-1'


def test_token_from_a_variable(api, run_lookup):
    api.expect(call('GET', '/me', body=ME))
    assert run_lookup('circleci_api', ['/me'], api_token=None, variables={'circleci_api_token': 'var-token-2'}) == [ME]
    assert api.requests[0].headers['Circle-Token'] == 'var-token-2'


def test_api_error_hides_the_token(api, run_lookup):
    api.expect(call('GET', '/me', status=401, body={'message': 'bad token %s' % TOKEN}))
    with pytest.raises(AnsibleLookupError) as error:
        run_lookup('circleci_api', ['/me'])
    assert str(error.value) == 'GET /me -> 401: bad token <hidden>'
