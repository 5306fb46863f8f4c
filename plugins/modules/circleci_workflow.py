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
  workflow_id:
    description:
      - UUID of the workflow.
    type: str
    required: true
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
  wait_timeout:
    description:
      - How long to wait, in seconds, with O(wait=true). When the time is up, the module fails naming the status it saw.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between two reads of the workflow while waiting.
    type: float
    default: 5
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
from ansible_collections.community.circleci.plugins.module_utils._pipelines import (
    TERMINAL_STATUSES,
    WaitTimeout,
    approval_request_id,
    check_wait_options,
    get_workflow,
    is_approval_job,
    list_jobs,
    list_workflows,
    pending_approvals,
    wait_for_workflow,
    workflow_path,
    FAILED_STATUSES,
    ON_HOLD,
    wait_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_uuid,
    is_uuid,
)

RERUN_FROM_FAILED_STATUSES = frozenset(('failed', 'error'))
APPROVE_OPTIONS = ('job_name', 'approval_request_id')
RERUN_OPTIONS = ('from_failed', 'jobs', 'enable_ssh', 'sparse_tree')


def check_params(params):
    workflow_id = check_uuid('workflow_id', params['workflow_id'])
    action = params['action']
    for option in APPROVE_OPTIONS:
        if params[option] is not None and action != 'approve':
            raise ValidationError(option, 'only applies with action=approve')
    for option in RERUN_OPTIONS:
        if params[option] not in (None, False) and action != 'rerun':
            raise ValidationError(option, 'only applies with action=rerun')
    if action == 'approve':
        if params['job_name'] is None and params['approval_request_id'] is None:
            raise ValidationError('job_name', 'action=approve needs job_name or approval_request_id')
        if params['job_name'] is not None:
            check_non_empty('job_name', params['job_name'])
        if params['approval_request_id'] is not None:
            check_uuid('approval_request_id', params['approval_request_id'])
    if params['jobs'] is not None:
        if not params['jobs']:
            raise ValidationError('jobs', 'must list at least one job name or UUID')
        for index, job in enumerate(params['jobs']):
            check_non_empty('jobs[%d]' % index, job)
    if params['from_failed'] and params['jobs']:
        raise ValidationError('from_failed', 'from_failed and jobs are mutually exclusive')
    if params['sparse_tree'] and not params['jobs']:
        raise ValidationError('sparse_tree', 'only applies with jobs')
    return workflow_id, action


def plan_approve(params, workflow, jobs):
    """(approval job to approve or None, reason when None)."""
    if params['job_name'] is not None:
        option, matches = 'job_name', [job for job in jobs if job.get('name') == params['job_name']]
    else:
        wanted = params['approval_request_id'].lower()
        option, matches = 'approval_request_id', [job for job in jobs if wanted in (approval_request_id(job), job.get('id'))]
    if not matches:
        names = sorted(job.get('name') for job in jobs if is_approval_job(job))
        raise ValidationError(option, "workflow %s (%s) has no such job; its approval jobs: %s"
                                      % (workflow.get('name'), workflow.get('id'), ', '.join(names) or 'none'))
    approvals = [job for job in matches if is_approval_job(job)]
    if not approvals:
        raise ValidationError(option, "job '%s' of workflow %s is not an approval job" % (matches[0].get('name'), workflow.get('name')))
    pending = [job for job in approvals if job.get('status') == ON_HOLD]
    if not pending:
        return None, "approval job '%s' is %s, not on_hold" % (approvals[0].get('name'), approvals[0].get('status'))
    return pending[0], None


def plan_rerun(params, client, workflow):
    """(None, reason) when the rerun does not apply, else (body, None)."""
    status = workflow.get('status')
    if status not in TERMINAL_STATUSES:
        return None, 'workflow is %s, not finished' % status
    if params['from_failed'] and status not in RERUN_FROM_FAILED_STATUSES:
        return None, 'workflow is %s: from_failed applies to failed workflows only' % status
    siblings = list_workflows(client, workflow['pipeline_id'])
    newer = [other for other in siblings if is_later_run(other, workflow)]
    if newer:
        return None, 'workflow was already rerun as %s' % newer[-1].get('id')
    body = {}
    if params['from_failed']:
        body['from_failed'] = True
    if params['jobs']:
        body['jobs'] = resolve_jobs(params['jobs'], list_jobs(client, workflow['id']), workflow)
    for option in ('enable_ssh', 'sparse_tree'):
        if params[option] is not None:
            body[option] = params[option]
    return body, None


