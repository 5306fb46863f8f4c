#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_rollback
short_description: Roll a deployed component back to an earlier version with the project's rollback pipeline
version_added: 0.1.0
description:
  - Ask CircleCI to roll a component of a project back, in one environment, from the version that runs there to an
    earlier one (C(POST /projects/{project_id}/rollback)). CircleCI starts the project's rollback pipeline, which
    deploys O(target_version); the module returns that pipeline, and optionally waits for its workflows.
  - The project needs a rollback pipeline (see the rollback guide below), and the component, the environment and both
    versions must be known to CircleCI deploys (see M(community.circleci.circleci_deploy_info)); otherwise the API
    refuses the request and the module fails with its answer.
  - A rollback is an action, not a state; every run that is not in check mode starts a rollback and reports a change.
  - With O(wait=true), the module waits until every workflow of the rollback pipeline is finished or on hold, as
    M(community.circleci.circleci_pipeline_trigger) does.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.workflow.wait
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is sent, not even a read; RV(request) shows the request that would be sent.
  diff_mode:
    support: none
  idempotent:
    support: none
    details:
      - Each run starts a rollback pipeline.
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api). It is resolved to the project UUID with one request.
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - UUID of the project.
    type: str
  environment_name:
    description:
      - The environment to roll back, by name, for example V(production).
    type: str
    required: true
  component_name:
    description:
      - The component to roll back, by name (a component of this project).
    type: str
    required: true
  current_version:
    description:
      - The version that runs in the environment now.
    type: str
    required: true
  target_version:
    description:
      - The version to go back to (a version that was deployed to that environment before).
    type: str
    required: true
  namespace:
    description:
      - The namespace the versions were deployed to, when the component is deployed to several namespaces of the
        environment.
    type: str
  reason:
    description:
      - Why the rollback is made; CircleCI records it with the rollback.
    type: str
  parameters:
    description:
      - Extra pipeline parameters for the rollback pipeline. Values are strings, integers or booleans.
      - At most 100 parameters, names of at most 128 characters, string values of at most 512 characters; checked
        before any request.
    type: dict
  wait:
    description:
      - Wait until every workflow of the rollback pipeline is finished (terminal) or on hold.
      - By default the module returns as soon as the pipeline is started.
    type: bool
    default: false
  fail_on_workflow_failure:
    description:
      - With O(wait=true), fail when a workflow ends V(failed), V(error), V(canceled) or V(unauthorized), naming the
        workflows. RV(pipeline) and RV(workflows) are returned all the same.
    type: bool
    default: true
notes:
  - The rollback request is retried after HTTP 429 (the API did not act on it), but not after a lost answer
    (dropped connection, HTTP 500, 502, 503 or 504), because sending it again could start a second rollback; the task
    fails instead, saying that the request may have been applied. Check the project's pipelines before running it again.
  - When the API answers a C(rollback_type) other than V(PIPELINE), the module returns that answer in RV(rollback)
    and reads or waits for nothing.
seealso:
  - module: community.circleci.circleci_deploy_info
  - module: community.circleci.circleci_pipeline_trigger
  - name: Rollback a deployment
    description: Setting up a rollback pipeline, and rolling back from the web app.
    link: https://circleci.com/docs/deploy/set-up-rollbacks
  - name: Rollback a project
    description: The API endpoint.
    link: https://circleci.com/docs/api/v2/index.html#operation/rollbackProject
"""

EXAMPLES = r"""
- name: Find the live version of api in production and the one before it
  community.circleci.circleci_deploy_info:
    organization: gh/acme
    report: component_versions
    component: api
    environment: production
    api_token: "{{ circleci_token }}"
  register: api_versions

- name: Roll api back to the previous version, and wait for the rollback pipeline
  community.circleci.circleci_rollback:
    project_slug: gh/acme/api
    environment_name: production
    component_name: api
    current_version: "{{ (api_versions.component_versions | selectattr('is_live') | first).name }}"
    target_version: "{{ (api_versions.component_versions | rejectattr('is_live') | first).name }}"
    reason: Error rate above 5% after the release
    wait: true
    wait_timeout: 1200
    api_token: "{{ circleci_token }}"
  register: rolled_back

- name: Roll back a component of one namespace, passing a parameter to the rollback pipeline
  community.circleci.circleci_rollback:
    project_id: a0000000-0000-4000-8000-000000000101
    environment_name: production
    component_name: worker
    namespace: jobs
    current_version: 2.1.0
    target_version: 2.0.0
    parameters:
      drain_queues: true
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
rollback:
  description: The API's answer to the rollback request. Empty in check mode.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the rollback pipeline (with C(rollback_type) V(PIPELINE)).
      type: str
      returned: success
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    rollback_type:
      description: How CircleCI rolls back.
      type: str
      returned: success
      sample: PIPELINE
pipeline:
  description:
    - The rollback pipeline as read after starting it (after the wait, with O(wait=true)), as the API returns it.
    - Empty in check mode.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the pipeline.
      type: str
      returned: success
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    number:
      description: Number of the pipeline in its project.
      type: int
      returned: success
      sample: 26
    state:
      description: State of the pipeline.
      type: str
      returned: success
      sample: created
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
      sample: gh/acme/api
workflows:
  description:
    - The workflows of the rollback pipeline as last read (C(id), C(name), C(status), ...).
    - Empty without O(wait=true).
  returned: always
  type: list
  elements: dict
  sample: [{id: 9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11, name: rollback, status: success}]
pending_approvals:
  description:
    - With O(wait=true), the approval jobs the rollback pipeline waits for, one entry per job (C(workflow_id),
      C(workflow_name), C(job_name), C(job_id), C(approval_request_id)), as
      M(community.circleci.circleci_pipeline_trigger) returns them.
  returned: always
  type: list
  elements: dict
failed_workflows:
  description: With O(wait=true), the names of the workflows that ended V(failed), V(error), V(canceled) or V(unauthorized).
  returned: always
  type: list
  elements: str
  sample: [rollback]
request:
  description:
    - The request sent (in check mode, the one that would be sent).
    - In check mode with O(project_slug), the project's UUID is not read; the path names the slug instead.
  returned: always
  type: dict
  sample: {method: POST, path: /projects/a0000000-0000-4000-8000-000000000101/rollback,
           body: {environment_name: production, component_name: api, current_version: 1.24.0, target_version: 1.23.0}}
message:
  description: Why nothing was read or waited for, when the API answered a C(rollback_type) other than V(PIPELINE).
  returned: when the rollback is not a pipeline
  type: str
"""

from ansible_collections.community.circleci.plugins.module_utils._deploy import rollback
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import wait_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._run import action_run
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules
from ansible_collections.community.circleci.plugins.module_utils._resolve import PROJECT_REF_RULES, project_ref_argument_spec


def main():
    argument_spec = project_ref_argument_spec()
    argument_spec.update(
        environment_name=dict(type='str', required=True),
        component_name=dict(type='str', required=True),
        current_version=dict(type='str', required=True),
        target_version=dict(type='str', required=True),
        namespace=dict(type='str'),
        reason=dict(type='str'),
        parameters=dict(type='dict'),
    )
    argument_spec.update(wait_argument_spec())
    run_module(argument_spec, action_run(rollback), **spec_rules(PROJECT_REF_RULES))


if __name__ == '__main__':
    main()
