#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_project_env
short_description: Manage environment variables of a CircleCI project
version_added: 0.1.0
description:
  - Set and delete the environment variables of a CircleCI project, one at a time (O(name) and O(value))
    or as a set (O(variables)), optionally deleting those not listed (O(purge)).
  - The API returns values masked, as C(xxxx) followed by their last four characters. A mask can prove that a
    value differs but never that it is equal, so whether an existing variable is written again is a choice,
    O(update_mode), not a comparison.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.bulk
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff shows variable names only; every value is shown as C(<hidden>).
  idempotent:
    support: partial
    details:
      - With O(update_mode=always) (the default), existing variables are written again and reported as changed,
        because their values cannot be read back. Use O(update_mode=on_create) for idempotent runs.
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG/PROJECT).
    type: str
    required: true
  name:
    description:
      - Name of one variable. Letters, digits and V(_), not starting with a digit.
      - Exactly one of O(name) and O(variables) is required.
    type: str
  value:
    description:
      - Value of the variable O(name). Required when O(state=present) and O(name) is set.
      - Never shown in results, diffs or messages.
    type: str
  variables:
    description:
      - Variables as a dictionary of names and values.
      - With O(state=absent), the variables named here are deleted and the values are ignored.
      - Values must be strings or numbers. They are never shown in results, diffs or messages.
    type: dict
  state:
    description:
      - V(present) writes the variables, V(absent) deletes them.
      - A name to delete that does not exist is listed in RV(untouched) and named in a warning (with a close existing
        name, if there is one; a misspelling would otherwise pass unnoticed).
    type: str
    choices: [present, absent]
    default: present
  update_mode:
    description:
      - V(always) writes the value of a variable that exists already and reports a change, since values cannot be compared.
      - V(on_create) writes only variables that do not exist yet and never rewrites an existing one. When the masked
        value of an existing variable proves that it differs from the value given (its last four characters differ),
        the module warns, naming the variable, and still leaves it alone.
    type: str
    choices: [always, on_create]
    default: always
  purge:
    description:
      - Delete the variables of the project that are not listed in O(variables).
      - Only with O(variables) and O(state=present).
    type: bool
    default: false
notes:
  - Values are sent to the API only; they are marked C(no_log) and are never returned.
  - A write is C(POST /project/{project_slug}/envvar), which creates the variable or overwrites an existing one.
seealso:
  - module: community.circleci.circleci_project_info
  - module: community.circleci.circleci_context_env
"""

EXAMPLES = r"""
- name: Manage project environment variables
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: Set one variable, only if it does not exist yet
      community.circleci.circleci_project_env:
        project_slug: gh/acme/api
        name: NPM_TOKEN
        value: "{{ vault_npm_token }}"
        update_mode: on_create

    - name: Make the project hold exactly these variables (values written every run)
      community.circleci.circleci_project_env:
        project_slug: gh/acme/api
        variables:
          AWS_REGION: eu-west-1
          AWS_ACCESS_KEY_ID: "{{ vault_aws_key_id }}"
          AWS_SECRET_ACCESS_KEY: "{{ vault_aws_secret }}"
        purge: true

    - name: Delete a variable
      community.circleci.circleci_project_env:
        project_slug: gh/acme/api
        name: OLD_TOKEN
        state: absent
"""

RETURN = r"""
added:
  description: Names of the variables created (or that would be, in check mode).
  returned: success
  type: list
  elements: str
  sample: [AWS_REGION]
updated:
  description: Names of existing variables whose value was written again (O(update_mode=always)).
  returned: success
  type: list
  elements: str
  sample: [NPM_TOKEN]
removed:
  description: Names of the variables deleted.
  returned: success
  type: list
  elements: str
  sample: [OLD_TOKEN]
untouched:
  description: Names given to the module that needed no write.
  returned: success
  type: list
  elements: str
  sample: []
"""

from ansible_collections.community.circleci.plugins.module_utils._bulk import check_concurrency
from ansible_collections.community.circleci.plugins.module_utils._envvars import desired_env_values, env_vars_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._projects import reconcile_project_env
from ansible_collections.community.circleci.plugins.module_utils._validate import check_project_slug, exactly_one_of, spec_rules


def run(module, client):
    params = module.params
    slug = check_project_slug('project_slug', params['project_slug'])
    values = desired_env_values(params)
    concurrency = check_concurrency(params['concurrency'])
    return reconcile_project_env(
        client, slug, values, state=params['state'], update_mode=params['update_mode'], purge=params['purge'],
        check_mode=module.check_mode, warn=module.warn, concurrency=concurrency, diff=module._diff)


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
    )
    argument_spec.update(env_vars_argument_spec())
    run_module(argument_spec, run, **spec_rules(exactly_one_of(('name', 'variables')), required_by=dict(value='name')))


if __name__ == '__main__':
    main()
