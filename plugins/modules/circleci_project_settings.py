#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_project_settings
short_description: Manage the advanced settings of a CircleCI project
version_added: 0.1.0
description:
  - Set the advanced settings of a CircleCI project (Project Settings > Advanced).
  - Only the settings given in O(advanced) are compared, and only those that differ are sent, in one C(PATCH).
    Settings not given are left as they are.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff shows every advanced setting before and after; branch lists are sorted.
  idempotent:
    support: full
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG/PROJECT).
    type: str
    required: true
  advanced:
    description:
      - The advanced settings to set, as the API names them. Booleans unless stated otherwise.
      - V(autocancel_builds) cancels running pipelines of a branch (except the default branch) when a new one starts.
      - V(build_fork_prs) runs builds for pull requests from forks.
      - V(build_prs_only) builds only branches with an open pull request.
      - V(disable_ssh) disables re-runs with SSH.
      - V(forks_receive_secret_env_vars) passes secrets to builds of forked pull requests.
      - V(set_github_status) reports the status of every pushed commit to GitHub.
      - V(setup_workflows) enables dynamic configuration.
      - V(write_settings_requires_admin) lets only organization administrators change these settings.
      - V(pr_only_branch_overrides) is a list of branches always built when V(build_prs_only) is on (at most 100).
        It is compared as a set; the list given replaces the current one.
      - V(oss) is read-only (CircleCI sets it for open source projects) and is refused before any request.
    type: dict
    required: true
seealso:
  - module: community.circleci.circleci_project_info
"""

EXAMPLES = r"""
- name: Build pull requests only, but always build main and release
  community.circleci.circleci_project_settings:
    project_slug: gh/acme/api
    advanced:
      build_prs_only: true
      pr_only_branch_overrides: [main, release]
      autocancel_builds: true
      disable_ssh: true
    api_token: "{{ circleci_token }}"
  register: settings

- name: Show the resulting settings
  ansible.builtin.debug:
    var: settings.settings.advanced
"""

RETURN = r"""
settings:
  description:
    - The project settings after the run, as the API returns them (in check mode, the current ones with the changes merged in).
  returned: success
  type: dict
  contains:
    advanced:
      description: Every advanced setting of the project.
      type: dict
      returned: success
      sample:
        autocancel_builds: true
        build_fork_prs: false
        build_prs_only: true
        disable_ssh: true
        forks_receive_secret_env_vars: false
        oss: false
        pr_only_branch_overrides: [main, release]
        set_github_status: true
        setup_workflows: false
        write_settings_requires_admin: false
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._projects import ensure_settings


def run(module, client):
    params = module.params
    return ensure_settings(client, params['project_slug'], params['advanced'], check_mode=module.check_mode)


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        advanced=dict(type='dict', required=True),
    )
    run_module(argument_spec, run)


if __name__ == '__main__':
    main()
