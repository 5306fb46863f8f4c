# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module of the collection inside the controller's worker process.

Every module of the collection talks to the CircleCI API over HTTP; nothing it does needs the
target host. When a task would run the module on the controller anyway (the `local` connection,
as with `hosts: localhost` or `delegate_to: localhost`), starting a new Python process for it
(AnsiballZ: build, copy, start, import, run) costs more than its requests. The collection's one
action plugin (plugins/action/circleci_context.py; meta/runtime.yml routes every module to it)
runs the module's own code in the worker process instead: the same argument spec, checked by the
same validator AnsibleModule uses, the same `run(module, client)` function, the same no_log
filtering of the result. ansible.netcommon offers the same for network modules
(`ansible_network_import_modules`).

The module runs as its own process, as any module does, when the task
- uses another connection than `local` (a remote host: the module runs there),
- uses `become`, `async` or `environment` (which apply to a process of their own),
- sets the variable `circleci_run_in_controller` to false (a value that is not a boolean fails
  the task),
- or when the controller's Python has no `requests` (the module's Python may have it).
Either way the result says how the module ran: `circleci_execution` is `controller` or `module`.

What this reads of ansible-core beyond its public API goes through plugin_utils/_compat.py.
"""

from __future__ import annotations

import functools
import importlib
import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.community.circleci.plugins.module_utils._module import MODULE_FACTORY, MODULE_KWARGS
from ansible_collections.community.circleci.plugins.plugin_utils import _compat

display = Display()

COLLECTION = 'community.circleci'
MODULES_PACKAGE = 'ansible_collections.community.circleci.plugins.modules'
SWITCH = 'circleci_run_in_controller'
# The result key that says how the module ran (see the docstring of this file).
EXECUTION_KEY = 'circleci_execution'
# Result keys that AnsibleModule.exit_json / fail_json rewrite in a way of their own: a result of
# the collection must not use them (the controller refuses them, so the unit tests catch any).
# (`path` and `dest` name a file: both ways add its details, see _compat.add_path_info.)
RESERVED_RESULT_KEYS = {
    'warnings': 'call module.warn()',
    'deprecations': 'passing them to exit_json is deprecated since ansible-core 2.19',
}


class ModuleExit(BaseException):
    """exit_json / fail_json of a module run in the controller: ends the run with `result`.

    A BaseException, as the SystemExit that AnsibleModule's exit_json and fail_json raise: module
    code that catches Exception does not catch it."""

    def __init__(self, result):
        super().__init__('module exit')
        self.result = result


class ControllerModule:
    """The part of AnsibleModule that run_module and the modules use, for a run in the controller.

    Built by run_module (through MODULE_FACTORY) with AnsibleModule's own arguments; only those in
    module_utils/_module.py MODULE_KWARGS are implemented, and run_module refuses any other for
    both ways a module runs. The task's arguments are checked by ArgumentSpecValidator, the engine
    of AnsibleModule's own checks, and a failure gives AnsibleModule's message. Results leave
    through exit_json / fail_json as AnsibleModule returns them: with `invocation` (when this
    ansible-core adds it), `warnings`, and every no_log value removed.
    """

    def __init__(self, args, check_mode, diff, name, inject_invocation, argument_spec, supports_check_mode=True, **constraints):
        unknown = sorted(set(constraints) - set(MODULE_KWARGS))
        if unknown:
            raise TypeError('AnsibleModule arguments not implemented in the controller: %s' % ', '.join(unknown))
        self._name = name
        self._inject_invocation = inject_invocation
        self.check_mode = bool(check_mode)
        self._diff = bool(diff)
        self._warnings = []
        self._deprecations = []
        validation = _compat.validate_arguments(argument_spec, args, **constraints)
        self.params = validation.params
        self.no_log_values = validation.no_log_values
        for option, alias in validation.alias_warnings:
            self.warn('Both option %s and its alias %s are set.' % (option, alias))
        self._deprecations.extend(validation.deprecations)
        if validation.error is not None:
            msg = validation.error
            if validation.unsupported:
                msg = 'Unsupported parameters for (%s) module: %s' % (name, msg)
            self.fail_json(msg=msg)
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg='remote module (%s) does not support check mode' % name)

    def warn(self, warning):
        self._warnings.append(str(warning))

    def exit_json(self, **result):
        raise ModuleExit(self._formatted(result))

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=str(msg))
        raise ModuleExit(self._formatted(result))

    def _formatted(self, result):
        clash = [key for key in RESERVED_RESULT_KEYS if key in result]
        if clash:
            # AnsibleModule gives these keys a meaning of its own: the two ways would differ.
            raise RuntimeError('module %s returns %s: AnsibleModule gives that key a meaning of its own (%s)'
                               % (self._name, ', '.join(clash), '; '.join(RESERVED_RESULT_KEYS[key] for key in clash)))
        # As AnsibleModule: a result with `path` or `dest` gets that file's details
        _compat.add_path_info(result)
        if self._inject_invocation:
            result.setdefault('invocation', {'module_args': self.params})
        else:
            result.pop('invocation', None)
        if self._warnings:
            result['warnings'] = list(self._warnings)
        if self._deprecations:
            result['deprecations'] = list(self._deprecations)
        # As AnsibleModule: booleans and None survive, every other no_log value is masked.
        preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        result = mask_no_log_values(result, self.no_log_values)
        result.update(preserved)
        return result


# --- no_log masking at scale ---------------------------------------------------------------------

NO_LOG_MARKER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'  # what remove_values puts for a string that is a no_log value
NO_LOG_MASK = '*' * 8                                   # what it puts for a no_log value inside a string


def mask_no_log_values(result, no_log_values):
    """remove_values(result, no_log_values), as AnsibleModule masks a result, in time that does not
    grow with (strings of the result) x (no_log values).

    remove_values compares every string with every value. A module given thousands of no_log values
    (circleci_org_config: every variable of an organization) returns them all in `invocation`, and
    that product takes seconds. Same outcome, two steps: a string that is a no_log value becomes the
    marker (what remove_values does first for each string), then remove_values runs with only the
    values found inside another string of the result; a value found in no string cannot change one.
    That holds because a value without `*` that is not inside a string cannot appear in it after
    other values were replaced by `********` either; a value with `*`, an empty one, or one inside
    the marker (which the second step would then alter) takes remove_values over everything."""
    values = set(to_text(value, errors='surrogate_or_strict') for value in no_log_values)
    if len(values) < 16 or any(not value or '*' in value or value in NO_LOG_MARKER for value in values):
        # the very set given: with such values remove_values' outcome depends on the set's order
        return remove_values(result, no_log_values)
    by_length = {}
    for value in values:
        by_length.setdefault(len(value), set()).add(value)
    found = set()

    def scan(text):
        for length, same in by_length.items():
            for start in range(len(text) - length + 1):
                if text[start:start + length] in same:
                    found.add(text[start:start + length])

    def leaf(value):
        if isinstance(value, (str, bytes)):
            text = to_text(value, errors='surrogate_or_strict')
            if text in values:
                return NO_LOG_MARKER
            scan(text)
        else:
            # a number is masked when a value is inside its digits; ansible-core 2.16 also masks
            # True, False and None by their text (later versions leave them), so they are read too
            scan(to_text(value))
        return value

    return remove_values(_map_leaves(result, leaf, scan), found)


def _map_leaves(data, leaf, scan_key):
    """A copy of `data` (dicts, lists, tuples, sets) with each leaf replaced by leaf(value) and each
    key of a dict passed to scan_key (keys are kept as they are)."""
    if isinstance(data, dict):
        copy = {}
        for key, value in data.items():
            scan_key(to_text(key))
            copy[key] = _map_leaves(value, leaf, scan_key)
        return copy
    if isinstance(data, (list, tuple, set, frozenset)):
        return type(data)(_map_leaves(item, leaf, scan_key) for item in data)
    return leaf(data)


def run_in_controller(name, args, check_mode=False, diff=False, action=None, inject_invocation=True):
    """Run the collection's module `name` with task arguments `args` in this process and return
    its result, as the module would have printed it. `action` is the module's name as the task
    wrote it (messages name it, as AnsibleModule does); default: `name`. `inject_invocation`: whether
    the result gets `invocation` (see _compat.inject_invocation)."""
    module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))
    token = MODULE_FACTORY.set(functools.partial(ControllerModule, args, check_mode, diff, action or name, inject_invocation))
    try:
        module.main()
    except ModuleExit as done:
        return done.result
    finally:
        MODULE_FACTORY.reset(token)
    raise RuntimeError('module %s ended without exit_json or fail_json' % name)


def no_log_if_secret(name, result):
    """A module may return a secret on purpose (circleci_runner_token: the value of the token it created,
    which the API never shows again; circleci_trigger: a webhook trigger's URL, which embeds its secret).
    It names those result keys in NO_LOG_RESULT_KEYS; a result that holds one is marked no_log, as if
    the task said `no_log: true`: Ansible censors it in the output and the logs at every verbosity,
    and `register` keeps it. Only an action plugin can do this (a module's own `_ansible_no_log` is
    removed from its result)."""
    try:
        module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))
    except ImportError:  # not a module of the collection (the task runs another one)
        return result
    if any(result.get(key) for key in getattr(module, 'NO_LOG_RESULT_KEYS', ())):
        result['_ansible_no_log'] = True
    return result


class InvalidSwitch(ValueError):
    """circleci_run_in_controller is set to something that is not a boolean."""


# What a value is, in the words of YAML rather than of a Python class (which may be one of
# ansible-core's own subclasses: AnsibleUnicode before 2.19, a tagged str since).
_KINDS = ((bool, 'a boolean'), (str, 'a string'), (int, 'an integer'), (float, 'a float'), (list, 'a list'),
          (dict, 'a dictionary'), (type(None), 'null'))


def run_in_controller_switch(value):
    """The boolean value of circleci_run_in_controller (templated); InvalidSwitch if it is none."""
    try:
        return boolean(value, strict=True)
    except TypeError:
        kind = next((name for cls, name in _KINDS if isinstance(value, cls)), type(value).__name__)
        shown = repr(str(value)) if isinstance(value, str) else repr(value)
        raise InvalidSwitch('%s must be a boolean (true or false), got %s (%s)' % (SWITCH, shown, kind)) from None


class CircleCIModuleAction(NormalAction):
    """The action plugin of every module of the collection (see the docstring of this file)."""

    def subprocess_reason(self, task_vars, context=None):
        """Why the module must run as its own process, or None when it runs in the controller.
        Raises InvalidSwitch for a circleci_run_in_controller that is not a boolean."""
        context = context or _compat.task_context(self)
        # task_vars come untemplated: circleci_run_in_controller: "{{ flag }}" is rendered first
        if not run_in_controller_switch(_compat.template(self, task_vars.get(SWITCH, True))):
            return '%s is false' % SWITCH
        if not context.module.startswith(COLLECTION + '.'):
            return '%s is not a module of %s' % (context.module, COLLECTION)
        if context.transport != 'local':
            return 'the connection is %s, not local' % (context.transport or '?')
        if context.async_val:
            return 'the task is async'
        if context.become:
            return 'the task uses become'
        if context.environment:
            return 'the task sets environment'
        if not HAS_REQUESTS:
            return "the controller's Python has no requests"
        return None

    def local_files(self, name, args):
        """The task's arguments with each relative path of the module's LOCAL_FILE_OPTIONS (a policy
        directory, a configuration file) resolved as Ansible resolves the files a task names: in the
        role's files/, beside the playbook and in its files/, ... (not from the current directory). A
        path that is found nowhere fails the task naming the option and where it looked. Only for a
        local connection: on another host the module reads the path there."""
        try:
            module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))
        except ImportError:
            return args
        resolved = dict(args)
        for option in getattr(module, 'LOCAL_FILE_OPTIONS', ()):
            value = _compat.template(self, args.get(option))
            if isinstance(value, str) and value and not os.path.isabs(os.path.expanduser(value)):
                try:
                    resolved[option] = _compat.find_file(self, value)
                except AnsibleError as exc:
                    raise AnsibleError('%s: %s' % (option, to_text(exc))) from None
        return resolved

    def run(self, tmp=None, task_vars=None):
        context = _compat.task_context(self)
        name = context.module.rsplit('.', 1)[-1]
        try:
            reason = self.subprocess_reason(task_vars or {}, context)
        except InvalidSwitch as exc:
            return dict(failed=True, msg=str(exc))
        if context.transport == 'local':
            try:
                self._task.args = self.local_files(name, context.args)
            except AnsibleError as exc:
                return dict(failed=True, msg=to_text(exc))
            context = context._replace(args=self._task.args)
        if reason is not None:
            display.vvv('%s runs as a module process: %s' % (context.module, reason))
            result = super().run(tmp, task_vars)
            result[EXECUTION_KEY] = 'module'
            return no_log_if_secret(name, result)
        result = _compat.action_base_run(self, tmp, task_vars)
        display.vvv('%s runs in the controller process' % context.module)
        result.update(run_in_controller(name, context.args, check_mode=context.check_mode,
                                        diff=context.diff, action=context.action,
                                        inject_invocation=_compat.inject_invocation(task_vars or {})))
        result[EXECUTION_KEY] = 'controller'
        return no_log_if_secret(name, result)
