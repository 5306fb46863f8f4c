#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_group
short_description: Manage the groups of a CircleCI organization
version_added: 0.1.0
description:
  - Create and delete the groups of a CircleCI organization. Groups gather users; a context
    restriction of type C(group) lets only their members use a context.
  - CircleCI documents groups for organizations with a C(circleci/...) slug (GitHub App, GitLab, standalone).
  - A group is identified by its O(name) within the organization.
  - The API cannot update a group. A group whose O(description) differs fails, naming the option,
    unless O(recreate=true) deletes it and creates it again.
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
  idempotent:
    support: full
options:
  organization:
    description:
      - The organization, by slug (V(circleci/ORG_ID), V(gh/acme)) or UUID.
      - A UUID, or a C(circleci/UUID) slug, needs no request to resolve; another slug is resolved among the
        organizations of the token's user (one request).
    type: str
    required: true
  name:
    description:
      - Name of the group. It identifies the group within the organization.
    type: str
    required: true
  description:
    description:
      - Description of the group. When not set, the description of an existing group is not compared.
    type: str
  recreate:
    description:
      - When the group exists with another O(description), delete it and create it again.
      - The new group has a new id. Context restrictions of type C(group) name a group by its id, so a
        restriction that named the old group no longer lets its members in; set the restriction again
        with the new RV(group.id).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the group when the organization has none of that name; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Requests: the organization's groups (C(GET /organizations/{org_id}/groups), every page), then
    C(POST) to create or C(DELETE) to delete. When the listing carries no description and O(description)
    is set, the group is read once more. An identical second run sends reads only."
  - A group another run created at the same time (CircleCI answers 409) is taken as the one created.
seealso:
  - module: community.circleci.circleci_context
  - module: community.circleci.circleci_organization_info
  - name: CircleCI groups
    description: Groups of organizations that use GitLab or the CircleCI GitHub App.
    link: https://circleci.com/docs/guides/permissions-authentication/manage-groups/
"""

EXAMPLES = r"""
- name: Manage CircleCI groups
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A group of release managers
      community.circleci.circleci_group:
        organization: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: release-managers
        description: May run production deploys
      register: release_managers

    - name: Only they may use the production context
      community.circleci.circleci_context:
        name: production
        owner_id: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        restrictions:
          - type: group
            value: "{{ release_managers.group.id }}"

    - name: A new description needs a new group (and a new id)
      community.circleci.circleci_group:
        organization: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: release-managers
        description: May run production and staging deploys
        recreate: true

    - name: Delete a group
      community.circleci.circleci_group:
        organization: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: interns
        state: absent
"""

RETURN = r"""
group:
  description:
    - The group after the run. Empty when O(state=absent).
    - In check mode, a group that would be created has no RV(group.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the group.
      type: str
      returned: when the group exists
      sample: 9e5e5f87-3e87-47ea-be0f-37265b965d6e
    name:
      description: Name of the group.
      type: str
      returned: success
      sample: release-managers
    description:
      description: Description of the group.
      type: str
      returned: when the API answered one
      sample: May run production deploys
"""

from ansible_collections.community.circleci.plugins.module_utils._groups import GroupSpec, ensure_group
from ansible_collections.community.circleci.plugins.module_utils._module import run_module


def run(module, client):
    return ensure_group(client, GroupSpec(module.params), module.check_mode)


def main():
    run_module(dict(
        organization=dict(type='str', required=True),
        name=dict(type='str', required=True),
        description=dict(type='str'),
        recreate=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ), run)


if __name__ == '__main__':
    main()
