# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pipelines and workflows: trigger requests, workflow listings, approval jobs and the wait loop.

Workflow statuses (API-NOTES.md): terminal are success, not_run, failed, error, canceled and
unauthorized; `on_hold` waits for a person (an approval job), so a wait settles there too.
"""

from __future__ import annotations

import time
from itertools import islice

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._definitions import find_definition
from ansible_collections.community.circleci.plugins.module_utils._resolve import ProjectRef, Resolver, resolve_project_id
from ansible_collections.community.circleci.plugins.module_utils._run import RunFailed
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_org_slug,
    check_parameters,
    check_project_slug,
    check_uuid,
)

TERMINAL_STATUSES = frozenset(('success', 'not_run', 'failed', 'error', 'canceled', 'unauthorized'))
# Terminal statuses that mean the workflow did not do its work (fail_on_workflow_failure).
FAILED_STATUSES = frozenset(('failed', 'error', 'canceled', 'unauthorized'))
ON_HOLD = 'on_hold'
# A pipeline in this state never gets workflows (its config did not compile, for example).
ERRORED_PIPELINE_STATES = frozenset(('errored',))

DEFAULT_WAIT_TIMEOUT = 1800
DEFAULT_POLL_INTERVAL = 5.0

REF_KEYS = ('branch', 'tag')


# --- paths --------------------------------------------------------------------------------

def pipeline_path(pipeline_id):
    return '/pipeline/%s' % quote_segment(pipeline_id)


def workflow_path(workflow_id):
    return '/workflow/%s' % quote_segment(workflow_id)


# --- input --------------------------------------------------------------------------------

def wait_argument_spec():
    """The options of the modules that can wait for workflows (trigger, workflow actions)."""
    return dict(
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='int', default=1800),
        poll_interval=dict(type='float', default=5),
        fail_on_workflow_failure=dict(type='bool', default=True),
    )


def check_wait_options(params):
    """wait_timeout and poll_interval as numbers of seconds (checked even when wait is off, so
    that a typo shows at once)."""
    timeout = params.get('wait_timeout')
    interval = params.get('poll_interval')
    if timeout is not None and timeout <= 0:
        raise ValidationError('wait_timeout', 'must be a positive number of seconds, got %s' % timeout)
    if interval is not None and interval <= 0:
        raise ValidationError('poll_interval', 'must be a positive number of seconds, got %s' % interval)
    return (DEFAULT_WAIT_TIMEOUT if timeout is None else timeout,
            DEFAULT_POLL_INTERVAL if interval is None else interval)


def _ref(params, option_prefix=''):
    """(key, value) of a branch/tag pair of options (the argument spec makes them exclusive), or None."""
    for key in REF_KEYS:
        if params.get(key) is not None:
            return (key, check_non_empty(option_prefix + key, params[key]))
    return None


class TriggerRequest:
    """The checked options of circleci_pipeline_trigger, turned into the one POST it sends.

    With definition_id or definition (a definition's name, resolved with two reads):
    POST /project/{provider}/{org}/{project}/pipeline/run {definition_id, config: {branch|tag,
    content}, checkout: {branch|tag}, parameters}; the config and checkout refs default to
    branch/tag, `config.content` is inline configuration (the API takes it there only).
    Without: the legacy POST /project/{slug}/pipeline {branch|tag, parameters}, which
    circleci/... projects (GitHub App, GitLab) cannot use.
    """

    def __init__(self, params):
        self.project_slug = check_project_slug('project_slug', params['project_slug'])
        ref = _ref(params)
        parameters = params.get('parameters')
        self.parameters = None if parameters is None else check_parameters(parameters)
        self.definition_name = params.get('definition')
        if params.get('definition_id') is None and self.definition_name is None:
            for option in ('config', 'checkout'):
                if params.get(option) is not None:
                    raise ValidationError(option, 'only applies with definition_id or definition (the pipeline run endpoint)')
            if self.project_slug.split('/', 1)[0].lower() == 'circleci':
                raise ValidationError('definition_id', "is required for '%s' (or definition, a definition's name): "
                                                       "circleci/... projects (GitHub App, GitLab, standalone) cannot use "
                                                       "the legacy trigger endpoint" % self.project_slug)
            self.path = '/project/%s/pipeline' % quote_slug(self.project_slug)
            body = dict([ref]) if ref is not None else {}
            self.expected = (201,)
        else:
            if self.definition_name is not None:
                check_non_empty('definition', self.definition_name)
            definition_id = params.get('definition_id')
            self.path = '/project/%s/pipeline/run' % quote_slug(self.project_slug)
            body = {'definition_id': None if definition_id is None else check_uuid('definition_id', definition_id)}
            for option in ('config', 'checkout'):
                given = _ref(params.get(option) or {}, option + '.') or ref
                if given is not None:
                    body[option] = dict([given])
            content = (params.get('config') or {}).get('content')
            if content is not None:
                body.setdefault('config', {})['content'] = check_non_empty('config.content', content)
            self.expected = (200, 201)
        if self.parameters is not None:
            body['parameters'] = self.parameters
        self.body = body

    def resolve(self, client):
        """The id of a definition given by name: the project's id, then its definitions (reads)."""
        if self.definition_name is None:
            return
        project_id = resolve_project_id(Resolver(client), ProjectRef({'project_slug': self.project_slug}))
        self.body['definition_id'] = find_definition(client, project_id, name=self.definition_name)['id']

    def describe(self):
        return {'method': 'POST', 'path': self.path, 'body': self.body}

    def send(self, client):
        """Trigger; returns (created pipeline answer or None, message of a pipeline not created)."""
        answer = client.post(self.path, json=self.body, expected=self.expected) or {}
        if not answer.get('id'):
            return None, answer.get('message') or 'the API created no pipeline'
        return answer, None


def trigger(client, params, check_mode):
    """Run circleci_pipeline_trigger: the module result. Raises RunFailed with the result to fail with."""
    request = TriggerRequest(params)
    timeout, interval = check_wait_options(params)
    request.resolve(client)  # reads only: the id of a definition given by name
    result = dict(changed=True, pipeline={}, workflows=[], pending_approvals=[], failed_workflows=[], request=request.describe())
    if check_mode:
        return result
    created, message = request.send(client)
    if created is None:
        return dict(result, changed=False, message=message)
    return follow_pipeline(client, created['id'], params, result, timeout, interval)


def follow_pipeline(client, pipeline_id, params, result, timeout, interval):
    """After an action started a pipeline (a trigger, a rollback): `result` with the pipeline read
    back, or with wait=true its workflows once settled, the pending approvals and the failed
    workflows. Raises RunFailed (with the result) on a timeout, an errored pipeline, or a failed
    workflow under fail_on_workflow_failure."""
    if not params['wait']:
        return dict(result, pipeline=get_pipeline(client, pipeline_id))
    rest = dict((key, value) for key, value in result.items() if key not in ('pipeline', 'workflows'))
    try:
        workflows = wait_for_pipeline(client, pipeline_id, timeout, interval)
    except WaitTimeout as exc:
        raise RunFailed(str(exc), dict(rest, pipeline=get_pipeline(client, pipeline_id), workflows=exc.last)) from None
    except PipelineErrored as exc:
        raise RunFailed(str(exc), dict(rest, pipeline=exc.pipeline, workflows=[])) from None
    result['workflows'] = workflows
    for workflow in workflows:
        if workflow.get('status') == ON_HOLD:
            result['pending_approvals'].extend(pending_approvals(workflow, list_jobs(client, workflow['id'])))
    result['pipeline'] = get_pipeline(client, pipeline_id)
    failed = failed_workflows(workflows)
    result['failed_workflows'] = [workflow.get('name') for workflow in failed]
    if failed and params['fail_on_workflow_failure']:
        raise RunFailed('pipeline %s (number %s): workflows did not succeed: %s'
                        % (pipeline_id, result['pipeline'].get('number'), describe_workflows(failed)), result)
    return result


# --- reads ------------------------------------------------------------------------------

def get_pipeline(client, pipeline_id):
    return client.get(pipeline_path(pipeline_id))


def get_workflow(client, workflow_id):
    return client.get(workflow_path(workflow_id))


def list_workflows(client, pipeline_id):
    """The workflows of a pipeline (every page)."""
    return client.get_all(pipeline_path(pipeline_id) + '/workflow')


def list_jobs(client, workflow_id):
    """The jobs of a workflow (every page)."""
    return client.get_all(workflow_path(workflow_id) + '/job')


def is_approval_job(job):
    return job.get('type') == 'approval'


def approval_request_id(job):
    """The id to approve an approval job with (on CircleCI the approval job's own id)."""
    return job.get('approval_request_id') or job.get('id')


def pending_approvals(workflow, jobs):
    """The approval jobs of `workflow` waiting for someone, as returned to users."""
    return [dict(workflow_id=workflow.get('id'), workflow_name=workflow.get('name'), job_name=job.get('name'),
                 job_id=job.get('id'), approval_request_id=approval_request_id(job))
            for job in jobs if is_approval_job(job) and job.get('status') == ON_HOLD]


def failed_workflows(workflows):
    return [workflow for workflow in workflows if workflow.get('status') in FAILED_STATUSES]


def describe_workflows(workflows):
    """`build (failed, id ...)` for each workflow, for messages."""
    return ', '.join('%s (%s, id %s)' % (workflow.get('name'), workflow.get('status'), workflow.get('id'))
                     for workflow in workflows) or 'none'


# --- circleci_pipeline_info -------------------------------------------------------------

def pipelines_request(params):
    """(single, path, query) of circleci_pipeline_info, after the checks the argument spec cannot
    declare (it declares which options go with which identity)."""
    if params['pipeline_id'] is not None:
        return True, pipeline_path(check_uuid('pipeline_id', params['pipeline_id'])), None
    if params['project_slug'] is None:
        query = {'org-slug': check_org_slug('org_slug', params['org_slug'])}
        return False, '/pipeline', dict(query, mine='true') if params['mine'] else query
    slug = quote_slug(check_project_slug('project_slug', params['project_slug']))
    if params['number'] is not None:
        if params['number'] < 1:
            raise ValidationError('number', 'must be a positive pipeline number, got %d' % params['number'])
        if params['mine']:
            raise ValidationError('mine', 'does not apply with number')
        return True, '/project/%s/pipeline/%s' % (slug, quote_segment(params['number'])), None
    if params['mine']:
        if params['branch'] is not None:
            raise ValidationError('branch', 'cannot be combined with mine (the API lists my pipelines of every branch)')
        return False, '/project/%s/pipeline/mine' % slug, {}
    query = {} if params['branch'] is None else {'branch': check_non_empty('branch', params['branch'])}
    return False, '/project/%s/pipeline' % slug, query


def read_pipelines(client, params):
    """Run circleci_pipeline_info: one pipeline, or a listing (at most `limit`), with what `include` names."""
    single, path, query = pipelines_request(params)
    limit = params['limit']
    if limit is not None and limit < 1:
        raise ValidationError('limit', 'must be 1 or more, got %d' % limit)
    if single:
        pipelines = [client.get(path)]
    else:
        items = client.paginate(path, query)
        pipelines = list(items if limit is None else islice(items, limit))
    include = params['include'] or []
    for pipeline in pipelines:
        base = pipeline_path(pipeline['id'])
        if 'config' in include:
            pipeline['config'] = client.get(base + '/config')
        if 'values' in include:  # under pipeline_values: `values` is a method of a dict to Jinja's dot notation
            pipeline['pipeline_values'] = client.get(base + '/values')
        if 'workflows' in include:
            pipeline['workflows'] = list_workflows(client, pipeline['id'])
    result = dict(changed=False, pipelines=pipelines)
    if single:
        result['pipeline'] = pipelines[0]
    return result


# --- waiting ------------------------------------------------------------------------------

class WaitTimeout(Exception):
    """The wait ended before the workflows settled; `last` holds what was seen last."""

    def __init__(self, message, last):
        super().__init__(message)
        self.last = last


class PipelineErrored(Exception):
    def __init__(self, message, pipeline):
        super().__init__(message)
        self.pipeline = pipeline


class Waiter:
    """Polls until a condition holds, sleeping `interval` seconds between polls.

    Elapsed time is the larger of the wall clock and the sum of the delays slept, so that a
    test recording sleeps instead of sleeping still reaches the timeout.
    """

    def __init__(self, client, timeout, interval):
        self.client = client
        self.timeout = timeout
        self.interval = interval
        self._start = time.monotonic()
        self._slept = 0.0

    def elapsed(self):
        return max(time.monotonic() - self._start, self._slept)

    def pause(self):
        """Sleep one interval (less if the timeout comes first); False when the time is up."""
        left = self.timeout - self.elapsed()
        if left <= 0:
            return False
        delay = min(self.interval, left)
        self.client.sleep(delay)
        self._slept += delay
        return True


def wait_for_pipeline(client, pipeline_id, timeout, interval):
    """Wait until the pipeline has workflows and each is terminal or on hold.

    Returns the workflows. Raises WaitTimeout (with the last workflows seen) or PipelineErrored.
    A freshly created pipeline has no workflows for a moment; while it has none, its state is
    read too, so that a pipeline that errored (it will never get any) fails at once.
    """
    waiter = Waiter(client, timeout, interval)
    workflows = []
    while True:
        workflows = list_workflows(client, pipeline_id)
        if workflows:
            if all(workflow.get('status') in TERMINAL_STATUSES or workflow.get('status') == ON_HOLD
                   for workflow in workflows):
                return workflows
        else:
            pipeline = get_pipeline(client, pipeline_id) or {}
            if pipeline.get('state') in ERRORED_PIPELINE_STATES:
                errors = '; '.join('%s: %s' % (error.get('type'), error.get('message')) for error in pipeline.get('errors') or ())
                raise PipelineErrored('pipeline %s is %s: %s' % (pipeline_id, pipeline.get('state'), errors or 'no error given'), pipeline)
        if not waiter.pause():
            if workflows:
                seen = 'the workflows were still %s' % describe_workflows(workflows)
            else:
                seen = 'the pipeline had no workflows yet'
            raise WaitTimeout('wait_timeout: gave up after %s seconds: %s' % (_seconds(timeout), seen), workflows)


def wait_for_workflow(client, workflow_id, timeout, interval, approved=()):
    """Wait until the workflow is terminal, or on hold for an approval other than those in
    `approved` (just approved: the status may still read on_hold for a moment).

    Returns (workflow, jobs or None). Raises WaitTimeout (with the last workflow seen).
    """
    waiter = Waiter(client, timeout, interval)
    approved = set(approved)
    while True:
        workflow = get_workflow(client, workflow_id)
        status = workflow.get('status')
        if status in TERMINAL_STATUSES:
            return workflow, None
        if status == ON_HOLD:
            jobs = list_jobs(client, workflow_id)
            if any(approval['approval_request_id'] not in approved and approval['job_id'] not in approved
                   for approval in pending_approvals(workflow, jobs)):
                return workflow, jobs
        if not waiter.pause():
            raise WaitTimeout('wait_timeout: gave up after %s seconds: workflow %s (%s) was still %s'
                              % (_seconds(timeout), workflow.get('name'), workflow_id, status), workflow)


def _seconds(value):
    return ('%g' % value) if isinstance(value, float) else str(value)
