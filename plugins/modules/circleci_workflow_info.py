#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_workflow_info
short_description: Read a CircleCI workflow and its jobs
version_added: 0.1.0
description:
  - Read one workflow and all of its jobs (every page).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.workflow
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
seealso:
  - module: community.circleci.circleci_workflow
  - module: community.circleci.circleci_pipeline_info
"""

EXAMPLES = r"""
- name: Read a workflow
  community.circleci.circleci_workflow_info:
    workflow_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    api_token: "{{ circleci_token }}"
  register: wf

- name: Wait until the workflow is finished
  community.circleci.circleci_workflow_info:
    workflow_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    api_token: "{{ circleci_token }}"
  register: wf
  until: wf.workflow.status not in ['running', 'failing', 'on_hold']
  retries: 60
  delay: 10

- name: Show the failed jobs
  ansible.builtin.debug:
    msg: "{{ wf.jobs | selectattr('status', 'equalto', 'failed') | map(attribute='name') | list }}"
"""

RETURN = r"""
workflow:
  description: The workflow, as the API returns it.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the workflow.
      type: str
      returned: success
    name:
      description: Name of the workflow.
      type: str
      returned: success
      sample: build
    status:
      description:
        - Status of the workflow, one of V(success), V(running), V(not_run), V(failed), V(error), V(failing),
          V(on_hold), V(canceled), V(unauthorized).
      type: str
      returned: success
      sample: on_hold
    pipeline_id:
      description: UUID of the pipeline of the workflow.
      type: str
      returned: success
    pipeline_number:
      description: Number of the pipeline of the workflow.
      type: int
      returned: success
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
    created_at:
      description: When the workflow was created.
      type: str
      returned: success
    stopped_at:
      description: When the workflow stopped, or null.
      type: str
      returned: success
jobs:
  description:
    - The jobs of the workflow, as the API returns them (C(id), C(name), C(type), C(status), C(job_number),
      C(approval_request_id) for approval jobs, ...).
  returned: always
  type: list
  elements: dict
  sample: [{name: build, type: build, status: success, job_number: 12}]
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import get_workflow, list_jobs
from ansible_collections.community.circleci.plugins.module_utils._validate import check_uuid


def run(module, client):
    workflow_id = check_uuid('workflow_id', module.params['workflow_id'])
    workflow = get_workflow(client, workflow_id)
    return dict(changed=False, workflow=workflow, jobs=list_jobs(client, workflow_id))


def main():
    run_module(dict(workflow_id=dict(type='str', required=True)), run)


if __name__ == '__main__':
    main()
