# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Outbound webhooks of a project: find by name, plan, create / replace / delete.

The signing secret is write-only (it reads back as ``****``) and PUT replaces the whole
webhook, so every write carries the secret the user gave; a write without one is refused
before it is sent, because it would silently erase the stored secret.
Write keys are hyphenated (the service drops unknown keys without an error); reads may be
hyphenated or snake_case and are normalised to snake_case here.
"""

from __future__ import annotations

import re

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment, read_field
from ansible_collections.community.circleci.plugins.module_utils._envvars import HIDDEN, REWRITTEN, UPDATE_MODES
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_project_slug,
    check_uuid,
)

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


class WebhookSpec:
    """The checked options of circleci_webhook (everything validated before any request)."""

    def __init__(self, params):
        self.name = check_non_empty('name', params['name'])
        self.project_slug = params.get('project_slug')
        self.project_id = params.get('project_id')
        if self.project_slug is not None:
            check_project_slug('project_slug', self.project_slug)
        elif self.project_id is not None:
            self.project_id = check_uuid('project_id', self.project_id)
        else:
            raise ValidationError('project_slug', 'project_slug or project_id is required')
        self.state = params.get('state') or 'present'
        self.url = params.get('url')
        self.events = params.get('events')
        self.verify_tls = params.get('verify_tls')
        self.signing_secret = params.get('signing_secret')
        self.update_mode = params.get('update_mode') or 'always'
        if self.update_mode not in UPDATE_MODES:
            raise ValidationError('update_mode', "'%s' is not one of %s" % (self.update_mode, ', '.join(UPDATE_MODES)))
        if self.state == 'present':
            if self.url is not None:
                check_https_url('url', self.url)
            if self.events is not None:
                self.events = check_events('events', self.events)
            if self.signing_secret is not None and not isinstance(self.signing_secret, str):
                raise ValidationError('signing_secret', 'must be a string')

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


def webhooks_query(project_id):
    return {'scope-id': project_id, 'scope-type': 'project'}


def list_webhooks(client, project_id):
    """Every webhook of a project (raw API objects, all pages)."""
    return client.get_all('/webhook', webhooks_query(project_id))


def find_by_name(webhooks, name):
    return [webhook for webhook in webhooks if webhook.get('name') == name]


def webhook_path(webhook_id):
    return '/webhook/%s' % quote_segment(webhook_id)


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


def create_webhook(client, project_id, fields, signing_secret):
    body = write_body(fields, signing_secret)
    body['scope'] = {'id': project_id, 'type': 'project'}

    def find_existing():
        found = find_by_name(list_webhooks(client, project_id), fields['name'])
        return found[0] if found else None

    created = client.create('/webhook', body, find_existing=find_existing, expected=(200, 201))
    return settle_concurrent_create(created, find_by_name(list_webhooks(client, project_id), fields['name']),
                                    'id', lambda webhook: delete_webhook(client, webhook['id']))


def settle_concurrent_create(created, same, key, delete):
    """After creating an object that the API lets exist twice (a webhook name, a checkout key
    type), `same` lists the objects it must not be duplicated with, read after the create. If
    another run created one at the same time (both had read "absent"), every run keeps the
    oldest (created-at, then `key`) and deletes its own if it is not that one: both end with one.
    Returns the object kept."""
    if not isinstance(created, dict) or created.get(key) is None or len(same) < 2:
        return created

    def age(item):
        return (str(read_field(item, 'created-at') or ''), str(item.get(key)))

    keeper = min(same, key=age)
    if keeper.get(key) == created.get(key) or not any(item.get(key) == created.get(key) for item in same):
        return created
    delete(created)
    return keeper


def replace_webhook(client, webhook_id, fields, signing_secret):
    return client.put(webhook_path(webhook_id), json=write_body(fields, signing_secret))


def delete_webhook(client, webhook_id):
    client.delete(webhook_path(webhook_id), expected=(200, 404))


# --- the ensure logic ---------------------------------------------------------------------

def _diff_view(webhook, secret_marker):
    view = dict((key, webhook[key]) for key in ('id', 'name', 'url', 'events', 'verify_tls') if key in webhook)
    if webhook:
        view['signing_secret'] = secret_marker
    return view


def resolve_project_id(resolver, spec):
    """The project UUID: project_id as given (no request), or the slug's project (one GET)."""
    if spec.project_id is not None:
        return spec.project_id
    try:
        return resolver.project(spec.project_slug)['id']
    except CircleCIError as exc:
        if exc.status == 404:
            raise ValidationError('project_slug', "project '%s' was not found (%s)" % (spec.project_slug, exc)) from None
        raise


def ensure_webhook(client, resolver, spec, check_mode):
    """Bring the webhook named spec.name to spec; returns the module result (changed, webhook, diff)."""
    project_id = resolve_project_id(resolver, spec)
    matches = find_by_name(list_webhooks(client, project_id), spec.name)

    if spec.state == 'absent':
        if not matches:
            return dict(changed=False, webhook={}, diff=dict(before={}, after={}))
        if not check_mode:
            for webhook in matches:
                delete_webhook(client, webhook['id'])
        before = normalize_webhook(matches[0])
        return dict(changed=True, webhook={}, diff=dict(before=_diff_view(before, HIDDEN), after={}))

    if len(matches) > 1:
        raise ValidationError('name', "%d webhooks of the project are named '%s'; a name must identify one webhook "
                                      "(delete the duplicates, for example with state=absent)" % (len(matches), spec.name))

    if not matches:
        for option in ('url', 'events', 'signing_secret'):
            if getattr(spec, option) is None:
                raise ValidationError(option, "required to create webhook '%s'" % spec.name)
        fields = dict(name=spec.name, url=spec.url, events=spec.events,
                      verify_tls=DEFAULT_VERIFY_TLS if spec.verify_tls is None else spec.verify_tls)
        if check_mode:
            webhook = dict(fields, scope=dict(id=project_id, type='project'))
        else:
            created = create_webhook(client, project_id, fields, spec.signing_secret)
            webhook = normalize_webhook(created) or dict(fields, scope=dict(id=project_id, type='project'))
        return dict(changed=True, webhook=webhook,
                    diff=dict(before={}, after=_diff_view(webhook, HIDDEN)))

    current = normalize_webhook(matches[0])
    fields = dict(name=spec.name, url=current.get('url'), events=current.get('events', []),
                  verify_tls=current.get('verify_tls', DEFAULT_VERIFY_TLS))
    fields.update(spec.wanted())
    differs = [key for key in COMPARED if fields[key] != current.get(key)]
    rewrite_secret = spec.signing_secret is not None and spec.update_mode == 'always'
    if not differs and not rewrite_secret:
        return dict(changed=False, webhook=current,
                    diff=dict(before=_diff_view(current, HIDDEN), after=_diff_view(current, HIDDEN)))
    if spec.signing_secret is None:
        # PUT replaces the whole webhook and the stored secret cannot be read back: a PUT
        # without it would remove the secret, so refuse rather than lose it.
        raise ValidationError('signing_secret', "required to update webhook '%s' (to change: %s): the update replaces the "
                                                "whole webhook and the stored secret cannot be read back, so it must be "
                                                "sent again" % (spec.name, ', '.join(differs)))
    if check_mode:
        webhook = dict(current, **fields)
    else:
        webhook = normalize_webhook(replace_webhook(client, current['id'], fields, spec.signing_secret)) or dict(current, **fields)
    marker = REWRITTEN if rewrite_secret else HIDDEN
    return dict(changed=True, webhook=webhook,
                diff=dict(before=_diff_view(current, HIDDEN), after=_diff_view(webhook, marker)))
