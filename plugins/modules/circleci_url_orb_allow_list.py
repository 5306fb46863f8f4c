#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_url_orb_allow_list
short_description: Manage the URL orb allow-list of a CircleCI organization
version_added: 0.1.0
description:
  - Manage the entries of an organization's URL orb allow-list. A configuration may use a URL orb
    only when an entry's prefix matches the start of the orb's URL.
  - Either a list of entries (O(entries), optionally with O(purge)), or one entry by O(name) with
    O(prefix), O(auth) and O(state).
  - An entry is identified by its name. Only the fields that are set are compared.
  - The API cannot update an entry. An entry whose prefix or auth differs is deleted and created again
    (nothing refers to an entry's id); between the two, the prefix is not allowed.
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
      - The diff shows the whole allow-list (name, prefix and auth of each entry) before and after.
  idempotent:
    support: full
options:
  organization:
    description:
      - The organization, by slug (V(gh/acme), V(circleci/ORG_ID)) or UUID. Used as given in the request path.
    type: str
    required: true
  entries:
    description:
      - The entries to bring to O(state). Exactly one of O(entries) and O(name) is required.
      - With O(state=absent), the entries of these names are deleted (their other fields do not matter).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the entry; unique within O(entries).
        type: str
        required: true
      prefix:
        description:
          - URL prefix the entry allows, an C(https://) URL that ends with C(/).
          - Required to create the entry; when not set, the prefix of an existing entry is kept.
        type: str
      auth:
        description:
          - How CircleCI authenticates when it fetches an orb under the prefix.
          - When not set, V(none) for a new entry, and the current value for an existing one.
        type: str
        choices: [none, github-oauth, github-app, bitbucket-oauth]
  purge:
    description:
      - With O(entries) and O(state=present), delete every entry whose name is not in O(entries).
    type: bool
    default: false
  name:
    description:
      - Name of the one entry to bring to O(state), instead of O(entries).
    type: str
  prefix:
    description:
      - With O(name), the URL prefix the entry allows, an C(https://) URL that ends with C(/).
      - Required to create the entry; when not set, the prefix of an existing entry is kept.
    type: str
  auth:
    description:
      - With O(name), how CircleCI authenticates when it fetches an orb under the prefix.
      - When not set, V(none) for a new entry, and the current value for an existing one.
    type: str
    choices: [none, github-oauth, github-app, bitbucket-oauth]
  state:
    description:
      - V(present) creates (or recreates) the entries; V(absent) deletes every entry of their names.
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Requests: one C(GET /organization/{organization}/url-orb-allow-list) for the whole run, then a
    C(POST) per entry created (followed by a read that settles an entry another run created at the
    same time), a C(DELETE) per entry deleted, both for an entry recreated. An identical second run
    sends the read only."
  - If the organization has several entries of a listed name, O(state=present) fails and
    O(state=absent) deletes them all.
seealso:
  - module: community.circleci.circleci_organization_info
  - name: Managing URL orbs allow-lists
    description: CircleCI's page on the allow-list and its entries.
    link: https://circleci.com/docs/orbs/use/managing-url-orbs-allow-lists/
"""

EXAMPLES = r"""
- name: Manage the URL orb allow-list
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: Exactly these entries
      community.circleci.circleci_url_orb_allow_list:
        organization: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        entries:
          - name: CircleCI-Public
            prefix: https://raw.githubusercontent.com/CircleCI-Public/
            auth: none
          - name: internal
            prefix: https://github.com/acme/orbs/
            auth: github-app
        purge: true

    - name: One entry more
      community.circleci.circleci_url_orb_allow_list:
        organization: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: vendor
        prefix: https://orbs.vendor.example.com/

    - name: Remove it
      community.circleci.circleci_url_orb_allow_list:
        organization: 6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: vendor
        state: absent
"""

RETURN = r"""
entries:
  description:
    - The organization's allow-list after the run (every entry, not only those named).
    - In check mode, an entry that would be created has no RV(entries[].id).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the entry.
      type: str
      returned: when the entry exists
      sample: ba98990a-5a00-4cad-b55e-b44117b92e0c
    name:
      description: Name of the entry.
      type: str
      returned: success
      sample: CircleCI-Public
    prefix:
      description: The URL prefix the entry allows.
      type: str
      returned: success
      sample: https://raw.githubusercontent.com/CircleCI-Public/
    auth:
      description: V(none), V(github-oauth), V(github-app) or V(bitbucket-oauth).
      type: str
      returned: success
      sample: none
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._orb_allow_list import (
    AUTH_METHODS,
    AllowListSpec,
    ensure_allow_list,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of, spec_rules


def run(module, client):
    return ensure_allow_list(client, AllowListSpec(module.params), module.check_mode)


def main():
    argument_spec = dict(
        organization=dict(type='str', required=True),
        entries=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            prefix=dict(type='str'),
            auth=dict(type='str', choices=list(AUTH_METHODS)),
        )),
        purge=dict(type='bool', default=False),
        name=dict(type='str'),
        prefix=dict(type='str'),
        auth=dict(type='str', choices=list(AUTH_METHODS)),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **spec_rules(
        exactly_one_of(('entries', 'name')),
        mutually_exclusive=[('entries', 'prefix'), ('entries', 'auth')]))


if __name__ == '__main__':
    main()
