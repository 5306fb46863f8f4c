#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_workflow
short_description: Approve, cancel or rerun a CircleCI workflow
version_added: 0.1.0
description:
  - Approve a pending approval job of a workflow, cancel a workflow, or rerun it.
  - The module reads the workflow (and its jobs) first and acts only when the action applies; otherwise it sends no
    write and reports no change. So a second approve, a cancel of a finished workflow or a rerun of a workflow that
    was already rerun report C(changed=false).
  - Optionally waits, after the action, until the workflow is finished or on hold for another approval.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.workflow.wait
  - community.circleci.workflow
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - In check mode only reads are sent; C(changed) tells whether the action would be taken.
  diff_mode:
    support: none
  idempotent:
    support: full
    details:
      - A rerun is idempotent only in the sense that a workflow that was already rerun (a newer workflow of the same
        name exists in its pipeline) is not rerun again.
options:
  action:
    description:
      - V(approve) approves one approval job of the workflow that is on hold (O(job_name) or O(approval_request_id)).
        It applies while that job is on hold; once approved (or canceled) nothing is sent.
      - V(cancel) cancels the workflow. It applies while the workflow is not finished (running, failing, on hold).
      - V(rerun) reruns the finished workflow as a new workflow of the same pipeline. It applies when the workflow
        is finished and is the latest workflow of its name in its pipeline (so it was not rerun yet); with
        O(from_failed=true), only when it V(failed) or ended in V(error).
    type: str
    required: true
    choices: [approve, cancel, rerun]
  job_name:
    description:
      - With O(action=approve), the name of the approval job to approve.
      - Exactly one of O(job_name) and O(approval_request_id) is required with O(action=approve).
    type: str
  approval_request_id:
    description:
      - With O(action=approve), the approval request id of the job to approve (on CircleCI, the id of the approval
        job), as returned in C(pending_approvals) by M(community.circleci.circleci_pipeline_trigger).
    type: str
  from_failed:
    description:
      - With O(action=rerun), rerun only the failed jobs and those that depend on them.
      - Mutually exclusive with O(jobs).
    type: bool
    default: false
  jobs:
    description:
      - With O(action=rerun), the jobs to rerun, by name or by UUID. Names are looked up in the jobs of the workflow
        (one request); an unknown name fails before any write.
    type: list
    elements: str
  enable_ssh:
    description:
      - With O(action=rerun), rerun with SSH enabled on the jobs.
    type: bool
  sparse_tree:
    description:
      - With O(action=rerun) and O(jobs), rerun only the listed jobs, not the jobs that depend on them.
    type: bool
  wait:
    description:
      - After approving or rerunning (or canceling), wait until the workflow (for a rerun, the new workflow) is
        finished, or on hold for another approval.
      - Not used when nothing was done or in check mode.
    type: bool
    default: false
  fail_on_workflow_failure:
    description:
      - With O(wait=true), fail when the workflow ends V(failed), V(error), V(canceled) or V(unauthorized).
        A workflow canceled by O(action=cancel) is not a failure.
    type: bool
    default: true
seealso:
  - module: community.circleci.circleci_pipeline_trigger
  - module: community.circleci.circleci_workflow_info
"""

EXAMPLES = r"""
- name: Approve the hold job of a workflow, then wait until the workflow succeeds
  community.circleci.circleci_workflow:
    workflow_id: "{{ run.pending_approvals[0].workflow_id }}"
    action: approve
    job_name: hold
    wait: true
    api_token: "{{ circleci_token }}"

- name: Cancel a workflow
  community.circleci.circleci_workflow:
    workflow_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    action: cancel
    api_token: "{{ circleci_token }}"

- name: Rerun the failed jobs of a workflow
  community.circleci.circleci_workflow:
    workflow_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    action: rerun
    from_failed: true
    api_token: "{{ circleci_token }}"
  register: rerun

- name: Rerun two jobs with SSH
  community.circleci.circleci_workflow:
    workflow_id: 5034460f-c7c4-4c43-9457-de07e2029e7b
    action: rerun
    jobs: [build, test]
    enable_ssh: true
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
workflow:
  description:
    - The workflow as the API returns it, read after the action (after the wait with O(wait=true)).
    - After a rerun, the new workflow (its C(id) is not O(workflow_id)); in check mode and when nothing was done,
      the workflow as read.
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
      description: Status of the workflow.
      type: str
      returned: success
      sample: success
    pipeline_id:
      description: UUID of the pipeline of the workflow.
      type: str
      returned: success
jobs:
  description: The jobs of RV(workflow), as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{name: hold, type: approval, status: success, id: 5a1e4f0c-2b3d-4e5f-8a9b-0c1d2e3f4a5b}]
action_taken:
  description: Whether the action was taken (or, in check mode, would be); the same as C(changed).
  returned: always
  type: bool
reason:
  description: Why nothing was done, when nothing was done.
  returned: when the action did not apply
  type: str
  sample: workflow is already success
rerun_workflow_id:
  description: UUID of the new workflow made by a rerun.
  returned: when a rerun was made
  type: str
pending_approvals:
  description: With O(wait=true), the approval jobs the workflow waits for at the end (see M(community.circleci.circleci_pipeline_trigger)).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import wait_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._run import action_run
from ansible_collections.community.circleci.plugins.module_utils._workflows import ACTIONS, act


def main():
    argument_spec = dict(
        workflow_id=dict(type='str', required=True),
        action=dict(type='str', required=True, choices=list(ACTIONS)),
        job_name=dict(type='str'),
        approval_request_id=dict(type='str'),
        from_failed=dict(type='bool', default=False),
        jobs=dict(type='list', elements='str'),
        enable_ssh=dict(type='bool'),
        sparse_tree=dict(type='bool'),
    )
    argument_spec.update(wait_argument_spec())
    run_module(argument_spec, action_run(act),
               mutually_exclusive=[('job_name', 'approval_request_id')],
               required_if=[('action', 'approve', ('job_name', 'approval_request_id'), True),
                            ('sparse_tree', True, ('jobs',))])


if __name__ == '__main__':
    main()
