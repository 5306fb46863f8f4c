# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The runner inventory plugin against scripted runner API conversations, through the plugin loader
(its options come from its DOCUMENTATION, as with ansible-inventory)."""

from __future__ import annotations

import pytest
import yaml

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.community.circleci.tests.unit.plugins.conftest import TOKEN
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call


def agent(hostname, resource_class='acme/linux-x64', version='3.1.2', **extra):
    raw = {'resource_class': resource_class, 'hostname': hostname, 'name': hostname.split('.')[0],
           'first_connected': '2026-01-05T09:00:00Z', 'last_connected': '2026-03-02T10:00:00Z',
           'last_used': '2026-03-02T09:58:00Z', 'version': version}
    raw.update(extra)
    return raw


RUNNER_1 = agent('runner-1.acme.internal', ip='10.0.0.11')
RUNNER_2 = agent('runner-2.acme.internal', version='3.0.9')
MAC_1 = agent('mac-1.acme.internal', resource_class='acme/macos-arm64', last_used=None)
GPU_1 = agent('gpu-1.acme.internal', resource_class='acme-platform/gpu')


def agents(query, *items):
    return call('GET', '/runner', query=query, body={'items': list(items)})


@pytest.fixture
def inventory(api, tmp_path, monkeypatch, sleeps):
    """inventory(name='x.circleci_runners.yml', refresh=True, **source) -> InventoryData parsed from that
    source file (api_token and runner_api_url point at the scripted server unless given; None leaves one
    out). refresh=False lets the plugin answer from its cache, as ansible-inventory does by default."""
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_RUNNER_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def parse(name='fleet.circleci_runners.yml', refresh=True, **source):
        source = dict(dict(plugin='community.circleci.circleci_runners', api_token=TOKEN, runner_api_url=api.url), **source)
        source = dict((key, value) for key, value in source.items() if value is not None)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(source))
        plugin = inventory_loader.get('community.circleci.circleci_runners')
        assert plugin.verify_file(str(path))
        data = InventoryData()
        plugin.parse(data, DataLoader(), str(path), cache=not refresh)
        try:
            plugin.update_cache_if_changed()  # as the InventoryManager does after each source
        except AttributeError:  # no cache configured: so does the InventoryManager
            pass
        return data

    return parse


def runner_vars(data, host):
    return dict((key, value) for key, value in data.get_host(host).vars.items() if key.startswith('circleci_runner_'))


def members(data, group):
    return sorted(host.name for host in data.groups[group].get_hosts())


def test_agents_are_hosts_grouped_by_resource_class_and_namespace(api, inventory):
    api.expect(agents({'namespace': 'acme'}, RUNNER_1, RUNNER_2, MAC_1),
               agents({'resource-class': 'acme-platform/gpu'}, GPU_1))
    data = inventory(namespace=['acme'], resource_class=['acme-platform/gpu'])
    assert members(data, 'acme_linux_x64') == ['runner-1.acme.internal', 'runner-2.acme.internal']
    assert members(data, 'acme_macos_arm64') == ['mac-1.acme.internal']
    assert members(data, 'acme_platform_gpu') == ['gpu-1.acme.internal']
    assert sorted(child.name for child in data.groups['acme'].child_groups) == ['acme_linux_x64', 'acme_macos_arm64']
    assert [child.name for child in data.groups['acme_platform'].child_groups] == ['acme_platform_gpu']
    assert runner_vars(data, 'runner-1.acme.internal') == dict(
        circleci_runner_name='runner-1', circleci_runner_version='3.1.2',
        circleci_runner_first_connected='2026-01-05T09:00:00Z', circleci_runner_last_connected='2026-03-02T10:00:00Z',
        circleci_runner_last_used='2026-03-02T09:58:00Z', circleci_runner_resource_class='acme/linux-x64',
        circleci_runner_ip='10.0.0.11', circleci_runner_namespace='acme',
        circleci_runner_resource_classes=['acme/linux-x64'])
    assert data.get_host('mac-1.acme.internal').get_vars()['circleci_runner_last_used'] is None
    assert 'circleci_runner_ip' not in data.get_host('mac-1.acme.internal').get_vars()
    assert api.requests[0].headers['Circle-Token'] == TOKEN


def test_constructed_options_compose_groups_keyed_groups(api, inventory):
    api.expect(agents({'resource-class': 'acme/linux-x64'}, RUNNER_1, RUNNER_2))
    data = inventory(resource_class=['acme/linux-x64'],
                     compose={'ansible_host': "circleci_runner_ip | default('unknown')"},
                     groups={'runner_outdated': "circleci_runner_version is version('3.1.0', '<')"},
                     keyed_groups=[{'key': 'circleci_runner_version', 'prefix': 'runner_version'}])
    assert members(data, 'runner_outdated') == ['runner-2.acme.internal']
    assert members(data, 'runner_version_3_0_9') == ['runner-2.acme.internal']
    assert data.get_host('runner-1.acme.internal').get_vars()['ansible_host'] == '10.0.0.11'
    assert data.get_host('runner-2.acme.internal').get_vars()['ansible_host'] == 'unknown'


def test_an_agent_listed_twice_is_one_host_and_a_host_with_two_classes_is_in_both_groups(api, inventory):
    twin = agent('runner-1.acme.internal', resource_class='acme/macos-arm64', name='other-agent')
    api.expect(agents({'namespace': 'acme'}, RUNNER_1, twin),
               call('GET', '/runner', query={'resource-class': 'acme/linux-x64'}, body=[RUNNER_1]))
    data = inventory(namespace=['acme'], resource_class=['acme/linux-x64'])
    assert list(data.hosts) == ['runner-1.acme.internal']
    assert members(data, 'acme_linux_x64') == members(data, 'acme_macos_arm64') == ['runner-1.acme.internal']
    host_vars = data.get_host('runner-1.acme.internal').get_vars()
    assert host_vars['circleci_runner_resource_classes'] == ['acme/linux-x64', 'acme/macos-arm64']
    assert host_vars['circleci_runner_name'] == 'runner-1'  # the agent listed first


def test_group_names_are_valid():
    module = inventory_loader.get('community.circleci.circleci_runners', class_only=True)
    group_name = __import__(module.__module__, fromlist=['group_name']).group_name
    assert group_name('acme/linux-x64.v2') == 'acme_linux_x64_v2'
    assert group_name('42ops/gpu') == '_42ops_gpu'


@pytest.mark.parametrize('source, option', [
    ({}, 'namespace'),
    ({'namespace': ['acme/linux']}, 'namespace'),
    ({'resource_class': ['linux-x64']}, 'resource_class'),
    ({'namespace': ['acme'], 'api_token': None}, 'api_token'),
    ({'namespace': ['acme'], 'runner_api_url': 'ftp://runner.example.com'}, 'runner_api_url'),
])
def test_bad_sources_fail_naming_the_option_before_any_request(api, inventory, source, option):
    with pytest.raises(AnsibleParserError) as failure:
        inventory(**source)
    assert 'community.circleci.circleci_runners: %s:' % option in str(failure.value)
    assert api.requests == []


def test_an_api_error_names_the_request_and_never_the_token(api, inventory):
    api.expect(call('GET', '/runner', query={'namespace': 'acme'}, status=403,
                    body={'message': 'no access with %s' % TOKEN}))
    with pytest.raises(AnsibleParserError) as failure:
        inventory(namespace=['acme'])
    assert 'GET /runner -> 403: no access with <hidden>' in str(failure.value)
    assert TOKEN not in str(failure.value)


def test_the_token_and_url_come_from_the_environment(api, inventory, monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', TOKEN)
    monkeypatch.setenv('CIRCLECI_RUNNER_API_URL', api.url)
    api.expect(agents({'namespace': 'acme'}, RUNNER_1))
    data = inventory(namespace=['acme'], api_token=None, runner_api_url=None)
    assert list(data.hosts) == ['runner-1.acme.internal']


def test_the_cache_answers_the_second_parse(api, inventory, tmp_path):
    api.expect(agents({'namespace': 'acme'}, RUNNER_1, RUNNER_2))
    cached = dict(namespace=['acme'], cache=True, cache_plugin='ansible.builtin.jsonfile',
                  cache_connection=str(tmp_path / 'cache'), cache_timeout=3600)
    first = inventory(**cached)
    second = inventory(refresh=False, **cached)
    assert sorted(first.hosts) == sorted(second.hosts) == ['runner-1.acme.internal', 'runner-2.acme.internal']
    assert len(api.requests) == 1


def test_only_its_own_file_names(tmp_path):
    plugin = inventory_loader.get('community.circleci.circleci_runners')
    for name, wanted in (('circleci_runners.yml', True), ('prod.circleci_runners.yaml', True),
                         ('runners.yml', False), ('circleci_runners.json', False)):
        path = tmp_path / name
        path.write_text('plugin: community.circleci.circleci_runners\n')
        assert plugin.verify_file(str(path)) is wanted, name
