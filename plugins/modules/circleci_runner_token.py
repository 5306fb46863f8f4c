#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_runner_token
short_description: Manage the tokens of a CircleCI self-hosted runner resource class
version_added: 0.1.0
description:
  - Create and delete the tokens that self-hosted runner agents connect with. A token is identified by its
    O(resource_class) and O(nickname); give each agent (host) its own nickname.
  - The API shows a token's value only once, in the answer to its create. The module therefore creates a token
    only when none of that nickname exists, returns its value only in that run (RV(token), under C(no_log)) and,
    with O(dest), writes it to a file of mode C(0600). A token that exists is never rewritten or created again, so
    a rerun sends no write and leaves O(dest) alone.
  - "Rotate a token: create one with a new nickname, deploy it, then delete the old one (O(state=absent))."
  - Talks to the self-hosted runner API (O(runner_api_url)), not to API v2, with the same token.
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
      - Nothing is created, deleted or written; RV(token) is not returned.
  diff_mode:
    support: full
    details:
      - The diff shows the resource class and the nickname, never the value.
  idempotent:
    support: full
options:
  resource_class:
    description:
      - The resource class of the token, C(NAMESPACE/NAME), for example V(acme/linux-x64).
      - It must exist (see M(community.circleci.circleci_runner_resource_class)) to create a token.
    type: str
    required: true
  nickname:
    description:
      - The nickname of the token. It identifies the token within the resource class; CircleCI shows it in the
        runner inventory of the app.
      - The API lets several tokens share a nickname. If several exist, O(state=present) fails naming this option
        and O(state=absent) deletes them all.
    type: str
    required: true
  dest:
    description:
      - A file to write the value of a token created by this run to, with mode C(0600) (written to a temporary file
        in the same directory, then renamed over O(dest)). Its directory must exist; this is checked before any
        request.
      - On the host the module runs on (the controller, when the task is delegated to V(localhost)).
      - Written only when this run creates the token. When the token exists, the file is not touched; if it is
        missing then, the module warns (the value cannot be read back).
      - If the file cannot be written, the token just created is deleted again and the task fails.
      - Only with O(state=present).
    type: path
  state:
    description:
      - V(present) creates the token when none of that nickname exists; V(absent) deletes the tokens of that
        nickname (the O(dest) file, if any, is left alone).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The value is returned only under C(no_log). The module's action plugin marks the whole result of a run that
    created a token as C(no_log), so Ansible shows it as censored at every verbosity and in every log, while
    C(register) keeps it. Pass it on only through tasks that set C(no_log) (see the examples).
  - Do not run this module with C(async) (an asynchronous job's result is reported by C(async_status), which does
    not hide it).
  - After a lost answer to the create (a server error or a dropped connection), the tokens of that nickname the
    lost request may have made are deleted and the create is sent again, so a run never ends with two tokens of one
    nickname or with a token whose value nobody has.
seealso:
  - module: community.circleci.circleci_runner_resource_class
  - module: community.circleci.circleci_runner_info
  - ref: ansible_collections.community.circleci.docsite.guide_runners
    description: The guide to self-hosted runners with this collection (rotation, the agent configuration, the fleet).
"""

EXAMPLES = r"""
# In a play on the runner hosts: each host gets a token of its own (nickname = its name), created
# from the controller, and its agent configuration is written with it. Both tasks are no_log.
- name: Create the host's token (only the first time)
  community.circleci.circleci_runner_token:
    resource_class: acme/linux-x64
    nickname: "{{ inventory_hostname }}"
    api_token: "{{ circleci_token }}"
  delegate_to: localhost
  register: runner_token
  no_log: true

- name: Put it into the agent's configuration
  ansible.builtin.template:
    src: circleci-runner-config.yaml.j2   # api: {auth_token: "{{ runner_token.token }}"}
    dest: /etc/circleci-runner/circleci-runner-config.yaml
    owner: circleci
    mode: "0600"
  when: runner_token.token is defined
  no_log: true

- name: Keep the value in a file on the controller
  community.circleci.circleci_runner_token:
    resource_class: acme/linux-x64
    nickname: build-01
    dest: /srv/secrets/build-01.runner-token
  delegate_to: localhost

- name: Rotation, last step - delete the old token once the new one is deployed
  community.circleci.circleci_runner_token:
    resource_class: acme/linux-x64
    nickname: build-01-2026-01
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
runner_token:
  description:
    - The token after the run, without its value. Empty when O(state=absent).
    - In check mode, a token that would be created has only RV(runner_token.resource_class) and
      RV(runner_token.nickname).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the token.
      type: str
      returned: when the token exists
      sample: 0f4c5a1e-8b2d-4c3e-9f1a-2b3c4d5e6f70
    resource_class:
      description: Its resource class.
      type: str
      returned: success
      sample: acme/linux-x64
    nickname:
      description: Its nickname.
      type: str
      returned: success
      sample: build-01
    created_at:
      description: When it was created.
      type: str
      returned: when the token exists
      sample: "2026-03-02T10:00:00.000000Z"
token:
  description:
    - The value of the token, which agents authenticate with (C(api.auth_token) in the configuration of machine
      runner 3).
    - Only in the run that created the token; the API never shows it again. The whole result of that run is
      C(no_log).
  returned: when this run created the token (not in check mode)
  type: str
dest:
  description: The file the value was written to.
  returned: when this run created the token and O(dest) is set
  type: str
  sample: /srv/secrets/build-01.runner-token
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._runner import runner_argument_spec, runner_connection
from ansible_collections.community.circleci.plugins.module_utils._runner_tokens import TokenSpec, ensure_token

# Result keys that hold a secret the module returns on purpose: when one is set, the action
# plugin marks the whole result no_log (plugins/plugin_utils/_action.py).
NO_LOG_RESULT_KEYS = ('token',)


def run(module, client):
    result, warnings = ensure_token(client, TokenSpec(module.params), module.check_mode)
    for warning in warnings:
        module.warn(warning)
    return result


def main():
    argument_spec = runner_argument_spec()
    argument_spec.update(
        resource_class=dict(type='str', required=True),
        nickname=dict(type='str', required=True),
        dest=dict(type='path'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, connection=runner_connection)


if __name__ == '__main__':
    main()
