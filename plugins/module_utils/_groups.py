# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Groups of an organization (/organizations/{org_id}/groups), reconciled by the skeleton of
_reconcile.py: found by name in the organization's listing; the API has no update, so a changed
description fails unless `recreate` (a new group, with a new id). A 409 to the create means that
another run created the group meanwhile: that one is adopted.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._organizations import OrgRef
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._validate import check_non_empty

GROUP_KEYS = ('id', 'name', 'description')


def groups_path(org_id):
    return '/organizations/%s/groups' % quote_segment(org_id)


def normalize_group(raw):
    """A group as the modules return it: id, name and description (when the API answered one)."""
    if not raw:
        return {}
    return dict((key, raw[key]) for key in GROUP_KEYS if raw.get(key) is not None)


def list_groups(client, org_id):
    """Every group of the organization (all pages), normalised."""
    return [normalize_group(raw) for raw in client.get_all(groups_path(org_id))]


class GroupSpec:
    """The checked options of circleci_group."""

    def __init__(self, params):
        self.org = OrgRef(params['organization'])
        self.name = check_non_empty('name', params['name'])
        self.description = params.get('description')
        self.recreate = bool(params.get('recreate'))
        self.state = params.get('state') or 'present'


class GroupResource(Resource):
    """A group of an organization, found by name (unique: the API answers 409 to a second one)."""

    kind = 'group'
    parent = 'organization'
    update_method = None        # no update: a changed description fails, or recreate
    adopt_on_conflict = True
    create_expected = (200, 201)

    def __init__(self, client, spec):
        super().__init__(client, spec.name, recreate=spec.recreate)
        self.spec = spec
        self._org_id = None

    def org_id(self):
        if self._org_id is None:
            self._org_id = self.spec.org.org_id(self.client)
        return self._org_id

    def list(self):
        return list_groups(self.client, self.org_id())

    def normalize(self, raw):
        return normalize_group(raw)

    def compared(self, current):
        if self.spec.description is not None and 'description' not in current and current.get('id'):
            # a listing without descriptions: read the group itself
            current = dict(current, **normalize_group(self.client.get(self.path(current))))
        return dict(current, description=current.get('description') or '')

    def wanted(self, current):
        return {} if self.spec.description is None else dict(description=self.spec.description)

    def create_body(self, current=None):
        body = dict(name=self.spec.name)
        if self.spec.description is not None:
            body['description'] = self.spec.description
        return body, dict(name=self.spec.name, description=self.spec.description or '')

    def create_path(self):
        return groups_path(self.org_id())

    def path(self, current):
        return '%s/%s' % (groups_path(self.org_id()), quote_segment(current['id']))

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in GROUP_KEYS if key in obj)


def ensure_group(client, spec, check_mode):
    """Bring the group named spec.name to spec; the module result (changed, group, diff)."""
    return reconcile(GroupResource(client, spec), spec.state, check_mode)
