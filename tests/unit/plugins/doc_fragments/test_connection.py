# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A lookup (PLUGINS fragment, get_option) and a module (argument spec) build the same client
from the same options and environment."""

from __future__ import annotations

import pytest
import yaml

from ansible import constants as C
from ansible.module_utils.basic import AnsibleModule
from ansible.plugins.lookup import LookupBase

from ansible_collections.community.circleci.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.community.circleci.plugins.module_utils._options import ConnectionOptions, connection_argument_spec
from ansible_collections.community.circleci.tests.unit.plugins._core import patch_module_args

ENV = ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL')
PLUGIN_NAME = 'community.circleci.connection_unit_test'


class LookupModule(LookupBase):
    """A lookup whose options are the PLUGINS connection fragment, nothing else."""

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [ConnectionOptions.from_plugin(self).values()]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def module_values(args):
    with patch_module_args(args):
        module = AnsibleModule(argument_spec=connection_argument_spec())
    return ConnectionOptions.from_module(module).values()


def lookup_values(variables=None, **direct):
    C.config.initialize_plugin_configuration_definitions('lookup', PLUGIN_NAME, yaml.safe_load(ModuleDocFragment.PLUGINS)['options'])
    lookup = LookupModule()
    lookup._load_name = lookup.ansible_name = PLUGIN_NAME
    return lookup.run([], variables=variables or {}, **direct)[0]


def both(args=None):
    """The client arguments a module and a lookup build from the same options and environment."""
    from_module = module_values(dict(args or {}))
    from_lookup = lookup_values(**dict(args or {}))
    assert from_module == from_lookup
    return from_module


def test_defaults_match():
    assert both({'api_token': 't'})['api_url'] == 'https://circleci.com/api/v2'


def test_circleci_token_wins_over_circle_token(monkeypatch):
    monkeypatch.setenv('CIRCLE_TOKEN', 'from-circle-token')
    monkeypatch.setenv('CIRCLECI_TOKEN', 'from-circleci-token')
    assert both()['api_token'] == 'from-circleci-token'


def test_circle_token_is_the_last_fallback(monkeypatch):
    monkeypatch.setenv('CIRCLE_TOKEN', 'from-circle-token')
    assert both()['api_token'] == 'from-circle-token'


def test_option_wins_over_environment(monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', 'from-env')
    monkeypatch.setenv('CIRCLECI_API_URL', 'https://env.example/api/v2')
    values = both({'api_token': 'given', 'api_url': 'https://given.example/api/v2'})
    assert (values['api_token'], values['api_url']) == ('given', 'https://given.example/api/v2')


def test_alias_and_api_url_from_environment(monkeypatch):
    monkeypatch.setenv('CIRCLECI_API_URL', 'https://circleci.example.com/api/v2')
    assert both({'token': 't'})['api_url'] == 'https://circleci.example.com/api/v2'


def test_other_options_are_converted_alike():
    values = both({'api_token': 't', 'validate_certs': False, 'ca_path': '/etc/ca.pem', 'timeout': 5, 'retries': 0})
    assert (values['validate_certs'], values['ca_path'], values['timeout'], values['retries']) == (False, '/etc/ca.pem', 5, 0)


def test_lookup_reads_variables():
    values = lookup_values(variables={'circleci_api_token': 'from-var', 'circleci_api_url': 'https://var.example/api/v2'})
    assert (values['api_token'], values['api_url']) == ('from-var', 'https://var.example/api/v2')


def test_fragments_document_the_same_options():
    modules = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    spec = connection_argument_spec()
    assert set(modules) == set(plugins) == set(spec)
    for name, option in modules.items():
        assert option.get('default') == plugins[name].get('default') == spec[name].get('default'), name
        assert option.get('aliases', []) == plugins[name].get('aliases', []) == spec[name].get('aliases', []), name
