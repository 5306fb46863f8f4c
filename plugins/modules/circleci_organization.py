#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_organization
short_description: Create, connect and delete CircleCI organizations
version_added: 0.1.0
description:
  - Create a standalone CircleCI organization (O(vcs_type=circleci), for GitLab, GitHub App and
    other integrations), or connect a GitHub or Bitbucket organization, and delete organizations.
  - An organization is identified by O(name) and O(vcs_type) among the organizations of the token's
    user, or by O(organization) (its slug or id). Names are compared without regard to case.
  - An organization has nothing the API can change, so a present organization is left as it is.
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
  name:
    description:
      - Name of the organization. For V(github) and V(bitbucket), the organization's name on the VCS provider
        (no C(/) or whitespace); for V(circleci), any display name.
      - Together with O(vcs_type); exactly one of O(name) and O(organization) is required.
    type: str
  vcs_type:
    description:
      - The kind of organization. V(circleci) creates a standalone organization, whose slug is
        C(circleci/ID); V(github) and V(bitbucket) connect the VCS organization O(name) (slug C(gh/NAME), C(bb/NAME)).
      - Required with O(name).
    type: str
    choices: [github, bitbucket, circleci]
  organization:
    description:
      - An existing organization by slug (V(gh/acme), V(circleci/ORG_ID)) or UUID, instead of O(name) and O(vcs_type).
      - With O(state=present) the module only checks that it exists (it cannot create an organization from a slug).
    type: str
  state:
    description:
      - V(present) creates the organization when the token's user has none of that name and type;
        V(absent) deletes it, with everything in it (projects, contexts, groups, URL orb allow-list).
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Requests: one C(GET /me/collaborations) per run (API v2 has no read of one organization), then
    C(POST /organization) to create or C(DELETE /organization/{id}) to delete. An identical second run
    sends the read only."
  - The token's user becomes a member of an organization it creates. CircleCI answers a delete with
    202 (accepted), so for a while after the organization may still be listed, and a run in that window
    deletes it again.
  - A standalone organization's slug is given by CircleCI (RV(organization.slug)); use it, or the
    id, wherever another module takes an organization.
seealso:
  - module: community.circleci.circleci_organization_info
  - module: community.circleci.circleci_project
  - name: CircleCI organizations and integrations
    description: Users, organizations and integrations, and which features each organization type has.
    link: https://circleci.com/docs/guides/permissions-authentication/users-organizations-and-integrations-guide/
"""

EXAMPLES = r"""
- name: Manage CircleCI organizations
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A standalone organization
      community.circleci.circleci_organization:
        name: platform-team
        vcs_type: circleci
      register: org

    - name: Its slug, for the other modules
      ansible.builtin.debug:
        msg: "{{ org.organization.slug }}"

    - name: Connect a GitHub organization
      community.circleci.circleci_organization:
        name: acme
        vcs_type: github

    - name: Delete an organization by its slug
      community.circleci.circleci_organization:
        organization: "{{ org.organization.slug }}"
        state: absent
"""

RETURN = r"""
organization:
  description:
    - The organization. Empty when O(state=absent).
    - In check mode, an organization that would be created has only RV(organization.name) and RV(organization.vcs_type).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the organization.
      type: str
      returned: when the organization exists
      sample: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    name:
      description: Name of the organization.
      type: str
      returned: success
      sample: platform-team
    slug:
      description: Slug of the organization, as CircleCI gives it.
      type: str
      returned: when the organization exists
      sample: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    vcs_type:
      description: V(github), V(bitbucket) or V(circleci).
      type: str
      returned: success
      sample: circleci
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._organizations import (
    VCS_TYPES,
    OrganizationSpec,
    ensure_organization,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules


def run(module, client):
    return ensure_organization(client, OrganizationSpec(module.params), module.check_mode)


def main():
    argument_spec = dict(
        name=dict(type='str'),
        vcs_type=dict(type='str', choices=list(VCS_TYPES)),
        organization=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **spec_rules(
        mutually_exclusive=[('name', 'organization'), ('vcs_type', 'organization')],
        required_one_of=[('name', 'organization')],
        required_together=[('name', 'vcs_type')]))


if __name__ == '__main__':
    main()
