# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Contexts: owners, the context calls, context environment variables and restrictions."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver, normalize_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_choice,
    check_non_empty,
    check_org_slug,
    check_project_slug_or_uuid,
    check_uuid,
    is_uuid,
    not_found_hint,
)

OWNER_TYPES = ('organization', 'account')
RESTRICTION_TYPES = ('project', 'expression', 'group')
# A missing context id answers 403 (not 404), the same as a context the token may not see.
MISSING_CONTEXT_STATUSES = (403, 404)


def owner_argument_spec():
    """The owner options of the context modules (a fresh dict; doc fragment community.circleci.owner)."""
    return dict(
        owner_slug=dict(type='str'),
        owner_id=dict(type='str'),
        owner_type=dict(type='str', choices=list(OWNER_TYPES), default='organization'),
    )


class Owner:
    """The owner of contexts: an organization (by slug or id) or, on CircleCI server, an account (by id)."""

    def __init__(self, owner_id=None, owner_slug=None, owner_type='organization'):
        self.id = owner_id
        self.slug = owner_slug
        self.type = owner_type

    @classmethod
    def from_params(cls, params):
        """Checked owner from owner_id / owner_slug / owner_type."""
        owner_id, owner_slug = params.get('owner_id'), params.get('owner_slug')
        owner_type = check_choice('owner_type', params.get('owner_type') or 'organization', OWNER_TYPES)
        if owner_id is not None and owner_slug is not None:
            raise ValidationError('owner_id', 'give owner_id or owner_slug, not both')
        if owner_id is not None:
            return cls(owner_id=check_uuid('owner_id', owner_id), owner_type=owner_type)
        if owner_slug is None:
            raise ValidationError('owner_slug', 'owner_slug or owner_id is required')
        if owner_type == 'account':
            raise ValidationError('owner_slug', 'an account owner is named by owner_id, not owner_slug')
        return cls(owner_slug=check_org_slug('owner_slug', owner_slug), owner_type=owner_type)

    @property
    def key(self):
        return (self.id or normalize_slug(self.slug), self.type)

    def query(self):
        query = {'owner-id': self.id} if self.id else {'owner-slug': self.slug}
        query['owner-type'] = self.type
        return query

    def body(self):
        body = {'id': self.id} if self.id else {'slug': self.slug}
        body['type'] = self.type
        return body

    def __str__(self):
        return "owner_id '%s'" % self.id if self.id else "owner_slug '%s'" % self.slug


def context_path(context_id):
    return '/context/%s' % quote_segment(context_id)


# --- contexts -------------------------------------------------------------------------------

def create_context(client, resolver, name, owner):
    """Create a context; after a lost answer, finds it by name instead of creating a second one.
    A 409 (another run created it since it was read as absent) adopts the existing context."""
    try:
        return client.create('/context', {'name': name, 'owner': owner.body()},
                             find_existing=lambda: resolver.context(name, owner, refresh=True))
    except CircleCIError as exc:
        if exc.status == 409:
            found = resolver.context(name, owner, refresh=True)
            if found is not None:
                return found
        raise


def delete_context(client, resolver, context, owner):
    """Delete a context. A missing context answers 403, so a DELETE retried after a lost answer
    gets 403 once the first one worked: the owner's listing then tells whether it is gone."""
    try:
        client.delete(context_path(context['id']), expected=(200, 404))
    except CircleCIError as exc:
        if exc.status in MISSING_CONTEXT_STATUSES and resolver.context(context['name'], owner, refresh=True) is None:
            return
        raise


def get_context(client, context_id):
    """The context with this id, or None when the API answers 403/404 (missing or not visible)."""
    try:
        return client.get(context_path(context_id))
    except CircleCIError as exc:
        if exc.status in MISSING_CONTEXT_STATUSES:
            return None
        raise


def context_view(context):
    """The fields of a context shown in diffs."""
    return dict((key, context[key]) for key in ('id', 'name') if key in context)


# --- environment variables ---------------------------------------------------------------

def list_env_vars(client, context_id, option='context_id', label=None):
    """Env var entries (name, timestamps; never values). A 403/404 becomes an error naming the context."""
    try:
        return client.get_all(context_path(context_id) + '/environment-variable')
    except CircleCIError as exc:
        if exc.status in MISSING_CONTEXT_STATUSES:
            raise ValidationError(option, "context '%s' was not found, or the token may not access it (%s)"
                                  % (label or context_id, exc)) from None
        raise


def put_env_var(client, context_id, name, value):
    """Create or overwrite (PUT is an upsert)."""
    client.put('%s/environment-variable/%s' % (context_path(context_id), quote_segment(name)), json={'value': value})


def delete_env_var(client, context_id, name):
    client.delete('%s/environment-variable/%s' % (context_path(context_id), quote_segment(name)), expected=(200, 404))


# --- restrictions ----------------------------------------------------------------------------

def check_restrictions(restrictions, option='restrictions'):
    """Check restrictions before any request; returns [(type, value)] (project values may be slugs)."""
    checked = []
    for index, restriction in enumerate(restrictions):
        where = '%s[%d]' % (option, index)
        if not isinstance(restriction, dict):
            raise ValidationError(where, 'must be a dict with type and value')
        rtype = check_choice(where + '.type', restriction.get('type'), RESTRICTION_TYPES)
        value = check_non_empty(where + '.value', restriction.get('value'))
        if rtype == 'project':
            value = check_project_slug_or_uuid(where + '.value', value)
        elif rtype == 'group':
            value = check_uuid(where + '.value', value)
        checked.append((rtype, value))
    return checked


