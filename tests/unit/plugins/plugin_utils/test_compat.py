# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""plugin_utils/_compat.py against the ansible-core that runs the tests (`make test` runs these on
ansible-core 2.16 to 2.21): each private part it reads is still there and still means what the
collection takes it to mean. Where possible the answer is compared with what ansible-core itself
does with the same part (AnsibleModule for the argument checks)."""

from __future__ import annotations

import json
import os

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.plugins.loader import action_loader, connection_loader, lookup_loader
from ansible.template import Templar

from ansible_collections.community.circleci.plugins.plugin_utils import _compat
from ansible_collections.community.circleci.tests.unit.plugins._core import patch_module_args, trust_as_template

SPEC = {
    'name': {'type': 'str', 'required': True, 'aliases': ['title']},
    'secret': {'type': 'str', 'no_log': True},
    'count': {'type': 'int', 'default': 3},
    'old': {'type': 'str', 'aliases': ['older'], 'deprecated_aliases': [{'name': 'older', 'version': '9.0.0', 'collection_name': 'community.circleci'}]},
}


def ansible_module(params, capsys):
    """What AnsibleModule itself makes of `params`: (module or None, its failure result or None)."""
    capsys.readouterr()
    with patch_module_args(params):
        try:
            return AnsibleModule(argument_spec=SPEC), None
        except SystemExit:
            return None, json.loads(capsys.readouterr().out)


def test_valid_arguments_as_ansiblemodule_reads_them(capsys):
    params = {'name': 'a', 'title': 'b', 'secret': 's3cr3t-value', 'older': 'x'}
    validation = _compat.validate_arguments(SPEC, params)
    module, failure = ansible_module(params, capsys)
    assert failure is None
    assert validation.error is None and validation.unsupported is False
    assert validation.params == dict((key, module.params[key]) for key in validation.params)
    assert validation.params['count'] == 3
    assert validation.no_log_values == module.no_log_values == {'s3cr3t-value'}
    assert validation.alias_warnings == [('name', 'title')]
    assert [(entry['msg'], entry['version'], entry['collection_name']) for entry in validation.deprecations] == [
        ("Alias 'older' is deprecated. See the module docs for more information", '9.0.0', 'community.circleci')]


@pytest.mark.parametrize('params, unsupported', [
    ({'name': 'a', 'colour': 'blue'}, True),
    ({'count': 'three'}, False),
    ({}, False),
])
def test_errors_as_ansiblemodule_reports_them(params, unsupported, capsys):
    validation = _compat.validate_arguments(SPEC, params)
    _module, failure = ansible_module(params, capsys)
    assert validation.unsupported is unsupported
    expected = failure['msg']
    if unsupported:
        assert expected.startswith('Unsupported parameters for (')
        expected = expected.split(' module: ', 1)[1]
    assert validation.error == expected


def test_constraints_are_passed_on():
    validation = _compat.validate_arguments({'a': {'type': 'str'}, 'b': {'type': 'str'}}, {'a': '1', 'b': '2'},
                                            mutually_exclusive=[('a', 'b')])
    assert validation.error == 'parameters are mutually exclusive: a|b'


def action(keywords, connection='local', become=False, variables=None):
    loader = DataLoader()
    task = Task.load(dict(keywords, **{'community.circleci.circleci_context_info': keywords.pop('args', {'owner_slug': 'gh/acme'})}),
                     loader=loader)
    play_context = PlayContext()
    play_context.become = become
    return action_loader.get('community.circleci.circleci_context', task=task,
                             connection=connection_loader.get(connection, play_context, None), play_context=play_context,
                             loader=loader, templar=Templar(loader=loader, variables=variables or {}), shared_loader_obj=None)


def test_task_context_of_a_plain_task():
    context = _compat.task_context(action({'args': {'owner_slug': 'gh/acme'}}))
    assert context == _compat.TaskContext(module='community.circleci.circleci_context_info',
                                          action='community.circleci.circleci_context_info', args={'owner_slug': 'gh/acme'},
                                          check_mode=False, diff=False, transport='local', async_val=0, become=False,
                                          environment={})


def test_task_context_reads_every_keyword():
    variables = {'proxy': 'http://proxy.example:3128'}
    context = _compat.task_context(action({'check_mode': True, 'diff': True, 'async': 30, 'poll': 0,
                                           'environment': [{'HTTPS_PROXY': trust_as_template('{{ proxy }}')}, {'A': 'b'}]},
                                          connection='ssh', become=True, variables=variables))
    assert (context.check_mode, context.diff, context.transport, context.async_val, context.become) == (True, True, 'ssh', 30, True)
    assert context.environment == {'HTTPS_PROXY': 'http://proxy.example:3128', 'A': 'b'}


def test_task_context_of_a_short_name_is_the_resolved_module():
    loader = DataLoader()
    task = Task.load({'circleci_context_info': {}, 'collections': ['community.circleci']}, loader=loader)
    play_context = PlayContext()
    plugin = action_loader.get('community.circleci.circleci_context', task=task, connection=connection_loader.get('local', play_context, None),
                               play_context=play_context, loader=loader, templar=Templar(loader=loader), shared_loader_obj=None)
    context = _compat.task_context(plugin)
    assert (context.module, context.action) == ('community.circleci.circleci_context_info', 'circleci_context_info')


def test_template_renders_a_task_variable():
    plugin = action({}, variables={'flag': False})
    assert _compat.template(plugin, trust_as_template('{{ flag }}')) is False
    assert _compat.template(plugin, True) is True


def test_action_base_run_skips_only_the_module_execution():
    """NormalAction.run is ActionBase.run plus the module execution: the controller path calls
    ActionBase.run alone (its checks of check mode, async and the task's own arguments)."""
    assert NormalAction.__bases__ == (ActionBase,)
    assert 'run' in vars(NormalAction) and NormalAction._supports_check_mode and NormalAction._supports_async
    result = _compat.action_base_run(action({'check_mode': True}), None, {})
    assert isinstance(result, dict) and not result.get('failed') and not result.get('skipped'), result


@pytest.mark.parametrize('name', ['circleci_api', 'circleci_insights', 'circleci_pipeline'])
def test_plugin_variable_names_of_the_lookups(name):
    names = _compat.plugin_variable_names(lookup_loader.get('community.circleci.' + name))
    assert {'circleci_api_token', 'circleci_api_url', 'circleci_validate_certs', 'circleci_ca_path'} <= names


@pytest.mark.parametrize('task_vars', [{}, {'ansible_inject_invocation': True}, {'ansible_inject_invocation': False}])
def test_inject_invocation_as_the_module_process_gets_it(task_vars):
    """What ActionBase tells a module process about `invocation` (ansible-core 2.21+: the internal
    argument _ansible_inject_invocation; before: nothing, AnsibleModule always adds it)."""
    module_args = {}
    action({})._update_module_args('community.circleci.circleci_context_info', module_args, task_vars)
    assert _compat.inject_invocation(task_vars) is bool(module_args.get('_ansible_inject_invocation', True))


def test_add_path_info_is_ansiblemodules(tmp_path, capsys):
    """The file details a run in the controller adds are those AnsibleModule adds."""
    with patch_module_args({}):
        module = AnsibleModule(argument_spec={})
    (tmp_path / 'file').write_text('abc')
    os.symlink(str(tmp_path / 'file'), str(tmp_path / 'link'))
    for name in ('file', 'link', 'missing', '.'):
        for key in ('path', 'dest'):
            path = str(tmp_path / name)
            assert _compat.add_path_info({key: path}) == module.add_path_info({key: path})
    assert _compat.add_path_info({'path': str(tmp_path / 'file')})['state'] == 'file'
    assert _compat.add_path_info({'changed': True}) == {'changed': True}
