# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._contexts import (
    Owner,
    check_restrictions,
    plan_restrictions,
    restrictions_view,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

UUID = '405d8375-3514-403b-8c43-83ae74cfe0e9'
GROUP = '30865957-99e1-4b69-8c9f-d83a91756f89'


def owner_params(**params):
    return dict(dict(owner_id=None, owner_slug=None, owner_type='organization'), **params)


def test_owner_by_slug_and_by_id():
    owner = Owner.from_params(owner_params(owner_slug='gh/acme'))
    assert owner.query() == {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
    assert owner.body() == {'slug': 'gh/acme', 'type': 'organization'}
    owner = Owner.from_params(owner_params(owner_id=UUID.upper(), owner_type='account'))
    assert owner.query() == {'owner-id': UUID, 'owner-type': 'account'}
    assert owner.body() == {'id': UUID, 'type': 'account'}
    assert Owner(owner_slug='github/acme').key == Owner(owner_slug='gh/acme').key


@pytest.mark.parametrize('params, message', [
    (owner_params(), '^owner_slug: owner_slug or owner_id is required$'),
    (owner_params(owner_slug='acme'), "^owner_slug: 'acme' is not an organization slug"),
    (owner_params(owner_id='acme'), "^owner_id: 'acme' is not a UUID$"),
    (owner_params(owner_slug='gh/acme', owner_type='account'), '^owner_slug: an account owner is named by owner_id'),
])
def test_owner_errors_name_the_option(params, message):
    with pytest.raises(ValidationError, match=message):
        Owner.from_params(params)


def test_restrictions_are_checked_with_their_index():
    assert check_restrictions([
        {'type': 'project', 'value': 'gh/acme/api'},
        {'type': 'project', 'value': UUID.upper()},
        {'type': 'expression', 'value': 'pipeline.git.branch == "main"'},
        {'type': 'group', 'value': GROUP},
    ]) == [('project', 'gh/acme/api'), ('project', UUID), ('expression', 'pipeline.git.branch == "main"'), ('group', GROUP)]


@pytest.mark.parametrize('restrictions, message', [
    ([{'type': 'expression', 'value': 'x'}, {'type': 'project', 'value': 'x'}], r"^restrictions\[1\]\.value: 'x' is not a project slug or UUID$"),
    ([{'type': 'group', 'value': 'admins'}], r"^restrictions\[0\]\.value: 'admins' is not a UUID$"),
    ([{'type': 'branch', 'value': 'main'}], r"^restrictions\[0\]\.type: 'branch' is not one of"),
    ([{'type': 'expression', 'value': ''}], r'^restrictions\[0\]\.value: must be a non-empty string$'),
])
def test_restriction_errors_name_the_option(restrictions, message):
    with pytest.raises(ValidationError, match=message):
        check_restrictions(restrictions)


def test_plan_restrictions_compares_sets_case_insensitively_for_uuids():
    existing = [
        {'id': 'r1', 'restriction_type': 'project', 'restriction_value': UUID.upper()},
        {'id': 'r2', 'restriction_type': 'expression', 'restriction_value': 'a == b'},
    ]
    desired = [('expression', 'x == y'), ('project', UUID)]
    to_create, to_delete, kept = plan_restrictions(existing, desired, purge=True)
    assert (to_create, [r['id'] for r in to_delete], [r['id'] for r in kept]) == ([('expression', 'x == y')], ['r2'], ['r1'])
    to_create, to_delete, kept = plan_restrictions(existing, desired, purge=False)
    assert (to_create, to_delete, [r['id'] for r in kept]) == ([('expression', 'x == y')], [], ['r1', 'r2'])


def test_restrictions_view_is_sorted():
    assert restrictions_view([
        {'restriction_type': 'project', 'restriction_value': UUID},
        {'restriction_type': 'expression', 'restriction_value': 'a'},
    ]) == [{'type': 'expression', 'value': 'a'}, {'type': 'project', 'value': UUID}]


def test_restrictions_view_shows_what_the_user_wrote():
    other = 'b3b7dd3f-9a85-4c5e-8a8e-6f1d2b0c9a11'
    restrictions = [{'restriction_type': 'project', 'restriction_value': other},
                    {'restriction_type': 'project', 'restriction_value': UUID.upper()}]
    labels = {('project', UUID): 'gh/acme/api'}
    # sorted by UUID; a restriction the user did not write (one that purge removes) keeps its UUID
    assert restrictions_view(restrictions, labels) == [{'type': 'project', 'value': 'gh/acme/api'},
                                                       {'type': 'project', 'value': other}]
