# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugin itself, found as Ansible's task executor finds it (the module's routing in
meta/runtime.yml) and built from real Task, PlayContext and connection objects: when a module runs
in the controller and when it must run as its own process."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import types

import pytest
import yaml

from ansible.module_utils.basic import AnsibleModule
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import action_loader, connection_loader, module_loader
from ansible.template import Templar

from ansible_collections.community.circleci.plugins.module_utils import _module
from ansible_collections.community.circleci.plugins.plugin_utils._action import EXECUTION_KEY, ControllerModule, run_in_controller
from ansible_collections.community.circleci.tests.unit.plugins._core import trust_as_template
from ansible_collections.community.circleci.tests.unit.plugins.conftest import TOKEN, execute
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call
from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import collection_modules

CONTEXT = {'id': '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11', 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
ACTION = 'community.circleci.circleci_context'
RUNTIME = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'meta', 'runtime.yml')


def handler_name(module):
    """The action plugin Ansible runs for a task of `module` (as TaskExecutor's
    _get_action_handler_with_module_context finds it: the module's action_plugin routing first)."""
    context = module_loader.find_plugin_with_context(module)
    assert context.resolved, module
    return context.action_plugin or module


def action_for(keywords, module='circleci_context_info', connection='local', become=False, variables=None):
    loader = DataLoader()
    task = Task.load(dict(keywords, **{'community.circleci.' + module: keywords.pop('args', {})}), loader=loader)
    play_context = PlayContext()
    play_context.become = become
    return action_loader.get(handler_name(task.action), task=task, connection=connection_loader.get(connection, play_context, None),
                             play_context=play_context, loader=loader, templar=Templar(loader=loader, variables=variables or {}),
                             shared_loader_obj=None)


def routing():
    with open(RUNTIME) as handle:
        return yaml.safe_load(handle).get('plugin_routing', {}).get('modules', {})


def test_every_module_is_routed_to_the_action_plugin_and_nothing_else_is():
    """A new module needs its line in meta/runtime.yml plugin_routing.modules (and nothing else
    in plugins/action/); an entry without a module is a leftover."""
    routed = routing()
    modules = collection_modules()
    assert sorted(name for name in modules if name not in routed) == [], 'modules without a routing entry'
    assert sorted(name for name in routed if name not in modules) == [], 'routing entries without a module'
    assert sorted(name for name, entry in routed.items() if entry != {'action_plugin': ACTION}) == []
    folder = os.path.dirname(action_loader.find_plugin(ACTION))
    assert sorted(name for name in os.listdir(folder) if name.endswith('.py')) == ['circleci_context.py']


@pytest.mark.parametrize('module', collection_modules())
def test_ansible_finds_the_action_plugin_of_every_module(module):
    """The routing key is honoured by the plugin loader of the ansible-core running the tests."""
    name = handler_name('community.circleci.' + module)
    assert name == ACTION
    action = action_for({}, module=module)
    assert type(action).__module__.endswith('.plugins.action.circleci_context')
    assert action.subprocess_reason({}) is None


def test_the_action_groups_list_every_module():
    with open(RUNTIME) as handle:
        group = yaml.safe_load(handle)['action_groups']['circleci']
    assert sorted(group) == collection_modules()


@pytest.mark.parametrize('keywords, task_vars, connection, become, reason', [
    ({}, {}, 'local', False, None),
    ({}, {'circleci_run_in_controller': True}, 'local', False, None),
    ({}, {'circleci_run_in_controller': 'yes'}, 'local', False, None),
    ({'environment': [{}]}, {}, 'local', False, None),
    ({}, {'circleci_run_in_controller': False}, 'local', False, 'circleci_run_in_controller is false'),
    ({}, {'circleci_run_in_controller': 'no'}, 'local', False, 'circleci_run_in_controller is false'),
    ({}, {'circleci_run_in_controller': 0}, 'local', False, 'circleci_run_in_controller is false'),
    ({}, {}, 'ssh', False, 'the connection is ssh, not local'),
    ({'async': 60, 'poll': 5}, {}, 'local', False, 'the task is async'),
    ({}, {}, 'local', True, 'the task uses become'),
    ({'environment': [{'HTTPS_PROXY': 'http://proxy.example:3128'}]}, {}, 'local', False, 'the task sets environment'),
])
def test_where_the_module_runs(keywords, task_vars, connection, become, reason):
    action = action_for(dict(keywords), connection=connection, become=become)
    assert action.subprocess_reason(task_vars) == reason


