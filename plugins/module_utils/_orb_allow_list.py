# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The URL orb allow-list of an organization (/organization/{org}/url-orb-allow-list).

Each entry is reconciled by the skeleton of _reconcile.py, found by name. The API cannot update
an entry and nothing refers to an entry's id, so an entry whose prefix or auth must change is
deleted and created again (`recreate` always on). The API does not keep names unique: an entry
another run created at the same time is settled (the one with the smallest id is kept, which
every run picks alike). The whole list (`entries`, `purge`) is read once for all its entries.
"""

from __future__ import annotations

import re

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._organizations import OrgRef
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_choice,
    check_non_empty,
)

AUTH_METHODS = ('none', 'github-oauth', 'github-app', 'bitbucket-oauth')
DEFAULT_AUTH = 'none'
ENTRY_KEYS = ('id', 'name', 'prefix', 'auth')
# CircleCI's docs: the prefix "must use HTTPS and end with /".
PREFIX_RE = re.compile(r'^https://[^/\s?#]+(?:/\S*)?/\Z', re.IGNORECASE)


def allow_list_path(org_ref):
    return '/organization/%s/url-orb-allow-list' % quote_slug(org_ref)


def normalize_entry(raw):
    if not raw:
        return {}
    return dict((key, raw[key]) for key in ENTRY_KEYS if raw.get(key) is not None)


def list_entries(client, org_ref):
    """Every entry of the organization's allow-list, normalised (one GET: the list is not paged)."""
    return [normalize_entry(raw) for raw in (client.get(allow_list_path(org_ref)) or {}).get('items') or []]


def check_prefix(option, value):
    if not isinstance(value, str) or not PREFIX_RE.match(value):
        raise ValidationError(option, "'%s' is not an https:// URL prefix that ends with / (CircleCI requires both)" % (value,))
    return value


class EntrySpec:
    """One wanted entry, checked; `where` is how messages name it ('' or 'entries[2].')."""

    def __init__(self, name, prefix=None, auth=None, where=''):
        self.where = where
        self.name = check_non_empty(self.option('name'), name)
        self.prefix = None if prefix is None else check_prefix(self.option('prefix'), prefix)
        self.auth = None if auth is None else check_choice(self.option('auth'), auth, AUTH_METHODS)

    def option(self, field):
        return self.where + field


class AllowListSpec:
    """The checked options of circleci_url_orb_allow_list: `entries` (+ `purge`) or one entry by name."""

    def __init__(self, params):
        self.org = OrgRef(params['organization'])
        self.state = params.get('state') or 'present'
        self.purge = bool(params.get('purge'))
        given = params.get('entries')
        if given is None:
            if self.purge:
                raise ValidationError('purge', 'only applies with entries')
            self.entries = [EntrySpec(params.get('name'), params.get('prefix'), params.get('auth'))]
            return
        if self.purge and self.state != 'present':
            raise ValidationError('purge', 'only applies with state=present')
        self.entries = []
        for index, item in enumerate(given):
            entry = EntrySpec(item.get('name'), item.get('prefix'), item.get('auth'), where='entries[%d].' % index)
            if any(other.name == entry.name for other in self.entries):
                raise ValidationError(entry.option('name'), "'%s' is listed twice" % entry.name)
            self.entries.append(entry)


class Listing:
    """The allow-list read once for every entry of a run; a later read (after a lost answer, to
    settle a concurrent create) is a new request."""

    def __init__(self, client, org_ref):
        self.client = client
        self.org_ref = org_ref
        self._snapshot = None

    def snapshot(self):
        if self._snapshot is None:
            self._snapshot = list_entries(self.client, self.org_ref)
        return self._snapshot

    def fresh(self):
        return list_entries(self.client, self.org_ref)


class AllowListEntryResource(Resource):
    """An entry of the allow-list, found by name; changes recreate it (the API has no update)."""

    kind = 'URL orb allow-list entry'
    plural = 'URL orb allow-list entries'
    parent = 'organization'
    result_key = 'entry'
    update_method = None
    settle_concurrent = True
    key = 'id'

    def __init__(self, client, listing, entry):
        super().__init__(client, entry.name, recreate=True)
        self.listing = listing
        self.entry = entry
        self.identity_option = entry.option('name')
        self.field_options = dict(prefix=entry.option('prefix'), auth=entry.option('auth'))
        self._read = False

    def list(self):
        if not self._read:
            self._read = True
            return self.listing.snapshot()
        return self.listing.fresh()

    def normalize(self, raw):
        return normalize_entry(raw)

    def wanted(self, current):
        return dict((field, getattr(self.entry, field)) for field in ('prefix', 'auth') if getattr(self.entry, field) is not None)

    def create_body(self, current=None):
        """A new entry, or the one recreated: what is not given is kept from it."""
        current = current or {}
        prefix = self.entry.prefix or current.get('prefix')
        body = dict(name=self.entry.name, prefix=self.required(self.entry.option('prefix'), prefix),
                    auth=self.entry.auth or current.get('auth') or DEFAULT_AUTH)
        return body, dict(body)

    def create(self, body, find_existing):
        answer = self.client.create(allow_list_path(self.listing.org_ref), body, find_existing=find_existing,
                                    expected=(200, 201)) or {}
        if 'name' in answer:  # the entry found after a lost answer
            return answer
        return dict(body, id=answer.get('id'))  # the create answers {id, message}

    def path(self, current):
        return '%s/%s' % (allow_list_path(self.listing.org_ref), quote_segment(current['id']))

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ENTRY_KEYS if key in obj)


def _view(entries):
    """The diff's view of a list: name, prefix and auth, sorted by name (ids change on recreate)."""
    return dict(entries=sorted((dict((k, e[k]) for k in ('name', 'prefix', 'auth') if k in e) for e in entries),
                               key=lambda e: (e.get('name'), e.get('prefix'))))


def ensure_allow_list(client, spec, check_mode):
    """Reconcile each wanted entry (and, with purge, remove the others); the module result:
    changed, entries (the allow-list after the run), diff (the whole list before and after)."""
    listing = Listing(client, spec.org.path_ref)
    before = listing.snapshot()
    resources = [AllowListEntryResource(client, listing, entry) for entry in spec.entries]
    if spec.state == 'present':  # refuse duplicated names before anything is written
        for resource in resources:
            resource.pick([item for item in before if item.get('name') == resource.identity])
    outcome = {}  # name -> the entry after the run ({} = none)
    changed = False
    for resource in resources:
        result = reconcile(resource, spec.state, check_mode)
        changed = changed or result['changed']
        outcome[resource.identity] = result['entry']
    if spec.purge:
        for name in sorted(set(item.get('name') for item in before) - set(outcome)):
            result = reconcile(AllowListEntryResource(client, listing, EntrySpec(name)), 'absent', check_mode)
            changed = changed or result['changed']
            outcome[name] = {}
    after = _after(before, outcome)
    return dict(changed=changed, entries=after, diff=dict(before=_view(before), after=_view(after)))


def _after(before, outcome):
    """The allow-list after the run: the listing's order, each reconciled name replaced by its
    outcome (or dropped); an entry of a name the listing did not have comes last."""
    after, placed = [], set()
    for item in before:
        name = item.get('name')
        if name not in outcome:
            after.append(item)
        elif name not in placed:
            placed.add(name)
            after.extend([outcome[name]] if outcome[name] else [])
    after.extend(obj for name, obj in outcome.items() if name not in placed and obj)
    return after
