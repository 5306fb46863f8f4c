# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every private part of ansible-core that the collection's controller code reads, in one place.

The action plugin that runs modules in the controller (plugin_utils/_action.py) and the lookups
(plugin_utils/_lookup.py) need a few things ansible-core does not publish as an API: the no_log
values, alias warnings and deprecations that ArgumentSpecValidator collects, the environment a
task gives its module process, the variables that set a plugin's options, ActionBase.run without
NormalAction's module execution, the attributes of a task an action plugin reads, whether
AnsibleModule adds `invocation` to results (a setting since ansible-core 2.21), and the file
details AnsibleModule adds to a result that names a file (add_path_info). Each is
reached through a function of this file and nowhere else, so that a change in ansible-core shows
up here first; tests/unit/plugins/plugin_utils/test_compat.py checks each of them against the
ansible-core it runs on (ansible-core 2.16 to 2.21 in `make test`).
"""

from __future__ import annotations

import collections

from ansible import constants as C
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import module_loader

Validation = collections.namedtuple('Validation', 'params no_log_values alias_warnings deprecations error unsupported')
Validation.__doc__ = """ArgumentSpecValidator's findings, as AnsibleModule reads them.

params: the validated parameters; no_log_values: the values to mask; alias_warnings: (option,
alias) pairs both given; deprecations: dicts with msg and version or date (and collection_name);
error: the first error's message (AnsibleModule's `errors.msg`) or None; unsupported: whether
that error is about unknown options (AnsibleModule prefixes its message then)."""

TaskContext = collections.namedtuple('TaskContext', 'module action args check_mode diff transport async_val become environment')
TaskContext.__doc__ = """What the action plugin reads of a task: the module's resolved name (FQCN),
the name the task wrote (messages name it, as AnsibleModule does), its arguments, check and diff mode, the connection's transport, async, become, and the
environment the task gives its module process (templated, a dict)."""


def validate_arguments(argument_spec, params, **constraints):
    """Check `params` against `argument_spec` as AnsibleModule does (its own validator) and return
    a Validation. `constraints`: mutually_exclusive, required_together, required_one_of,
    required_if, required_by."""
    validator = ArgumentSpecValidator(argument_spec, **constraints)
    result = validator.validate(dict(params))
    # Private since ansible-core 2.11 and read by AnsibleModule itself (basic.py) in 2.16..2.21.
    warnings = [(entry['option'], entry['alias']) for entry in result._warnings]
    deprecations = [dict(entry) for entry in result._deprecations]
    error = unsupported = None
    if result.error_messages:
        error = result.errors.msg
        unsupported = isinstance(result.errors[0], UnsupportedError)
    return Validation(result.validated_parameters, set(result._no_log_values), warnings, deprecations,
                      error, bool(unsupported))


def task_environment(action):
    """The environment the task of `action` (an ActionBase) gives its module process, templated,
    as a dict (empty when the task sets none)."""
    environment = {}
    if any(action._task.environment or ()):
        # fills `environment` with the templated values; the string it returns is for a shell
        action._compute_environment_string(raw_environment_out=environment)
    return environment


def task_context(action):
    """The TaskContext of `action` (an ActionBase with its task, connection and play context)."""
    task = action._task
    # The module's FQCN, found as TaskExecutor finds it (task.resolved_action names the action
    # plugin that the module's routing names, not the module).
    module = module_loader.find_plugin_with_context(task.action, collection_list=task.collections)
    return TaskContext(
        module=module.resolved_fqcn if module.resolved else task.action,
        action=task.action,
        args=task.args,
        check_mode=bool(task.check_mode),
        diff=bool(task.diff),
        transport=getattr(action._connection, 'transport', None),
        async_val=task.async_val,
        become=bool(action._play_context.become),
        environment=task_environment(action),
    )


def find_file(action, needle):
    """`needle` found as Ansible finds a file a task names (a role's files/, the playbook's folder
    and its files/, ...): ActionBase._find_needle, as copy and template use it. Raises AnsibleError
    (its message says where it looked) when not found."""
    return action._find_needle('files', needle)


def template(plugin, value):
    """`value` templated by the templar of `plugin` (an action or a lookup): the variables that
    reach plugins come raw."""
    return plugin._templar.template(value)


def action_base_run(action, tmp, task_vars):
    """ActionBase.run for `action` (a subclass of NormalAction): the checks every action makes
    (check mode and async support, the task's own arguments) without executing a module."""
    return ActionBase.run(action, tmp, task_vars)


class _PathInfo:
    """The part of AnsibleModule that its add_path_info uses: its own methods, borrowed, so that a
    result run in the controller gets exactly the file details a module process adds."""

    _selinux_enabled = None
    _selinux_mls_enabled = None
    _selinux_initial_context = None
    add_path_info = AnsibleModule.add_path_info
    user_and_group = AnsibleModule.user_and_group
    selinux_enabled = AnsibleModule.selinux_enabled
    selinux_mls_enabled = AnsibleModule.selinux_mls_enabled
    selinux_initial_context = AnsibleModule.selinux_initial_context
    selinux_context = AnsibleModule.selinux_context

    def fail_json(self, msg, **kwargs):  # selinux_context's only way out
        raise RuntimeError(msg)


def add_path_info(result):
    """What AnsibleModule's exit_json and fail_json add to a result with a `path` or `dest` key
    (its add_path_info): when that file exists, its uid, gid, owner, group, mode, state and size.
    `result` is changed in place and returned."""
    return _PathInfo().add_path_info(result)


def inject_invocation(task_vars):
    """Whether AnsibleModule adds `invocation` (the module's arguments) to the result of a task with
    these variables. Up to ansible-core 2.20 it always does; 2.21 made it the setting
    INJECT_INVOCATION (default false), which the action passes to the module as the internal
    argument _ansible_inject_invocation."""
    if 'INJECT_INVOCATION' not in C.config.get_configuration_definitions():
        return True
    return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))


def plugin_variable_names(plugin):
    """The names of the variables that set options of `plugin` (a lookup, for example), from its
    documentation as ansible-core's configuration manager reads it."""
    definitions = C.config.get_configuration_definitions(plugin.plugin_type, plugin._load_name) or {}
    return set(entry['name'] for definition in definitions.values() for entry in definition.get('vars') or ())
