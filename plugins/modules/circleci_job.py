#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_job
short_description: Cancel a CircleCI job
version_added: 0.1.0
description:
  - Cancel a job that has not ended yet (running, queued, not running, on hold or blocked).
  - The module reads the job first and cancels it only when the cancel applies; a job that has ended is left alone
    and the module reports no change, so a second run reports C(changed=false).
  - Name the job by O(project_slug) and O(job_number), or by O(job_id) and O(workflow_id). The API reads a job only
    by project and number, or in the job list of its workflow; it has no read by job id. With O(workflow_id) the job
    is read, so no cancel is sent when it has ended, and check mode can tell whether it would be canceled.
  - O(job_id) alone is accepted, for a job whose workflow is not known. The job cannot be read then, so the cancel is
    sent; the API refuses to cancel a job that has ended (HTTP 400, for example C(Job test has already finished)), and
    the module then reports no change with the API's words as RV(reason). In check mode the job cannot be read
    without being canceled, so C(changed) is V(true) and a warning says so.
  - Likewise, when a job ends between the read and the cancel, the API's refusal is reported as no change.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.job
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - In check mode only reads are sent; C(changed) tells whether the job would be canceled.
      - With O(job_id) alone nothing is sent in check mode, and C(changed) is V(true) (the job cannot be read).
  diff_mode:
    support: none
  idempotent:
    support: full
    details:
      - A job that has ended is not canceled again; with O(job_id) alone the API's refusal tells so.
options:
  action:
    description:
      - What to do with the job. V(cancel) applies while the job has not ended.
    type: str
    choices: [cancel]
    default: cancel
seealso:
  - module: community.circleci.circleci_job_info
  - module: community.circleci.circleci_workflow
"""

EXAMPLES = r"""
- name: Cancel job 123 of a project, if it is still running
  community.circleci.circleci_job:
    project_slug: gh/acme/api
    job_number: 123
    api_token: "{{ circleci_token }}"

- name: Cancel the test job of a workflow
  community.circleci.circleci_job:
    job_id: "{{ (wf.jobs | selectattr('name', 'equalto', 'test') | first).id }}"
    workflow_id: "{{ wf.workflow.id }}"
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
job:
  description:
    - The job, read after the cancel (in check mode and when nothing was done, as read before).
    - With O(project_slug) and O(job_number), the job details as the API returns them; with O(workflow_id), the job
      as the job list of the workflow returns it; with O(job_id) alone, only C(id).
    - A cancel takes effect within moments, so a job read right after its cancel may still show its former status.
  returned: always
  type: dict
  contains:
    status:
      description: Status of the job.
      type: str
      returned: when read
      sample: canceled
action_taken:
  description: Whether the cancel was sent (or, in check mode, would be); the same as C(changed).
  returned: always
  type: bool
reason:
  description: Why nothing was done, when nothing was done.
  returned: when the cancel did not apply
  type: str
  sample: job is already success
message:
  description: The API's answer to the cancel.
  returned: when the cancel was sent
  type: str
  sample: Job cancelled.
"""

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._jobs import (
    CANCELLABLE_STATUSES,
    JOB_RULES,
    JobRef,
    job_argument_spec,
    job_details,
    workflow_job,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import spec_rules


def read(client, ref):
    if ref.by_number:
        return job_details(client, ref.project_slug, ref.job_number)
    if ref.workflow_id is not None:
        return workflow_job(client, ref.workflow_id, ref.job_id)
    return None


def run(module, client):
    ref = JobRef(module.params)
    job = read(client, ref)
    if job is None:
        job, reason = {'id': ref.job_id}, None
        if module.check_mode:
            module.warn('with job_id alone the job cannot be read (the API has no read by job id), so check mode '
                        'cannot tell whether it would be canceled; give workflow_id too, or project_slug and job_number')
    else:
        status = job.get('status')
        reason = None if status in CANCELLABLE_STATUSES else 'job is already %s' % status
    if reason is None and not module.check_mode:
        try:
            answer = client.post(ref.cancel_path(), expected=(200,)) or {}
        except CircleCIError as exc:
            if exc.status != 400:
                raise
            # The API refuses to cancel a job that has ended (it ended since the read, or it
            # could not be read): nothing was done.
            reason = exc.message
        else:
            return dict(changed=True, action_taken=True, job=read(client, ref) or job, message=answer.get('message', ''))
    if reason is not None:
        return dict(changed=False, action_taken=False, job=job, reason=reason)
    return dict(changed=True, action_taken=True, job=job)


def main():
    argument_spec = job_argument_spec()
    argument_spec.update(
        action=dict(type='str', choices=['cancel'], default='cancel'),
    )
    run_module(argument_spec, run, **spec_rules(JOB_RULES, required_by=dict(workflow_id='job_id')))


if __name__ == '__main__':
    main()
