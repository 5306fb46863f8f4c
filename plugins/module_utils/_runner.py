# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The self-hosted runner API: its connection, reads, and resource classes.

The runner API is another service than API v2 (https://runner.circleci.com/api/v3; CircleCI
server serves it on its own host), with the same token. Its base URL is the option
`runner_api_url` (environment CIRCLECI_RUNNER_API_URL); the client is the same core
(_client.py) with its own words in messages (RunnerClient). Shapes and evidence:
docs/dev/API-BEHAVIOUR.md, "The self-hosted runner API". Tokens are in _runner_tokens.py.

Listing answers are `{items: [...]}` (docs, circleci-cli); circleci-sdk-go and the Terraform
provider decode bare arrays: both are read (`items`). A namespace that is not there answers
404, one of another organization 403 (emulator; inferred for the service).
"""

from __future__ import annotations

import re

from ansible.module_utils.basic import env_fallback

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._options import ApiUrl, ConnectionOptions
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_non_empty

DEFAULT_RUNNER_API_URL = 'https://runner.circleci.com/api/v3'
RUNNER_API_URL_ENV = ('CIRCLECI_RUNNER_API_URL',)
RUNNER_API_URL = ApiUrl('runner_api_url', RUNNER_API_URL_ENV, DEFAULT_RUNNER_API_URL, 'the base URL of the runner API')
# NAMESPACE/NAME: letters, digits, _ and -, and . after the first character (CircleCI publishes no
# grammar; API-BEHAVIOUR.md says what is inferred). \Z: no trailing newline slips through.
_PART = r'[A-Za-z0-9_-][A-Za-z0-9_.-]*'
RESOURCE_CLASS_RE = re.compile(r'^(%s)/(%s)\Z' % (_PART, _PART))
NAMESPACE_RE = re.compile(r'^%s\Z' % _PART)


class RunnerClient(CircleCIClient):
    """The HTTP core against the runner API: the same retries and errors, its own words in messages.
    circleci-cli reaches the same paths under /api/v2 of the runner host: both suffixes are fine."""

    url_option = 'runner_api_url'
    api_name = 'runner API'
    path_suffixes = ('/api/v3', '/api/v2')


def runner_argument_spec():
    """The runner modules' own connection option (the shared ones come with run_module)."""
    return dict(runner_api_url=dict(type='str', default=DEFAULT_RUNNER_API_URL,
                                    fallback=(env_fallback, list(RUNNER_API_URL_ENV))))


def runner_connection(module):
    """run_module's `connection` for the runner modules: a RunnerClient on runner_api_url."""
    return ConnectionOptions.from_module(module, url=RUNNER_API_URL, client_class=RunnerClient)


# --- input --------------------------------------------------------------------------------

def check_resource_class(option, value):
    """(namespace, name) of NAMESPACE/NAME, or ValidationError naming the option."""
    match = RESOURCE_CLASS_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValidationError(option, "'%s' is not a resource class NAMESPACE/NAME (letters, digits, _, - and ., "
                                      "for example acme/linux-x64)" % (value,))
    return match.group(1), match.group(2)


def check_namespace(option, value):
    if not isinstance(value, str) or not NAMESPACE_RE.match(value):
        raise ValidationError(option, "'%s' is not a namespace (letters, digits, _, - and .)" % (value,))
    return value


# --- reading ----------------------------------------------------------------------------------

def items(answer):
    """The objects of a list answer: {items: [...]} or a bare array."""
    if isinstance(answer, list):
        return answer
    return list((answer or {}).get('items') or [])


def namespace_error(option, namespace, exc):
    """The ValidationError for a namespace the API refused (404 unknown, 403 another organization's)."""
    if exc.status == 403:
        return ValidationError(option, "namespace '%s' belongs to an organization the token's user is not a member "
                                       "of (%s)" % (namespace, exc))
    return ValidationError(option, "namespace '%s' was not found: an organization claims its namespace in the "
                                   "CircleCI app (organization settings, or with its first orb) (%s)" % (namespace, exc))


def list_resource_classes(client, namespace, option, missing_ok=False):
    """The resource classes of a namespace (raw objects). An unknown namespace is [] when
    `missing_ok` (nothing to delete there), else an error naming `option`; so is a foreign one."""
    try:
        return items(client.get('/runner/resource', params={'namespace': namespace}))
    except CircleCIError as exc:
        if exc.status == 404 and missing_ok:
            return []
        if exc.status in (403, 404):
            raise namespace_error(option, namespace, exc) from None
        raise


def list_agents(client, namespace=None, resource_class=None):
    """The agents of a namespace or of a resource class (raw objects)."""
    params = {'resource-class': resource_class} if resource_class else {'namespace': namespace}
    return items(client.get('/runner', params=params))


def list_tokens(client, resource_class):
    """The tokens of a resource class, never with values; [] when the class is not there (404)."""
    try:
        return items(client.get('/runner/token', params={'resource-class': resource_class}))
    except CircleCIError as exc:
        if exc.status == 404:
            return []
        raise


def normalize_class(raw):
    return dict(id=raw.get('id'), resource_class=raw.get('resource_class'), description=raw.get('description'))


