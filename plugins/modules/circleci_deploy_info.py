#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_deploy_info
short_description: Read the deploy environments, components and component versions of a CircleCI organization
version_added: 0.1.0
description:
  - Read what CircleCI deploys recorded for an organization (Deploys in the web app) - its environments, its
    components (the deployable units of its projects), one component, or the versions of a component with the
    environments they were deployed to and the one that is live.
  - CircleCI records environments, components and versions from the deploy markers of jobs (C(circleci run release));
    the API only reads them, so this module has no counterpart that writes them.
  - Lists are read to the last page.
  - To put an earlier version back, see M(community.circleci.circleci_rollback).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  organization:
    description:
      - The organization, by UUID or by slug (V(gh/acme), V(bb/acme), V(circleci/ORG)).
      - The API takes organization ids; a V(gh/) or V(bb/) slug is resolved once, among the organizations of the
        token's user, and only when the report needs the id (the lists, and names to look up).
    type: str
    required: true
  report:
    description:
      - What to read.
      - V(environments) - every deploy environment of the organization (RV(environments)).
      - V(environment) - one environment, named by O(environment) (RV(environment)).
      - V(components) - every component of the organization, or of one project with O(project_slug) or O(project_id)
        (RV(components)).
      - V(component) - one component, named by O(component) (RV(component)).
      - V(component_versions) - the versions of the component named by O(component), newest deploy first, optionally
        of one environment only (O(environment)) (RV(component_versions), and RV(component)).
    type: str
    required: true
    choices: [components, component, component_versions, environments, environment]
  component:
    description:
      - The component, by UUID or by name. Required with O(report=component) and O(report=component_versions).
      - A name is looked up in the organization's components (in the project's with O(project_slug) or
        O(project_id)); components of different projects may share a name, which then fails unless the project is
        given.
      - By UUID, the component is read directly and its organization is not checked.
    type: str
  environment:
    description:
      - The environment, by UUID or by name. Required with O(report=environment); with O(report=component_versions),
        only the versions deployed to this environment are returned.
    type: str
  project_slug:
    description:
      - Only the components of this project (O(report=components)), or where to look a component name up. Resolved to
        the project's UUID with one request.
      - Mutually exclusive with O(project_id).
    type: str
  project_id:
    description:
      - UUID of the project, instead of O(project_slug).
    type: str
notes:
  - The API's component list answers C(release_count) V(0) for every component; the true count comes with the
    single component (O(report=component), also returned by O(report=component_versions)).
  - A version whose pipeline, workflow or job CircleCI did not record answers the all-zero UUID for it.
seealso:
  - module: community.circleci.circleci_rollback
  - name: Deploys overview
    description: How CircleCI tracks deploys.
    link: https://circleci.com/docs/guides/deploy/deployment-overview/
  - name: List Environments
    description: The API endpoint behind O(report=environments).
    link: https://circleci.com/docs/api/v2/index.html#operation/listEnvironments
"""

EXAMPLES = r"""
- name: The deploy environments of an organization
  community.circleci.circleci_deploy_info:
    organization: gh/acme
    report: environments
    api_token: "{{ circleci_token }}"
  register: environments

- name: The components of one project
  community.circleci.circleci_deploy_info:
    organization: gh/acme
    report: components
    project_slug: gh/acme/api
    api_token: "{{ circleci_token }}"
  register: components

- name: What runs in production, and what ran before
  community.circleci.circleci_deploy_info:
    organization: a0000000-0000-4000-8000-000000000001
    report: component_versions
    component: api
    environment: production
    api_token: "{{ circleci_token }}"
  register: api_versions

- name: Show the live version and the one before it
  ansible.builtin.debug:
    msg: >-
      live {{ (api_versions.component_versions | selectattr('is_live') | first).name }},
      before it {{ (api_versions.component_versions | rejectattr('is_live') | first).name }}
