#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_context_env
short_description: Manage environment variables of a CircleCI context
version_added: 0.1.0
description:
  - Set and delete the environment variables of a CircleCI context, one at a time (O(name) and O(value))
    or as a set (O(variables)), optionally deleting those not listed (O(purge)).
  - The API never returns the value of a variable. Whether an existing variable is written again is
    therefore a choice, O(update_mode), not a comparison.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.owner
  - community.circleci.bulk
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - When O(context) names a context that does not exist yet (an earlier task of the same check-mode
        run would create it), the module warns and reports every variable as added.
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
  context:
    description:
      - Name of the context. Needs O(owner_slug) or O(owner_id).
      - Exactly one of O(context) and O(context_id) is required.
    type: str
  context_id:
    description:
      - UUID of the context.
    type: str
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
      - V(on_create) writes only variables that do not exist yet and leaves existing values alone.
    type: str
    choices: [always, on_create]
    default: always
  purge:
    description:
      - Delete the variables of the context that are not listed in O(variables).
      - Only with O(variables) and O(state=present).
    type: bool
    default: false
notes:
  - Values are sent to the API only; they are marked C(no_log) and are never returned.
seealso:
  - module: community.circleci.circleci_context
  - module: community.circleci.circleci_context_info
"""

EXAMPLES = r"""
- name: Manage context environment variables
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: Set one variable, only if it does not exist yet
      community.circleci.circleci_context_env:
        context: deploy-prod
        owner_slug: gh/acme
        name: DEPLOY_TOKEN
        value: "{{ vault_deploy_token }}"
        update_mode: on_create

    - name: Make the context hold exactly these variables (values written every run)
      community.circleci.circleci_context_env:
        context: deploy-prod
        owner_slug: gh/acme
        variables:
          AWS_REGION: eu-west-1
          AWS_ACCESS_KEY_ID: "{{ vault_aws_key_id }}"
          AWS_SECRET_ACCESS_KEY: "{{ vault_aws_secret }}"
        purge: true

    - name: Delete a variable, by context id
      community.circleci.circleci_context_env:
        context_id: 5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11
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
  sample: [DEPLOY_TOKEN]
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

from ansible_collections.community.circleci.plugins.module_utils._contexts import (
    Owner,
    delete_env_var,
    list_env_vars,
    owner_argument_spec,
    put_env_var,
)
from ansible_collections.community.circleci.plugins.module_utils._bulk import check_concurrency
from ansible_collections.community.circleci.plugins.module_utils._envvars import (
    desired_env_values,
    env_vars_argument_spec,
    reconcile_env_vars,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_uuid,
    exactly_one_of,
    spec_rules,
)


def run(module, client):
    params = module.params
    values = desired_env_values(params)
    concurrency = check_concurrency(params['concurrency'])
    if params['context_id'] is not None:
        context_id = check_uuid('context_id', params['context_id'])
        option, label = 'context_id', context_id
    else:
        name = check_non_empty('context', params['context'])
        owner = Owner.from_params(params)
        context = Resolver(client).context(name, owner)
        if context is None:
            if not module.check_mode:
                raise ValidationError('context', "context '%s' was not found for %s" % (name, owner))
            # In a check-mode run of a whole play, the task that creates the context has not done so.
            module.warn("context '%s' was not found for %s: check mode reports every variable as added" % (name, owner))
        context_id = context['id'] if context else None
        option, label = 'context', name

    existing = []
    if context_id is not None:
        existing = [item['variable'] for item in list_env_vars(client, context_id, option=option, label=label)]
    return reconcile_env_vars(
        existing, values,
        write=lambda var, value: put_env_var(client, context_id, var, value),
        delete=lambda var: delete_env_var(client, context_id, var),
        state=params['state'], update_mode=params['update_mode'], purge=params['purge'],
        check_mode=module.check_mode, diff_extra=dict(context=label), concurrency=concurrency,
        diff=module._diff, warn=module.warn, where="context '%s'" % label)


def main():
    argument_spec = owner_argument_spec()
    argument_spec.update(
        context=dict(type='str'),
        context_id=dict(type='str'),
    )
    argument_spec.update(env_vars_argument_spec())
    run_module(argument_spec, run, **spec_rules(
        exactly_one_of(('context', 'context_id'), ('name', 'variables')), required_by=dict(value='name'),
        mutually_exclusive=[('owner_slug', 'owner_id'), ('context_id', 'owner_slug'), ('context_id', 'owner_id')]))


if __name__ == '__main__':
    main()