def normalize_token(raw):
    """A token as the modules return it: never its value."""
    token = dict(id=raw.get('id'), resource_class=raw.get('resource_class'), nickname=raw.get('nickname'),
                 created_at=raw.get('created_at'))
    return dict((key, value) for key, value in token.items() if value is not None)


def normalize_agent(raw):
    keys = ('resource_class', 'hostname', 'name', 'version', 'first_connected', 'last_connected', 'last_used', 'ip',
            'status')
    return dict((key, raw.get(key)) for key in keys if key in raw)


# --- resource classes ----------------------------------------------------------------------------

class ResourceClassSpec:
    """The checked options of circleci_runner_resource_class."""

    def __init__(self, params):
        self.resource_class = params['resource_class']
        self.namespace, self.name = check_resource_class('resource_class', self.resource_class)
        self.description = params.get('description')
        self.state = params.get('state') or 'present'
        self.force = bool(params.get('force'))
        self.recreate = bool(params.get('recreate'))


class ResourceClassResource(Resource):
    """A resource class, found by NAMESPACE/NAME in its namespace's listing. The API cannot change
    a description (no update): a different one fails, or with recreate deletes and creates the class."""

    kind = 'resource class'
    plural = 'resource classes'
    parent = 'namespace'
    result_key = 'resource_class'
    identity_option = 'resource_class'
    update_method = None
    adopt_on_conflict = True  # 409 "already exists": another run created it meanwhile

    def __init__(self, client, spec):
        super().__init__(client, spec.resource_class, recreate=spec.recreate)
        self.spec = spec

    def list(self):
        return list_resource_classes(self.client, self.spec.namespace, 'resource_class',
                                     missing_ok=self.spec.state == 'absent')

    def find(self):
        found = super().find()
        if self.spec.state == 'absent' and not self.spec.force:
            # Read before deleting, so that check mode predicts the refusal the delete would get.
            for raw in found:
                self.refuse_with_tokens(len(list_tokens(self.client, self.identity)))
        return found

    def refuse_with_tokens(self, count):
        if count:
            raise ValidationError('force', "resource class '%s' has %s: the API deletes it only together with its "
                                           "tokens, which force=true does (agents using them stop getting jobs)"
                                  % (self.identity, '%d token%s' % (count, '' if count == 1 else 's')))

    def matches(self, raw):
        return raw.get('resource_class') == self.identity

    def identity_text(self):
        return "named '%s'" % self.identity

    def normalize(self, raw):
        return normalize_class(raw) if raw else {}

    def wanted(self, current):
        return {} if self.spec.description is None else {'description': self.spec.description}

    def create_body(self, current=None):
        body = dict(resource_class=self.identity, description=self.required('description', self.spec.description))
        return body, dict(body)

    def create_path(self):
        return '/runner/resource'

    def path(self, current):
        return '/runner/resource/%s' % quote_segment(current['id'])

    def delete(self, current):
        path = self.path(current) + ('/force' if self.spec.force else '')
        try:
            self.client.delete(path, expected=self.delete_expected)
        except CircleCIError as exc:
            if exc.status == 409:  # "resource class has tokens": some were created since the read
                self.refuse_with_tokens(max(1, len(list_tokens(self.client, self.identity))))
            raise

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ('resource_class', 'description') if key in obj)


def ensure_resource_class(client, spec, check_mode):
    """Bring the resource class to spec.state; the module result (changed, resource_class, diff)."""
    return reconcile(ResourceClassResource(client, spec), spec.state, check_mode)


# --- info ----------------------------------------------------------------------------------------

INCLUDES = ('runners', 'tokens', 'unclaimed_task_count', 'running_task_count')


class InfoSpec:
    def __init__(self, params):
        self.namespace = params.get('namespace')
        self.resource_class = params.get('resource_class')
        if self.resource_class is not None:
            self.namespace = check_resource_class('resource_class', self.resource_class)[0]
            self.option = 'resource_class'
        else:
            check_namespace('namespace', check_non_empty('namespace', self.namespace))
            self.option = 'namespace'
        self.include = list(params.get('include') or [])


def runner_info(client, spec):
    """The resource classes of a namespace (or the one named), each with what `include` asks for."""
    classes = [normalize_class(raw) for raw in list_resource_classes(client, spec.namespace, spec.option)
               if spec.resource_class is None or raw.get('resource_class') == spec.resource_class]
    result = dict(changed=False, resource_classes=classes)
    if 'runners' in spec.include:
        agents = [normalize_agent(raw) for raw in list_agents(client, spec.namespace, spec.resource_class)] if classes else []
        result['runners'] = agents
        for rc in classes:
            rc['runners'] = [agent for agent in agents if agent.get('resource_class') == rc['resource_class']]
    for rc in classes:
        query = {'resource-class': rc['resource_class']}
        if 'tokens' in spec.include:
            rc['tokens'] = [normalize_token(raw) for raw in list_tokens(client, rc['resource_class'])]
        if 'unclaimed_task_count' in spec.include:
            rc['unclaimed_task_count'] = (client.get('/runner/tasks', params=query) or {}).get('unclaimed_task_count')
        if 'running_task_count' in spec.include:
            rc['running_task_count'] = (client.get('/runner/tasks/running', params=query) or {}).get('running_runner_tasks')
    return result
