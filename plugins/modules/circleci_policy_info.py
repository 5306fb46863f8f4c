#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_policy_info
short_description: Read CircleCI config policies, decision settings and decision logs
version_added: 0.1.0
description:
  - Read, for the config policies of an organization, one of (O(what)) the policy bundle, one policy,
    the decision settings, the decision logs (all pages, filtered) or one decision log.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
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
      - The policy context. The API only accepts V(config).
    type: str
    choices: [config]
    default: config
  what:
    description:
      - V(bundle) reads the whole policy bundle (RV(bundle), RV(policies)).
      - V(policy) reads the policy O(policy_name) (RV(policy)).
      - V(settings) reads the decision settings (RV(settings)).
      - V(decisions) reads the decision logs, every page, narrowed by O(status), O(after), O(before),
        O(branch), O(project_id) and O(build_number) (RV(decisions)).
      - V(decision) reads the decision log O(decision_id) (RV(decision)).
    type: str
    choices: [bundle, policy, settings, decisions, decision]
    default: bundle
  policy_name:
    description:
      - Name of the policy to read. Required with O(what=policy), only used with it.
    type: str
  decision_id:
    description:
      - ID of the decision log to read. Required with O(what=decision), only used with it.
    type: str
  include_bundle:
    description:
      - With O(what=decision), also read the policies the decision was made with (one more request),
        into RV(decision.policy_bundle).
    type: bool
    default: false
  status:
    description:
      - With O(what=decisions), only decisions with this status, for example V(PASS), V(SOFT_FAIL), V(HARD_FAIL) or V(ERROR).
    type: str
  after:
    description:
      - With O(what=decisions), only decisions made after this RFC 3339 date-time, for example V(2025-01-31T00:00:00Z).
    type: str
  before:
    description:
      - With O(what=decisions), only decisions made before this RFC 3339 date-time.
    type: str
  branch:
    description:
      - With O(what=decisions), only decisions made for pipelines of this branch.
    type: str
  project_id:
    description:
      - With O(what=decisions), only decisions made for this project (its UUID).
    type: str
  build_number:
    description:
      - With O(what=decisions), only decisions made for this build number.
    type: str
seealso:
  - module: community.circleci.circleci_policy_bundle
  - module: community.circleci.circleci_policy_decision
"""

EXAMPLES = r"""
- name: Read config policies
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
      org_slug: gh/acme
  block:
    - name: The policy bundle
      community.circleci.circleci_policy_info:
      register: bundle

    - name: The names of the policies
      ansible.builtin.debug:
        msg: "{{ bundle.policies.keys() | list }}"

    - name: One policy
      community.circleci.circleci_policy_info:
        what: policy
        policy_name: use_official_images
      register: one

    - name: Whether decisions are enforced
      community.circleci.circleci_policy_info:
        what: settings
      register: settings

    - name: Hard failures on main since the start of the year
      community.circleci.circleci_policy_info:
        what: decisions
        status: HARD_FAIL
        branch: main
        after: "2025-01-01T00:00:00Z"
      register: failures

    - name: One decision, with the policies it was made with
      community.circleci.circleci_policy_info:
        what: decision
        decision_id: "{{ failures.decisions[0].id }}"
        include_bundle: true
      when: failures.decisions | length > 0
"""

RETURN = r"""
bundle:
  description: The policy bundle as the API returns it, a dict of policy name to a list of policy documents.
  returned: when O(what=bundle)
  type: dict
  sample: {use_official_images: [{name: use_official_images, content: "package org\n...", created_at: "2025-01-10T12:00:00Z"}]}
policies:
  description: The policies of the bundle as a dict of policy name to Rego source.
  returned: when O(what=bundle)
  type: dict
  sample: {use_official_images: "package org\n..."}
policy:
  description: The policy document; empty if there is no policy of that name.
  returned: when O(what=policy)
  type: dict
  contains:
    name:
      description: Name of the policy.
      type: str
      returned: when found
      sample: use_official_images
    content:
      description: Rego source of the policy.
      type: str
      returned: when found
    created_at:
      description: When the policy was pushed.
      type: str
      returned: when found
    created_by:
      description: Who pushed the policy.
      type: str
      returned: when found
settings:
  description: The decision settings.
  returned: when O(what=settings)
  type: dict
  contains:
    enabled:
      description: Whether decisions are logged and enforced.
      type: bool
      returned: success
      sample: true
decisions:
  description: The decision logs, as the API returns them (see RV(decision) for their fields), every page.
  returned: when O(what=decisions)
  type: list
  elements: dict
decision:
  description: The decision log; empty if there is none with that ID.
  returned: when O(what=decision)
  type: dict
  contains:
    id:
      description: ID of the decision log.
      type: str
      returned: when found
    created_at:
      description: When the decision was made.
      type: str
      returned: when found
    decision:
      description: The decision (C(status), C(reason), C(enabled_rules), C(hard_failures), C(soft_failures)).
      type: dict
      returned: when found
    metadata:
      description: What the decision was made for (C(project_id), C(build_number), C(vcs)).
      type: dict
      returned: when found
    policies:
      description: Name to hash of the policies the decision was made with.
      type: dict
      returned: when found
    time_taken_ms:
      description: How long the evaluation took.
      type: int
      returned: when found
    policy_bundle:
      description: The policies the decision was made with, as a dict of name to Rego source.
      type: dict
      returned: when found and O(include_bundle=true)
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._policy import (
    INFO_WHAT,
    POLICY_SCOPE_RULES,
    policy_scope_argument_spec,
    read_policy_info,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules


def run(module, client):
    return read_policy_info(client, module.params)


def main():
    argument_spec = policy_scope_argument_spec()
    argument_spec.update(
        what=dict(type='str', choices=list(INFO_WHAT), default='bundle'),
        policy_name=dict(type='str'),
        decision_id=dict(type='str'),
        include_bundle=dict(type='bool', default=False),
        status=dict(type='str'),
        after=dict(type='str'),
        before=dict(type='str'),
        branch=dict(type='str'),
        project_id=dict(type='str'),
        build_number=dict(type='str'),
    )
    required_if = [('what', 'policy', ['policy_name']), ('what', 'decision', ['decision_id'])]
    run_module(argument_spec, run, **spec_rules(POLICY_SCOPE_RULES, required_if=required_if))


if __name__ == '__main__':
    main()
