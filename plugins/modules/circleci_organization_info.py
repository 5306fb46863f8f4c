#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_organization_info
short_description: Read a CircleCI organization, its groups and its URL orb allow-list
version_added: 0.1.0
description:
  - Read an organization of the token's user and, on request, its groups and the entries of its
    URL orb allow-list.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  organization:
    description:
      - The organization, by slug (V(gh/acme), V(circleci/ORG_ID)) or UUID.
    type: str
    required: true
  include:
    description:
      - What to read besides the organization, each with its own request.
    type: list
    elements: str
    choices: [groups, url_orb_allow_list]
    default: []
notes:
  - "Requests: C(GET /me/collaborations) (API v2 has no read of one organization), then one request per
    part of O(include): the groups (every page) and the allow-list."
  - An organization the token's user is not a member of gives an empty RV(organization) and empty parts,
    with no further request.
seealso:
  - module: community.circleci.circleci_organization
  - module: community.circleci.circleci_group
  - module: community.circleci.circleci_url_orb_allow_list
"""

EXAMPLES = r"""
- name: An organization with its groups and URL orb allow-list
  community.circleci.circleci_organization_info:
    api_token: "{{ circleci_token }}"
    organization: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    include: [groups, url_orb_allow_list]
  register: org

- name: The id of the group release-managers
  ansible.builtin.debug:
    msg: "{{ (org.groups | selectattr('name', 'eq', 'release-managers') | first).id }}"
"""

RETURN = r"""
organization:
  description: The organization (empty when the token's user has none of that slug or id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the organization.
      type: str
      returned: success
      sample: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    name:
      description: Name of the organization.
      type: str
      returned: success
      sample: platform-team
    slug:
      description: Slug of the organization.
      type: str
      returned: success
      sample: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    vcs_type:
      description: V(github), V(bitbucket) or V(circleci).
      type: str
      returned: success
      sample: circleci
groups:
  description: The groups of the organization (C(id), C(name), and C(description) when the API answers one).
  returned: when O(include) has V(groups)
  type: list
  elements: dict
  sample: [{id: 9e5e5f87-3e87-47ea-be0f-37265b965d6e, name: release-managers, description: May run production deploys}]
url_orb_allow_list:
  description: The entries of the URL orb allow-list (C(id), C(name), C(prefix), C(auth)).
  returned: when O(include) has V(url_orb_allow_list)
  type: list
  elements: dict
  sample: [{id: ba98990a-5a00-4cad-b55e-b44117b92e0c, name: CircleCI-Public, prefix: "https://raw.githubusercontent.com/CircleCI-Public/",
            auth: none}]
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._organization_info import (
    INCLUDE_CHOICES,
    organization_info,
)


def run(module, client):
    return organization_info(client, module.params['organization'], module.params['include'])


def main():
    run_module(dict(
        organization=dict(type='str', required=True),
        include=dict(type='list', elements='str', choices=list(INCLUDE_CHOICES), default=[]),
    ), run)


if __name__ == '__main__':
    main()
