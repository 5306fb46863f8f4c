# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._policy import (
    PolicyScope,
    bundle_policies,
    check_date_time,
    check_policies,
    decision_failures,
    list_decisions,
    normalize_diff,
    post_bundle,
    read_policy_dir,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
SCOPE = PolicyScope(ORG_ID)
BASE = '/owner/%s/context/config' % ORG_ID


@pytest.fixture
def client(api):
    with CircleCIClient('test-token-0001', api_url=api.url) as client:
        yield client


def test_scope_checks():
    assert PolicyScope.check_params({'owner_id': ORG_ID.upper()})['owner_id'] == ORG_ID
    for params, message in [
        ({}, 'owner_id: owner_id or org_slug is required'),
        ({'owner_id': 'acme'}, "owner_id: 'acme' is not a UUID"),
        ({'org_slug': 'acme'}, "org_slug: 'acme' is not an organization slug"),
        ({'owner_id': ORG_ID, 'context': 'other'}, "context: 'other' is not a policy context"),
    ]:
        with pytest.raises(ValidationError) as error:
            PolicyScope.check_params(params)
        assert str(error.value).startswith(message)


def test_normalize_diff():
    assert normalize_diff({'created': ['b', 'a']}) == {'created': ['a', 'b'], 'deleted': [], 'modified': []}
    assert normalize_diff(None) == {'created': [], 'deleted': [], 'modified': []}


def test_read_policy_dir(tmp_path):
    (tmp_path / 'b.rego').write_text('package org\n')
    (tmp_path / 'a.rego').write_text('package org # a\n')
    (tmp_path / 'README.md').write_text('not a policy')
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'c.rego').write_text('package org\n')
    assert read_policy_dir('src', str(tmp_path)) == {'a': 'package org # a\n', 'b': 'package org\n'}


def test_read_policy_dir_errors(tmp_path):
    with pytest.raises(ValidationError, match=r"^src: no \.rego files in"):
        read_policy_dir('src', str(tmp_path))
    with pytest.raises(ValidationError, match=r"^src: '.*missing' is not a directory"):
        read_policy_dir('src', str(tmp_path / 'missing'))


def test_check_policies():
    assert check_policies('policies', {'a': 'x'}) == {'a': 'x'}
    with pytest.raises(ValidationError, match=r"^policies: the content of 'a' must be a string"):
        check_policies('policies', {'a': 1})


def test_bundle_policies_reads_the_api_shape():
    bundle = {'b': [{'name': 'b', 'content': 'B'}], 'a': {'content': 'A'}, 'c': 'C'}
    assert bundle_policies(bundle) == {'a': 'A', 'b': 'B', 'c': 'C'}


def test_dry_post_sends_dry_true(api, client):
    api.expect(call('POST', BASE + '/policy-bundle', query={'dry': 'true'}, json={'policies': {'a': 'x'}},
                    body={'created': ['a']}))
    assert post_bundle(client, SCOPE, {'a': 'x'}, dry=True) == {'created': ['a'], 'deleted': [], 'modified': []}


def test_too_large_bundle_is_a_clear_error(api, client):
    api.expect(call('POST', BASE + '/policy-bundle', status=413, body={'error': 'http: request payload too large'}))
    with pytest.raises(CircleCIError) as error:
        post_bundle(client, SCOPE, {'a': 'x' * 100}, dry=False)
    assert error.value.status == 413
    assert 'the policy bundle is too large: 123 bytes sent, the API accepts about 2.5 MiB' in str(error.value)


def test_decisions_are_paged_by_offset(api, client):
    page = [{'id': str(n)} for n in range(3)]
    api.expect(
        call('GET', BASE + '/decision', query={'status': 'PASS'}, body=page),
        call('GET', BASE + '/decision', query={'status': 'PASS', 'offset': '3'}, body=[{'id': '3'}]),
        call('GET', BASE + '/decision', query={'status': 'PASS', 'offset': '4'}, body=[]),
    )
    decisions = list_decisions(client, SCOPE, {'status': 'PASS', 'branch': None})
    assert [d['id'] for d in decisions] == ['0', '1', '2', '3']


@pytest.mark.parametrize('value', ['2025-01-31T00:00:00Z', '2025-01-31T00:00:00.123+02:00', None])
def test_date_time_accepted(value):
    assert check_date_time('after', value) == value


def test_date_time_rejected():
    with pytest.raises(ValidationError, match=r"^before: 'yesterday' is not an RFC 3339 date-time"):
        check_date_time('before', 'yesterday')


HARD = {'rule': 'use_official_images', 'reason': 'node:20 is not official'}
SOFT = {'rule': 'small_resource_class', 'reason': 'large is too big'}


@pytest.mark.parametrize('decision, fail_on, failures', [
    ({'status': 'PASS'}, 'hard', []),
    ({'status': 'HARD_FAIL', 'hard_failures': [HARD], 'soft_failures': [SOFT]}, 'hard', ['use_official_images: node:20 is not official']),
    ({'status': 'HARD_FAIL', 'hard_failures': [HARD], 'soft_failures': [SOFT]}, 'soft',
     ['use_official_images: node:20 is not official', 'small_resource_class: large is too big']),
    ({'status': 'HARD_FAIL', 'hard_failures': [HARD]}, 'never', []),
    ({'status': 'SOFT_FAIL', 'soft_failures': [SOFT]}, 'hard', []),
    ({'status': 'SOFT_FAIL', 'soft_failures': [SOFT]}, 'soft', ['small_resource_class: large is too big']),
    ({'status': 'ERROR', 'reason': 'bad rego'}, 'hard', ['status ERROR: bad rego']),
])
def test_decision_failures(decision, fail_on, failures):
    assert decision_failures(decision, fail_on) == failures
