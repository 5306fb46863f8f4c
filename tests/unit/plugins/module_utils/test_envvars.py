# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.community.circleci.plugins.module_utils._envvars import (
    Operation,
    apply_operations,
    plan_env_vars,
    reconcile_env_vars,
)

NAMES = st.sets(st.sampled_from(['A', 'B', 'C', 'D', 'E', 'F']))


def test_present_always_rewrites_existing_names():
    plan = plan_env_vars(['A', 'B', 'X'], {'B': 'b', 'A': 'a', 'N': 'n'}, update_mode='always')
    assert plan.result() == dict(added=['N'], updated=['A', 'B'], removed=[], untouched=[])
    assert plan.operations == [Operation('write', 'A'), Operation('write', 'B'), Operation('write', 'N')]


def test_present_on_create_leaves_existing_names():
    plan = plan_env_vars(['A', 'X'], {'A': 'a', 'N': 'n'}, update_mode='on_create')
    assert plan.result() == dict(added=['N'], updated=[], removed=[], untouched=['A'])
    assert plan.changed


def test_purge_removes_unlisted_names():
    plan = plan_env_vars(['A', 'X', 'Y'], {'A': 'a'}, update_mode='on_create', purge=True)
    assert plan.result() == dict(added=[], updated=[], removed=['X', 'Y'], untouched=['A'])
    assert plan.operations == [Operation('delete', 'X'), Operation('delete', 'Y')]


def test_absent_removes_existing_names_only():
    plan = plan_env_vars(['A', 'X'], {'A': None, 'Q': None}, state='absent')
    assert plan.result() == dict(added=[], updated=[], removed=['A'], untouched=['Q'])


def test_nothing_to_do_is_not_a_change():
    assert not plan_env_vars(['A'], {'A': 'a'}, update_mode='on_create').changed
    assert not plan_env_vars(['A'], {'B': None}, state='absent').changed


def test_diff_shows_names_only():
    plan = plan_env_vars(['A', 'X'], {'A': 's3cr3t', 'N': 's3cr3t'}, purge=True)
    assert plan.diff({'context': 'c'}, {'context': 'c'}) == dict(
        before=dict(context='c', variables={'A': '<hidden>', 'X': '<hidden>'}),
        after=dict(context='c', variables={'A': '<hidden> (rewritten)', 'N': '<hidden>'}),
    )


def test_apply_writes_values_and_deletes_names():
    sent = []
    apply_operations([Operation('write', 'A'), Operation('delete', 'X')], {'A': 'a'},
                     write=lambda name, value: sent.append(('write', name, value)), delete=lambda name: sent.append(('delete', name)))
    assert sent == [('write', 'A', 'a'), ('delete', 'X')]


def test_reconcile_in_check_mode_sends_nothing():
    def fail(*args):
        raise AssertionError('write in check mode')

    result = reconcile_env_vars(['X'], {'A': 's3cr3t-canary'}, write=fail, delete=fail, purge=True, check_mode=True)
    assert result['changed'] and result['added'] == ['A'] and result['removed'] == ['X']
    assert 's3cr3t-canary' not in repr(result)


@given(existing=NAMES, desired=NAMES, state=st.sampled_from(['present', 'absent']),
       update_mode=st.sampled_from(['always', 'on_create']), purge=st.booleans())
def test_plan_properties(existing, desired, state, update_mode, purge):
    plan = plan_env_vars(existing, dict.fromkeys(desired, 'v'), state=state, update_mode=update_mode, purge=purge and state == 'present')
    groups = [plan.added, plan.updated, plan.removed, plan.untouched]
    flat = [name for group in groups for name in group]
    assert len(flat) == len(set(flat)), 'a name is in two groups'
    assert set(plan.untouched) <= desired
    assert set(plan.added) == (desired - existing if state == 'present' else set())
    after = (existing - set(plan.removed)) | set(plan.added)
    if state == 'present':
        assert desired <= after
        if purge:
            assert after == desired
    else:
        assert not desired & after
    # Applying the plan and planning again yields no write (except `always` rewrites).
    again = plan_env_vars(after, dict.fromkeys(desired, 'v'), state=state, update_mode='on_create', purge=purge and state == 'present')
    assert not again.changed
