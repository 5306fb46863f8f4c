#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_oidc_claims
short_description: Manage the custom claims of CircleCI OIDC tokens of an organization or project
version_added: 0.1.0
description:
  - Set or reset the custom C(aud) (audience) and time to live of the OpenID Connect tokens that CircleCI
    issues to jobs, for a whole organization or for one of its projects.
  - Only the claims given are compared and changed; the others are left as they are.
  - The audience is compared as a set (the API does not keep its order) and the time to live as a duration
    (the API answers V(90m) as V(1h30m0s)), so a rerun with the same values changes nothing.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
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
      - UUID of a project of the organization. When set, the claims of this project are managed instead of
        those of the organization.
      - Needs O(org_id) or O(org_slug).
    type: str
  project_slug:
    description:
      - Slug of a project, for example V(gh/acme/api) or V(circleci/ORG/PROJECT). When set, the claims
        of this project are managed instead of those of the organization.
      - The organization is taken from the project, so O(org_id) and O(org_slug) may be left out; when given,
        they must name the organization of the project.
      - Mutually exclusive with O(project_id).
    type: str
  audience:
    description:
      - The audiences (C(aud) claim) of the tokens. Compared as a set; duplicates are ignored.
      - With O(state=present), at least one audience; when not set, the audience is not changed.
      - With O(state=absent), giving this option (with any value, for example V([])) names the audience as a claim to reset.
    type: list
    elements: str
  ttl:
    description:
      - How long the tokens are valid, as digits followed by a unit (V(ms), V(s), V(m), V(h), V(d) or V(w)),
        up to seven such parts, for example V(10m), V(1h) or V(1h30m).
      - Compared as a duration, so V(90m) and V(1h30m) are the same.
      - With O(state=present), when not set, the time to live is not changed.
      - With O(state=absent), giving this option (with any value) names the time to live as a claim to reset.
    type: str
  state:
    description:
      - V(present) sets the claims given in O(audience) and O(ttl); one of them is required.
      - V(absent) resets the claims named by giving O(audience) and/or O(ttl) to CircleCI's defaults;
        when neither is given, both are reset.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: community.circleci.circleci_oidc_claims_info
  - name: CircleCI OpenID Connect tokens
    description: The tokens, their claims and how to customise them.
    link: https://circleci.com/docs/openid-connect-tokens/
"""

EXAMPLES = r"""
- name: Manage OIDC token claims
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: Organization-wide audience and time to live
      community.circleci.circleci_oidc_claims:
        org_slug: gh/acme
        audience:
          - sts.amazonaws.com
          - https://vault.example.com
        ttl: 1h

    - name: A shorter time to live for one project (the organization comes from the slug)
      community.circleci.circleci_oidc_claims:
        project_slug: gh/acme/api
        ttl: 15m

    - name: Reset the audience of a project to the default, keeping its ttl
      community.circleci.circleci_oidc_claims:
        org_id: 9f3c2b1a-1111-4c6e-8d2a-3b4c5d6e7f80
        project_id: 405d8375-3514-403b-8c43-83ae74cfe0e9
        audience: []
        state: absent

    - name: Reset every custom claim of the organization
      community.circleci.circleci_oidc_claims:
        org_slug: gh/acme
        state: absent
"""

RETURN = r"""
claims:
  description:
    - The custom claims after the run, as the API returns them (in check mode, as they would be).
    - Claims that are not set are missing or empty.
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
      description: The time to live, as the API spells it (normalised, for example V(1h30m0s)).
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
from ansible_collections.community.circleci.plugins.module_utils._oidc import (
    CLAIMS_SCOPE_RULES,
    ClaimsScope,
    check_audience,
    check_ttl,
    claims_scope_argument_spec,
    ensure_claims,
)
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules


def run(module, client):
    params = module.params
    identity = ClaimsScope.check_params(params)
    audience, ttl = params['audience'], params['ttl']
    if params['state'] == 'present':
        audience = None if audience is None else check_audience('audience', audience)
        ttl = None if ttl is None else check_ttl('ttl', ttl)

    scope = ClaimsScope.resolve(Resolver(client), identity)
    changed, claims, diff = ensure_claims(client, scope, params['state'], audience, ttl, module.check_mode)
    return dict(changed=changed, claims=claims, diff=diff)


def main():
    argument_spec = claims_scope_argument_spec()
    argument_spec.update(
        audience=dict(type='list', elements='str'),
        ttl=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **spec_rules(CLAIMS_SCOPE_RULES, required_if=[('state', 'present', ('audience', 'ttl'), True)]))


if __name__ == '__main__':
    main()
