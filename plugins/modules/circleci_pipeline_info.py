#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_pipeline_info
short_description: Read CircleCI pipelines
version_added: 0.1.0
description:
  - Read one pipeline (by O(pipeline_id), or by O(project_slug) and O(number)), or list the pipelines of a project
    (O(project_slug), optionally of one O(branch) or only those of the token's user with O(mine=true)) or of an
    organization (O(org_slug)).
  - Listings follow every page unless O(limit) is set; the API lists the most recent pipelines first.
  - Optionally adds to each pipeline its configuration, its values and its workflows (O(include)); each costs one more
    request per pipeline.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  pipeline_id:
    description:
      - UUID of one pipeline.
      - Exactly one of O(pipeline_id), O(project_slug) and O(org_slug) is required.
    type: str
  project_slug:
    description:
      - Slug of a project, for example V(gh/acme/api). Lists its pipelines, or reads one with O(number).
    type: str
  number:
    description:
      - With O(project_slug), the number of the one pipeline to read.
    type: int
  branch:
    description:
      - With O(project_slug), list only the pipelines of this branch.
      - Mutually exclusive with O(mine) and O(number).
    type: str
  mine:
    description:
      - List only the pipelines triggered by the token's user (with O(project_slug) or O(org_slug)).
    type: bool
    default: false
  org_slug:
    description:
      - Slug of an organization, for example V(gh/acme). Lists the pipelines of its projects.
    type: str
  include:
    description:
      - What to add to each pipeline returned. V(config) adds the key C(config) (C(source), C(compiled), ...),
        V(values) the key C(pipeline_values) (the pipeline values), V(workflows) the key C(workflows) (every workflow
        of the pipeline).
    type: list
    elements: str
    choices: [config, values, workflows]
    default: []
  limit:
    description:
      - For listings, return at most this many pipelines (the most recent ones), reading no more pages than needed.
      - Without it, every page is read.
    type: int
seealso:
  - module: community.circleci.circleci_pipeline_trigger
  - module: community.circleci.circleci_workflow_info
"""

EXAMPLES = r"""
- name: Read a pipeline with its workflows
  community.circleci.circleci_pipeline_info:
    pipeline_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    include: [workflows]
    api_token: "{{ circleci_token }}"
  register: found

- name: Show the workflow statuses
  ansible.builtin.debug:
    msg: "{{ found.pipeline.workflows | items2dict(key_name='name', value_name='status') }}"

- name: Pipeline number 42 of a project, with its compiled config
  community.circleci.circleci_pipeline_info:
    project_slug: gh/acme/api
    number: 42
    include: [config]
    api_token: "{{ circleci_token }}"

- name: The last 5 pipelines of main
  community.circleci.circleci_pipeline_info:
    project_slug: gh/acme/api
    branch: main
    limit: 5
    api_token: "{{ circleci_token }}"

- name: My pipelines in the organization
  community.circleci.circleci_pipeline_info:
    org_slug: gh/acme
    mine: true
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
pipelines:
  description:
    - The pipelines found, as the API returns them, most recent first; one when a single pipeline is addressed.
    - With O(include), each has the keys C(config), C(pipeline_values) and/or C(workflows) added.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the pipeline.
      type: str
      returned: success
    number:
      description: Number of the pipeline in its project.
      type: int
      returned: success
      sample: 42
    state:
      description: State of the pipeline.
      type: str
      returned: success
      sample: created
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
    trigger:
      description: What triggered the pipeline (C(type), C(received_at), C(actor)).
      type: dict
      returned: success
    vcs:
      description: Version control information (C(branch), C(tag), C(revision), ...).
      type: dict
      returned: when the API gives it
    config:
      description: The configuration of the pipeline (C(source), C(compiled), C(setup-config), C(compiled-setup-config)).
      type: dict
      returned: when O(include) contains V(config)
    pipeline_values:
      description:
        - The pipeline values (the API's C(/pipeline/{id}/values)), for example C(pipeline.git.branch).
        - Named C(pipeline_values), not C(values), so that Jinja reads it with dot notation (C(values) is a method of
          a dictionary).
      type: dict
      returned: when O(include) contains V(values)
    workflows:
      description: The workflows of the pipeline.
      type: list
      elements: dict
      returned: when O(include) contains V(workflows)
pipeline:
  description: The one pipeline addressed by O(pipeline_id) or by O(project_slug) and O(number) (the same as C(pipelines[0])).
  returned: when O(pipeline_id) or O(number) is set
  type: dict
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import read_pipelines
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of, spec_rules


def run(module, client):
    return read_pipelines(client, module.params)


def main():
    argument_spec = dict(
        pipeline_id=dict(type='str'),
        project_slug=dict(type='str'),
        number=dict(type='int'),
        branch=dict(type='str'),
        mine=dict(type='bool', default=False),
        org_slug=dict(type='str'),
        include=dict(type='list', elements='str', choices=['config', 'values', 'workflows'], default=[]),
        limit=dict(type='int'),
    )
    run_module(argument_spec, run, **spec_rules(exactly_one_of(('pipeline_id', 'project_slug', 'org_slug')),
                                                mutually_exclusive=[('number', 'branch')],
                                                required_by=dict(number='project_slug', branch='project_slug'),
                                                required_if=[('mine', True, ('project_slug', 'org_slug'), True)]))


if __name__ == '__main__':
    main()
