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

from ansible_collections.community.circleci.plugins.module_utils._bulk import bulk_argument_spec, run_bulk
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._secrets import HIDDEN, REWRITTEN, UPDATE_MODES
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_env_var_name, not_found_hint

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


def env_vars_argument_spec():
    """The options every write-only variable module shares (name/value or variables, state,
    update_mode, purge, concurrency): a fresh dict to merge with the module's identity options."""
    spec = dict(
        name=dict(type='str'),
        value=dict(type='str', no_log=True),
        variables=dict(type='dict', no_log=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        update_mode=dict(type='str', choices=list(UPDATE_MODES), default='always'),
        purge=dict(type='bool', default=False),
    )
    spec.update(bulk_argument_spec())
    return spec


def check_env_values(option, variables, present=True):
    """{name: value} of a variables dict, names checked; under state=present each value a string or
    a number, given as a string. Messages name the variable, never its value."""
    if not isinstance(variables, dict):
        raise ValidationError(option, 'must be a dict of names and values')
    values = {}
    for name, value in variables.items():
        check_env_var_name(option, name)
        if present:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ValidationError(option, "the value of '%s' must be a string or a number" % name)
            value = str(value)
        values[name] = value
    return values


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
        values = check_env_values('variables', params['variables'], present)
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


class OperationsFailed(CircleCIError):
    """Some writes or deletes of a bulk reconcile failed; the others were made.

    The message names every failed variable and every variable that was written or deleted
    (names only, never values). `details` is added to the module's failure result.
    """

    def __init__(self, failures, done):
        first = failures[0][1]
        statuses = set(exc.status for operation, exc in failures)
        super().__init__(first.method, first.path, statuses.pop() if len(statuses) == 1 else None,
                         _failure_message(failures, done))
        self.failures = failures
        self.done = done

    def __str__(self):
        return self.message

    @property
    def details(self):
        return dict(
            failed_variables=sorted(operation.name for operation, exc in self.failures),
            errors=[dict(name=operation.name, action=operation.action, status=exc.status, msg=str(exc))
                    for operation, exc in self.failures],
            written=sorted(operation.name for operation in self.done if operation.action == WRITE),
            deleted=sorted(operation.name for operation in self.done if operation.action == DELETE),
        )


def _names(operations, action):
    return ', '.join(operation.name for operation in operations if operation.action == action) or 'none'


def _failure_message(failures, done):
    failed = [operation for operation, exc in failures]
    message = '%d of %d variable changes failed: %s. Written: %s; deleted: %s' % (
        len(failures), len(failures) + len(done),
        '; '.join('%s %s (%s)' % (operation.action, operation.name, exc) for operation, exc in failures),
        _names(done, WRITE), _names(done, DELETE))
    not_written = [op.name for op in failed if op.action == WRITE]
    not_deleted = [op.name for op in failed if op.action == DELETE]
    if not_written:
        message += '; not written: %s' % ', '.join(not_written)
    if not_deleted:
        message += '; not deleted: %s' % ', '.join(not_deleted)
    return message


def apply_operations(operations, values, write, delete, concurrency=1):
    """Send `operations`: write(name, values[name]) or delete(name), at most `concurrency` at a
    time (1 = one by one, in the given order). Every operation is attempted; when some fail
    (CircleCIError), OperationsFailed names each failed one and each one done, in the order of
    `operations`. Returns the operations done."""
    def send(operation):
        if operation.action == WRITE:
            write(operation.name, values[operation.name])
        else:
            delete(operation.name)

    outcomes = run_bulk(operations, send, concurrency=concurrency, catch=CircleCIError)
    failures = [(operation, exc) for operation, exc in outcomes if exc is not None]
    done = [operation for operation, exc in outcomes if exc is None]
    if failures:
        raise OperationsFailed(failures, done)
    return done


def reconcile_env_vars(existing, values, write, delete, state='present', update_mode='always', purge=False,
                       check_mode=False, diff_extra=None, concurrency=1, diff=True, warn=None, where=None):
    """Plan and (outside check mode) apply; return the module result: changed, added, updated,
    removed, untouched and, when `diff` (the module's diff mode), a names-only diff (`diff_extra`
    is added to both sides). Leaving the diff out when nobody asked for it matters at scale:
    Ansible scans every string of a result for every no_log value (here: each variable's value).
    Writes and deletes are sent `concurrency` at a time (see apply_operations). With state absent,
    `warn` is told of every name that does not exist (`where` names the context or project)."""
    plan = plan_env_vars(existing, values, state=state, update_mode=update_mode, purge=purge)
    if warn is not None and state == 'absent':
        for name in plan.untouched:  # asked to delete, but no such variable
            warn("no variable named '%s' exists%s: nothing was deleted%s"
                 % (name, ' in %s' % where if where else '', not_found_hint(name, plan.existing)))
    if not check_mode:
        apply_operations(plan.operations, values, write, delete, concurrency=concurrency)
    result = plan.result()
    result['changed'] = plan.changed
    if diff:
        result['diff'] = plan.diff(diff_extra, diff_extra)
    return result
