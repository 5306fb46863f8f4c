#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_job_info
short_description: Read a CircleCI job, its artifacts and its test results
version_added: 0.1.0
description:
  - Read the details of a job, and optionally its artifacts and test results (every page).
  - Name the job by O(project_slug) and O(job_number), or by O(job_id) and O(workflow_id). The API reads a job only
    by project and number; it has no read by job id, so a job id alone cannot be read and O(workflow_id) is required
    with O(job_id). The job is found in the job list of the workflow, which gives its project and number.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.job
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  include:
    description:
      - What to read besides the job details.
      - V(artifacts) - the artifacts of the job, as RV(artifacts).
      - V(tests) - the test results of the job, as RV(tests).
      - An approval job has neither; it has no job number and no details either, so for it RV(job) is the entry of the
        job list of its workflow.
    type: list
    elements: str
    choices: [artifacts, tests]
    default: []
seealso:
  - module: community.circleci.circleci_job
  - module: community.circleci.circleci_workflow_info
"""

EXAMPLES = r"""
- name: Read job 123 with its artifacts and test results
  community.circleci.circleci_job_info:
    project_slug: gh/acme/api
    job_number: 123
    include: [artifacts, tests]
    api_token: "{{ circleci_token }}"
  register: job

- name: Show the failed tests
  ansible.builtin.debug:
    msg: "{{ job.tests | selectattr('result', 'equalto', 'failure') | map(attribute='name') | list }}"

- name: Read a job found in the job list of a workflow
  community.circleci.circleci_job_info:
    job_id: 2b7d0f4e-3c1a-4f5b-9e8d-7a6b5c4d3e2f
    workflow_id: 9c0e4d2a-1b3f-4a5e-8d7c-6b5a4f3e2d1c
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
job:
  description: The job details as the API returns them (for an approval job, its entry in the job list of its workflow).
  returned: always
  type: dict
  contains:
    number:
      description: Number of the job in its project.
      type: int
      returned: success
      sample: 123
    name:
      description: Name of the job.
      type: str
      returned: success
      sample: test
    status:
      description: Status of the job.
      type: str
      returned: success
      sample: success
    web_url:
      description: URL of the job in the CircleCI app.
      type: str
      returned: success
    latest_workflow:
      description: C(id) and C(name) of the workflow of the job.
      type: dict
      returned: success
    pipeline:
      description: C(id) of the pipeline of the job.
      type: dict
      returned: success
artifacts:
  description: The artifacts of the job (C(path), C(node_index), C(url)).
  returned: when O(include) contains V(artifacts)
  type: list
  elements: dict
  sample: [{path: test-results/junit.xml, node_index: 0, url: https://output.circle-artifacts.com/output/job/0/test-results/junit.xml}]
tests:
  description: The test results of the job (C(name), C(classname), C(file), C(result), C(message), C(run_time), C(source)).
  returned: when O(include) contains V(tests)
  type: list
  elements: dict
  sample:
    - name: test_health
      classname: tests.test_service.TestService
      file: tests/test_service.py
      result: success
      message: ""
      run_time: 0.12
      source: pytest
"""

from ansible_collections.community.circleci.plugins.module_utils._jobs import (
    JOB_RULES,
    JobRef,
    job_argument_spec,
    job_artifacts,
    job_details,
    job_tests,
    workflow_job,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules


def run(module, client):
    params = module.params
    ref = JobRef(params)
    include = params['include']
    if ref.by_number:
        slug, number = ref.project_slug, ref.job_number
    else:
        entry = workflow_job(client, ref.workflow_id, ref.job_id)
        slug, number = entry.get('project_slug'), entry.get('job_number')
        if number is None:  # an approval job: no number, no details, no artifacts, no tests
            result = dict(changed=False, job=entry)
            result.update((name, []) for name in include)
            return result
    result = dict(changed=False, job=job_details(client, slug, number))
    if 'artifacts' in include:
        result['artifacts'] = job_artifacts(client, slug, number)
    if 'tests' in include:
        result['tests'] = job_tests(client, slug, number)
    return result


def main():
    argument_spec = job_argument_spec()
    argument_spec.update(
        include=dict(type='list', elements='str', choices=['artifacts', 'tests'], default=[]),
    )
    run_module(argument_spec, run, **spec_rules(JOB_RULES, required_by=dict(job_id='workflow_id')))


if __name__ == '__main__':
    main()