def resolve_restrictions(resolver, checked, option='restrictions'):
    """Project slugs -> project UUIDs (one GET per slug); duplicates dropped, order kept.

    Returns (resolved [(type, value)], labels {(type, value): what the user wrote}): the API holds
    project restrictions by UUID, and diffs show the slug the user gave instead."""
    resolved, labels = [], {}
    for index, (rtype, value) in enumerate(checked):
        written = value
        if rtype == 'project' and not is_uuid(value):
            try:
                value = resolver.project_id(value)
            except CircleCIError as exc:
                if exc.status == 404:
                    raise ValidationError('%s[%d].value' % (option, index), "project '%s' was not found (%s)" % (value, exc)) from None
                raise
        key = restriction_key(dict(restriction_type=rtype, restriction_value=value))
        labels.setdefault(key, written)
        if (rtype, value) not in resolved:
            resolved.append((rtype, value))
    return resolved, labels


def restriction_key(restriction):
    """(type, value) of an API restriction, UUID values lower-cased, for comparison."""
    rtype, value = restriction.get('restriction_type'), restriction.get('restriction_value')
    if rtype in ('project', 'group') and isinstance(value, str):
        value = value.lower()
    return (rtype, value)


def restrictions_view(restrictions, labels=None):
    """Restrictions as sorted {type, value} dicts, for diffs: a value the user gave is shown as written
    (`labels`, from resolve_restrictions: a project slug rather than its UUID)."""
    labels = labels or {}
    keys = sorted(restriction_key(r) for r in restrictions)
    return [dict(type=key[0], value=labels.get(key, key[1])) for key in keys]


def restrictions_path(context_id):
    return context_path(context_id) + '/restrictions'


def list_restrictions(client, context_id):
    return client.get_all(restrictions_path(context_id))


def find_restriction(client, context_id, rtype, value):
    for restriction in list_restrictions(client, context_id):
        if restriction_key(restriction) == (rtype, value):
            return restriction
    return None


def create_restriction(client, context_id, rtype, value):
    """Create one restriction; None if the API answers 409 (it exists already)."""
    try:
        return client.create(restrictions_path(context_id), {'restriction_type': rtype, 'restriction_value': value},
                             find_existing=lambda: find_restriction(client, context_id, rtype, value))
    except CircleCIError as exc:
        if exc.status == 409:
            return None
        raise


def delete_restriction(client, context_id, restriction_id):
    client.delete('%s/%s' % (restrictions_path(context_id), quote_segment(restriction_id)), expected=(200, 404))


def plan_restrictions(existing, desired, purge):
    """(to_create [(type, value)], to_delete [existing restriction], kept [existing restriction])."""
    existing_keys = set(restriction_key(r) for r in existing)
    wanted = set(desired)
    to_create = [key for key in desired if key not in existing_keys]
    to_delete = [r for r in existing if restriction_key(r) not in wanted] if purge else []
    kept = [r for r in existing if not purge or restriction_key(r) in wanted]
    return to_create, to_delete, kept


def reconcile_restrictions(client, context_id, existing, desired, purge, check_mode):
    """Bring the restrictions of a context to `desired` ([(type, value)], project values as UUIDs).

    `existing` is the current list (one listing; [] for a context just created). Extra
    restrictions are deleted only with `purge`. Returns (changed, restrictions after).
    """
    to_create, to_delete, kept = plan_restrictions(existing, desired, purge)
    after = list(kept)
    if check_mode:
        after.extend(dict(restriction_type=rtype, restriction_value=value) for rtype, value in to_create)
        return bool(to_create or to_delete), after
    for restriction in to_delete:
        delete_restriction(client, context_id, restriction['id'])
    conflict = False
    for rtype, value in to_create:
        created = create_restriction(client, context_id, rtype, value)
        if created is None:
            conflict = True
        else:
            after.append(created)
    if conflict:
        # Someone else created it meanwhile: read back the real list for the result.
        after = list_restrictions(client, context_id)
    return bool(to_create or to_delete), after


def ensure_context(client, params, check_mode, warn=None, resolver=None):
    """Run circleci_context: the context named `name` of its owner present (with its restrictions) or absent.
    `warn` (the module's) is told when a removal finds no context of that name. `resolver` (default: a
    new one) lets many contexts of one run share the owner's listing and the project lookups."""
    name = check_non_empty('name', params['name'])
    owner = Owner.from_params(params)
    wanted = None
    if params['state'] == 'present' and params['restrictions'] is not None:
        wanted = check_restrictions(params['restrictions'])

    resolver = resolver or Resolver(client)
    context = resolver.context(name, owner)

    if params['state'] == 'absent':
        if context is None:
            if warn is not None:
                names = [other.get('name') for other in resolver.contexts(owner)]
                warn("no context named '%s' exists for %s: nothing was deleted%s" % (name, owner, not_found_hint(name, names)))
            return dict(changed=False, context={}, diff=dict(before={}, after={}))
        if not check_mode:
            delete_context(client, resolver, context, owner)
        return dict(changed=True, context={}, diff=dict(before=context_view(context), after={}))

    desired, labels = resolve_restrictions(resolver, wanted) if wanted is not None else (None, None)
    changed = context is None
    before = {} if context is None else context_view(context)
    if context is None:
        context = {'name': name} if check_mode else create_context(client, resolver, name, owner)
        existing = []
    else:
        existing = list_restrictions(client, context['id']) if desired is not None else None

    result = dict(context=context)
    after = context_view(context)
    if desired is not None:
        changed_restrictions, restrictions = reconcile_restrictions(
            client, context.get('id'), existing, desired, params['purge_restrictions'], check_mode)
        changed = changed or changed_restrictions
        result['restrictions'] = restrictions
        if before:
            before['restrictions'] = restrictions_view(existing, labels)
        after['restrictions'] = restrictions_view(restrictions, labels)
    result.update(changed=changed, diff=dict(before=before, after=after))
    return result
