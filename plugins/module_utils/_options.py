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

CONNECTION_ARGUMENT_SPEC = dict(
    api_token=dict(type='str', required=True, no_log=True, aliases=['token'], fallback=(env_fallback, list(TOKEN_ENV))),
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, list(API_URL_ENV))),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='int', default=DEFAULT_TIMEOUT),
    retries=dict(type='int', default=DEFAULT_RETRIES),
)


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

    def __init__(self, get_option):
        self._get_option = get_option

    @classmethod
    def from_module(cls, module):
        return cls(module.params.get)

    @classmethod
    def from_plugin(cls, plugin):
        return cls(plugin.get_option)

    def values(self):
        """The checked connection options, as CircleCIClient keyword arguments."""
        token = self._get_option('api_token')
        if not token:
            raise ValidationError('api_token', 'no token given: set api_token or the %s environment variable' % ' or '.join(TOKEN_ENV))
        api_url = check_http_url('api_url', self._get_option('api_url') or DEFAULT_API_URL)
        timeout = self._get_option('timeout')
        timeout = DEFAULT_TIMEOUT if timeout is None else int(timeout)
        if timeout <= 0:
            raise ValidationError('timeout', 'must be a positive number of seconds, got %d' % timeout)
        retries = self._get_option('retries')
        retries = DEFAULT_RETRIES if retries is None else int(retries)
        if retries < 0:
            raise ValidationError('retries', 'must be 0 or more, got %d' % retries)
        validate_certs = self._get_option('validate_certs')
        return dict(
            api_token=token,
            api_url=api_url,
            validate_certs=True if validate_certs is None else bool(validate_certs),
            ca_path=self._get_option('ca_path') or None,
            timeout=timeout,
            retries=retries,
        )

    def client(self):
        return CircleCIClient(**self.values())
