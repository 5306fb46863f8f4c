#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_project_info
short_description: Read a CircleCI project, with its settings, variables, keys, webhooks, schedules and triggers
version_added: 0.1.0
description:
  - Read one CircleCI project by slug.
  - Optionally read its advanced settings, environment variables (values masked), checkout keys, webhooks,
    scheduled pipelines, pipeline definitions and their triggers. Only what O(include) names is fetched, with one
    more request (or listing) per item.
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
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG/PROJECT).
    type: str
    required: true
  include:
    description:
      - What to read besides the project.
      - V(settings) the advanced settings; V(env_vars) the environment variables (values masked by the API);
        V(checkout_keys) the checkout keys (always empty for V(circleci/...) projects, which have none);
        V(webhooks) the outbound webhooks; V(schedules) the scheduled pipelines; V(pipeline_definitions) the
        pipeline definitions; V(triggers) the triggers of every pipeline definition (one listing of the
        definitions, then one per definition).
    type: list
    elements: str
    choices: [settings, env_vars, checkout_keys, webhooks, schedules, pipeline_definitions, triggers]
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

- name: Read the pipeline definitions and triggers of a standalone project
  community.circleci.circleci_project_info:
    project_slug: circleci/a1b2c3d4-0000-4000-8000-000000000001/b1c2d3e4-0000-4000-8000-000000000002
    include: [pipeline_definitions, triggers]
    api_token: "{{ circleci_token }}"
  register: platform

- name: Show the event names of the webhook triggers
  ansible.builtin.debug:
    msg: "{{ platform.triggers | selectattr('event_source.provider', 'eq', 'webhook') | map(attribute='event_name') | list }}"
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
pipeline_definitions:
  description:
    - The pipeline definitions of the project, as M(community.circleci.circleci_pipeline_definition) returns them
      (C(id), C(name), C(description), C(created_at), C(config_source), C(checkout_source)).
  returned: when O(include) contains V(pipeline_definitions)
  type: list
  elements: dict
  sample: [{id: 2338d0ae-5541-4bbf-88a2-55e9f7281f80, name: deploy, description: "",
            config_source: {provider: github_app, repo: {external_id: "123456789", full_name: acme/api},
                            file_path: .circleci/deploy.yml},
            checkout_source: {provider: github_app, repo: {external_id: "123456789", full_name: acme/api}}}]
triggers:
  description:
    - The triggers of every pipeline definition of the project, as M(community.circleci.circleci_trigger) returns
      them, each with the C(pipeline_definition_id) it belongs to.
    - Never a webhook trigger's URL (it embeds a secret); M(community.circleci.circleci_trigger) returns it.
  returned: when O(include) contains V(triggers)
  type: list
  elements: dict
  sample: [{id: 8d2a0c6f-2f4e-4c52-9a3b-0d7e6f1c2b3a, pipeline_definition_id: 2338d0ae-5541-4bbf-88a2-55e9f7281f80,
            event_source: {provider: webhook, webhook: {sender: slack}}, event_name: chatops-deploy,
            checkout_ref: main, config_ref: main, disabled: false}]
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
