# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_url_orb_allow_list
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

BASE = '/organization/gh/acme/url-orb-allow-list'
ID_A = '1a000000-0000-4000-8000-000000000001'
ID_B = '2b000000-0000-4000-8000-000000000002'
ID_NEW = '3c000000-0000-4000-8000-000000000003'
ID_OLDER = '0a000000-0000-4000-8000-000000000000'
A = {'id': ID_A, 'name': 'public', 'prefix': 'https://raw.githubusercontent.com/CircleCI-Public/', 'auth': 'none'}
B = {'id': ID_B, 'name': 'internal', 'prefix': 'https://github.com/acme/orbs/', 'auth': 'github-app'}
ORG = {'organization': 'gh/acme'}


def listing(*entries):
    return call('GET', BASE, body={'items': list(entries)})


def post(body, entry_id=ID_NEW):
    return call('POST', BASE, json=body, body={'id': entry_id, 'message': 'Created.'})


def delete(entry_id):
    return call('DELETE', '%s/%s' % (BASE, entry_id), body={'id': entry_id, 'message': 'Deleted.'})


def entry(item):
    return dict((k, item[k]) for k in ('name', 'prefix', 'auth'))


def test_create_a_list(api, run_module):
    api.expect(listing(), post(entry(A), ID_A), listing(A), post(entry(B), ID_B), listing(A, B))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[entry(A), entry(B)]), diff=True)
    assert result['changed'] is True
    assert result['entries'] == [A, B]
    assert result['diff']['before'] == {'entries': []}
    assert result['diff']['after'] == {'entries': [entry(B), entry(A)]}  # sorted by name


def test_auth_defaults_to_none_on_create(api, run_module):
    api.expect(listing(), post({'name': 'public', 'prefix': A['prefix'], 'auth': 'none'}, ID_A), listing(A))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='public', prefix=A['prefix']))
    assert result['entries'] == [A]


def test_rerun_reads_once(api, run_module):
    api.expect(listing(A, B))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[entry(B), {'name': 'public'}]))
    assert (result['changed'], result['entries']) == (False, [A, B])
    assert [r.method for r in api.requests] == ['GET']


def test_check_mode_sends_no_write(api, run_module):
    api.expect(listing(A))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[entry(B), dict(entry(A), auth='github-app')],
                                                          purge=True), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['entries'] == [dict(entry(A), auth='github-app'), entry(B)]
    assert [r.method for r in api.requests] == ['GET']


def test_another_prefix_recreates_the_entry(api, run_module):
    changed = dict(entry(A), prefix='https://orbs.example.com/')
    api.expect(listing(A, B), delete(ID_A), post(changed), listing(B, dict(changed, id=ID_NEW)))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='public', prefix=changed['prefix']), diff=True)
    assert result['changed'] is True
    assert result['entries'] == [dict(changed, id=ID_NEW), B]
    assert result['diff']['before']['entries'][1]['prefix'] == A['prefix']


def test_a_recreated_entry_keeps_the_auth_not_given(api, run_module):
    changed = dict(entry(B), prefix='https://github.com/acme/ci-orbs/')
    api.expect(listing(A, B), delete(ID_B), post(changed), listing(A, dict(changed, id=ID_NEW)))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='internal', prefix=changed['prefix']))
    assert result['entries'] == [A, dict(changed, id=ID_NEW)]
    assert result['entries'][1]['auth'] == 'github-app'


def test_purge_deletes_the_others(api, run_module):
    api.expect(listing(A, B, dict(B, id=ID_NEW)), delete(ID_B), delete(ID_NEW))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[{'name': 'public'}], purge=True))
    assert (result['changed'], result['entries']) == (True, [A])


def test_absent_then_again(api, run_module):
    api.expect(listing(A, B), delete(ID_B))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='internal', state='absent'))
    assert (result['changed'], result['entries']) == (True, [A])
    api.expect(listing(A))
    assert run_module(circleci_url_orb_allow_list, dict(ORG, name='internal', state='absent'))['changed'] is False


def test_absent_with_entries_deletes_each(api, run_module):
    api.expect(listing(A, B), delete(ID_A), delete(ID_B))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[{'name': 'public'}, {'name': 'internal'}],
                                                          state='absent'))
    assert (result['changed'], result['entries']) == (True, [])


def test_a_lost_create_answer_is_not_sent_again(api, run_module, sleeps):
    api.expect(listing(), call('POST', BASE, drop=True), listing(A), listing(A))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='public', prefix=A['prefix']))
    assert result['entries'] == [A]
    assert [r.method for r in api.requests] == ['GET', 'POST', 'GET', 'GET']


def test_a_concurrent_twin_keeps_the_smallest_id(api, run_module):
    theirs = dict(A, id=ID_OLDER)
    api.expect(listing(), post(entry(A), ID_A), listing(theirs, A), delete(ID_A))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, name='public', prefix=A['prefix']))
    assert result['entries'] == [theirs]


def test_two_entries_of_a_name_are_refused(api, run_module):
    api.expect(listing(A, dict(A, id=ID_NEW)))
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[entry(B), {'name': 'public'}]))
    assert result['failed'] is True
    assert result['msg'].startswith("entries[1].name: 2 URL orb allow-list entries of the organization are named 'public'")
    assert [r.method for r in api.requests] == ['GET']  # refused before internal was created


def test_a_missing_prefix_is_named_when_a_create_needs_it(api, run_module):
    api.expect(listing())
    result = run_module(circleci_url_orb_allow_list, dict(ORG, entries=[{'name': 'public'}]))
    assert result['failed'] is True
    assert result['msg'] == "entries[0].prefix: required to create URL orb allow-list entry 'public'"


def test_the_org_id_goes_into_the_path_as_given(api, run_module):
    org_id = '6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1'
    api.expect(call('GET', '/organization/%s/url-orb-allow-list' % org_id, body={'items': [A]}))
    assert run_module(circleci_url_orb_allow_list, {'organization': org_id, 'name': 'public'})['changed'] is False
