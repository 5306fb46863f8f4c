#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_context
short_description: Manage CircleCI contexts and their restrictions
version_added: 0.1.0
description:
  - Create and delete CircleCI contexts of an organization (or, on CircleCI server, an account).
  - Manage the restrictions of a context (project, expression and group restrictions).
  - The owner is named by O(owner_slug) or O(owner_id); exactly one of them is required.
  - To manage the environment variables of a context, use M(community.circleci.circleci_context_env).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.owner
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
options:
  name:
    description:
      - Name of the context. Context names are unique per owner.
    type: str
    required: true
  state:
    description:
      - V(present) creates the context if it does not exist.
      - V(absent) deletes the context with all its environment variables and restrictions. When no context of that name
        exists, nothing changes and a warning says so (naming a close existing name, if there is one).
    type: str
    choices: [present, absent]
    default: present
  restrictions:
    description:
      - Restrictions the context should have.
      - When not set, the restrictions of the context are not read or changed.
      - Compared as a set of (type, value), so order does not matter.
      - V([]) with O(purge_restrictions=true) removes every restriction.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - V(project) limits the context to one project.
          - V(expression) limits it to pipelines matching an expression, for example V(pipeline.git.branch == "main").
          - V(group) limits it to members of a group.
        type: str
        required: true
        choices: [project, expression, group]
      value:
        description:
          - For V(project), a project slug (V(gh/ORG/REPO), V(bb/ORG/REPO) or V(circleci/ORG/PROJECT)) or the project UUID.
            A slug is resolved to the UUID, which is what the API stores.
          - For V(expression), the expression.
          - For V(group), the group UUID.
        type: str
        required: true
  purge_restrictions:
    description:
      - Whether restrictions that are not listed in O(restrictions) are removed.
      - Only used when O(restrictions) is set.
    type: bool
    default: true
notes:
  - Deleting a context deletes its environment variables, which cannot be read back.
seealso:
  - module: community.circleci.circleci_context_env
  - module: community.circleci.circleci_context_info
  - name: CircleCI contexts
    description: Using contexts, and restricting them.
    link: https://circleci.com/docs/contexts/
"""

EXAMPLES = r"""
- name: Manage CircleCI contexts
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A context only the main branch of one project may use
      community.circleci.circleci_context:
        name: deploy-prod
        owner_slug: gh/acme
        restrictions:
          - type: project
            value: gh/acme/api
          - type: expression
            value: pipeline.git.branch == "main"

    - name: Add a group restriction, keeping the others
      community.circleci.circleci_context:
        name: deploy-prod
        owner_slug: gh/acme
        restrictions:
          - type: group
            value: 3f5b3e2a-5f5c-4d0f-9a57-0c6cf1bbd2a1
        purge_restrictions: false

    - name: A context on CircleCI server, owned by an account
      community.circleci.circleci_context:
        name: shared
        owner_id: 9f3c2b1a-1111-4c6e-8d2a-3b4c5d6e7f80
        owner_type: account
        api_url: https://circleci.example.com/api/v2

    - name: Delete a context
      community.circleci.circleci_context:
        name: old-context
        owner_slug: gh/acme
        state: absent
"""

RETURN = r"""
context:
  description:
    - The context. Empty when O(state=absent).
    - In check mode, a context that would be created has no RV(context.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the context.
      type: str
      returned: when the context exists
      sample: 5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11
    name:
      description: Name of the context.
      type: str
      returned: success
      sample: deploy-prod
    created_at:
      description: When the context was created.
      type: str
      returned: when the context exists
      sample: "2025-01-10T12:00:00.000Z"
restrictions:
  description:
    - The restrictions of the context after the run, as the API returns them.
    - In check mode, restrictions that would be created have no RV(restrictions[].id).
  returned: when O(restrictions) is set and O(state=present)
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the restriction.
      type: str
      returned: when the restriction exists
    restriction_type:
      description: V(project), V(expression) or V(group).
      type: str
      returned: success
      sample: project
    restriction_value:
      description: Project UUID, expression or group UUID.
      type: str
      returned: success
      sample: 405d8375-3514-403b-8c43-83ae74cfe0e9
    name:
      description: For project restrictions, the project name.
      type: str
      returned: when the API returns it
      sample: api
"""

from ansible_collections.community.circleci.plugins.module_utils._contexts import RESTRICTION_TYPES, ensure_context, owner_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of


def run(module, client):
    return ensure_context(client, module.params, module.check_mode, warn=module.warn)


def main():
    argument_spec = owner_argument_spec()
    argument_spec.update(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        restrictions=dict(type='list', elements='dict', options=dict(
            type=dict(type='str', required=True, choices=list(RESTRICTION_TYPES)),
            value=dict(type='str', required=True),
        )),
        purge_restrictions=dict(type='bool', default=True),
    )
    run_module(argument_spec, run, **exactly_one_of(('owner_slug', 'owner_id')))


if __name__ == '__main__':
    main()
