# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._contexts import Owner
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver, normalize_slug
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PROJECT = {'id': '405d8375-3514-403b-8c43-83ae74cfe0e9', 'slug': 'gh/acme/api', 'name': 'api',
           'organization_id': 'ec6887ec-7d44-4b31-b468-7e552408ee32'}


@pytest.fixture
def resolver(api):
    with CircleCIClient('t', api_url=api.url) as client:
        yield Resolver(client)


def test_normalize_slug():
    assert normalize_slug('github/acme/api') == 'gh/acme/api'
    assert normalize_slug('Bitbucket/acme/api') == 'bb/acme/api'
    assert normalize_slug('circleci/x/y') == 'circleci/x/y'


def test_context_names_cost_one_listing_per_owner(api, resolver):
    api.expect(
        call('GET', '/context', query={'owner-slug': 'gh/acme', 'owner-type': 'organization'},
             body={'items': [{'id': 'c1', 'name': 'one'}], 'next_page_token': 'p2'}),
        call('GET', '/context', query={'owner-slug': 'gh/acme', 'owner-type': 'organization', 'page-token': 'p2'},
             body={'items': [{'id': 'c2', 'name': 'two'}], 'next_page_token': None}),
    )
    owner = Owner(owner_slug='gh/acme')
    assert resolver.context('two', owner)['id'] == 'c2'
    assert resolver.context('one', Owner(owner_slug='github/acme'))['id'] == 'c1'
    assert resolver.context('three', owner) is None


def test_refresh_reads_again(api, resolver):
    api.expect(
        call('GET', '/context', query={'owner-id': 'o1', 'owner-type': 'account'}, body={'items': [], 'next_page_token': None}),
        call('GET', '/context', query={'owner-id': 'o1', 'owner-type': 'account'}, body={'items': [{'id': 'c1', 'name': 'x'}]}),
    )
    owner = Owner(owner_id='o1', owner_type='account')
    assert resolver.context('x', owner) is None
    assert resolver.context('x', owner, refresh=True)['id'] == 'c1'


def test_project_slug_is_read_once_whatever_its_spelling(api, resolver):
    api.expect(call('GET', '/project/gh/acme/api', body=PROJECT))
    assert resolver.project_id('gh/acme/api') == PROJECT['id']
    assert resolver.project('github/acme/api')['organization_id'] == PROJECT['organization_id']


def test_project_uuid_needs_no_request(api, resolver):
    assert resolver.project_id(PROJECT['id'].upper()) == PROJECT['id']


def test_missing_project_raises(api, resolver):
    api.expect(call('GET', '/project/gh/acme/nope', status=404, body={'message': 'Project not found'}))
    with pytest.raises(CircleCIError) as error:
        resolver.project_id('gh/acme/nope')
    assert error.value.status == 404
