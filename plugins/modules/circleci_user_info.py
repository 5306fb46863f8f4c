#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_user_info
short_description: Read a CircleCI user and the organizations of the token's user
version_added: 0.1.0
description:
  - Read the user of the API token (C(/me)), or the user with a given O(user_id) (C(/user/{id})).
  - Optionally read the organizations the token's user belongs to or collaborates with (C(/me/collaborations)), for
    example to find the UUID of an organization from its slug.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  user_id:
    description:
      - UUID of the user to read. Without it, the user of the token is read.
    type: str
  collaborations:
    description:
      - Whether to read the organizations of the token's user, as RV(collaborations).
      - These are always the token user's, also with O(user_id); the API offers no other user's.
    type: bool
    default: false
seealso:
  - module: community.circleci.circleci_project_info
"""

EXAMPLES = r"""
- name: Who is the token's user, and in which organizations
  community.circleci.circleci_user_info:
    collaborations: true
    api_token: "{{ circleci_token }}"
  register: me

- name: The UUID of the acme organization
  ansible.builtin.set_fact:
    acme_org_id: "{{ (me.collaborations | selectattr('slug', 'equalto', 'gh/acme') | first).id }}"

- name: Read another user
  community.circleci.circleci_user_info:
    user_id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
user:
  description: The user as the API returns it.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the user.
      type: str
      returned: success
      sample: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
    login:
      description: Login of the user.
      type: str
      returned: success
      sample: alice
    name:
      description: Display name of the user.
      type: str
      returned: success
      sample: Alice Example
    avatar_url:
      description: URL of the user's avatar.
      type: str
      returned: success
collaborations:
  description: The organizations of the token's user, as the API returns them (C(id), C(slug), C(name), C(vcs-type), C(avatar_url)).
  returned: when O(collaborations=true)
  type: list
  elements: dict
  sample: [{id: 5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b, slug: gh/acme, name: acme, vcs-type: github, avatar_url: https://example.com/a.png}]
"""

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import check_uuid


def run(module, client):
    params = module.params
    user_id = None if params['user_id'] is None else check_uuid('user_id', params['user_id'])
    user = client.get('/me' if user_id is None else '/user/%s' % quote_segment(user_id))
    result = dict(changed=False, user=user)
    if params['collaborations']:
        result['collaborations'] = client.get('/me/collaborations') or []
    return result


def main():
    run_module(dict(
        user_id=dict(type='str'),
        collaborations=dict(type='bool', default=False),
    ), run)


if __name__ == '__main__':
    main()
