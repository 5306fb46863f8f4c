# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Outbound webhooks of a project, reconciled by the skeleton of _reconcile.py (found by name).

The signing secret is write-only (it reads back as ``****``) and PUT replaces the whole
webhook, so every write carries the secret the user gave; a write without one is refused
before it is sent, because it would silently erase the stored secret.
Write keys are hyphenated (the service drops unknown keys without an error); reads may be
hyphenated or snake_case and are normalised to snake_case here.
"""

from __future__ import annotations

import re

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, read_field
from ansible_collections.community.circleci.plugins.module_utils._reconcile import PUT, Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._resolve import ProjectRef, resolve_project_id
from ansible_collections.community.circleci.plugins.module_utils._secrets import HIDDEN
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_non_empty

EVENTS = ('workflow-completed', 'job-completed')
HTTPS_URL_RE = re.compile(r'^https://[^/\s?#]+[^\s]*\Z', re.IGNORECASE)
# Fields compared with the user's options (normalised names).
COMPARED = ('url', 'events', 'verify_tls')
DEFAULT_VERIFY_TLS = True


# --- input --------------------------------------------------------------------------------

def check_https_url(option, value):
    if not isinstance(value, str) or not HTTPS_URL_RE.match(value):
        raise ValidationError(option, "'%s' is not an https:// URL (CircleCI only delivers webhooks over https)" % (value,))
    return value


def check_events(option, events):
    """Events as a sorted list without duplicates; at least one."""
    if not events:
        raise ValidationError(option, 'at least one of %s is required' % ', '.join(EVENTS))
    for index, event in enumerate(events):
        if event not in EVENTS:
            raise ValidationError('%s[%d]' % (option, index), "'%s' is not one of %s" % (event, ', '.join(EVENTS)))
    return sorted(set(events))


class WebhookSpec(ProjectRef):
    """The checked options of circleci_webhook (everything validated before any request)."""

    def __init__(self, params):
        self.name = check_non_empty('name', params['name'])
        super().__init__(params)
        self.state = params.get('state') or 'present'
        self.url = params.get('url')
        self.events = params.get('events')
        self.verify_tls = params.get('verify_tls')
        self.signing_secret = params.get('signing_secret')
        self.update_mode = params.get('update_mode') or 'always'
        if self.state == 'present':
            if self.url is not None:
                check_https_url('url', self.url)
            if self.events is not None:
                self.events = check_events('events', self.events)

    def wanted(self):
        """The compared fields the user gave, normalised."""
        wanted = {}
        for key in COMPARED:
            value = getattr(self, key)
            if value is not None:
                wanted[key] = value
        return wanted


# --- reading ----------------------------------------------------------------------------------

def normalize_webhook(raw):
    """An API webhook as returned by the modules: snake_case keys, events sorted, never the secret."""
    if not raw:
        return {}
    scope = raw.get('scope') or {}
    webhook = dict(
        id=raw.get('id'),
        name=raw.get('name'),
        url=raw.get('url'),
        events=sorted(set(raw.get('events') or [])),
        verify_tls=read_field(raw, 'verify-tls'),
        scope=dict(id=scope.get('id'), type=scope.get('type')) if scope else None,
        created_at=read_field(raw, 'created-at'),
        updated_at=read_field(raw, 'updated-at'),
    )
    return dict((key, value) for key, value in webhook.items() if value is not None)


def list_webhooks(client, project_id):
    """Every webhook of a project (raw API objects, all pages)."""
    return client.get_all('/webhook', {'scope-id': project_id, 'scope-type': 'project'})


# --- writing ----------------------------------------------------------------------------------

def write_body(fields, signing_secret):
    """The JSON body of POST/PUT, with the hyphenated keys the service reads."""
    return {
        'name': fields['name'],
        'url': fields['url'],
        'events': list(fields['events']),
        'verify-tls': bool(fields['verify_tls']),
        'signing-secret': signing_secret,
    }


class WebhookResource(Resource):
    """A webhook of a project, found by name (the API lets two share a name: settled after a create)."""

    kind = 'webhook'
    update_method = PUT
    write_only = 'signing_secret'
    settle_concurrent = True

    def __init__(self, client, resolver, spec):
        super().__init__(client, spec.name, secret=spec.signing_secret, update_mode=spec.update_mode)
        self.resolver = resolver
        self.spec = spec

    def scope(self):
        return dict(id=resolve_project_id(self.resolver, self.spec), type='project')

    def list(self):
        return list_webhooks(self.client, self.scope()['id'])

    def normalize(self, raw):
        return normalize_webhook(raw)

    def wanted(self, current):
        return self.spec.wanted()

    def create_body(self, current=None):
        spec = self.spec
        fields = dict(name=spec.name, url=self.required('url', spec.url), events=self.required('events', spec.events),
                      verify_tls=DEFAULT_VERIFY_TLS if spec.verify_tls is None else spec.verify_tls)
        body = dict(write_body(fields, self.required('signing_secret', spec.signing_secret)), scope=self.scope())
        return body, dict(fields, scope=body['scope'])

    def create_path(self):
        return '/webhook'

    def update_body(self, current, wanted, differs):
        fields = dict(name=self.identity, url=current.get('url'), events=current.get('events', []),
                      verify_tls=current.get('verify_tls', DEFAULT_VERIFY_TLS))
        fields.update(wanted)
        return write_body(fields, self.secret), dict(current, **fields)

    def path(self, current):
        return '/webhook/%s' % quote_segment(current['id'])

    def diff_view(self, obj, secret_marker=HIDDEN):
        view = dict((key, obj[key]) for key in ('id', 'name', 'url', 'events', 'verify_tls') if key in obj)
        view['signing_secret'] = secret_marker
        return view


def ensure_webhook(client, resolver, spec, check_mode):
    """Bring the webhook named spec.name to spec; returns the module result (changed, webhook, diff)."""
    return reconcile(WebhookResource(client, resolver, spec), spec.state, check_mode)
