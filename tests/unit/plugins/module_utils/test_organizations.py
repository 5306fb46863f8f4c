# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._organizations import same_slug

UUID = '6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1'


@pytest.mark.parametrize('one, other', [
    ('gh/acme', 'github/ACME'),
    ('bb/Team', 'bitbucket/team'),
    ('circleci/%s' % UUID, 'CircleCI/%s' % UUID.upper()),
    ('circleci/43G3lM5RtfFE7v5sa4nWAU', 'circleci/43G3lM5RtfFE7v5sa4nWAU'),
])
def test_the_same_organization(one, other):
    assert same_slug(one, other)


@pytest.mark.parametrize('one, other', [
    ('gh/acme', 'bb/acme'),
    ('gh/acme', 'gh/acme2'),
    # CircleCI's short ids are base58: two that differ only in case are two organizations
    ('circleci/43G3lM5RtfFE7v5sa4nWAU', 'circleci/43g3lm5rtffe7v5sa4nwau'),
    ('circleci/%s' % UUID, 'gh/%s' % UUID),
])
def test_other_organizations(one, other):
    assert not same_slug(one, other)
