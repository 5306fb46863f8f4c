# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_project_settings
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

SLUG = 'gh/acme/api'
SETTINGS = '/project/gh/acme/api/settings'
CURRENT = {
    'autocancel_builds': False, 'build_fork_prs': False, 'build_prs_only': False, 'disable_ssh': False,
    'forks_receive_secret_env_vars': False, 'oss': False, 'set_github_status': True, 'setup_workflows': False,
    'write_settings_requires_admin': False, 'pr_only_branch_overrides': ['main', 'release'],
}


def current(**changes):
    return {'advanced': dict(CURRENT, **changes)}


def test_patches_only_what_differs(api, run_module):
    api.expect(call('GET', SETTINGS, body=current()),
               call('PATCH', SETTINGS, json={'advanced': {'build_prs_only': True}}, body=current(build_prs_only=True)))
    result = run_module(circleci_project_settings, {'project_slug': SLUG, 'advanced': {
        'build_prs_only': True, 'set_github_status': True, 'pr_only_branch_overrides': ['release', 'main']}}, diff=True)
    assert result['changed'] is True
    assert result['settings'] == current(build_prs_only=True)
    assert result['diff']['before']['advanced']['build_prs_only'] is False
    assert result['diff']['after']['advanced']['build_prs_only'] is True


def test_rerun_is_one_get(api, run_module):
    api.expect(call('GET', SETTINGS, body=current(pr_only_branch_overrides=['release', 'main'])))
    result = run_module(circleci_project_settings, {'project_slug': SLUG, 'advanced': {
        'set_github_status': 'yes', 'pr_only_branch_overrides': ['main', 'release']}})
    assert result['changed'] is False
    assert [r.method for r in api.requests] == ['GET']


def test_branch_overrides_that_differ_as_a_set_are_sent_whole(api, run_module):
    api.expect(call('GET', SETTINGS, body=current()),
               call('PATCH', SETTINGS, json={'advanced': {'pr_only_branch_overrides': ['main']}},
                    body=current(pr_only_branch_overrides=['main'])))
    result = run_module(circleci_project_settings, {'project_slug': SLUG, 'advanced': {'pr_only_branch_overrides': ['main']}})
    assert result['changed'] is True


def test_check_mode_sends_no_patch(api, run_module):
    api.expect(call('GET', SETTINGS, body=current()))
    result = run_module(circleci_project_settings, {'project_slug': SLUG, 'advanced': {'disable_ssh': True}},
                        check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['settings'] == current(disable_ssh=True)
    assert result['diff']['after']['advanced']['disable_ssh'] is True


def test_standalone_project_slug(api, run_module):
    slug = 'circleci/c0000000-0000-4000-8000-000000000002/c0000000-0000-4000-8000-000000000201'
    api.expect(call('GET', '/project/%s/settings' % slug, body=current()))
    result = run_module(circleci_project_settings, {'project_slug': slug, 'advanced': {'disable_ssh': False}})
    assert result['changed'] is False


def test_unknown_project_is_a_clear_error(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope/settings', status=404, body={'message': 'Project not found.'}))
    result = run_module(circleci_project_settings, {'project_slug': 'gh/acme/nope', 'advanced': {'disable_ssh': True}})
    assert result['msg'].startswith("project_slug: project 'gh/acme/nope' was not found")


@pytest.mark.parametrize('args, message', [
    ({'project_slug': SLUG, 'advanced': {'oss': True}}, 'advanced.oss: is read-only'),
    ({'project_slug': SLUG, 'advanced': {'disable_ssh': True, 'autocancel': True}}, 'advanced.autocancel: is not an advanced setting'),
    ({'project_slug': SLUG, 'advanced': {'disable_ssh': 'perhaps'}}, "advanced.disable_ssh: 'perhaps' is not a boolean"),
    ({'project_slug': SLUG, 'advanced': {'pr_only_branch_overrides': 'main'}}, 'advanced.pr_only_branch_overrides: must be a list'),
    ({'project_slug': SLUG, 'advanced': {}}, 'advanced: must be a non-empty dict'),
    ({'project_slug': 'gh/acme', 'advanced': {'disable_ssh': True}}, "project_slug: 'gh/acme' is not a project slug"),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_project_settings, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert api.requests == []
