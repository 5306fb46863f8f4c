# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""circleci_organization_info: an organization of the token's user, with its groups and URL orb
allow-list on request (each read only when asked)."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._groups import list_groups
from ansible_collections.community.circleci.plugins.module_utils._orb_allow_list import list_entries
from ansible_collections.community.circleci.plugins.module_utils._organizations import OrgRef
from ansible_collections.community.circleci.plugins.module_utils._validate import check_choice

INCLUDE_CHOICES = ('groups', 'url_orb_allow_list')


def organization_info(client, organization, include=()):
    """`organization` (from GET /me/collaborations; {} when the token's user has no such organization,
    and then every part is empty with no further request), plus the parts named in `include`."""
    ref = OrgRef(organization)
    for index, part in enumerate(include):
        check_choice('include[%d]' % index, part, INCLUDE_CHOICES)
    org = ref.find(client)
    result = dict(changed=False, organization=org or {})
    if 'groups' in include:
        result['groups'] = list_groups(client, org['id']) if org else []
    if 'url_orb_allow_list' in include:
        result['url_orb_allow_list'] = list_entries(client, ref.path_ref) if org else []
    return result
