# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_checkout_key
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

SLUG = 'gh/acme/api'
KEYS = '/project/gh/acme/api/checkout-key'
FP1 = 'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f'
FP2 = '11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00'
FP3 = 'aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa'
SHA = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'


def key(fingerprint, key_type='deploy-key', preferred=True):
    return {'public-key': 'ssh-rsa AAAA%s' % fingerprint[:2], 'type': key_type, 'fingerprint': fingerprint,
            'preferred': preferred, 'created-at': '2025-01-10T12:00:00.000Z'}


def returned(api_key):
    """A key as the module returns it: the API's field names in snake_case."""
    renamed = {'public-key': 'public_key', 'created-at': 'created_at'}
    return dict((renamed.get(name, name), value) for name, value in api_key.items())


def listing(*keys, **query):
    return call('GET', KEYS, query=query, body={'items': list(keys), 'next_page_token': None})


def test_creates_a_deploy_key_when_none_exists(api, run_module):
    created = key(FP1)
    api.expect(listing(key(FP2, 'github-user-key')), call('POST', KEYS, json={'type': 'deploy-key'}, status=201, body=created),
               listing(key(FP2, 'github-user-key'), created))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key'}, diff=True)
    assert result['changed'] is True
    assert result['checkout_keys'] == [returned(created)]
    assert result['diff']['before']['fingerprints'] == []
    assert result['diff']['after']['fingerprints'] == [FP1]


def test_rerun_is_one_get(api, run_module):
    api.expect(listing(key(FP1)))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key'})
    assert result['changed'] is False
    assert result['checkout_keys'] == [returned(key(FP1))]
    assert [r.method for r in api.requests] == ['GET']


def test_user_key_reads_back_as_github_user_key(api, run_module):
    api.expect(listing(key(FP1), key(FP2, 'github-user-key', False)))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'user-key'})
    assert result['changed'] is False
    assert result['checkout_keys'] == [returned(key(FP2, 'github-user-key', False))]


def test_check_mode_creates_nothing(api, run_module):
    api.expect(listing())
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'user-key'}, check_mode=True)
    assert result['changed'] is True
    assert result['checkout_keys'] == [{'type': 'user-key'}]


def test_a_lost_answer_does_not_create_a_second_key(api, run_module, sleeps):
    created = key(FP1)
    api.expect(listing(), call('POST', KEYS, json={'type': 'deploy-key'}, drop=True), listing(created), listing(created))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key'})
    assert result['changed'] is True
    assert result['checkout_keys'] == [returned(created)]


def test_a_concurrent_create_keeps_one_key(api, run_module):
    # another run created a deploy key after we read "none": the older key is kept, ours deleted
    ours = key(FP1)
    theirs = dict(key(FP2), **{'created-at': '2025-01-10T11:00:00.000Z'})
    api.expect(listing(), call('POST', KEYS, json={'type': 'deploy-key'}, status=201, body=ours), listing(ours, theirs),
               call('DELETE', KEYS + '/' + FP1.replace(':', '%3A'), body={'message': 'ok'}))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key'})
    assert result['changed'] is True
    assert result['checkout_keys'] == [returned(theirs)]


def test_absent_by_fingerprint(api, run_module):
    api.expect(listing(key(FP1), key(FP2)), call('DELETE', KEYS + '/' + FP1.replace(':', '%3A'), body={'message': 'ok'}))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent',
                                                'fingerprint': FP1.upper()})
    assert result['changed'] is True
    assert result['checkout_keys'] == [returned(key(FP2))]


def test_absent_by_sha256_fingerprint_lists_sha256(api, run_module):
    api.expect(listing(key(SHA), digest='sha256'), call('DELETE', KEYS + '/SHA256%3AnThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent', 'fingerprint': SHA})
    assert result['changed'] is True


def test_absent_without_fingerprint_deletes_every_key_of_the_type(api, run_module):
    api.expect(listing(key(FP1), key(FP2, 'github-user-key'), key(FP3)),
               call('DELETE', KEYS + '/' + FP1.replace(':', '%3A')),
               call('DELETE', KEYS + '/' + FP3.replace(':', '%3A')))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent'})
    assert result['changed'] is True
    assert result['checkout_keys'] == []


def test_absent_again_is_no_change(api, run_module):
    api.expect(listing(key(FP2, 'github-user-key')))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent', 'fingerprint': FP1})
    assert result['changed'] is False


def test_absent_in_check_mode_deletes_nothing(api, run_module):
    api.expect(listing(key(FP1)))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent'}, check_mode=True)
    assert (result['changed'], result['checkout_keys']) == (True, [])


def test_a_fingerprint_of_the_other_type_is_refused(api, run_module):
    api.expect(listing(key(FP2, 'github-user-key')))
    result = run_module(circleci_checkout_key, {'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent', 'fingerprint': FP2})
    assert result['failed'] is True
    assert result['msg'] == "fingerprint: '%s' is a key of type github-user-key, not deploy-key" % FP2


def test_unknown_project_is_a_clear_error(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope/checkout-key', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_checkout_key, {'project_slug': 'gh/acme/nope', 'type': 'deploy-key'})
    assert result['msg'].startswith("project_slug: project 'gh/acme/nope' was not found")


@pytest.mark.parametrize('args, message', [
    ({'project_slug': 'circleci/c0000000-0000-4000-8000-000000000002/c0000000-0000-4000-8000-000000000201', 'type': 'deploy-key'},
     "project_slug: checkout keys are not available for 'circleci/"),
    ({'project_slug': 'acme', 'type': 'deploy-key'}, "project_slug: 'acme' is not a project slug"),
    ({'project_slug': SLUG, 'type': 'deploy-key', 'fingerprint': FP1}, 'fingerprint: only used with state=absent'),
    ({'project_slug': SLUG, 'type': 'deploy-key', 'state': 'absent', 'fingerprint': ' '}, 'fingerprint: must be a non-empty string'),
    ({'project_slug': SLUG, 'type': 'ssh-key'}, 'value of type must be one of'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_checkout_key, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
