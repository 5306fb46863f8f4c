# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._contexts import Owner
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver, normalize_slug, slug_key
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
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


# --- circleci/... slugs: opaque ids, resolved through the API ---------------------------------

ORG_ID = 'c0000000-0000-4000-8000-000000000002'
PROJECT_ID = 'c0000000-0000-4000-8000-000000000201'
ORG_SLUG = 'circleci/Qi81Dp4C8a8LZcjYGWFbAH'
PROJECT_SLUG = ORG_SLUG + '/Qi81Dp4C8a8LZcjYGWFbK6'
COLLABORATIONS = [{'id': 'a0000000-0000-4000-8000-000000000001', 'vcs-type': 'github', 'name': 'acme', 'slug': 'gh/acme'},
                  {'id': ORG_ID, 'vcs-type': 'circleci', 'name': 'acme-standalone', 'slug': ORG_SLUG}]
STANDALONE = {'id': PROJECT_ID, 'slug': PROJECT_SLUG, 'name': 'platform', 'organization_id': ORG_ID,
              'organization_slug': ORG_SLUG}


def test_an_opaque_org_slug_is_found_among_the_collaborations(api, resolver):
    api.expect(call('GET', '/me/collaborations', body=COLLABORATIONS))
    assert resolver.org_id(ORG_SLUG) == ORG_ID
    assert resolver.org_id('gh/ACME') == COLLABORATIONS[0]['id']  # the same read, cached


def test_opaque_ids_are_compared_with_their_case(api, resolver):
    """Base58 ids differ by case: circleci/qI81... is another organization, not found."""
    api.expect(call('GET', '/me/collaborations', body=COLLABORATIONS))
    with pytest.raises(ValidationError, match=r"^owner_slug: organization 'circleci/qi81Dp4C8a8LZcjYGWFbAH' is not among"):
        resolver.org_id('circleci/qi81Dp4C8a8LZcjYGWFbAH', option='owner_slug')


def test_an_org_uuid_slug_needs_no_request(api, resolver):
    assert resolver.org_id('circleci/%s' % ORG_ID.upper()) == ORG_ID


def test_an_opaque_project_slug_is_resolved_by_its_project(api, resolver):
    api.expect(call('GET', '/project/' + PROJECT_SLUG, body=STANDALONE))
    assert resolver.project_scope(PROJECT_SLUG) == (ORG_ID, PROJECT_ID)
    assert resolver.project_id(PROJECT_SLUG) == PROJECT_ID  # cached


@pytest.mark.parametrize('slug', ['circleci/%s/Qi81Dp4C8a8LZcjYGWFbK6' % ORG_ID, 'circleci/Qi81Dp4C8a8LZcjYGWFbAH/%s' % PROJECT_ID])
def test_a_half_uuid_project_slug_is_resolved_by_its_project(api, resolver, slug):
    api.expect(call('GET', '/project/' + slug, body=dict(STANDALONE, slug=PROJECT_SLUG)))
    assert resolver.project_scope(slug) == (ORG_ID, PROJECT_ID)


def test_a_uuid_project_slug_needs_no_request(api, resolver):
    assert resolver.project_scope('circleci/%s/%s' % (ORG_ID, PROJECT_ID.upper())) == (ORG_ID, PROJECT_ID)


def test_a_missing_project_names_the_option(api, resolver):
    api.expect(call('GET', '/project/circleci/nope/nada', status=404, body={'message': 'Project not found'}))
    with pytest.raises(ValidationError, match=r"^project_slug: project 'circleci/nope/nada' was not found"):
        resolver.project_scope('circleci/nope/nada')


def test_slug_key_keeps_the_case_of_opaque_ids():
    assert slug_key('GitHub/Acme/API') == 'gh/acme/api'
    assert slug_key('CircleCI/Qi81Dp4C8a8LZcjYGWFbAH') == 'circleci/Qi81Dp4C8a8LZcjYGWFbAH'
