# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_group
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = '6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1'
GROUP_ID = '9e5e5f87-3e87-47ea-be0f-37265b965d6e'
NEW_ID = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b'
BASE = '/organizations/%s/groups' % ORG_ID
ARGS = {'organization': ORG_ID, 'name': 'release-managers'}
GROUP = {'id': GROUP_ID, 'name': 'release-managers', 'description': 'ship'}


def listing(*groups, token=None, query=None):
    return call('GET', BASE, query=query or {}, body={'items': list(groups), 'next_page_token': token, 'total_count': 9})


def test_create(api, run_module):
    api.expect(listing(), call('POST', BASE, json={'name': 'release-managers', 'description': 'ship'}, status=201, body=GROUP))
    result = run_module(circleci_group, dict(ARGS, description='ship'), diff=True)
    assert (result['changed'], result['group']) == (True, GROUP)
    assert result['diff'] == {'before': {}, 'after': GROUP}


def test_create_without_description_sends_none(api, run_module):
    api.expect(listing(), call('POST', BASE, json={'name': 'release-managers'}, status=201,
                               body=dict(GROUP, description='')))
    assert run_module(circleci_group, ARGS)['group']['description'] == ''


def test_an_org_slug_is_resolved_among_the_collaborations(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ORG_ID, 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github'}]),
               listing(GROUP))
    result = run_module(circleci_group, dict(ARGS, organization='github/acme', description='ship'))
    assert result['changed'] is False


def test_a_circleci_uuid_slug_needs_no_lookup(api, run_module):
    api.expect(listing(GROUP))
    assert run_module(circleci_group, dict(ARGS, organization='circleci/%s' % ORG_ID))['changed'] is False


def test_an_org_the_user_is_not_in_is_named(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[]))
    result = run_module(circleci_group, dict(ARGS, organization='gh/acme'))
    assert result['failed'] is True
    assert result['msg'] == "organization: organization 'gh/acme' is not among the organizations of the token's user"


def test_rerun_across_pages_reads_only(api, run_module):
    api.expect(listing({'id': NEW_ID, 'name': 'other', 'description': ''}, token='p2'),
               listing(GROUP, query={'page-token': 'p2'}))
    result = run_module(circleci_group, dict(ARGS, description='ship'))
    assert (result['changed'], result['group']) == (False, GROUP)
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_a_listing_without_descriptions_reads_the_group(api, run_module):
    api.expect(listing({'id': GROUP_ID, 'name': 'release-managers'}), call('GET', '%s/%s' % (BASE, GROUP_ID), body=GROUP))
    assert run_module(circleci_group, dict(ARGS, description='ship'))['changed'] is False


def test_no_description_given_is_not_compared(api, run_module):
    api.expect(listing({'id': GROUP_ID, 'name': 'release-managers'}))
    assert run_module(circleci_group, ARGS)['changed'] is False


def test_another_description_fails_naming_it(api, run_module):
    api.expect(listing(GROUP))
    result = run_module(circleci_group, dict(ARGS, description='ship more'))
    assert result['failed'] is True
    assert result['option'] == 'description'
    assert result['msg'].startswith("description: group 'release-managers' exists with another description, which the API "
                                    "cannot change; recreate=true")
    assert [r.method for r in api.requests] == ['GET']


def test_recreate_deletes_and_creates(api, run_module):
    api.expect(listing(GROUP), call('DELETE', '%s/%s' % (BASE, GROUP_ID), body={'message': 'Group deleted.'}),
               call('POST', BASE, json={'name': 'release-managers', 'description': 'ship more'}, status=201,
                    body={'id': NEW_ID, 'name': 'release-managers', 'description': 'ship more'}))
    result = run_module(circleci_group, dict(ARGS, description='ship more', recreate=True), diff=True)
    assert result['changed'] is True
    assert result['group']['id'] == NEW_ID
    assert (result['diff']['before']['id'], result['diff']['after']['description']) == (GROUP_ID, 'ship more')


def test_recreate_in_check_mode_sends_no_write(api, run_module):
    api.expect(listing(GROUP))
    result = run_module(circleci_group, dict(ARGS, description='ship more', recreate=True), check_mode=True)
    assert result['changed'] is True
    assert result['group'] == {'name': 'release-managers', 'description': 'ship more'}


def test_a_409_adopts_the_group_another_run_created(api, run_module):
    api.expect(listing(), call('POST', BASE, status=409,
                               body={'message': 'Failed to create group, group release-managers already exists.'}),
               listing(GROUP))
    result = run_module(circleci_group, dict(ARGS, description='ship'))
    assert (result['changed'], result['group']['id']) == (True, GROUP_ID)


def test_a_lost_create_answer_is_not_sent_again(api, run_module, sleeps):
    api.expect(listing(), call('POST', BASE, drop=True), listing(GROUP))
    result = run_module(circleci_group, dict(ARGS, description='ship'))
    assert result['group']['id'] == GROUP_ID
    assert [r.method for r in api.requests] == ['GET', 'POST', 'GET']


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(listing(GROUP), call('DELETE', '%s/%s' % (BASE, GROUP_ID), body={'message': 'Group deleted.'}))
    result = run_module(circleci_group, dict(ARGS, state='absent'), diff=True)
    assert (result['changed'], result['group'], result['diff']['before']) == (True, {}, GROUP)
    api.expect(listing())
    assert run_module(circleci_group, dict(ARGS, state='absent'))['changed'] is False


def test_absent_in_check_mode_sends_no_write(api, run_module):
    api.expect(listing(GROUP))
    assert run_module(circleci_group, dict(ARGS, state='absent'), check_mode=True)['changed'] is True
