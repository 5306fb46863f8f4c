# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reconcile write-only variables (context and project environment variables).

The API never returns a value, so the plan works on names only: a listed name that exists
is rewritten under update_mode `always` and left alone under `on_create`. Plans, results
and diffs hold names only; values reach nothing but the `write` callable.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_env_var_name

UPDATE_MODES = ('always', 'on_create')
HIDDEN = '<hidden>'
REWRITTEN = '<hidden> (rewritten)'

WRITE = 'write'
DELETE = 'delete'
Operation = namedtuple('Operation', ['action', 'name'])


class EnvVarPlan:
    """What to do with each name. Every list is sorted."""

    def __init__(self, existing, added, updated, removed, untouched):
        self.existing = sorted(existing)
        self.added = sorted(added)
        self.updated = sorted(updated)
        self.removed = sorted(removed)
        self.untouched = sorted(untouched)

    @property
    def changed(self):
        return bool(self.added or self.updated or self.removed)

    @property
    def operations(self):
        """The writes and deletes to send, in a stable order (independent of each other)."""
        writes = sorted(self.added + self.updated)
        return [Operation(WRITE, name) for name in writes] + [Operation(DELETE, name) for name in self.removed]

    def result(self):
        return dict(added=self.added, updated=self.updated, removed=self.removed, untouched=self.untouched)

    def diff(self, before_extra=None, after_extra=None):
        """before/after with names only; every value is shown as `<hidden>`."""
        before = dict(before_extra or {})
        before['variables'] = dict((name, HIDDEN) for name in self.existing)
        after_names = (set(self.existing) - set(self.removed)) | set(self.added)
        after = dict(after_extra or {})
        after['variables'] = dict((name, REWRITTEN if name in self.updated else HIDDEN) for name in sorted(after_names))
        return dict(before=before, after=after)


def desired_env_values(params):
    """{name: value} from the module options name/value or variables (values as strings under
    state=present), checked before any request; also checks that purge goes with variables."""
    present = params['state'] == 'present'
    if params['name'] is not None:
        name = check_env_var_name('name', params['name'])
        if present and params['value'] is None:
            raise ValidationError('value', 'required when state=present and name is set')
        values = {name: params['value']}
    else:
        values = {}
        for name, value in params['variables'].items():
            check_env_var_name('variables', name)
            if present:
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    raise ValidationError('variables', "the value of '%s' must be a string or a number" % name)
                value = str(value)
            values[name] = value
    if params['purge'] and (params['variables'] is None or not present):
        raise ValidationError('purge', 'only used with variables and state=present')
    return values


def plan_env_vars(existing, desired, state='present', update_mode='always', purge=False):
    """Plan the reconcile of `existing` names (one listing) with `desired` names.

    present: missing names are added; existing ones are updated (`always`) or untouched
    (`on_create`); with `purge`, existing names not desired are removed.
    absent: desired names that exist are removed; the others are untouched.
    `untouched` only ever holds desired names.
    """
    existing = set(existing)
    desired = set(desired)
    if state == 'absent':
        return EnvVarPlan(existing, (), (), desired & existing, desired - existing)
    kept = desired & existing
    updated = kept if update_mode == 'always' else set()
    removed = existing - desired if purge else set()
    return EnvVarPlan(existing, desired - existing, updated, removed, kept - updated)


def apply_operations(operations, values, write, delete):
    """Send `operations` one by one: write(name, values[name]) or delete(name).

    Kept as one step over a list so that bounded concurrency can be added here alone.
    """
    for operation in operations:
        if operation.action == WRITE:
            write(operation.name, values[operation.name])
        else:
            delete(operation.name)


def reconcile_env_vars(existing, values, write, delete, state='present', update_mode='always', purge=False,
                       check_mode=False, diff_extra=None):
    """Plan and (outside check mode) apply; return the module result: changed, added, updated,
    removed, untouched and a names-only diff (`diff_extra` is added to both sides)."""
    plan = plan_env_vars(existing, values, state=state, update_mode=update_mode, purge=purge)
    if not check_mode:
        apply_operations(plan.operations, values, write, delete)
    result = plan.result()
    result['changed'] = plan.changed
    result['diff'] = plan.diff(diff_extra, diff_extra)
    return result
