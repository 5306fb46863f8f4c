#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_policy_decision
short_description: Evaluate a CircleCI config against the config policies of an organization
version_added: 0.1.0
description:
  - Ask CircleCI for the decision its config policy bundle makes on a pipeline config, as a pipeline would get it.
  - The evaluation is read-only and changes nothing, so the module never reports a change, and runs in check mode too.
  - By default the task fails when a hard policy fails; see O(fail_on).
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
      - The evaluation is read-only; it is also sent in check mode.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
  idempotent:
    support: full
    details:
      - This action does not modify state.
options:
  owner_id:
    description:
      - UUID of the organization whose policies decide.
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
      - The policy context. The API only accepts V(config).
    type: str
    choices: [config]
    default: config
  config:
    description:
      - The pipeline config to evaluate, as YAML text.
      - Exactly one of O(config) and O(src) is required.
    type: str
  src:
    description:
      - A file holding the pipeline config to evaluate, for example C(.circleci/config.yml).
      - The path is read on the host that runs the module.
      - A relative path is found as Ansible finds the files a task names (the role's C(files/) folder, the folder of the
        playbook and its C(files/), and so on), not from the current directory; when it is found nowhere, the task fails
        naming the places it looked. That is when the task runs on the controller (a local connection); on another
        host the module reads the path there.
    type: path
  metadata:
    description:
      - Metadata the policies can read as C(data.meta), for example the keys C(project_id), C(branch) and C(build_number).
    type: dict
  fail_on:
    description:
      - V(hard) fails the task when a hard policy fails (status C(HARD_FAIL)) or the evaluation errs (C(ERROR)).
      - V(soft) fails it on soft failures too.
      - V(never) only returns the decision.
      - A failed task names the failing rules and their reasons, and still returns RV(decision).
    type: str
    choices: [hard, soft, never]
    default: hard
seealso:
  - module: community.circleci.circleci_policy_bundle
  - module: community.circleci.circleci_policy_info
"""

EXAMPLES = r"""
- name: Check the config of a repository before pushing it
  community.circleci.circleci_policy_decision:
    api_token: "{{ circleci_token }}"
    org_slug: gh/acme
    src: "{{ playbook_dir }}/../.circleci/config.yml"
    metadata:
      branch: main

- name: Evaluate a config without failing, and look at the soft failures
  community.circleci.circleci_policy_decision:
    api_token: "{{ circleci_token }}"
    owner_id: 9f3c2b1a-1111-4c6e-8d2a-3b4c5d6e7f80
    config: |
      version: 2.1
      jobs:
        build:
          docker:
            - image: cimg/base:stable
          steps: [checkout]
      workflows:
        main:
          jobs: [build]
    fail_on: never
  register: verdict

- name: Show the soft failures
  ansible.builtin.debug:
    msg: "{{ verdict.decision.soft_failures | default([]) | map(attribute='rule') | list }}"
"""

RETURN = r"""
decision:
  description:
    - The decision, as the API returns it.
  returned: success, and when the task fails because of O(fail_on)
  type: dict
  contains:
    status:
      description:
        - V(PASS), V(SOFT_FAIL), V(HARD_FAIL) or V(ERROR).
        - V(NOT_ENABLED) when decisions are not enabled for the organization (a warning is shown).
      type: str
      returned: success
      sample: HARD_FAIL
    reason:
      description: Why the evaluation erred.
      type: str
      returned: when the API gives one
    enabled_rules:
      description: The rules that were evaluated.
      type: list
      elements: str
      returned: when the API gives them
      sample: [use_official_images]
    hard_failures:
      description: The violated hard rules.
      type: list
      elements: dict
      returned: when there are any
      contains:
        rule:
          description: Name of the rule.
          type: str
          returned: success
          sample: use_official_images
        reason:
          description: The rule's message.
          type: str
          returned: success
          sample: "image 'node:20' is not an official CircleCI image"
    soft_failures:
      description: The violated soft rules, with the same fields as RV(decision.hard_failures).
      type: list
      elements: dict
      returned: when there are any
failures:
  description: The failures that failed the task under O(fail_on), as strings of the rule name, a colon and the reason.
  returned: when the task fails because of O(fail_on)
  type: list
  elements: str
  sample: ["use_official_images: image 'node:20' is not an official CircleCI image"]
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._policy import (
    FAIL_ON,
    POLICY_SCOPE_RULES,
    PolicyScope,
    decision_failures,
    make_decision,
    policy_scope_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    exactly_one_of,
    spec_rules,
    text_or_src,
)


def run(module, client):
    params = module.params
    identity = PolicyScope.check_params(params)
    config = text_or_src(params, 'config')
    scope = PolicyScope.resolve(Resolver(client), identity)
    decision = make_decision(client, scope, config, params['metadata'])
    if str(decision.get('status')).upper() == 'NOT_ENABLED':
        module.warn('decisions are not enabled for this organization, so no policy was evaluated '
                    '(see the decision_enabled option of community.circleci.circleci_policy_bundle)')
    failures = decision_failures(decision, params['fail_on'])
    if failures:
        module.fail_json(msg='the policy decision is %s: %s' % (decision.get('status'), '; '.join(failures)),
                         decision=decision, failures=failures, changed=False)
    return dict(changed=False, decision=decision)


# A relative src is found as Ansible finds a task's files (plugins/plugin_utils/_action.py).
LOCAL_FILE_OPTIONS = ('src',)


def main():
    argument_spec = dict(policy_scope_argument_spec(), config=dict(type='str'), src=dict(type='path'), metadata=dict(type='dict'),
                         fail_on=dict(type='str', choices=list(FAIL_ON), default='hard'))
    run_module(argument_spec, run, **spec_rules(POLICY_SCOPE_RULES, exactly_one_of(('config', 'src'))))


if __name__ == '__main__':
    main()
