# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module of the collection inside the controller's worker process.

Every module of the collection talks to the CircleCI API over HTTP; nothing it does needs the
target host. When a task would run the module on the controller anyway (the `local` connection,
as with `hosts: localhost` or `delegate_to: localhost`), starting a new Python process for it
(AnsiballZ: build, copy, start, import, run) costs more than its requests. The action plugins of
the collection (plugins/action/, one per module) run the module's own code in the worker process
instead: the same argument spec, checked by the same validator AnsibleModule uses, the same
`run(module, client)` function, the same no_log filtering of the result. ansible.netcommon
offers the same for network modules (`ansible_network_import_modules`).

The module runs as its own process, as any module does, when the task
- uses another connection than `local` (a remote host: the module runs there),
- uses `become`, `async` or `environment` (which apply to a process of their own),
- sets the variable `circleci_run_in_controller` to false,
- or when the controller's Python has no `requests` (the module's Python may have it).
"""

from __future__ import annotations

import functools
import importlib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.community.circleci.plugins.module_utils._module import MODULE_FACTORY

display = Display()

MODULES_PACKAGE = 'ansible_collections.community.circleci.plugins.modules'
SWITCH = 'circleci_run_in_controller'


class ModuleExit(Exception):
    """exit_json / fail_json of a module run in the controller: ends the run with `result`."""

    def __init__(self, result):
        super().__init__('module exit')
        self.result = result


class ControllerModule:
    """The part of AnsibleModule that run_module and the modules use, for a run in the controller.

    Built by run_module (through MODULE_FACTORY) with AnsibleModule's own arguments. The task's
    arguments are checked by ArgumentSpecValidator, the engine of AnsibleModule's own checks, and a
    failure gives AnsibleModule's message. Results leave through exit_json / fail_json as
    AnsibleModule returns them: with `invocation`, `warnings`, and every no_log value removed.
    """

    def __init__(self, args, check_mode, diff, name, argument_spec, supports_check_mode=True,
                 mutually_exclusive=None, required_together=None, required_one_of=None,
                 required_if=None, required_by=None):
        self._name = name
        self.check_mode = bool(check_mode)
        self._diff = bool(diff)
        self._warnings = []
        self._deprecations = []
        validator = ArgumentSpecValidator(argument_spec, mutually_exclusive=mutually_exclusive,
                                          required_together=required_together, required_one_of=required_one_of,
                                          required_if=required_if, required_by=required_by)
        validation = validator.validate(dict(args))
        self.params = validation.validated_parameters
        self.no_log_values = set(validation._no_log_values)
        for warning in validation._warnings:
            self.warn('Both option {option} and its alias {alias} are set.'.format(**warning))
        self._deprecations.extend(validation._deprecations)
        if validation.error_messages:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
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
        result.setdefault('invocation', {'module_args': self.params})
        if self._warnings:
            result['warnings'] = list(self._warnings)
        if self._deprecations:
            result['deprecations'] = list(self._deprecations)
        # As AnsibleModule: booleans and None survive, every other no_log value is masked.
        preserved = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        result = remove_values(result, self.no_log_values)
        result.update(preserved)
        return result


def module_name_of(action_module_name):
    """plugins/action/NAME.py runs plugins/modules/NAME.py."""
    return action_module_name.rsplit('.', 1)[-1]


def run_in_controller(name, args, check_mode=False, diff=False, action=None):
    """Run the collection's module `name` with task arguments `args` in this process and return
    its result, as the module would have printed it. `action` is the module's name as the task
    wrote it (messages name it, as AnsibleModule does); default: `name`."""
    module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))
    token = MODULE_FACTORY.set(functools.partial(ControllerModule, args, check_mode, diff, action or name))
    try:
        module.main()
    except ModuleExit as done:
        return done.result
    finally:
        MODULE_FACTORY.reset(token)
    raise RuntimeError('module %s ended without exit_json or fail_json' % name)


def no_log_if_secret(name, result):
    """A module may return a secret on purpose (circleci_runner_token: the value of the token it created,
    which the API never shows again; circleci_trigger: a webhook trigger's URL, which embeds its secret). It names those result keys in NO_LOG_RESULT_KEYS; a result that
    holds one is marked no_log, as if the task said `no_log: true`: Ansible censors it in the output
    and the logs at every verbosity, and `register` keeps it. Only an action plugin can do this (a
    module's own `_ansible_no_log` is removed from its result)."""
    module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))
    if any(result.get(key) for key in getattr(module, 'NO_LOG_RESULT_KEYS', ())):
        result['_ansible_no_log'] = True
    return result


class CircleCIModuleAction(NormalAction):
    """Action plugin of every module of the collection (see the docstring of this file)."""

    def subprocess_reason(self, task_vars):
        """Why the module must run as its own process, or None when it runs in the controller."""
        # task_vars come untemplated: circleci_run_in_controller: "{{ flag }}" is rendered first
        if not boolean(self._templar.template(task_vars.get(SWITCH, True)), strict=False):
            return '%s is false' % SWITCH
        if getattr(self._connection, 'transport', None) != 'local':
            return 'the connection is %s, not local' % getattr(self._connection, 'transport', '?')
        if self._task.async_val:
            return 'the task is async'
        if self._play_context.become:
            return 'the task uses become'
        if self._task_environment():
            return 'the task sets environment'
        if not HAS_REQUESTS:
            return "the controller's Python has no requests"
        return None

    def _task_environment(self):
        """The environment the task gives its module process (after templating), as a dict."""
        environment = {}
        if any(self._task.environment or ()):
            self._compute_environment_string(raw_environment_out=environment)
        return environment

    def run(self, tmp=None, task_vars=None):
        name = module_name_of(type(self).__module__)
        reason = self.subprocess_reason(task_vars or {})
        if reason is not None:
            display.vvv('community.circleci.%s runs as a module process: %s' % (name, reason))
            return no_log_if_secret(name, super().run(tmp, task_vars))
        result = super(NormalAction, self).run(tmp, task_vars)
        display.vvv('community.circleci.%s runs in the controller process' % name)
        result.update(run_in_controller(name, self._task.args, check_mode=self._task.check_mode,
                                        diff=self._task.diff, action=self._task.action))
        return no_log_if_secret(name, result)