@pytest.mark.parametrize('flag, reason', [(False, 'circleci_run_in_controller is false'), (True, None)])
def test_the_switch_is_templated(flag, reason):
    """As in a playbook: circleci_run_in_controller: "{{ flag }}" (a trusted template) is rendered."""
    task_vars = {'flag': flag, 'circleci_run_in_controller': trust_as_template('{{ flag }}')}
    action = action_for({}, variables=task_vars)
    assert action.subprocess_reason(task_vars) == reason


@pytest.mark.parametrize('value, shown', [
    ('maybe', "'maybe' (a string)"),
    ('', "'' (a string)"),
    (None, 'None (null)'),
    (2, '2 (an integer)'),
    (0.5, '0.5 (a float)'),
    ([True], '[True] (a list)'),
])
def test_a_switch_that_is_not_a_boolean_fails_the_task(api, value, shown):
    """Not a guess either way: the task fails, naming the variable and the value, and sends nothing."""
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url}})
    result = action.run(task_vars={'circleci_run_in_controller': value})
    assert result == {'failed': True, 'msg': 'circleci_run_in_controller must be a boolean (true or false), got %s' % shown}
    assert not api.requests


def test_run_in_the_controller_talks_to_the_api(api, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}))
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url}, 'check_mode': True})
    result = action.run(task_vars={'ansible_inject_invocation': True})  # ansible-core 2.21+: invocation on request
    assert result['changed'] is False
    assert result['contexts'] == [CONTEXT]
    assert result['invocation']['module_args']['api_token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result[EXECUTION_KEY] == 'controller'
    assert TOKEN not in repr(result)


def test_bad_input_in_the_controller_fails_like_the_module(api, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url, 'colour': 'blue'}})
    result = action.run(task_vars={})
    assert result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (community.circleci.circleci_context_info) module: colour.')
    assert result[EXECUTION_KEY] == 'controller'
    assert not api.requests


def test_a_result_with_a_webhook_url_is_marked_no_log_and_keeps_it(api, monkeypatch):
    """Ansible shows a result marked _ansible_no_log censored (diff included) and registers it whole."""
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    project_id = 'c0000000-0000-4000-8000-000000000201'
    definitions = '/projects/%s/pipeline-definitions' % project_id
    definition = {'id': 'd0000000-0000-4000-8000-000000000201', 'name': 'deploy',
                  'config_source': {'provider': 'circleci', 'file_path': 'x.yml'},
                  'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '1'}}}
    url = 'https://internal.circleci.com/private/soc/e/x?secret=s3cr3t-url'
    trigger = {'id': 'e0000000-0000-4000-8000-000000000301', 'event_name': 'deploy', 'checkout_ref': 'main', 'config_ref': 'main',
               'event_source': {'provider': 'webhook', 'webhook': {'url': url, 'sender': 'ci'}}, 'disabled': False}
    api.expect(call('GET', definitions, body={'items': [definition]}),
               call('GET', '%s/%s/triggers' % (definitions, definition['id']), body={'items': [trigger]}))
    args = {'project_id': project_id, 'pipeline_definition': 'deploy', 'provider': 'webhook', 'event_name': 'deploy',
            'checkout_ref': 'main', 'config_ref': 'main', 'api_token': TOKEN, 'api_url': api.url}
    result = action_for({'args': args, 'check_mode': True}, module='circleci_trigger').run(task_vars={})
    assert result['changed'] is False
    assert result['webhook_url'] == url
    assert result['_ansible_no_log'] is True


def test_a_result_without_a_secret_is_not_marked(api, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}))
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url}, 'check_mode': True})
    assert '_ansible_no_log' not in action.run(task_vars={})


@pytest.fixture
def probe_module(monkeypatch):
    """A module of the collection whose main() is `main`: plugins/modules/ gets a module
    circleci_probe for the test (the module code is the test's; run_module and the way the
    controller runs it are the collection's)."""
    name = 'ansible_collections.community.circleci.plugins.modules.circleci_probe'

    def install(main):
        module = types.ModuleType(name)
        module.main = main
        monkeypatch.setitem(sys.modules, name, module)
        return module

    return install


def test_module_code_that_catches_exception_does_not_swallow_the_exit(api, probe_module):
    """exit_json / fail_json end the run as AnsibleModule's SystemExit does: an `except Exception`
    in the module's own code does not catch them."""
    def run(module, client):
        try:
            module.fail_json(msg='the real failure')
        except Exception:
            return {'changed': True, 'swallowed': True}

    probe_module(lambda: _module.run_module({}, run))
    result = run_in_controller('circleci_probe', {'api_token': TOKEN, 'api_url': api.url})
    assert result['failed'] is True
    assert result['msg'] == 'the real failure'
    assert 'swallowed' not in result


