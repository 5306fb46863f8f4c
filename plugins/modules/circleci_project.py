#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_project
short_description: Create and delete CircleCI projects
version_added: 0.1.0
description:
  - Create a project in any CircleCI organization (standalone, GitHub App, GitHub OAuth, Bitbucket)
    when none of that name exists, or delete one.
  - A project is identified by O(organization) and O(name), or by O(project_slug).
  - In a standalone organization (slug C(circleci/...)), CircleCI gives the project a slug made of its
    own ids. API v2 cannot find that slug from the name, so an existing project found by name is
    returned with its name and organization only, and such a project is deleted by O(project_slug)
    (RV(project.slug) of the run that created it).
  - Settings, variables, pipeline definitions and triggers of a project have their own modules.
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
  organization:
    description:
      - The organization of the project, by slug (V(gh/acme), V(circleci/ORG_ID)) or UUID.
      - Together with O(name); exactly one of O(name) and O(project_slug) is required.
    type: str
  name:
    description:
      - Name of the project, without C(/) or leading or trailing whitespace. In a GitHub or Bitbucket
        organization, the name of the repository (no whitespace at all); for an O(organization) given as a
        UUID, that is checked once its type is read, before anything is written.
    type: str
  project_slug:
    description:
      - The project's slug, for example V(gh/acme/api) or the V(circleci/ORG_ID/PROJECT_ID) CircleCI gives a
        standalone project, instead of O(organization) and O(name).
      - A missing GitHub or Bitbucket project is created from its slug; a missing standalone project cannot be
        (its slug does not exist before it), and the module fails naming O(project_slug).
    type: str
  legacy_create:
    description:
      - Create a missing GitHub OAuth or Bitbucket project through the deprecated
        C(POST /project/{provider}/{organization}/{project}) instead of C(POST /organization/{organization}/project),
        for a CircleCI server release that does not serve the newer endpoint. The project is read after it
        (C(GET /project/{slug})), as that endpoint answers the project's settings.
      - The repository must have a default branch with a C(.circleci/config.yml); a standalone or GitHub App
        organization's project is refused, naming this option, before anything is written.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the project when none of that name exists; V(absent) deletes it, with its
        environment variables, checkout keys, webhooks, schedules, settings, pipeline definitions and triggers.
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Requests (API v2 has no listing of an organization's projects): by O(project_slug), or in a GitHub or
    Bitbucket organization by name, one C(GET /project/{slug}); in a standalone organization by name, one
    C(GET /insights/{org-slug}/summary), whose C(all_projects) lists the names of the organization's projects.
    An O(organization) given as a UUID adds one C(GET /me/collaborations) (its type and slug). Then
    C(POST /organization/{organization}/project) to create (with O(legacy_create), the deprecated C(POST /project/{slug})
    and C(GET /project/{slug})), C(DELETE /project/{slug}) to delete. An identical
    second run sends the reads only."
  - A create answered 409 (another run created the project meanwhile) takes that project as the one created,
    and a create whose answer was lost is not sent again once the project is found.
  - CircleCI's Terraform provider follows a new GitHub or Bitbucket project through API v1.1 after creating
    it; this module does not (API v1.1 is not used by this collection).
seealso:
  - module: community.circleci.circleci_organization
  - module: community.circleci.circleci_project_info
  - module: community.circleci.circleci_project_settings
  - name: Create a project
    description: CircleCI's guide to creating projects.
    link: https://circleci.com/docs/guides/getting-started/create-project/
"""

EXAMPLES = r"""
- name: Manage CircleCI projects
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A project in a standalone organization
      community.circleci.circleci_project:
        organization: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
        name: billing
      register: billing

    - name: Its slug, as CircleCI gave it (only a run that created it, or read it by slug, returns it)
      ansible.builtin.debug:
        msg: "{{ billing.project.slug | default('exists already: see the project settings for its slug') }}"

    - name: A project of a GitHub organization
      community.circleci.circleci_project:
        organization: gh/acme
        name: api

    - name: A project on a CircleCI server release without the newer create endpoint
      community.circleci.circleci_project:
        api_url: https://circleci.example.com/api/v2
        organization: gh/acme
        name: legacy-service
        legacy_create: true

    - name: Delete a standalone project by its slug
      community.circleci.circleci_project:
        project_slug: "{{ billing.project.slug }}"
        state: absent
      when: billing.project.slug is defined
"""

RETURN = r"""
project:
  description:
    - The project. Empty when O(state=absent).
    - A standalone organization's project that existed before the run and was named by O(name) has only
      RV(project.name) and RV(project.organization_slug); so has, in check mode, a project that would be created
      (plus RV(project.slug) in a GitHub or Bitbucket organization).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the project.
      type: str
      returned: when known
      sample: 405d8375-3514-403b-8c43-83ae74cfe0e9
    slug:
      description: Slug of the project, as CircleCI gives it.
      type: str
      returned: when known
      sample: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1/405d8375-3514-403b-8c43-83ae74cfe0e9
    name:
      description: Name of the project.
      type: str
      returned: success
      sample: billing
    organization_name:
      description: Name of the organization.
      type: str
      returned: when known
    organization_slug:
      description: Slug of the organization.
      type: str
      returned: success
      sample: circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1
    organization_id:
      description: UUID of the organization.
      type: str
      returned: when known
    vcs_info:
      description: The repository (C(vcs_url), C(provider), C(default_branch)).
      type: dict
      returned: when known
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._project_admin import ProjectSpec, ensure_project
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of, spec_rules


def run(module, client):
    return ensure_project(client, ProjectSpec(module.params), module.check_mode)


def main():
    argument_spec = dict(
        organization=dict(type='str'),
        name=dict(type='str'),
        project_slug=dict(type='str'),
        legacy_create=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **spec_rules(
        exactly_one_of(('name', 'project_slug')),
        mutually_exclusive=[('organization', 'project_slug')],
        required_together=[('organization', 'name')]))


if __name__ == '__main__':
    main()
