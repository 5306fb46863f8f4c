# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Workflow actions (circleci_workflow): approve, cancel, rerun, each sent only where it applies.

The workflow (and its jobs) is read first; an action that does not apply (an approval job no
longer on hold, a finished workflow to cancel, a workflow already rerun) sends no write and
says why (`reason`). After the action the module can wait until the workflow settles.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._pipelines import (
    FAILED_STATUSES,
    ON_HOLD,
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
)
from ansible_collections.community.circleci.plugins.module_utils._run import RunFailed
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_only_with,
    check_uuid,
    is_uuid,
)

ACTIONS = ('approve', 'cancel', 'rerun')
RERUN_FROM_FAILED_STATUSES = frozenset(('failed', 'error'))
APPROVE_OPTIONS = ('job_name', 'approval_request_id')
RERUN_OPTIONS = ('from_failed', 'jobs', 'enable_ssh', 'sparse_tree')

# What an action would do: `write` sends it (None when it does not apply, see `reason`), `jobs`
# the jobs read while planning (None = not read), `approved` the ids of the approval it sends.
Plan = namedtuple('Plan', ['write', 'reason', 'jobs', 'approved'])


def check_params(params):
    """(workflow_id, action), after the checks the argument spec cannot declare."""
    workflow_id = check_uuid('workflow_id', params['workflow_id'])
    check_only_with(params, APPROVE_OPTIONS, 'action', 'approve')
    check_only_with(params, RERUN_OPTIONS, 'action', 'rerun')
    if params['job_name'] is not None:
        check_non_empty('job_name', params['job_name'])
    if params['approval_request_id'] is not None:
        check_uuid('approval_request_id', params['approval_request_id'])
    if params['jobs'] is not None:
        if not params['jobs']:
            raise ValidationError('jobs', 'must list at least one job name or UUID')
        for index, job in enumerate(params['jobs']):
            check_non_empty('jobs[%d]' % index, job)
        if params['from_failed']:
            raise ValidationError('from_failed', 'from_failed and jobs are mutually exclusive')
    return workflow_id, params['action']


# --- planning -----------------------------------------------------------------------------------

def pick_approval(params, workflow, jobs):
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


def plan_approve(client, params, workflow):
    jobs = list_jobs(client, workflow['id'])
    job, reason = pick_approval(params, workflow, jobs)
    if job is None:
        return Plan(None, reason, jobs, ())
    path = '%s/approve/%s' % (workflow_path(workflow['id']), quote_segment(approval_request_id(job)))
    return Plan(lambda: client.post(path, expected=(202,)), None, jobs, (approval_request_id(job), job.get('id')))


def plan_cancel(client, params, workflow):
    status = workflow.get('status')
    if status in TERMINAL_STATUSES:
        return Plan(None, 'workflow is already %s' % status, None, ())
    return Plan(lambda: client.post(workflow_path(workflow['id']) + '/cancel', expected=(202,)), None, None, ())


def plan_rerun(client, params, workflow):
    status = workflow.get('status')
    if status not in TERMINAL_STATUSES:
        return Plan(None, 'workflow is %s, not finished' % status, None, ())
    if params['from_failed'] and status not in RERUN_FROM_FAILED_STATUSES:
        return Plan(None, 'workflow is %s: from_failed applies to failed workflows only' % status, None, ())
    newer = [other for other in list_workflows(client, workflow['pipeline_id']) if is_later_run(other, workflow)]
    if newer:
        return Plan(None, 'workflow was already rerun as %s' % newer[-1].get('id'), None, ())
    body = dict((option, params[option]) for option in ('enable_ssh', 'sparse_tree') if params[option] is not None)
    if params['from_failed']:
        body['from_failed'] = True
    if params['jobs']:
        body['jobs'] = resolve_jobs(params['jobs'], list_jobs(client, workflow['id']), workflow)
    return Plan(lambda: client.post(workflow_path(workflow['id']) + '/rerun', json=body, expected=(202,)), None, None, ())


def resolve_jobs(wanted, jobs, workflow):
    """Job names or UUIDs of the workflow as job UUIDs; an unknown one is an error naming it."""
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


def is_later_run(other, workflow):
    """Whether OTHER is a run of the same workflow made after WORKFLOW (a rerun of it)."""
    same = other.get('name') == workflow.get('name') and other.get('id') != workflow.get('id')
    return same and (other.get('created_at') or '') > (workflow.get('created_at') or '')


PLANS = dict(approve=plan_approve, cancel=plan_cancel, rerun=plan_rerun)


# --- acting -----------------------------------------------------------------------------------

def act(client, params, check_mode):
    """Run circleci_workflow: the module result. Raises RunFailed with the result to fail with."""
    workflow_id, action = check_params(params)
    timeout, interval = check_wait_options(params)
    workflow = get_workflow(client, workflow_id)
    plan = PLANS[action](client, params, workflow)
    result = dict(changed=plan.reason is None, action_taken=plan.reason is None, pending_approvals=[])
    if plan.reason is not None or check_mode:
        if plan.reason is not None:
            result['reason'] = plan.reason
        return dict(result, workflow=workflow, jobs=list_jobs(client, workflow_id) if plan.jobs is None else plan.jobs)
    answer = plan.write() or {}
    target_id = workflow_id
    if action == 'rerun':
        target_id = result['rerun_workflow_id'] = answer.get('workflow_id') or workflow_id
    if not params['wait']:
        return dict(result, workflow=get_workflow(client, target_id), jobs=list_jobs(client, target_id))
    return wait_after(client, params, target_id, plan.approved, result, (timeout, interval))


def wait_after(client, params, target_id, approved, result, wait):
    """Wait for the workflow acted on; fail (RunFailed) on a timeout, or when it did not succeed
    and fail_on_workflow_failure is set (a cancel that ends canceled did succeed)."""
    try:
        workflow, jobs = wait_for_workflow(client, target_id, wait[0], wait[1], approved=approved)
    except WaitTimeout as exc:
        raise RunFailed(str(exc), dict(result, workflow=exc.last, jobs=list_jobs(client, target_id))) from None
    result.update(workflow=workflow, jobs=list_jobs(client, target_id) if jobs is None else jobs)
    status = workflow.get('status')
    if status == ON_HOLD:
        result['pending_approvals'] = [approval for approval in pending_approvals(workflow, result['jobs'])
                                       if approval['approval_request_id'] not in approved]
    if status in FAILED_STATUSES and params['fail_on_workflow_failure'] and not (params['action'] == 'cancel' and status == 'canceled'):
        raise RunFailed('workflow %s (%s) did not succeed: it is %s' % (workflow.get('name'), workflow.get('id'), status), result)
    return result
