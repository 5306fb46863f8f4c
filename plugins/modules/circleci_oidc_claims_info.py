#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_oidc_claims_info
short_description: Read the custom claims of CircleCI OIDC tokens of an organization or project
version_added: 0.1.0
description:
  - Read the custom audience and time to live of the OpenID Connect tokens that CircleCI issues to jobs,
    for an organization or for one of its projects.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  org_id:
    description:
      - UUID of the organization.
      - One of O(org_id), O(org_slug) and O(project_slug) is required; O(org_id) and O(org_slug) are mutually exclusive.
    type: str
  org_slug:
    description:
      - Slug of the organization, for example V(gh/acme), V(bb/acme) or V(circleci/ORG).
      - Resolved to the organization UUID through the organizations of the token's user (one request),
        except when the slug holds the organization UUID itself (V(circleci/ORG_UUID)).
    type: str
  project_id:
    description:
      - UUID of a project of the organization, to read the claims of this project instead of those of the organization.
      - Needs O(org_id) or O(org_slug).
    type: str
  project_slug:
    description:
      - Slug of a project, for example V(gh/acme/api), to read the claims of this project instead of those of the organization.
      - The organization is taken from the project, so O(org_id) and O(org_slug) may be left out.
      - Mutually exclusive with O(project_id).
    type: str
seealso:
  - module: community.circleci.circleci_oidc_claims
"""

EXAMPLES = r"""
- name: Read the claims of an organization
  community.circleci.circleci_oidc_claims_info:
    api_token: "{{ circleci_token }}"
    org_slug: gh/acme
  register: org_claims

- name: Read the claims of a project
  community.circleci.circleci_oidc_claims_info:
    api_token: "{{ circleci_token }}"
    project_slug: gh/acme/api
  register: project_claims

- name: Show the audience of the project tokens
  ansible.builtin.debug:
    msg: "{{ project_claims.claims.audience | default([]) }}"
"""

RETURN = r"""
claims:
  description:
    - The custom claims, as the API returns them. Claims that are not set are missing or empty.
  returned: success
  type: dict
  contains:
    org_id:
      description: UUID of the organization.
      type: str
      returned: success
      sample: 9f3c2b1a-1111-4c6e-8d2a-3b4c5d6e7f80
    project_id:
      description: UUID of the project, for project claims.
      type: str
      returned: for project claims
      sample: 405d8375-3514-403b-8c43-83ae74cfe0e9
    audience:
      description: The audiences, in no particular order.
      type: list
      elements: str
      returned: when set
      sample: [sts.amazonaws.com]
    audience_updated_at:
      description: When the audience was last changed.
      type: str
      returned: when set
      sample: "2025-01-10T12:00:00Z"
    ttl:
      description: The time to live, as the API spells it (for example V(1h30m0s)).
      type: str
      returned: when set
      sample: 1h30m0s
    ttl_updated_at:
      description: When the time to live was last changed.
      type: str
      returned: when set
      sample: "2025-01-10T12:00:00Z"
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._oidc import CLAIMS_SCOPE_RULES, ClaimsScope, claims_scope_argument_spec, read_claims
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver


def run(module, client):
    identity = ClaimsScope.check_params(module.params)
    scope = ClaimsScope.resolve(Resolver(client), identity)
    return dict(changed=False, claims=read_claims(client, scope))


def main():
    run_module(claims_scope_argument_spec(), run, **CLAIMS_SCOPE_RULES)


if __name__ == '__main__':
    main()
