#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_project_info
short_description: Read a CircleCI project, with its settings, variables, keys, webhooks and schedules
version_added: 0.1.0
description:
  - Read one CircleCI project by slug.
  - Optionally read its advanced settings, environment variables (values masked), checkout keys, webhooks and
    scheduled pipelines. Only what O(include) names is fetched, with one more request (or listing) per item.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG_ID/PROJECT_ID).
    type: str
    required: true
  include:
    description:
      - What to read besides the project.
      - V(settings) the advanced settings; V(env_vars) the environment variables (values masked by the API);
        V(checkout_keys) the checkout keys (always empty for V(circleci/...) projects, which have none);
        V(webhooks) the outbound webhooks; V(schedules) the scheduled pipelines.
    type: list
    elements: str
    choices: [settings, env_vars, checkout_keys, webhooks, schedules]
    default: []
seealso:
  - module: community.circleci.circleci_project_env
  - module: community.circleci.circleci_project_settings
  - module: community.circleci.circleci_checkout_key
"""

EXAMPLES = r"""
- name: Read a project
  community.circleci.circleci_project_info:
    project_slug: gh/acme/api
    api_token: "{{ circleci_token }}"
  register: api_project

- name: Read a project with its settings and variable names
  community.circleci.circleci_project_info:
    project_slug: gh/acme/api
    include: [settings, env_vars]
    api_token: "{{ circleci_token }}"
  register: api_project

- name: Show the variable names
  ansible.builtin.debug:
    msg: "{{ api_project.env_vars | map(attribute='name') | list }}"
"""

RETURN = r"""
project:
  description: The project, as the API returns it; an empty dict when it is not found or the token may not see it.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the project.
      type: str
      returned: success
      sample: a0000000-0000-4000-8000-000000000101
    slug:
      description: Slug of the project.
      type: str
      returned: success
      sample: gh/acme/api
    name:
      description: Name of the project.
      type: str
      returned: success
      sample: api
    organization_id:
      description: UUID of the organization.
      type: str
      returned: success
    organization_name:
      description: Name of the organization.
      type: str
      returned: success
    organization_slug:
      description: Slug of the organization.
      type: str
      returned: success
      sample: gh/acme
    vcs_info:
      description: The repository (C(vcs_url), C(provider), C(default_branch)).
      type: dict
      returned: success
settings:
  description: The project settings; empty if the project was not found.
  returned: when O(include) contains V(settings)
  type: dict
  contains:
    advanced:
      description: The advanced settings (see M(community.circleci.circleci_project_settings)).
      type: dict
      returned: success
      sample: {autocancel_builds: false, build_prs_only: true, pr_only_branch_overrides: [main]}
env_vars:
  description:
    - The environment variables of the project, with the API's hyphenated field names in snake_case
      (C(created-at) is RV(env_vars[].created_at)).
  returned: when O(include) contains V(env_vars)
  type: list
  elements: dict
  contains:
    name:
      description: Name of the variable.
      type: str
      returned: success
      sample: AWS_REGION
    value:
      description: The value masked by the API, C(xxxx) followed by its last four characters.
      type: str
      returned: success
      sample: xxxx1234
    created_at:
      description: When the variable was created, in the API's own format.
      type: str
      returned: when the API returns it
checkout_keys:
  description:
    - The checkout keys of the project, with the API's hyphenated field names in snake_case (C(public-key)
      is RV(checkout_keys[].public_key)), as M(community.circleci.circleci_checkout_key) returns them.
  returned: when O(include) contains V(checkout_keys)
  type: list
  elements: dict
  contains:
    public_key:
      description: The public SSH key.
      type: str
      returned: success
    type:
      description: V(deploy-key) or V(github-user-key).
      type: str
      returned: success
    fingerprint:
      description: MD5 fingerprint of the key.
      type: str
      returned: success
    preferred:
      description: Whether CircleCI uses this key for checkout.
      type: bool
      returned: success
    created_at:
      description: When the key was created.
      type: str
      returned: success
webhooks:
  description:
    - The outbound webhooks of the project, as M(community.circleci.circleci_webhook_info) returns them
      (snake_case keys, events sorted, never the signing secret).
  returned: when O(include) contains V(webhooks)
  type: list
  elements: dict
  sample: [{name: notify, url: https://hooks.example.com/circleci, events: [workflow-completed], verify_tls: true}]
schedules:
  description:
    - The scheduled pipelines of the project, as M(community.circleci.circleci_schedule_info) returns them
      (snake_case keys, plus C(attribution_actor), which is V(system) or V(current)).
  returned: when O(include) contains V(schedules)
  type: list
  elements: dict
  sample: [{name: nightly, attribution_actor: system, timetable: {per_hour: 1, hours_of_day: [2], days_of_week: [MON]}}]
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._projects import INCLUDE_CHOICES, project_info
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver


def run(module, client):
    params = module.params
    return project_info(client, Resolver(client), params['project_slug'], include=params['include'])


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        include=dict(type='list', elements='str', choices=list(INCLUDE_CHOICES), default=[]),
    )
    run_module(argument_spec, run)


if __name__ == '__main__':
    main()
