#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_policy_bundle
short_description: Manage the CircleCI config policy bundle of an organization
version_added: 0.1.0
description:
  - Make the config policy bundle of an organization exactly the given Rego policies, and optionally
    turn decision logging on or off.
  - The bundle is replaced as a whole; policies that are not given are deleted.
  - Whether anything changes is decided by the API itself, with a dry run (C(dry=true)) that answers which
    policies would be created, deleted or modified. The bundle is only written when that answer is not empty,
    and check mode sends nothing but that dry run.
  - To test a config against the bundle, use M(community.circleci.circleci_policy_decision).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - Sends one dry-run POST (C(dry=true)), which changes nothing, plus reads.
  diff_mode:
    support: full
    details:
      - Reads the current bundle once more to show the Rego sources before and after.
  idempotent:
    support: full
options:
  owner_id:
    description:
      - UUID of the organization that owns the policies.
      - Exactly one of O(owner_id) and O(org_slug) is required.
    type: str
  org_slug:
    description:
      - Slug of the organization, for example V(gh/acme) or V(circleci/ORG).
      - Resolved to the organization UUID through the organizations of the token's user (one request),
        except when the slug holds the organization UUID itself (V(circleci/ORG_UUID)).
    type: str
  context:
    description:
      - The policy context. The API only accepts V(config) (policies on pipeline configs).
    type: str
    choices: [config]
    default: config
  policies:
    description:
      - The policies of the bundle, as a dict of policy name to Rego source.
      - With O(state=present), exactly one of O(policies) and O(src) is required. V({}) empties the bundle.
    type: dict
  src:
    description:
      - A directory whose C(.rego) files (not those of its subdirectories) are the policies of the bundle;
        the name of each policy is its file name without C(.rego).
      - It must hold at least one C(.rego) file. To empty the bundle, use O(state=absent).
      - A relative path is found as Ansible finds the files a task names (the role's C(files/) folder, the folder of the
        playbook and its C(files/), and so on), not from the current directory; when it is found nowhere, the task fails
        naming the places it looked. That is when the task runs on the controller (a local connection); on another
        host the module reads the path there.
      - The API names a policy by the C(policy_name) rule of its Rego source when it has one, so that name,
        not the key or file name, is the one that appears in RV(diff) and in M(community.circleci.circleci_policy_info).
      - The path is read on the host that runs the module.
    type: path
  decision_enabled:
    description:
      - Whether decisions are logged and enforced for the context (the decision settings).
      - When not set, the settings are not read or changed.
    type: bool
  state:
    description:
      - V(present) makes the bundle exactly O(policies) or the files of O(src).
      - V(absent) empties the bundle (deletes every policy).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The API accepts bundles of about 2.5 MiB at most; a larger one fails with an error that gives the size sent.
  - The module result has a key C(diff) that holds the dry run's answer (RV(diff.created), RV(diff.deleted),
    RV(diff.modified)) in every mode, and also C(before) and C(after) in diff mode.
seealso:
  - module: community.circleci.circleci_policy_info
  - module: community.circleci.circleci_policy_decision
  - name: CircleCI config policies
    description: Writing and managing config policies.
    link: https://circleci.com/docs/config-policy-management-overview/
"""

EXAMPLES = r"""
- name: Manage config policies
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: The policies of a directory, with decisions on
      community.circleci.circleci_policy_bundle:
        org_slug: gh/acme
        src: "{{ playbook_dir }}/policies"
        decision_enabled: true
      register: bundle

    - name: Show what changed
      ansible.builtin.debug:
        msg: "created {{ bundle.diff.created }}, modified {{ bundle.diff.modified }}, deleted {{ bundle.diff.deleted }}"

    - name: One policy given inline
      community.circleci.circleci_policy_bundle:
        owner_id: 9f3c2b1a-1111-4c6e-8d2a-3b4c5d6e7f80
        policies:
          require_resource_class: |
            package org
            policy_name["require_resource_class"]
            enable_hard["require_resource_class"]

    - name: Delete every policy and stop enforcing decisions
      community.circleci.circleci_policy_bundle:
        org_slug: gh/acme
        state: absent
        decision_enabled: false
"""

RETURN = r"""
diff:
  description:
    - The names of the policies created, deleted and modified by the run (in check mode, that would be),
      as the API's dry run answers them.
    - In diff mode it also holds C(before) and C(after), the Rego sources of the bundle (and the settings).
  returned: success
  type: dict
  contains:
    created:
      description: Names of the policies added to the bundle.
      type: list
      elements: str
      returned: success
      sample: [require_resource_class]
    deleted:
      description: Names of the policies removed from the bundle.
      type: list
      elements: str
      returned: success
      sample: []
    modified:
      description: Names of the policies whose Rego source changed.
      type: list
      elements: str
      returned: success
      sample: [use_official_images]
settings:
  description:
    - The decision settings after the run (in check mode, as they would be).
  returned: when O(decision_enabled) is set
  type: dict
  contains:
    enabled:
      description: Whether decisions are logged and enforced.
      type: bool
      returned: success
      sample: true
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._policy import (
    POLICY_SCOPE_RULES,
    PolicyScope,
    check_policies,
    ensure_bundle,
    policy_scope_argument_spec,
    read_policy_dir,
)
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, spec_rules


def run(module, client):
    params = module.params
    identity = PolicyScope.check_params(params)
    if params['state'] == 'absent':
        if params['policies'] is not None or params['src'] is not None:
            raise ValidationError('policies' if params['policies'] is not None else 'src',
                                  'not used with state=absent, which empties the bundle')
        policies = {}
    elif params['src'] is not None:
        policies = read_policy_dir('src', params['src'])
    else:
        policies = check_policies('policies', params['policies'])

    scope = PolicyScope.resolve(Resolver(client), identity)
    return ensure_bundle(client, scope, policies, params['decision_enabled'], module.check_mode, module._diff)


# A relative src is found as Ansible finds a task's files (plugins/plugin_utils/_action.py).
LOCAL_FILE_OPTIONS = ('src',)


def main():
    argument_spec = policy_scope_argument_spec()
    argument_spec.update(
        policies=dict(type='dict'),
        src=dict(type='path'),
        decision_enabled=dict(type='bool'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **spec_rules(POLICY_SCOPE_RULES, mutually_exclusive=[('policies', 'src')],
                                                required_if=[('state', 'present', ('policies', 'src'), True)]))


if __name__ == '__main__':
    main()