def is_later_run(other, workflow):
    """Whether OTHER is a run of the same workflow made after WORKFLOW (a rerun of it)."""
    same = other.get('name') == workflow.get('name') and other.get('id') != workflow.get('id')
    return same and (other.get('created_at') or '') > (workflow.get('created_at') or '')


def resolve_jobs(wanted, jobs, workflow):
    ids = []
    by_name = dict((job.get('name'), job.get('id')) for job in jobs)
    known_ids = set(job.get('id') for job in jobs)
    for index, value in enumerate(wanted):
        if is_uuid(value) and value.lower() in known_ids:
            ids.append(value.lower())
        elif value in by_name:
            ids.append(by_name[value])
        else:
            raise ValidationError('jobs[%d]' % index, "'%s' is neither the name nor the id of a job of workflow %s; its jobs: %s"
                                  % (value, workflow.get('name'), ', '.join(sorted(by_name)) or 'none'))
    return ids


def run(module, client):
    params = module.params
    workflow_id, action = check_params(params)
    timeout, interval = check_wait_options(params)
    workflow = get_workflow(client, workflow_id)
    jobs = None
    target_id = workflow_id
    approved = ()
    if action == 'approve':
        jobs = list_jobs(client, workflow_id)
        job, reason = plan_approve(params, workflow, jobs)
        write = None if job is None else lambda: client.post(
            '%s/approve/%s' % (workflow_path(workflow_id), quote_segment(approval_request_id(job))), expected=(202,))
        if job is not None:
            approved = (approval_request_id(job), job.get('id'))
    elif action == 'cancel':
        status = workflow.get('status')
        reason = None if status not in TERMINAL_STATUSES else 'workflow is already %s' % status
        write = None if reason else lambda: client.post(workflow_path(workflow_id) + '/cancel', expected=(202,))
    else:
        body, reason = plan_rerun(params, client, workflow)
        write = None if reason else lambda: client.post(workflow_path(workflow_id) + '/rerun', json=body, expected=(202,))
    result = dict(changed=reason is None, action_taken=reason is None, pending_approvals=[])
    if reason is not None:
        result['reason'] = reason
    if reason is not None or module.check_mode:
        if jobs is None:
            jobs = list_jobs(client, workflow_id)
        return dict(result, workflow=workflow, jobs=jobs)
    answer = write() or {}
    if action == 'rerun':
        target_id = answer.get('workflow_id') or workflow_id
        result['rerun_workflow_id'] = target_id
    if params['wait']:
        try:
            workflow, jobs = wait_for_workflow(client, target_id, timeout, interval, approved=approved)
        except WaitTimeout as exc:
            module.fail_json(msg=str(exc), workflow=exc.last, jobs=list_jobs(client, target_id), **result)
    else:
        workflow, jobs = get_workflow(client, target_id), None
    if jobs is None:
        jobs = list_jobs(client, target_id)
    result.update(workflow=workflow, jobs=jobs)
    if params['wait']:
        result['pending_approvals'] = [approval for approval in pending_approvals(workflow, jobs)
                                       if approval['approval_request_id'] not in approved] if workflow.get('status') == ON_HOLD else []
        status = workflow.get('status')
        if status in FAILED_STATUSES and params['fail_on_workflow_failure'] and not (action == 'cancel' and status == 'canceled'):
            module.fail_json(msg='workflow %s (%s) did not succeed: it is %s' % (workflow.get('name'), workflow.get('id'), status), **result)
    return result


def main():
    argument_spec = dict(
        workflow_id=dict(type='str', required=True),
        action=dict(type='str', required=True, choices=['approve', 'cancel', 'rerun']),
        job_name=dict(type='str'),
        approval_request_id=dict(type='str'),
        from_failed=dict(type='bool', default=False),
        jobs=dict(type='list', elements='str'),
        enable_ssh=dict(type='bool'),
        sparse_tree=dict(type='bool'),
    )
    argument_spec.update(wait_argument_spec())
    run_module(argument_spec, run, mutually_exclusive=[('job_name', 'approval_request_id')])


if __name__ == '__main__':
    main()
