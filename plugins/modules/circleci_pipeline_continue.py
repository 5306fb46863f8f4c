#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_pipeline_continue
short_description: Continue a CircleCI setup pipeline with a generated configuration
version_added: 0.1.0
description:
  - Continue a pipeline that is in its setup phase (dynamic configuration) with a configuration and pipeline
    parameters, as a playbook running in a CircleCI setup job does after generating the configuration.
  - A continuation key is accepted once. Continuing again with the same key fails with the API's message.
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
      - In check mode nothing is sent; the configuration is read and the options checked.
  diff_mode:
    support: none
  idempotent:
    support: none
    details:
      - Each run continues the pipeline; the API refuses a key that was used already.
options:
  continuation_key:
    description:
      - The continuation key of the setup pipeline. Inside a CircleCI setup job it is in the environment variable
        E(CIRCLE_CONTINUATION_KEY), which is used when this option is not set.
      - Required unless E(CIRCLE_CONTINUATION_KEY) is set.
    type: str
    required: true
  configuration:
    description:
      - The configuration to continue the pipeline with, as YAML text.
      - Exactly one of O(configuration) and O(src) is required.
    type: str
  src:
    description:
      - Path to a file holding the configuration. The file is read by the module, on the host the task runs on
        (the setup job's container when the playbook runs in it with a local connection).
      - A relative path is found as Ansible finds the files a task names (the role's C(files/) folder, the folder of the
        playbook and its C(files/), and so on), not from the current directory; when it is found nowhere, the task fails
        naming the places it looked. That is when the task runs on the controller (a local connection); on another
        host the module reads the path there.
    type: path
  parameters:
    description:
      - Pipeline parameters for the continued pipeline. Values are strings, integers or booleans.
      - At most 100 parameters, names of at most 128 characters, string values of at most 512 characters.
    type: dict
seealso:
  - module: community.circleci.circleci_pipeline_trigger
  - name: Dynamic configuration
    description: CircleCI's guide to setup workflows and continuations.
    link: https://circleci.com/docs/dynamic-config/
"""

EXAMPLES = r"""
- name: Continue the pipeline with a generated configuration (inside the setup job)
  community.circleci.circleci_pipeline_continue:
    src: generated/config.yml
    parameters:
      deploy: true
  environment:
    CIRCLECI_TOKEN: "{{ lookup('ansible.builtin.env', 'CIRCLE_TOKEN') }}"

- name: Continue with configuration text and an explicit key
  community.circleci.circleci_pipeline_continue:
    continuation_key: "{{ continuation_key }}"
    configuration: "{{ lookup('ansible.builtin.template', 'config.yml.j2') }}"
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
message:
  description: The API's confirmation message. Empty in check mode.
  returned: always
  type: str
  sample: Pipeline continued.
parameters:
  description: The parameters sent (or, in check mode, that would be sent).
  returned: always
  type: dict
  sample: {deploy: true}
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    check_non_empty,
    check_parameters,
    exactly_one_of,
    text_or_src,
)


def run(module, client):
    params = module.params
    key = check_non_empty('continuation_key', params['continuation_key'])
    configuration = text_or_src(params, 'configuration')
    parameters = None if params['parameters'] is None else check_parameters(params['parameters'])
    result = dict(changed=True, message='', parameters=parameters or {})
    if module.check_mode:
        return result
    body = {'continuation-key': key, 'configuration': configuration}
    if parameters is not None:
        body['parameters'] = parameters
    answer = client.post('/pipeline/continue', json=body, expected=(200,)) or {}
    result['message'] = answer.get('message') or ''
    return result


# A relative src is found as Ansible finds a task's files (plugins/plugin_utils/_action.py).
LOCAL_FILE_OPTIONS = ('src',)


def main():
    argument_spec = dict(
        continuation_key=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['CIRCLE_CONTINUATION_KEY'])),
        configuration=dict(type='str'),
        src=dict(type='path'),
        parameters=dict(type='dict'),
    )
    run_module(argument_spec, run, **exactly_one_of(('configuration', 'src')))


if __name__ == '__main__':
    main()