@pytest.mark.parametrize('execution', ['module', 'controller'])
def test_run_module_refuses_ansiblemodule_arguments_it_does_not_support(execution, api, probe_module, capsys):
    """The same loud refusal both ways, before anything runs (not a crash in the controller only)."""
    def run(module, client):
        raise AssertionError('not reached')

    module = probe_module(lambda: _module.run_module({}, run, add_file_common_args=True, bypass_checks=True))
    with pytest.raises(TypeError) as error:
        execute(execution, module, {'api_token': TOKEN, 'api_url': api.url}, capsys)
    assert str(error.value) == ('run_module() got AnsibleModule arguments it does not support: add_file_common_args, '
                                'bypass_checks (supported: mutually_exclusive, required_together, required_one_of, '
                                'required_if, required_by)')
    assert not api.requests


def test_every_supported_argument_is_one_of_ansiblemodule_and_of_the_controller():
    for kind in (AnsibleModule, ControllerModule):
        parameters = inspect.signature(kind.__init__).parameters
        assert 'argument_spec' in parameters and 'supports_check_mode' in parameters
        if kind is AnsibleModule:
            assert sorted(set(_module.MODULE_KWARGS) - set(parameters)) == []


class _Built(BaseException):
    pass


@pytest.mark.parametrize('name', collection_modules())
def test_every_module_passes_only_arguments_ansiblemodule_takes(name, monkeypatch):
    """Each module's run_module call, as made: its AnsibleModule keyword arguments bind to
    AnsibleModule's own signature on this ansible-core."""
    seen = []

    def factory(**kwargs):
        inspect.signature(AnsibleModule).bind(**kwargs)  # TypeError for an argument AnsibleModule lacks
        seen.append(kwargs)
        raise _Built()

    token = _module.MODULE_FACTORY.set(factory)
    try:
        with pytest.raises(_Built):
            importlib.import_module('ansible_collections.community.circleci.plugins.modules.' + name).main()
    finally:
        _module.MODULE_FACTORY.reset(token)
    assert len(seen) == 1 and seen[0]['argument_spec']


@pytest.mark.parametrize('key, why', [
    ('warnings', 'call module.warn()'),
    ('deprecations', 'passing them to exit_json is deprecated since ansible-core 2.19'),
])
def test_a_result_key_that_ansiblemodule_rewrites_is_refused(api, probe_module, key, why):
    """AnsibleModule rewrites `warnings` and `deprecations` of a result: the two ways would differ, so
    such a result fails in the controller (and so in the unit tests, which run every module there too)."""
    probe_module(lambda: _module.run_module({}, lambda module, client: {'changed': False, key: ['x']}))
    with pytest.raises(RuntimeError) as error:
        run_in_controller('circleci_probe', {'api_token': TOKEN, 'api_url': api.url})
    assert str(error.value) == 'module circleci_probe returns %s: AnsibleModule gives that key a meaning of its own (%s)' % (key, why)


@pytest.mark.parametrize('key', ['dest', 'path'])
@pytest.mark.parametrize('state', ['file', 'directory', 'link', 'absent'])
def test_a_result_that_names_a_file_gets_its_details_both_ways(api, probe_module, capsys, tmp_path, key, state):
    """AnsibleModule adds the owner, mode, state and size of an existing file that a result names
    with `dest` or `path` (add_path_info); a run in the controller adds the same."""
    target = tmp_path / 'token'
    if state == 'file':
        target.write_text('secret')
        target.chmod(0o600)
    elif state == 'directory':
        target.mkdir()
    elif state == 'link':
        (tmp_path / 'elsewhere').write_text('x')
        os.symlink(str(tmp_path / 'elsewhere'), str(target))
    module = probe_module(lambda: _module.run_module({}, lambda module, client: {'changed': False, key: str(target)}))
    in_process, in_controller = [execute(way, module, {'api_token': TOKEN, 'api_url': api.url}, capsys)[0]
                                 for way in ('module', 'controller')]
    assert in_process == in_controller
    if state == 'absent':
        assert not set(in_controller) & {'state', 'owner', 'mode', 'size'}
    else:
        assert in_controller['state'] == state
    if state == 'file':
        assert (in_controller['mode'], in_controller['size']) == ('0600', 6)


@pytest.mark.parametrize('inject', [True, False])
def test_invocation_as_the_setting_says(api, probe_module, inject):
    probe_module(lambda: _module.run_module({}, lambda module, client: {'changed': False}))
    result = run_in_controller('circleci_probe', {'api_token': TOKEN, 'api_url': api.url}, inject_invocation=inject)
    assert ('invocation' in result) is inject
