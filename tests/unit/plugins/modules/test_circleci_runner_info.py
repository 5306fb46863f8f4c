# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

from ansible_collections.community.circleci.plugins.modules import circleci_runner_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

LINUX = {'id': '6b1f7c3e-2d4a-4f0b-9a8e-1c2d3e4f5a6b', 'resource_class': 'acme/linux-x64', 'description': 'Linux'}
MACOS = {'id': '7c2e8d4f-3e5b-4a1c-8b9f-2d3e4f5a6b7c', 'resource_class': 'acme/macos', 'description': 'Macs'}
AGENT = {'resource_class': 'acme/linux-x64', 'hostname': 'runner-1.acme.internal', 'name': 'runner-1',
         'first_connected': '2026-01-05T09:00:00Z', 'last_connected': '2026-03-02T10:00:00Z',
         'last_used': None, 'version': '3.1.2', 'ip': '10.0.0.11'}
MAC_AGENT = dict(AGENT, resource_class='acme/macos', hostname='mac-1.acme.internal', name='mac-1')
del MAC_AGENT['ip']
TOKEN = {'id': '0f4c5a1e-8b2d-4c3e-9f1a-2b3c4d5e6f70', 'resource_class': 'acme/linux-x64', 'nickname': 'build-01',
         'created_at': '2026-03-02T10:00:00.000000Z'}
LEAKED = 'a-value-that-a-list-must-not-carry'


def classes(*items):
    return call('GET', '/runner/resource', query={'namespace': 'acme'}, body={'items': list(items)})


def test_namespace_without_include_is_one_request(api, run_module):
    api.expect(classes(LINUX, MACOS))
    result = run_module(circleci_runner_info, dict(namespace='acme', runner_api_url=api.url))
    assert result['changed'] is False
    assert result['resource_classes'] == [LINUX, MACOS]
    assert 'runners' not in result


def test_namespace_with_everything(api, run_module):
    api.expect(classes(LINUX, MACOS),
               call('GET', '/runner', query={'namespace': 'acme'}, body={'items': [AGENT, MAC_AGENT]}),
               call('GET', '/runner/token', query={'resource-class': 'acme/linux-x64'},
                    body={'items': [dict(TOKEN, token=LEAKED)]}),
               call('GET', '/runner/tasks', query={'resource-class': 'acme/linux-x64'}, body={'unclaimed_task_count': 2}),
               call('GET', '/runner/tasks/running', query={'resource-class': 'acme/linux-x64'}, body={'running_runner_tasks': 1}),
               call('GET', '/runner/token', query={'resource-class': 'acme/macos'}, body=[]),
               call('GET', '/runner/tasks', query={'resource-class': 'acme/macos'}, body={'unclaimed_task_count': 0}),
               call('GET', '/runner/tasks/running', query={'resource-class': 'acme/macos'}, body={'running_runner_tasks': 0}))
    result = run_module(circleci_runner_info, dict(namespace='acme', runner_api_url=api.url,
                                                   include=['runners', 'tokens', 'unclaimed_task_count', 'running_task_count']))
    linux, macos = result['resource_classes']
    assert result['runners'] == [AGENT, MAC_AGENT]
    assert linux['runners'] == [AGENT] and macos['runners'] == [MAC_AGENT]
    assert linux['tokens'] == [TOKEN] and macos['tokens'] == []
    assert (linux['unclaimed_task_count'], linux['running_task_count']) == (2, 1)
    assert (macos['unclaimed_task_count'], macos['running_task_count']) == (0, 0)
    assert LEAKED not in json.dumps(result)  # a value in a list answer is dropped, never passed on


def test_one_resource_class(api, run_module):
    api.expect(classes(LINUX, MACOS),
               call('GET', '/runner', query={'resource-class': 'acme/linux-x64'}, body=[AGENT]))
    result = run_module(circleci_runner_info, dict(resource_class='acme/linux-x64', include=['runners'],
                                                   runner_api_url=api.url))
    assert result['resource_classes'] == [dict(LINUX, runners=[AGENT])]
    assert result['runners'] == [AGENT]


def test_a_missing_resource_class_is_an_empty_list_without_more_requests(api, run_module):
    api.expect(classes(MACOS))
    result = run_module(circleci_runner_info, dict(resource_class='acme/linux-x64', include=['runners', 'tokens'],
                                                   runner_api_url=api.url))
    assert result['resource_classes'] == [] and result['runners'] == []


def test_an_unknown_namespace_fails_naming_it(api, run_module):
    api.expect(call('GET', '/runner/resource', query={'namespace': 'nobody'}, status=404, body={'message': 'namespace not found'}))
    result = run_module(circleci_runner_info, dict(namespace='nobody', runner_api_url=api.url))
    assert result['failed'] is True and result['option'] == 'namespace'


def test_exactly_one_of_namespace_and_resource_class(api, run_module):
    result = run_module(circleci_runner_info, dict(namespace='acme', resource_class='acme/x', runner_api_url=api.url))
    assert result['failed'] is True and 'mutually exclusive' in result['msg']
    result = run_module(circleci_runner_info, dict(runner_api_url=api.url))
    assert result['failed'] is True and 'one of the following is required' in result['msg']
    assert api.requests == []
