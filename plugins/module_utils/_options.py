# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection options shared by every module and lookup, defined once.

The argument spec below matches doc_fragments/connection.py (DOCUMENTATION for modules,
PLUGINS for lookups, whose env: entries give lookups the same environment fallbacks).
ConnectionOptions adapts either source of options, so both build the same client.
"""

from __future__ import annotations

import copy

from ansible.module_utils.basic import env_fallback

from ansible_collections.community.circleci.plugins.module_utils._client import (
    DEFAULT_API_URL,
    DEFAULT_RATE_LIMIT_TIMEOUT,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    CircleCIClient,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_http_url,
)

TOKEN_ENV = ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN')  # first one set wins
API_URL_ENV = ('CIRCLECI_API_URL',)


class ApiUrl:
    """Where a client's base URL comes from: its option, environment variables and default, and
    how messages describe it. API_URL is API v2's (api_url); the runner API has its own
    (_runner.RUNNER_API_URL)."""

    def __init__(self, option, env, default, what):
        self.option = option
        self.env = env
        self.default = default
        self.what = what


API_URL = ApiUrl('api_url', API_URL_ENV, DEFAULT_API_URL, 'the API v2 base URL')

# api_token is required, but checked by ConnectionOptions rather than by AnsibleModule, whose
# "missing required arguments: api_token" would not name the environment variables.
CONNECTION_ARGUMENT_SPEC = dict(
    api_token=dict(type='str', no_log=True, aliases=['token'], fallback=(env_fallback, list(TOKEN_ENV))),
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, list(API_URL_ENV))),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='int', default=DEFAULT_TIMEOUT),
    retries=dict(type='int', default=DEFAULT_RETRIES),
    rate_limit_timeout=dict(type='int', default=DEFAULT_RATE_LIMIT_TIMEOUT),
)
MISSING_TOKEN = ('no API token given: set the api_token option (or its alias token), or the %s environment variable'
                 % ' or '.join(TOKEN_ENV))
# module_defaults (group/community.circleci.circleci) reaches modules only, never lookups.
LOOKUP_MISSING_TOKEN = ('no API token given: set the variable circleci_api_token (module_defaults does not apply to'
                        ' lookups), the api_token option of the lookup, or the %s environment variable'
                        % ' or '.join(TOKEN_ENV))


def check_token(token, missing=MISSING_TOKEN):
    """The token as it will be sent, or ValidationError. A token with white space or a control
    character (the trailing newline of `$(cat token.txt)` or a copy-paste) cannot be sent in a header,
    and the error of the HTTP library would quote it escaped, which no_log masking does not recognise:
    refuse it before any request, without showing it."""
    if not token:
        raise ValidationError('api_token', missing)
    if not isinstance(token, str):
        raise ValidationError('api_token', 'must be a string')
    for char in token:
        if char.isspace() or not char.isprintable() or not char.isascii():
            raise ValidationError('api_token', (
                'contains white space, a control or a non-ASCII character (%s), which cannot be sent in a'
                ' header: remove it (a trailing newline from a file or a copy-paste?); the token is not shown'
                % _describe(char)))
    return token


def _describe(char):
    names = {'\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', ' ': 'a space'}
    return names.get(char, 'U+%04X' % ord(char))


def connection_argument_spec():
    """A fresh copy of the shared connection argument spec."""
    return copy.deepcopy(CONNECTION_ARGUMENT_SPEC)


def merge_argument_spec(argument_spec):
    """The shared connection options plus a module's own options (which must not reuse their names)."""
    merged = connection_argument_spec()
    clash = set(merged) & set(argument_spec)
    if clash:
        raise ValueError('options already defined by the connection spec: %s' % ', '.join(sorted(clash)))
    merged.update(argument_spec)
    return merged


class ConnectionOptions:
    """Option adapter: reads the connection options from a module (module.params) or a plugin
    (get_option), checks them, and builds the client."""

    def __init__(self, get_option, missing_token=MISSING_TOKEN, url=API_URL, client_class=CircleCIClient):
        self._get_option = get_option
        self._missing_token = missing_token
        self._url = url
        self._client_class = client_class

    @classmethod
    def from_module(cls, module, **kwargs):
        return cls(module.params.get, **kwargs)

    @classmethod
    def from_plugin(cls, plugin):
        return cls(plugin.get_option, LOOKUP_MISSING_TOKEN)

    def values(self):
        """The checked connection options, as CircleCIClient keyword arguments."""
        token = check_token(self._get_option('api_token'), self._missing_token)
        url = self._url
        api_url = self._get_option(url.option)
        if api_url is None:
            api_url = url.default
        elif not api_url:
            # Set, but empty (CIRCLECI_API_URL= from a script that failed to find an emulator or a
            # server): a default here would send the token to circleci.com instead.
            raise ValidationError(url.option, 'is empty (is %s set to an empty string?): give %s,'
                                  ' or leave it unset for %s' % (url.env[0], url.what, url.default))
        api_url = check_http_url(url.option, api_url)
        timeout = self._get_option('timeout')
        timeout = DEFAULT_TIMEOUT if timeout is None else int(timeout)
        if timeout <= 0:
            raise ValidationError('timeout', 'must be a positive number of seconds, got %d' % timeout)
        retries = self._get_option('retries')
        retries = DEFAULT_RETRIES if retries is None else int(retries)
        if retries < 0:
            raise ValidationError('retries', 'must be 0 or more, got %d' % retries)
        rate_limit_timeout = self._get_option('rate_limit_timeout')
        rate_limit_timeout = DEFAULT_RATE_LIMIT_TIMEOUT if rate_limit_timeout is None else int(rate_limit_timeout)
        if rate_limit_timeout < 0:
            raise ValidationError('rate_limit_timeout', 'must be 0 or more seconds, got %d' % rate_limit_timeout)
        validate_certs = self._get_option('validate_certs')
        return dict(
            api_token=token,
            api_url=api_url,
            validate_certs=True if validate_certs is None else bool(validate_certs),
            ca_path=self._get_option('ca_path') or None,
            timeout=timeout,
            retries=retries,
            rate_limit_timeout=rate_limit_timeout,
        )

    def client(self):
        return self._client_class(**self.values())
