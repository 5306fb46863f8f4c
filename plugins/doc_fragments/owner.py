# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The owner options of the context modules (plugins/module_utils/_contexts.py holds the argument spec:
    # owner_argument_spec).
    DOCUMENTATION = r"""
options:
  owner_slug:
    description:
      - Slug of the organization that owns the contexts, for example V(gh/acme), V(bb/acme) or V(circleci/ORG).
      - Mutually exclusive with O(owner_id).
    type: str
  owner_id:
    description:
      - UUID of the organization (or, on CircleCI server, the account) that owns the contexts.
      - Mutually exclusive with O(owner_slug).
    type: str
  owner_type:
    description:
      - Type of the owner. V(account) is only used on CircleCI server and needs O(owner_id).
    type: str
    choices: [organization, account]
    default: organization
"""
