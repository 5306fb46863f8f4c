# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs: how one is named (job_id [+ workflow_id] or project_slug + job_number), read and canceled.

The API reads a job only by project slug and job number (GET /project/{slug}/job/{number}); there
is no GET by job id. A job id is found in the job list of its workflow (GET /workflow/{id}/job),
which gives its status, number and project slug: that is why job_id comes with workflow_id
wherever the job must be read.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_project_slug,
    check_uuid,
)

# Statuses of a job that has not ended, in which a cancel applies.
CANCELLABLE_STATUSES = frozenset(('running', 'queued', 'not_running', 'on_hold', 'blocked'))


def job_argument_spec():
    """The options that name one job (a fresh dict; doc fragment community.circleci.job); JOB_RULES
    are their rules."""
    return dict(project_slug=dict(type='str'), job_number=dict(type='int'), job_id=dict(type='str'), workflow_id=dict(type='str'))


JOB_RULES = dict(
    mutually_exclusive=[('job_id', 'project_slug'), ('job_id', 'job_number'), ('workflow_id', 'project_slug')],
    required_one_of=[('job_id', 'project_slug')],
    required_together=[('project_slug', 'job_number')],
)


class JobRef:
    """The job named by the options: `job_id` (+ `workflow_id`), or `project_slug` + `job_number`
    (the argument spec declares that exactly one of the two forms is given)."""

    def __init__(self, params):
        self.job_id = None if params.get('job_id') is None else check_uuid('job_id', params['job_id'])
        self.workflow_id = None if params.get('workflow_id') is None else check_uuid('workflow_id', params['workflow_id'])
        self.project_slug = params.get('project_slug')
        self.job_number = params.get('job_number')
        if self.job_id is None:
            check_project_slug('project_slug', self.project_slug)
            if self.job_number < 1:
                raise ValidationError('job_number', 'must be 1 or more, got %d' % self.job_number)

    @property
    def by_number(self):
        return self.job_id is None

    def details_path(self):
        return '/project/%s/job/%d' % (quote_slug(self.project_slug), self.job_number)

    def cancel_path(self):
        if self.by_number:
            return self.details_path() + '/cancel'
        return '/jobs/%s/cancel' % quote_segment(self.job_id)


def workflow_job(client, workflow_id, job_id):
    """The job `job_id` in the job list of workflow `workflow_id` (every page); ValidationError if absent."""
    for job in client.paginate('/workflow/%s/job' % quote_segment(workflow_id)):
        if str(job.get('id', '')).lower() == job_id:
            return job
    raise ValidationError('job_id', 'job %s is not a job of workflow %s' % (job_id, workflow_id))


def job_details(client, project_slug, job_number):
    return client.get('/project/%s/job/%d' % (quote_slug(project_slug), job_number))


def job_artifacts(client, project_slug, job_number):
    return client.get_all('/project/%s/%d/artifacts' % (quote_slug(project_slug), job_number))


def job_tests(client, project_slug, job_number):
    return client.get_all('/project/%s/%d/tests' % (quote_slug(project_slug), job_number))
