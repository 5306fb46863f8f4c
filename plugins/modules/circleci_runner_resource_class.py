#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_runner_resource_class
short_description: Manage CircleCI self-hosted runner resource classes
version_added: 0.1.0
description:
  - Create and delete the resource classes of CircleCI self-hosted runners (machine and container runners).
    A job chooses its runners by naming the class as its C(resource_class); agents connect with a token of the
    class, see M(community.circleci.circleci_runner_token).
  - Talks to the self-hosted runner API (O(runner_api_url)), not to API v2, with the same token.
  - A resource class is identified by O(resource_class), C(NAMESPACE/NAME), where the namespace is the one the
    organization claimed (its orb namespace).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.runner
  - community.circleci.attributes
attributes:
  action_group:
    description:
      - Use C(group/community.circleci.circleci) in C(module_defaults) to set defaults for this module and every
        other module of the collection (O(api_token), for one).
      - Use C(group/community.circleci.circleci_runner) to set defaults for the runner modules only, such as
        O(runner_api_url), which the other modules do not accept.
    support: full
    membership:
      - community.circleci.circleci
      - community.circleci.circleci_runner
  check_mode:
    support: full
    details:
      - Without O(force), deleting a class that has tokens is refused in check mode too (the tokens are read first).
  diff_mode:
    support: full
  idempotent:
    support: full
options:
  resource_class:
    description:
      - The resource class, C(NAMESPACE/NAME), for example V(acme/linux-x64).
      - Letters, digits, V(_), V(-) and V(.) (not first) in each part.
      - The namespace must be one an organization of the token's user claimed; otherwise the task fails naming
        this option.
    type: str
    required: true
  description:
    description:
      - The description of the resource class. Required to create it; an empty string is allowed.
      - When not set, the description of an existing class is kept.
      - The API cannot change the description of a class. A class with another description fails naming this
        option, unless O(recreate=true).
    type: str
  state:
    description:
      - V(present) creates the resource class when it does not exist, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent) (or O(recreate=true)), also delete the tokens of the class, in one request (C(DELETE
        .../force)). Agents that use those tokens stop getting jobs.
      - Without it, deleting a class that still has tokens fails naming this option, before any write.
    type: bool
    default: false
  recreate:
    description:
      - When the class exists with another O(description), delete it and create it again with O(description).
      - The class gets a new id; its tokens are deleted with it (which needs O(force=true) when it has some), so
        every agent of the class needs a new token.
    type: bool
    default: false
notes:
  - The runner API answers its lists at once (no pagination); lists answered as C({items}) or as a bare array are
    both understood.
seealso:
  - module: community.circleci.circleci_runner_token
  - module: community.circleci.circleci_runner_info
  - plugin: community.circleci.circleci_runners
    plugin_type: inventory
  - ref: ansible_collections.community.circleci.docsite.guide_runners
    description: The guide to self-hosted runners with this collection (resource classes, tokens, the fleet).
  - name: CircleCI self-hosted runner API
    description: The API this module talks to.
    link: https://circleci.com/docs/runner-api/
"""

EXAMPLES = r"""
- name: Manage runner resource classes
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A resource class for the Linux machines
      community.circleci.circleci_runner_resource_class:
        resource_class: acme/linux-x64
        description: Linux x64 machines in the build VLAN

    - name: Against CircleCI server, whose runner API is on its own host
      community.circleci.circleci_runner_resource_class:
        resource_class: acme/linux-arm64
        description: Linux arm64 machines
        runner_api_url: https://runner.circleci.example.com/api/v3

    - name: Delete a class and the tokens of its agents
      community.circleci.circleci_runner_resource_class:
        resource_class: acme/old-macs
        state: absent
        force: true
"""

RETURN = r"""
resource_class:
  description:
    - The resource class after the run. Empty when O(state=absent).
    - In check mode, a class that would be created has no RV(resource_class.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the resource class.
      type: str
      returned: when the class exists
      sample: 6b1f7c3e-2d4a-4f0b-9a8e-1c2d3e4f5a6b
    resource_class:
      description: C(NAMESPACE/NAME).
      type: str
      returned: success
      sample: acme/linux-x64
    description:
      description: The description.
      type: str
      returned: success
      sample: Linux x64 machines in the build VLAN
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._runner import (
    ResourceClassSpec,
    ensure_resource_class,
    runner_argument_spec,
    runner_connection,
)


def run(module, client):
    return ensure_resource_class(client, ResourceClassSpec(module.params), module.check_mode)


def main():
    argument_spec = runner_argument_spec()
    argument_spec.update(
        resource_class=dict(type='str', required=True),
        description=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        force=dict(type='bool', default=False),
        recreate=dict(type='bool', default=False),
    )
    run_module(argument_spec, run, connection=runner_connection)


if __name__ == '__main__':
    main()