"""

RETURN = r"""
environments:
  description: The organization's deploy environments, as the API answers them.
  returned: O(report=environments)
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the environment.
      type: str
      returned: success
      sample: de000000-0000-4000-8000-000000000001
    name:
      description: Name of the environment.
      type: str
      returned: success
      sample: production
    description:
      description: Its description.
      type: str
      returned: success
    labels:
      description: Its labels, a list of C(key) and C(value).
      type: list
      elements: dict
      returned: success
      sample: [{key: tier, value: prod}]
    created_at:
      description: When CircleCI first recorded it.
      type: str
      returned: success
    updated_at:
      description: When it was last changed.
      type: str
      returned: success
environment:
  description: The environment named by O(environment) (the same keys as an item of RV(environments)).
  returned: O(report=environment)
  type: dict
  sample: {id: de000000-0000-4000-8000-000000000001, name: production, description: Customer-facing, labels: []}
components:
  description:
    - The components of the organization (or project), as the API lists them.
    - C(release_count) is V(0) in this list whatever the component's history (see the notes).
  returned: O(report=components)
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the component.
      type: str
      returned: success
      sample: de000000-0000-4000-8000-000000000101
    name:
      description: Name of the component.
      type: str
      returned: success
      sample: api
    project_id:
      description: UUID of its project (null for a component without a CircleCI project).
      type: str
      returned: success
    labels:
      description: Its labels, a list of C(key) and C(value).
      type: list
      elements: dict
      returned: success
    release_count:
      description: V(0) in the list; see RV(component.release_count).
      type: int
      returned: success
    created_at:
      description: When CircleCI first recorded it.
      type: str
      returned: success
    updated_at:
      description: When it was last changed.
      type: str
      returned: success
component:
  description:
    - The component named by O(component), read with its own request (the same keys as an item of RV(components)).
  returned: O(report=component) or O(report=component_versions)
  type: dict
  contains:
    release_count:
      description: How many times the component was deployed.
      type: int
      returned: success
      sample: 27
  sample: {id: de000000-0000-4000-8000-000000000101, name: api, project_id: a0000000-0000-4000-8000-000000000101,
           labels: [{key: team, value: backend}], release_count: 27}
component_versions:
  description: The versions of the component, newest deploy first, as the API answers them.
  returned: O(report=component_versions)
  type: list
  elements: dict
  contains:
    name:
      description: The version.
      type: str
      returned: success
      sample: 1.24.0
    environment_id:
      description: UUID of the environment it was deployed to.
      type: str
      returned: success
    namespace:
      description: The namespace it was deployed to.
      type: str
      returned: success
      sample: default
    is_live:
      description: Whether it is the version that runs in that environment and namespace now.
      type: bool
      returned: success
    pipeline_id:
      description: UUID of the pipeline that deployed it (the all-zero UUID when none was recorded).
      type: str
      returned: success
    workflow_id:
      description: UUID of the workflow that deployed it.
      type: str
      returned: success
    job_id:
      description: UUID of the job that deployed it.
      type: str
      returned: success
    job_number:
      description: Number of that job, when recorded.
      type: int
      returned: when recorded
    last_deployed_at:
      description: When it was last deployed there.
      type: str
      returned: success
"""

from ansible_collections.community.circleci.plugins.module_utils._deploy import REPORTS, deploy_info
from ansible_collections.community.circleci.plugins.module_utils._module import run_module


def run(module, client):
    return deploy_info(client, module.params)


def main():
    argument_spec = dict(
        organization=dict(type='str', required=True),
        report=dict(type='str', required=True, choices=list(REPORTS)),
        component=dict(type='str'),
        environment=dict(type='str'),
        project_slug=dict(type='str'),
        project_id=dict(type='str'),
    )
    run_module(argument_spec, run, mutually_exclusive=[('project_slug', 'project_id')],
               required_if=[('report', 'component', ('component',)), ('report', 'component_versions', ('component',)),
                            ('report', 'environment', ('environment',))])


if __name__ == '__main__':
    main()
