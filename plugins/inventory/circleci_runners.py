# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: circleci_runners
short_description: CircleCI self-hosted runner agents as inventory hosts
version_added: 0.1.0
description:
  - Reads the agents that connected to CircleCI with a token of a resource class (machine runners, launch agents,
    container agents) from the self-hosted runner API, and makes each agent's hostname an
    inventory host, so that a play can target the runner fleet itself, for example a rolling upgrade of the agents
    that report an old version.
  - Hosts are grouped by resource class and by namespace. The group of a resource class is its C(NAMESPACE/NAME)
    with every character other than letters, digits and V(_) replaced by V(_) (V(acme/linux-x64) becomes
    V(acme_linux_x64)); it is a child of the group of its namespace (V(acme)). A leading digit gets a V(_) in front.
  - "Host variables: C(circleci_runner_name), C(circleci_runner_version), C(circleci_runner_first_connected),
    C(circleci_runner_last_connected), C(circleci_runner_last_used), C(circleci_runner_resource_class),
    C(circleci_runner_namespace), C(circleci_runner_ip) (when the API reports it) and
    C(circleci_runner_resource_classes) (every class the host has an agent of). A host with agents of several
    classes is in each class's group; its other variables are those of the agent listed first."
  - The source file's name must end with V(circleci_runners.yml) or V(circleci_runners.yaml).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.runner.inventory
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin.
    type: str
    required: true
    choices: [community.circleci.circleci_runners]
  namespace:
    description:
      - Namespaces whose agents become hosts (one request each), for example V(acme).
      - At least one of O(namespace) and O(resource_class) is required (the API lists agents only by namespace or by
        resource class). When both are set, the hosts are the agents of the namespaces and those of the classes.
    type: list
    elements: str
    default: []
  resource_class:
    description:
      - Resource classes, C(NAMESPACE/NAME), whose agents become hosts (one request each).
    type: list
    elements: str
    default: []
notes:
  - Every request goes to O(runner_api_url) with the token; a failure names the request and the API's answer, never
    the token.
  - Agents report no address other than their hostname (and sometimes C(ip)); set C(ansible_host) with O(compose)
    when the hostnames do not resolve from the controller.
seealso:
  - module: community.circleci.circleci_runner_info
  - module: community.circleci.circleci_runner_token
  - ref: ansible_collections.community.circleci.docsite.guide_runners
    description: The guide to self-hosted runners with this collection.
"""

EXAMPLES = r"""
# The simplest source, inventory/circleci_runners.yml: the agents of the namespace acme
# (token from CIRCLECI_TOKEN):
#
#   plugin: community.circleci.circleci_runners
#   namespace: [acme]
#
# ansible-inventory -i inventory/circleci_runners.yml --graph
#   @all:
#     |--@acme:
#     |  |--@acme_linux_x64:
#     |  |  |--runner-1.acme.internal
#     |  |  |--runner-2.acme.internal

# prod.circleci_runners.yaml: two classes, a group of the agents to upgrade, their address, a day of cache
plugin: community.circleci.circleci_runners
runner_api_url: https://runner.circleci.example.com/api/v3   # CircleCI server
resource_class: [acme/linux-x64, acme/linux-arm64]
compose:
  ansible_host: circleci_runner_ip | default(inventory_hostname)
groups:
  runner_outdated: circleci_runner_version is version('3.1.0', '<')
keyed_groups:
  - key: circleci_runner_version
    prefix: runner_version
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/circleci-runners
cache_timeout: 86400
"""

import re

from ansible.errors import AnsibleParserError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._options import ConnectionOptions, TOKEN_ENV
from ansible_collections.community.circleci.plugins.module_utils._runner import (
    RUNNER_API_URL,
    RunnerClient,
    check_namespace,
    check_resource_class,
    list_agents,
    normalize_agent,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

MISSING_TOKEN = ('no API token given: set api_token in the inventory source (a vaulted value), or the %s environment '
                 'variable' % ' or '.join(TOKEN_ENV))
VARS = ('name', 'version', 'first_connected', 'last_connected', 'last_used', 'resource_class', 'ip')


def group_name(value):
    """A valid group name for a namespace or a resource class: acme/linux-x64 -> acme_linux_x64."""
    name = re.sub(r'[^A-Za-z0-9_]', '_', value)
    return '_' + name if name[:1].isdigit() else name


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'community.circleci.circleci_runners'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('circleci_runners.yml', 'circleci_runners.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        if not HAS_REQUESTS:
            raise AnsibleParserError(missing_required_lib('requests'))
        try:
            namespaces, classes = self._filters()
            connection = ConnectionOptions(self.get_option, MISSING_TOKEN, url=RUNNER_API_URL, client_class=RunnerClient)
            connection.values()  # checked before any request, also when the cache answers
            agents = self._cached_agents(path, cache, lambda: self._fetch(connection, namespaces, classes))
        except ValidationError as exc:
            raise AnsibleParserError('%s: %s' % (self.NAME, exc)) from None
        except CircleCIError as exc:
            raise AnsibleParserError('%s: %s' % (self.NAME, exc)) from None
        self._populate(agents)

    def _filters(self):
        namespaces = [check_namespace('namespace', value) for value in self.get_option('namespace') or []]
        classes = []
        for value in self.get_option('resource_class') or []:
            check_resource_class('resource_class', value)
            classes.append(value)
        if not namespaces and not classes:
            raise ValidationError('namespace', 'at least one namespace or resource_class is required (the runner API '
                                               'lists agents by namespace or by resource class)')
        return namespaces, classes

    def _cached_agents(self, path, cache, fetch):
        key = self.get_cache_key(path)
        use_cache = self.get_option('cache')
        update = use_cache and not cache
        if use_cache and cache:
            try:
                return self._cache[key]
            except KeyError:
                update = True
        agents = fetch()
        if update:
            self._cache[key] = agents
        return agents

    @staticmethod
    def _fetch(connection, namespaces, classes):
        agents, seen = [], set()
        with connection.client() as client:
            found = [raw for namespace in namespaces for raw in list_agents(client, namespace=namespace)]
            found += [raw for resource_class in classes for raw in list_agents(client, resource_class=resource_class)]
        for raw in found:
            agent = normalize_agent(raw)
            key = (agent.get('resource_class'), agent.get('hostname'), agent.get('name'))
            if agent.get('hostname') and agent.get('resource_class') and key not in seen:
                seen.add(key)
                agents.append(agent)
        return agents

    def _populate(self, agents):
        classes_of = {}
        for agent in agents:
            resource_class = agent['resource_class']
            namespace = resource_class.split('/', 1)[0]
            namespace_group = self.inventory.add_group(group_name(namespace))
            class_group = self.inventory.add_group(group_name(resource_class))
            self.inventory.add_child(namespace_group, class_group)
            host = agent['hostname']
            self.inventory.add_host(host, group=class_group)
            if host not in classes_of:
                classes_of[host] = []
                # what agents report is data, never a template (older ansible-core would render it)
                for key in VARS:
                    if key in agent:
                        self.inventory.set_variable(host, 'circleci_runner_%s' % key, wrap_var(agent[key]))
                self.inventory.set_variable(host, 'circleci_runner_namespace', wrap_var(namespace))
            if resource_class not in classes_of[host]:
                classes_of[host].append(resource_class)
        strict = self.get_option('strict')
        for host, resource_classes in classes_of.items():
            self.inventory.set_variable(host, 'circleci_runner_resource_classes', wrap_var(resource_classes))
            variables = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
            variables = self.inventory.get_host(host).get_vars()
            self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)
