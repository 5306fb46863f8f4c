#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_runner_info
short_description: Read CircleCI self-hosted runner resource classes, agents, tokens and task counts
version_added: 0.1.0
description:
  - List the resource classes of a namespace, or read one resource class, with what O(include) asks for (the
    connected agents, the tokens without their values, the numbers of unclaimed and running tasks).
  - Talks to the self-hosted runner API (O(runner_api_url)), not to API v2, with the same token.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.runner
  - community.circleci.attributes
  - community.circleci.attributes.info_module
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
options:
  namespace:
    description:
      - The namespace whose resource classes to read, for example V(acme).
      - Exactly one of O(namespace) and O(resource_class) is required.
    type: str
  resource_class:
    description:
      - One resource class, C(NAMESPACE/NAME). RV(resource_classes) is empty when it does not exist.
    type: str
  include:
    description:
      - What to read for each resource class besides its id and description.
      - V(runners) - the agents that connected with a token of the class (one request for all classes).
      - V(tokens) - the tokens of the class, without values (one request per class).
      - V(unclaimed_task_count) - the number of tasks waiting for an agent (one request per class).
      - V(running_task_count) - the number of tasks the agents are running (one request per class).
    type: list
    elements: str
    choices: [runners, tokens, unclaimed_task_count, running_task_count]
    default: []
seealso:
  - module: community.circleci.circleci_runner_resource_class
  - module: community.circleci.circleci_runner_token
  - plugin: community.circleci.circleci_runners
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: The resource classes of a namespace, with their agents and tokens
  community.circleci.circleci_runner_info:
    namespace: acme
    include: [runners, tokens]
    api_token: "{{ circleci_token }}"
  register: fleet

- name: The agents that still run an old version
  ansible.builtin.debug:
    msg: "{{ fleet.runners | selectattr('version', 'version', '3.1.0', '<') | map(attribute='hostname') | list }}"

- name: Does the queue of one class grow?
  community.circleci.circleci_runner_info:
    resource_class: acme/linux-x64
    include: [unclaimed_task_count, running_task_count]
  register: linux

- name: Show it
  ansible.builtin.debug:
    msg: "{{ linux.resource_classes[0].unclaimed_task_count }} waiting, {{ linux.resource_classes[0].running_task_count }} running"
"""

RETURN = r"""
resource_classes:
  description: The resource classes found, in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the resource class.
      type: str
      returned: always
      sample: 6b1f7c3e-2d4a-4f0b-9a8e-1c2d3e4f5a6b
    resource_class:
      description: C(NAMESPACE/NAME).
      type: str
      returned: always
      sample: acme/linux-x64
    description:
      description: Its description.
      type: str
      returned: always
      sample: Linux x64 machines
    runners:
      description: Its agents (as in RV(runners)).
      type: list
      elements: dict
      returned: when O(include) has V(runners)
    tokens:
      description: Its tokens, never with their values.
      type: list
      elements: dict
      returned: when O(include) has V(tokens)
      contains:
        id:
          description: UUID of the token.
          type: str
          returned: always
        nickname:
          description: Its nickname.
          type: str
          returned: always
          sample: build-01
        resource_class:
          description: Its resource class.
          type: str
          returned: always
        created_at:
          description: When it was created.
          type: str
          returned: always
          sample: "2026-03-02T10:00:00.000000Z"
    unclaimed_task_count:
      description: Tasks waiting for an agent of the class.
      type: int
      returned: when O(include) has V(unclaimed_task_count)
      sample: 2
    running_task_count:
      description: Tasks the agents of the class are running (the API's C(running_runner_tasks)).
      type: int
      returned: when O(include) has V(running_task_count)
      sample: 1
runners:
  description: The agents of all the resource classes found.
  returned: when O(include) has V(runners)
  type: list
  elements: dict
  contains:
    resource_class:
      description: The agent's resource class.
      type: str
      returned: always
      sample: acme/linux-x64
    hostname:
      description: The host the agent runs on.
      type: str
      returned: always
      sample: runner-1.acme.internal
    name:
      description: The agent's name.
      type: str
      returned: always
      sample: runner-1
    version:
      description: The version of the agent (machine runner, launch-agent or container-agent).
      type: str
      returned: always
      sample: 3.1.2
    first_connected:
      description: When it first connected (null when the API does not know).
      type: str
      returned: always
      sample: "2026-01-05T09:00:00Z"
    last_connected:
      description: When it last connected.
      type: str
      returned: always
      sample: "2026-03-02T10:00:00Z"
    last_used:
      description: When it last ran a job (null when it never did).
      type: str
      returned: always
      sample: "2026-03-02T09:58:00Z"
    ip:
      description: Its IP address, when the API reports it.
      type: str
      returned: when reported
      sample: 10.0.0.11
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._runner import (
    INCLUDES,
    InfoSpec,
    runner_argument_spec,
    runner_connection,
    runner_info,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of


def run(module, client):
    return runner_info(client, InfoSpec(module.params))


def main():
    argument_spec = runner_argument_spec()
    argument_spec.update(
        namespace=dict(type='str'),
        resource_class=dict(type='str'),
        include=dict(type='list', elements='str', choices=list(INCLUDES), default=[]),
    )
    run_module(argument_spec, run, connection=runner_connection, **exactly_one_of(('namespace', 'resource_class')))


if __name__ == '__main__':
    main()
