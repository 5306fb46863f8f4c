# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared connection options: argument spec, environment fallbacks and checks."""

from __future__ import annotations

import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.community.circleci.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    LOOKUP_MISSING_TOKEN,
    ConnectionOptions,
    connection_argument_spec,
    merge_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.tests.unit.plugins._core import patch_module_args

ENV = ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def module_values(args):
    with patch_module_args(args):
        module = AnsibleModule(argument_spec=connection_argument_spec())
    return ConnectionOptions.from_module(module).values()


def test_defaults():
    assert module_values({'api_token': 't'}) == dict(api_token='t', api_url='https://circleci.com/api/v2', validate_certs=True,
                                                     ca_path=None, timeout=30, retries=5, rate_limit_timeout=300)


def test_circleci_token_wins_over_circle_token(monkeypatch):
    monkeypatch.setenv('CIRCLE_TOKEN', 'from-circle-token')
    monkeypatch.setenv('CIRCLECI_TOKEN', 'from-circleci-token')
    assert module_values({})['api_token'] == 'from-circleci-token'


def test_circle_token_is_the_last_fallback(monkeypatch):
    monkeypatch.setenv('CIRCLE_TOKEN', 'from-circle-token')
    assert module_values({})['api_token'] == 'from-circle-token'


def test_option_and_alias_win_over_environment(monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', 'from-env')
    monkeypatch.setenv('CIRCLECI_API_URL', 'https://env.example/api/v2')
    values = module_values({'token': 'given', 'api_url': 'https://given.example/api/v2'})
    assert (values['api_token'], values['api_url']) == ('given', 'https://given.example/api/v2')


def test_api_url_from_environment(monkeypatch):
    monkeypatch.setenv('CIRCLECI_API_URL', 'https://circleci.example.com/api/v2')
    assert module_values({'api_token': 't'})['api_url'] == 'https://circleci.example.com/api/v2'


def test_without_a_token_the_message_names_the_option_and_the_environment_variables():
    with pytest.raises(ValidationError) as error:
        module_values({})
    assert str(error.value) == ('api_token: no API token given: set the api_token option (or its alias token),'
                                ' or the CIRCLECI_TOKEN or CIRCLE_TOKEN environment variable')


def test_a_lookup_without_a_token_is_told_how_lookups_get_one():
    with pytest.raises(ValidationError) as error:
        ConnectionOptions({}.get, LOOKUP_MISSING_TOKEN).values()
    assert 'circleci_api_token' in str(error.value) and 'module_defaults does not apply to lookups' in str(error.value)


@pytest.mark.parametrize('token, named', [
    ('tok-secret-value\n', 'a newline'),
    ('tok-secret-value\r\n', 'a carriage return'),
    ('tok-secret\tvalue', 'a tab'),
    (' tok-secret-value', 'a space'),
    ('tok-secret\x00value', 'U+0000'),
    ('tok-secret\x1bvalue', 'U+001B'),
    ('tok-secret\u00e9value', 'U+00E9'),
    ('tok-secret\u2028value', 'U+2028'),
])
def test_a_token_that_cannot_be_sent_in_a_header_is_refused_without_showing_it(token, named):
    with pytest.raises(ValidationError) as error:
        module_values({'api_token': token})
    message = str(error.value)
    assert error.value.option == 'api_token'
    assert named in message and 'the token is not shown' in message
    assert 'tok-secret' not in message and 'value' not in message


def test_a_token_from_the_environment_with_a_trailing_newline_is_refused(monkeypatch):
    monkeypatch.setenv('CIRCLECI_TOKEN', 'tok-from-a-file\n')
    with pytest.raises(ValidationError, match='a newline') as error:
        module_values({})
    assert 'tok-from-a-file' not in str(error.value)


def test_an_empty_api_url_is_refused_rather_than_defaulted(monkeypatch):
    monkeypatch.setenv('CIRCLECI_API_URL', '')
    with pytest.raises(ValidationError) as error:
        module_values({'api_token': 't'})
    assert str(error.value).startswith('api_url: is empty (is CIRCLECI_API_URL set to an empty string?)')


@pytest.mark.parametrize('options, option', [
    ({'api_token': ''}, 'api_token'),
    ({}, 'api_token'),
    ({'api_token': 't', 'api_url': 'circleci.com/api/v2'}, 'api_url'),
    ({'api_token': 't', 'timeout': 0}, 'timeout'),
    ({'api_token': 't', 'retries': -1}, 'retries'),
    ({'api_token': 't', 'rate_limit_timeout': -1}, 'rate_limit_timeout'),
    ({'api_token': 't', 'api_url': ''}, 'api_url'),
])
def test_bad_options_are_named(options, option):
    with pytest.raises(ValidationError) as error:
        ConnectionOptions(options.get).values()
    assert error.value.option == option
    assert str(error.value).startswith(option + ': ')


def test_token_is_no_log_with_env_fallbacks_in_order():
    spec = CONNECTION_ARGUMENT_SPEC['api_token']
    assert spec['no_log'] is True
    assert spec['aliases'] == ['token']
    assert spec['fallback'][1] == ['CIRCLECI_TOKEN', 'CIRCLE_TOKEN']


def test_merge_refuses_to_redefine_a_connection_option():
    assert set(merge_argument_spec({'name': {'type': 'str'}})) == set(CONNECTION_ARGUMENT_SPEC) | {'name'}
    with pytest.raises(ValueError, match='timeout'):
        merge_argument_spec({'timeout': {'type': 'int'}})


def test_connection_argument_spec_is_a_copy():
    spec = connection_argument_spec()
    spec['api_token']['aliases'].append('x')
    assert CONNECTION_ARGUMENT_SPEC['api_token']['aliases'] == ['token']
