# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_organization, circleci_organization_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = '6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1'
OTHER_ID = '7b1d98b1-6b70-4c9f-8a22-3c1f7b62b6e2'
SLUG = 'circleci/%s' % ORG_ID
ACME = {'id': 'a0000000-0000-4000-8000-000000000001', 'vcs-type': 'github', 'name': 'acme', 'slug': 'gh/acme',
        'avatar_url': 'https://example.com/a.png'}
TEAM = {'id': ORG_ID, 'vcs-type': 'circleci', 'name': 'Platform-Team', 'slug': SLUG, 'avatar_url': ''}
CREATED = {'id': ORG_ID, 'name': 'platform-team', 'slug': SLUG, 'vcs_type': 'circleci'}
ARGS = {'name': 'platform-team', 'vcs_type': 'circleci'}


def collaborations(*orgs):
    return call('GET', '/me/collaborations', body=list(orgs))


def test_create_a_standalone_org(api, run_module):
    api.expect(collaborations(ACME), call('POST', '/organization', json={'name': 'platform-team', 'vcs_type': 'circleci'},
                                          status=201, body=CREATED))
    result = run_module(circleci_organization, ARGS, diff=True)
    assert result['changed'] is True
    assert result['organization'] == CREATED
    assert result['diff'] == {'before': {}, 'after': CREATED}


def test_rerun_reads_only_and_names_match_without_case(api, run_module):
    # the same name as a github org does not count: the type is part of the identity
    api.expect(collaborations(ACME, dict(ACME, id=OTHER_ID, name='platform-team', slug='gh/platform-team'), TEAM))
    result = run_module(circleci_organization, ARGS)
    assert result['changed'] is False
    assert result['organization'] == {'id': ORG_ID, 'name': 'Platform-Team', 'slug': SLUG, 'vcs_type': 'circleci'}
    assert [r.method for r in api.requests] == ['GET']


def test_snake_case_vcs_type_is_read(api, run_module):
    team = dict(TEAM)
    team['vcs_type'] = team.pop('vcs-type')
    api.expect(collaborations(team))
    assert run_module(circleci_organization, ARGS)['changed'] is False


