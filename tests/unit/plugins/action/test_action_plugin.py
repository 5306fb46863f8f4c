# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugins themselves, built by Ansible's own loaders from real Task, PlayContext and
connection objects: when a module runs in the controller and when it must run as its own process."""

from __future__ import annotations

import pytest

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import action_loader, connection_loader
from ansible.template import Templar, trust_as_template

from ansible_collections.community.circleci.tests.unit.plugins.conftest import TOKEN
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call
from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import collection_modules

CONTEXT = {'id': '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11', 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}


def action_for(keywords, module='circleci_context_info', connection='local', become=False, variables=None):
    loader = DataLoader()
    task = Task.load(dict(keywords, **{'community.circleci.' + module: keywords.pop('args', {})}), loader=loader)
    play_context = PlayContext()
    play_context.become = become
    return action_loader.get(task.action, task=task, connection=connection_loader.get(connection, play_context, None),
                             play_context=play_context, loader=loader, templar=Templar(loader=loader, variables=variables or {}),
                             shared_loader_obj=None)


def test_every_module_has_its_action_plugin():
    missing = [name for name in collection_modules() if not action_loader.has_plugin('community.circleci.' + name)]
    assert not missing, 'modules without plugins/action/NAME.py: %s' % ', '.join(missing)


@pytest.mark.parametrize('keywords, task_vars, connection, become, reason', [
    ({}, {}, 'local', False, None),
    ({}, {'circleci_run_in_controller': True}, 'local', False, None),
    ({'environment': [{}]}, {}, 'local', False, None),
    ({}, {'circleci_run_in_controller': False}, 'local', False, 'circleci_run_in_controller is false'),
    ({}, {'circleci_run_in_controller': 'no'}, 'local', False, 'circleci_run_in_controller is false'),
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


def test_run_in_the_controller_talks_to_the_api(api, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    api.expect(call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}))
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url}, 'check_mode': True})
    result = action.run(task_vars={})
    assert result['changed'] is False
    assert result['contexts'] == [CONTEXT]
    assert result['invocation']['module_args']['api_token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert TOKEN not in repr(result)


def test_bad_input_in_the_controller_fails_like_the_module(api, monkeypatch):
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)
    action = action_for({'args': {'owner_slug': 'gh/acme', 'api_token': TOKEN, 'api_url': api.url, 'colour': 'blue'}})
    result = action.run(task_vars={})
    assert result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (community.circleci.circleci_context_info) module: colour.')
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
