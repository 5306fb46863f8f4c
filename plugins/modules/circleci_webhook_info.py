#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_webhook_info
short_description: Read the outbound webhooks of a CircleCI project
version_added: 0.1.0
description:
  - List the outbound webhooks of a CircleCI project, or the one with a given name.
  - Signing secrets are never returned (the API only answers a mask).
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
      - Slug of the project, for example V(gh/acme/api). It is resolved to the project UUID with one request.
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - UUID of the project.
    type: str
  name:
    description:
      - Only return the webhooks with this name (an empty list if there is none).
    type: str
seealso:
  - module: community.circleci.circleci_webhook
"""

EXAMPLES = r"""
- name: List the webhooks of a project
  community.circleci.circleci_webhook_info:
    project_slug: gh/acme/api
    api_token: "{{ circleci_token }}"
  register: hooks

- name: Show their URLs
  ansible.builtin.debug:
    msg: "{{ hooks.webhooks | map(attribute='url') | list }}"
"""

RETURN = r"""
webhooks:
  description:
    - The webhooks found, in the order the API lists them, without signing secrets.
    - Keys are snake_case whatever the API answered.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the webhook.
      type: str
      returned: success
      sample: 1d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11
    name:
      description: Name of the webhook.
      type: str
      returned: success
      sample: deploy-notifier
    url:
      description: Delivery URL.
      type: str
      returned: success
      sample: https://hooks.example.com/circleci
    events:
      description: Events that trigger the webhook, sorted.
      type: list
      elements: str
      returned: success
      sample: [workflow-completed]
    verify_tls:
      description: Whether the TLS certificate of the URL is verified.
      type: bool
      returned: success
    scope:
      description: The scope of the webhook (C(id) = project UUID, C(type) = V(project)).
      type: dict
      returned: success
    created_at:
      description: When the webhook was created.
      type: str
      returned: success
    updated_at:
      description: When the webhook was last written.
      type: str
      returned: success
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import (
    PROJECT_REF_RULES,
    ProjectRef,
    Resolver,
    project_ref_argument_spec,
    resolve_project_id,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import check_non_empty
from ansible_collections.community.circleci.plugins.module_utils._webhooks import list_webhooks, normalize_webhook


def run(module, client):
    params = module.params
    target = ProjectRef(params)
    name = None if params['name'] is None else check_non_empty('name', params['name'])
    webhooks = list_webhooks(client, resolve_project_id(Resolver(client), target))
    if name is not None:
        webhooks = [webhook for webhook in webhooks if webhook.get('name') == name]
    return dict(changed=False, webhooks=[normalize_webhook(webhook) for webhook in webhooks])


def main():
    argument_spec = project_ref_argument_spec()
    argument_spec.update(name=dict(type='str'))
    run_module(argument_spec, run, **PROJECT_REF_RULES)


if __name__ == '__main__':
    main()
