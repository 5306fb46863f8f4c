# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient
from ansible_collections.community.circleci.plugins.module_utils._projects import (
    check_advanced,
    fingerprint_digest,
    reconcile_project_env,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ENV = '/project/gh/acme/api/envvar'


def test_on_create_warns_about_a_proven_difference_and_writes_nothing(api):
    api.expect(call('GET', ENV, body={'items': [{'name': 'A', 'value': 'xxxxzzzz'}, {'name': 'B', 'value': 'xxxx-two'},
                                                {'name': 'C', 'value': 'xxxxzzzz'}], 'next_page_token': None}))
    warnings = []
    with CircleCIClient('token', api.url) as client:
        result = reconcile_project_env(client, 'gh/acme/api', {'A': 'value-one', 'B': 'value-two'},
                                       update_mode='on_create', warn=warnings.append)
    assert result['changed'] is False
    assert result['untouched'] == ['A', 'B']
    assert len(warnings) == 1
    assert warnings[0].startswith('the value of A differs from the one given')
    assert 'value-one' not in warnings[0] and 'zzzz' not in warnings[0]


def test_always_does_not_warn(api):
    api.expect(call('GET', ENV, body={'items': [{'name': 'A', 'value': 'xxxxzzzz'}], 'next_page_token': None}),
               call('POST', ENV, json={'name': 'A', 'value': 'value-one'}, status=201, body={'name': 'A', 'value': 'xxxx-one'}))
    warnings = []
    with CircleCIClient('token', api.url) as client:
        result = reconcile_project_env(client, 'gh/acme/api', {'A': 'value-one'}, warn=warnings.append)
    assert result['updated'] == ['A']
    assert warnings == []


def test_check_advanced_normalises():
    assert check_advanced({'build_prs_only': 'yes', 'pr_only_branch_overrides': ['main', 'dev', 'main']}) == {
        'build_prs_only': True, 'pr_only_branch_overrides': ['main', 'dev']}


@pytest.mark.parametrize('advanced, message', [
    ({}, '^advanced: must be a non-empty dict'),
    ({'oss': True}, '^advanced.oss: is read-only'),
    ({'autocancel': True}, '^advanced.autocancel: is not an advanced setting; known: autocancel_builds, '),
    ({'disable_ssh': 'maybe'}, "^advanced.disable_ssh: 'maybe' is not a boolean"),
    ({'disable_ssh': None}, '^advanced.disable_ssh: must be true or false'),
    ({'pr_only_branch_overrides': 'main'}, '^advanced.pr_only_branch_overrides: must be a list of branch names'),
    ({'pr_only_branch_overrides': ['main', '']}, r'^advanced.pr_only_branch_overrides\[1\]: must be a non-empty string'),
    ({'pr_only_branch_overrides': ['b%d' % i for i in range(101)]}, '^advanced.pr_only_branch_overrides: at most 100 branches'),
])
def test_check_advanced_errors(advanced, message):
    with pytest.raises(ValidationError, match=message):
        check_advanced(advanced)


def test_fingerprint_digest():
    assert fingerprint_digest('c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f') == 'md5'
    assert fingerprint_digest('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8') == 'sha256'
