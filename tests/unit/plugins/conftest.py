# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.common import warnings as module_warnings

from ansible_collections.community.circleci.tests.unit.plugins._core import patch_module_args
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import ScriptedServer

TOKEN = 'tok-3c1f9e0a-secret'


@pytest.fixture
def api():
    """A scripted CircleCI API; the conversation is verified when the test ends."""
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()
    server.verify()


@pytest.fixture
def sleeps(monkeypatch):
    """Record retry delays instead of waiting (clients built during the test pick this up)."""
    delays = []
    monkeypatch.setattr('time.sleep', delays.append)
    return delays


JSON_TYPES = (dict, list, str, int, float, bool, type(None))
JSON_KEY_TYPES = (str,)


def json_type_problems(value, where='result'):
    """The places in `value` that hold something other than the exact types json.loads returns
    (dict with string keys, list, str, int, float, bool, None)."""
    if type(value) not in JSON_TYPES:
        return ['%s is a %s' % (where, type(value).__name__)]
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            if type(key) not in JSON_KEY_TYPES:
                problems.append('%s has the key %r, a %s' % (where, key, type(key).__name__))
            problems.extend(json_type_problems(item, '%s[%r]' % (where, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems.extend(json_type_problems(item, '%s[%d]' % (where, index)))
    return problems


def execute(execution, module, module_args, capsys):
    """(result, output) of one run of `module` (its Python module), in one of the two ways a task
    runs it: 'module', as its own process does (AnsibleModule reads the arguments and prints the result),
    or 'controller', as the collection's action plugin runs it in the controller (plugin_utils/_action.py;
    controller code, so only tests outside tests/unit/plugins/modules/ can run it)."""
    if execution == 'controller':
        from ansible_collections.community.circleci.plugins.plugin_utils._action import run_in_controller
        from ansible_collections.community.circleci.plugins.plugin_utils._compat import inject_invocation
        internal = dict((key, value) for key, value in module_args.items() if key.startswith('_ansible_'))
        args = dict((key, value) for key, value in module_args.items() if not key.startswith('_ansible_'))
        result = run_in_controller(module.__name__.rsplit('.', 1)[-1], args,
                                   check_mode=internal.get('_ansible_check_mode', False), diff=internal.get('_ansible_diff', False),
                                   inject_invocation=internal.get('_ansible_inject_invocation', inject_invocation({})))
        # The result itself, not a JSON round trip of it: a round trip would turn a tuple into the
        # list a module process prints and hide the difference. Whatever a module process could not
        # print as it is (a tuple, a set, bytes, an object, a key that is not a string) fails here.
        assert not json_type_problems(result), json_type_problems(result)
        return result, json.dumps(result)
    capsys.readouterr()
    # A module process starts with no warnings; in one test process AnsibleModule's global lists
    # (a list up to ansible-core 2.18, a dict since 2.19) keep those of earlier runs.
    for name in ('_global_warnings', '_global_deprecations'):
        getattr(module_warnings, name).clear()
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            module.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert (exit_info.value.code != 0) == bool(result.get('failed')), result
    return result, out


@pytest.fixture
def execution():
    """How run_module runs a module (see execute). tests/unit/plugins/modules/ runs the module as its own
    process would; tests/unit/plugins/action/ runs the same tests in the controller; the reliability
    suites run both ways."""
    return 'module'


@pytest.fixture
def run_module(api, capsys, monkeypatch, sleeps, execution):
    """run_module(module, args, check_mode=False, diff=False) -> the module's result dict.

    Connection options point at the scripted server with the test token unless given (None
    leaves an option out); CircleCI environment variables of the machine running the tests are ignored.
    The `execution` fixture says how the module runs (see execute).
    """
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL', 'CIRCLECI_RUNNER_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def run(module, args, check_mode=False, diff=False):
        module_args = dict(api_token=TOKEN, api_url=api.url)
        module_args.update(args)
        # None = not given (so that environment fallbacks apply to it)
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        if check_mode:
            module_args['_ansible_check_mode'] = True
        if diff:
            module_args['_ansible_diff'] = True
        result, out = execute(execution, module, module_args, capsys)
        assert TOKEN not in out
        return result

    return run