def test_check_mode_create_sends_no_write(api, run_module):
    api.expect(collaborations(ACME))
    result = run_module(circleci_organization, dict(ARGS, vcs_type='github', name='newco'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['organization'] == {'name': 'newco', 'vcs_type': 'github'}
    assert [r.method for r in api.requests] == ['GET']


def test_a_lost_create_answer_is_not_sent_again(api, run_module, sleeps):
    api.expect(collaborations(ACME), call('POST', '/organization', drop=True), collaborations(ACME, TEAM))
    result = run_module(circleci_organization, ARGS)
    assert result['changed'] is True
    assert result['organization']['id'] == ORG_ID
    assert [r.method for r in api.requests] == ['GET', 'POST', 'GET']
    assert len(sleeps) == 1


def test_delete_by_slug_then_again(api, run_module):
    api.expect(collaborations(ACME, TEAM),
               call('DELETE', '/organization/%s' % ORG_ID, status=202, body={'message': 'Organization deleted.'}))
    result = run_module(circleci_organization, {'organization': SLUG, 'state': 'absent'}, diff=True)
    assert (result['changed'], result['organization']) == (True, {})
    assert result['diff']['before']['id'] == ORG_ID
    api.expect(collaborations(ACME))
    assert run_module(circleci_organization, {'organization': SLUG, 'state': 'absent'})['changed'] is False


def test_delete_by_name_and_by_id(api, run_module):
    api.expect(collaborations(TEAM), call('DELETE', '/organization/%s' % ORG_ID, status=202, body={'message': 'ok'}))
    assert run_module(circleci_organization, dict(ARGS, state='absent'))['changed'] is True
    api.expect(collaborations(TEAM), call('DELETE', '/organization/%s' % ORG_ID, status=404, body={'message': 'gone'}))
    assert run_module(circleci_organization, {'organization': ORG_ID.upper(), 'state': 'absent'})['changed'] is True


def test_delete_in_check_mode_sends_no_write(api, run_module):
    api.expect(collaborations(TEAM))
    result = run_module(circleci_organization, {'organization': SLUG.upper().replace('CIRCLECI', 'circleci'), 'state': 'absent'},
                        check_mode=True)
    assert result['changed'] is True
    assert [r.method for r in api.requests] == ['GET']


def test_a_github_slug_matches_its_long_spelling(api, run_module):
    api.expect(collaborations(ACME))
    result = run_module(circleci_organization, {'organization': 'github/ACME'})
    assert (result['changed'], result['organization']['id']) == (False, ACME['id'])


def test_present_by_slug_cannot_create(api, run_module):
    api.expect(collaborations(ACME))
    result = run_module(circleci_organization, {'organization': SLUG})
    assert result['failed'] is True
    assert result['msg'].startswith("organization: '%s' is not among the organizations of the token's user" % SLUG)
    assert [r.method for r in api.requests] == ['GET']


def test_two_orgs_of_the_name_are_refused(api, run_module):
    api.expect(collaborations(TEAM, dict(TEAM, id=OTHER_ID, slug='circleci/other')))
    result = run_module(circleci_organization, ARGS)
    assert result['failed'] is True
    assert result['msg'].startswith("name: 2 organizations of the token's user are named 'platform-team' (vcs_type circleci)")


def test_a_refused_create_fails_with_the_api_message(api, run_module):
    api.expect(collaborations(), call('POST', '/organization', status=400,
                                      body={'message': 'An organization with this name already exists.'}))
    result = run_module(circleci_organization, ARGS)
    assert result['failed'] is True
    assert result['status'] == 400
    assert 'already exists' in result['msg']


# --- circleci_organization_info ---------------------------------------------------------------

GROUPS = [{'id': OTHER_ID, 'name': 'release-managers', 'description': 'ship'}]
ENTRIES = [{'id': OTHER_ID, 'name': 'public', 'prefix': 'https://orbs.example.com/', 'auth': 'none'}]


def test_info_with_groups_and_allow_list(api, run_module):
    api.expect(collaborations(ACME, TEAM),
               call('GET', '/organizations/%s/groups' % ORG_ID, body={'items': GROUPS, 'next_page_token': 'p2'}),
               call('GET', '/organizations/%s/groups' % ORG_ID, query={'page-token': 'p2'},
                    body={'items': [{'id': ORG_ID, 'name': 'devs'}], 'next_page_token': None}),
               call('GET', '/organization/%s/url-orb-allow-list' % SLUG, body={'items': ENTRIES}))
    result = run_module(circleci_organization_info, {'organization': SLUG, 'include': ['groups', 'url_orb_allow_list']})
    assert result['changed'] is False
    assert result['organization'] == {'id': ORG_ID, 'name': 'Platform-Team', 'slug': SLUG, 'vcs_type': 'circleci'}
    assert result['groups'] == GROUPS + [{'id': ORG_ID, 'name': 'devs'}]
    assert result['url_orb_allow_list'] == ENTRIES


def test_info_of_an_org_the_user_is_not_in_reads_nothing_more(api, run_module):
    api.expect(collaborations(ACME))
    result = run_module(circleci_organization_info, {'organization': ORG_ID, 'include': ['groups', 'url_orb_allow_list']})
    assert (result['organization'], result['groups'], result['url_orb_allow_list']) == ({}, [], [])


def test_info_without_include(api, run_module):
    api.expect(collaborations(ACME))
    result = run_module(circleci_organization_info, {'organization': 'gh/acme'})
    assert result['organization']['slug'] == 'gh/acme'
    assert 'groups' not in result and 'url_orb_allow_list' not in result
