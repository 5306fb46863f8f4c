# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_oidc_claims_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'


def test_org_claims(api, run_module):
    body = {'org_id': ORG_ID, 'audience': ['a'], 'ttl': '1h0m0s'}
    api.expect(call('GET', '/org/%s/oidc-custom-claims' % ORG_ID, body=body))
    result = run_module(circleci_oidc_claims_info, {'org_id': ORG_ID}, check_mode=True)
    assert result == dict(result, changed=False, claims=body)


def test_project_claims_by_ids(api, run_module):
    body = {'org_id': ORG_ID, 'project_id': PROJECT_ID}
    api.expect(call('GET', '/org/%s/project/%s/oidc-custom-claims' % (ORG_ID, PROJECT_ID), body=body))
    result = run_module(circleci_oidc_claims_info, {'org_id': ORG_ID, 'project_id': PROJECT_ID})
    assert result['claims'] == body


def test_project_claims_by_slug(api, run_module):
    body = {'org_id': ORG_ID, 'project_id': PROJECT_ID}
    api.expect(call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'organization_id': ORG_ID}),
               call('GET', '/org/%s/project/%s/oidc-custom-claims' % (ORG_ID, PROJECT_ID), body=body))
    result = run_module(circleci_oidc_claims_info, {'project_slug': 'gh/acme/api'})
    assert result['claims'] == body


def test_bad_org_slug_fails_before_any_request(api, run_module):
    result = run_module(circleci_oidc_claims_info, {'org_slug': 'acme'})
    assert result['failed'] is True
    assert result['msg'].startswith("org_slug: 'acme' is not an organization slug")
    assert api.requests == []
