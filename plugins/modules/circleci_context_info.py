#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_context_info
short_description: Read CircleCI contexts, with their variable names and restrictions
version_added: 0.1.0
description:
  - List the contexts of an organization (or, on CircleCI server, an account), or read one context by name or id.
  - Optionally read the names of their environment variables (never the values) and their restrictions.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.owner
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  name:
    description:
      - Only return the context with this name (an empty list if there is none).
    type: str
  context_id:
    description:
      - Only return the context with this UUID (an empty list if there is none, or if the token may not see it).
      - Exactly one of O(owner_slug), O(owner_id) and O(context_id) is required.
    type: str
  include:
    description:
      - What to read for each context returned, with one more request per context for each item.
      - V(env_vars) reads the names and timestamps of the environment variables, V(restrictions) the restrictions.
    type: list
    elements: str
    choices: [env_vars, restrictions]
    default: []
seealso:
  - module: community.circleci.circleci_context
  - module: community.circleci.circleci_context_env
"""

EXAMPLES = r"""
- name: List every context of an organization
  community.circleci.circleci_context_info:
    owner_slug: gh/acme
    api_token: "{{ circleci_token }}"
  register: contexts

- name: Read one context with its variable names and restrictions
  community.circleci.circleci_context_info:
    owner_slug: gh/acme
    name: deploy-prod
    include: [env_vars, restrictions]
    api_token: "{{ circleci_token }}"
  register: deploy

- name: Show the variable names
  ansible.builtin.debug:
    msg: "{{ deploy.contexts[0].env_vars | map(attribute='variable') | list }}"
  when: deploy.contexts | length > 0
"""

RETURN = r"""
contexts:
  description: The contexts found, in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the context.
      type: str
      returned: success
      sample: 5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11
    name:
      description: Name of the context.
      type: str
      returned: success
      sample: deploy-prod
    created_at:
      description: When the context was created.
      type: str
      returned: success
      sample: "2025-01-10T12:00:00.000Z"
    env_vars:
      description: The environment variables of the context. Values are never returned by the API.
      type: list
      elements: dict
      returned: when O(include) contains V(env_vars)
      contains:
        variable:
          description: Name of the variable.
          type: str
          returned: success
          sample: AWS_REGION
        created_at:
          description: When the variable was created.
          type: str
          returned: success
        updated_at:
          description: When the variable was last written.
          type: str
          returned: success
        context_id:
          description: UUID of the context.
          type: str
          returned: success
    restrictions:
      description: The restrictions of the context, as the API returns them.
      type: list
      elements: dict
      returned: when O(include) contains V(restrictions)
      contains:
        id:
          description: UUID of the restriction.
          type: str
          returned: success
        restriction_type:
          description: V(project), V(expression) or V(group).
          type: str
          returned: success
        restriction_value:
          description: Project UUID, expression or group UUID.
          type: str
          returned: success
        name:
          description: For project restrictions, the project name.
          type: str
          returned: when the API returns it
"""

from ansible_collections.community.circleci.plugins.module_utils._contexts import (
    Owner,
    get_context,
    list_env_vars,
    list_restrictions,
    owner_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    check_non_empty,
    check_uuid,
    exactly_one_of,
    spec_rules,
)


def run(module, client):
    params = module.params
    if params['context_id'] is not None:
        context = get_context(client, check_uuid('context_id', params['context_id']))
        contexts = [context] if context else []
    else:
        owner = Owner.from_params(params)
        name = None if params['name'] is None else check_non_empty('name', params['name'])
        contexts = Resolver(client).contexts(owner)
        if name is not None:
            contexts = [context for context in contexts if context.get('name') == name]
    for context in contexts:
        if 'env_vars' in params['include']:
            context['env_vars'] = list_env_vars(client, context['id'], label=context.get('name'))
        if 'restrictions' in params['include']:
            context['restrictions'] = list_restrictions(client, context['id'])
    return dict(changed=False, contexts=contexts)


def main():
    argument_spec = owner_argument_spec()
    argument_spec.update(
        name=dict(type='str'),
        context_id=dict(type='str'),
        include=dict(type='list', elements='str', choices=['env_vars', 'restrictions'], default=[]),
    )
    run_module(argument_spec, run, **spec_rules(exactly_one_of(('owner_slug', 'owner_id', 'context_id')),
                                                mutually_exclusive=[('name', 'context_id')]))


if __name__ == '__main__':
    main()
