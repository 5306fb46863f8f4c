#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_checkout_key
short_description: Manage the checkout SSH keys of a CircleCI project
version_added: 0.1.0
description:
  - Make sure a CircleCI project has a checkout key of a given type (a deploy key or a user key),
    creating one when it has none, or delete checkout keys.
  - Checkout keys cannot be updated or given a chosen fingerprint; CircleCI generates them.
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
      - The diff shows the fingerprints of the keys of O(type) before and after.
  idempotent:
    support: full
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api) or V(bb/acme/api).
      - Checkout keys do not exist for V(circleci/...) projects (GitLab, GitHub App, standalone organizations);
        such a slug fails before any request.
    type: str
    required: true
  type:
    description:
      - Type of the key. V(deploy-key) is a read-only deploy key of the repository.
      - V(user-key) acts as the user of the token on the VCS; it needs a personal API token whose user has authorised
        CircleCI on GitHub. The API reads it back with the type V(github-user-key).
    type: str
    choices: [deploy-key, user-key]
    required: true
  state:
    description:
      - V(present) makes sure at least one key of O(type) exists, and creates one if none does.
      - V(absent) deletes the key with O(fingerprint), or without O(fingerprint) every key of O(type).
    type: str
    choices: [present, absent]
    default: present
  fingerprint:
    description:
      - Fingerprint of the key to delete, MD5 (V(c9:0b:1c:...)) or SHA256. Only with O(state=absent).
    type: str
seealso:
  - module: community.circleci.circleci_project_info
"""

EXAMPLES = r"""
- name: Make sure the project has a deploy key
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: deploy-key
    api_token: "{{ circleci_token }}"
  register: deploy_key

- name: Add the public key to the repository (for example with community.general.github_deploy_key)
  ansible.builtin.debug:
    msg: "{{ deploy_key.checkout_keys[0].public_key }}"

- name: Delete one key by fingerprint
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: deploy-key
    fingerprint: c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f
    state: absent
    api_token: "{{ circleci_token }}"

- name: Delete every user key of the project
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: user-key
    state: absent
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
checkout_keys:
  description:
    - The checkout keys of O(type) after the run, as the API returns them, with the API's hyphenated
      field names in snake_case (C(public-key) is RV(checkout_keys[].public_key)).
    - In check mode, a key that would be created is shown as its type only.
  returned: success
  type: list
  elements: dict
  contains:
    public_key:
      description: The public SSH key.
      type: str
      returned: success
      sample: ssh-rsa AAAAB3NzaC1yc2E...
    type:
      description: V(deploy-key) or V(github-user-key).
      type: str
      returned: success
      sample: deploy-key
    fingerprint:
      description: The fingerprint of the key (MD5, unless a SHA256 O(fingerprint) was given).
      type: str
      returned: success
      sample: c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f
    preferred:
      description: Whether this key is the one CircleCI uses for checkout.
      type: bool
      returned: success
      sample: true
    created_at:
      description: When the key was created.
      type: str
      returned: success
      sample: "2025-01-10T12:00:00.000Z"
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._projects import CHECKOUT_KEY_TYPES, ensure_checkout_key


def run(module, client):
    params = module.params
    return ensure_checkout_key(client, params['project_slug'], params['type'], state=params['state'],
                               fingerprint=params['fingerprint'], check_mode=module.check_mode)


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        type=dict(type='str', required=True, choices=list(CHECKOUT_KEY_TYPES)),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        fingerprint=dict(type='str'),
    )
    run_module(argument_spec, run)


if __name__ == '__main__':
    main()
