# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The insights reports, in one table shared by circleci_insights_info and the circleci_insights lookup.

A report is one GET endpoint of the API's insights. The table says where it lives, whether it
needs a workflow name (in the path) or takes one (as a query parameter), which parameters it takes
and whether its answer is a paginated list. Both plugins validate and build the request here, so
they send the same request and return the same data for the same options.
"""

from __future__ import annotations

from datetime import timedelta

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._dates import check_date_time, check_range
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ORG_SLUG_RE,
    ValidationError,
    check_choice,
    check_non_empty,
    is_project_slug,
)

REPORTING_WINDOWS = ('last-24-hours', 'last-7-days', 'last-30-days', 'last-60-days', 'last-90-days')
GRANULARITIES = ('daily', 'hourly')
# The API accepts an end date at most 90 days after the start date.
MAX_DATE_RANGE = timedelta(days=90)

# Option name -> query parameter name. Lists are sent as repeated parameters (branches=a&branches=b).
QUERY_NAMES = dict(
    branch='branch',
    all_branches='all-branches',
    reporting_window='reporting-window',
    start_date='start-date',
    end_date='end-date',
    granularity='granularity',
    job_name='job-name',
    branches='branches',
    workflow_names='workflow-names',
    project_names='project-names',
)
PARAMETERS = tuple(QUERY_NAMES) + ('workflow_name',)

# Where the workflow name goes: None = not taken, 'path' = required (part of the path),
# 'query' = optional (sent as the workflow-name query parameter).
WORKFLOW_IN_PATH = 'path'
WORKFLOW_IN_QUERY = 'query'


class Report:
    def __init__(self, path, params=(), workflow=None, paginated=False, org_path=None, org_params=()):
        self.path = path              # with {project_slug} and, if workflow='path', {workflow_name}
        self.params = params          # option names of the query parameters it takes (project scope)
        self.workflow = workflow
        self.paginated = paginated    # the answer is {items, next_page_token}: every page is read
        self.org_path = org_path      # organization scope ({org_slug}), only for `summary`
        self.org_params = org_params


_BRANCH = ('branch', 'all_branches')

REPORTS = {
    # Project: /insights/pages/{project-slug}/summary; organization: /insights/{org-slug}/summary.
    'summary': Report('/insights/pages/{project_slug}/summary', ('reporting_window', 'branches', 'workflow_names'),
                      org_path='/insights/{org_slug}/summary', org_params=('reporting_window', 'project_names')),
    'workflows': Report('/insights/{project_slug}/workflows', _BRANCH + ('reporting_window',), paginated=True),
    'workflow_runs': Report('/insights/{project_slug}/workflows/{workflow_name}', _BRANCH + ('start_date', 'end_date'),
                            workflow=WORKFLOW_IN_PATH, paginated=True),
    'workflow_jobs': Report('/insights/{project_slug}/workflows/{workflow_name}/jobs',
                            _BRANCH + ('reporting_window', 'job_name'), workflow=WORKFLOW_IN_PATH, paginated=True),
    'workflow_summary': Report('/insights/{project_slug}/workflows/{workflow_name}/summary', _BRANCH,
                               workflow=WORKFLOW_IN_PATH),
    'test_metrics': Report('/insights/{project_slug}/workflows/{workflow_name}/test-metrics', _BRANCH,
                           workflow=WORKFLOW_IN_PATH),
    'flaky_tests': Report('/insights/{project_slug}/flaky-tests'),
    'branches': Report('/insights/{project_slug}/branches', workflow=WORKFLOW_IN_QUERY),
    # Its answer has items and next_page_token like the paginated lists (the spec lists no
    # page-token for it, and the answer has been one page): read as a list all the same.
    'job_timeseries': Report('/insights/time-series/{project_slug}/workflows/{workflow_name}/jobs',
                             ('branch', 'granularity', 'start_date', 'end_date'), workflow=WORKFLOW_IN_PATH, paginated=True),
}
REPORT_NAMES = tuple(REPORTS)


def is_org_slug(value):
    return isinstance(value, str) and bool(ORG_SLUG_RE.match(value))


class InsightsRequest:
    """One report request, checked: `path`, `query` (dict; lists are repeated parameters), `paginated`."""

    def __init__(self, path, query, paginated):
        self.path = path
        self.query = query
        self.paginated = paginated

    def fetch(self, client):
        """The API's answer: every item of every page for a paginated report, else the object."""
        if self.paginated:
            return client.get_all(self.path, self.query)
        return client.get(self.path, params=self.query)


def build_request(report_name, slug, slug_option, options):
    """Check a report's options and build its request, before anything is sent.

    `slug` is a project slug or, for `summary` only, an organization slug; `slug_option` names
    where it came from (an option, or a lookup term) for error messages. `options` maps the
    parameter option names (PARAMETERS) to their values, None = not given.
    """
    report_name = check_choice('report', report_name, REPORT_NAMES)
    report = REPORTS[report_name]
    path, allowed = _scoped_path(report, report_name, slug, slug_option)
    given = dict((name, value) for name, value in options.items() if value is not None)
    unknown = set(given) - set(PARAMETERS)
    if unknown:  # a programming error of the caller, not a user error
        raise ValueError('unknown insights parameters: %s' % ', '.join(sorted(unknown)))
    query = {}
    path = _place_workflow(report, report_name, path, given.pop('workflow_name', None), query)
    _check_taken(report, report_name, is_project_slug(slug), allowed, given)
    for name, value in given.items():
        value = _query_value(name, value)
        if value is not None:
            query[QUERY_NAMES[name]] = value
    if 'end_date' in given:
        _check_date_range(given)
    return InsightsRequest(path, query, report.paginated)


def _scoped_path(report, report_name, slug, slug_option):
    """(path with the slug, parameters the report takes in that scope): project or organization."""
    if is_project_slug(slug):
        return report.path.replace('{project_slug}', quote_slug(slug)), report.params
    if not is_org_slug(slug):
        raise ValidationError(slug_option, "'%s' is neither a project slug (gh/ORG/REPO, bb/ORG/REPO, "
                                           "circleci/ORG/PROJECT) nor an organization slug (gh/ORG, bb/ORG, circleci/ORG)" % (slug,))
    if report.org_path is None:
        raise ValidationError(slug_option, "'%s' is an organization slug: report %s needs a project slug "
                                           "(gh/ORG/REPO, bb/ORG/REPO or circleci/ORG/PROJECT); only report "
                                           "summary takes an organization" % (slug, report_name))
    return report.org_path.replace('{org_slug}', quote_slug(slug)), report.org_params


def _place_workflow(report, report_name, path, workflow_name, query):
    """The path with the workflow name in it (WORKFLOW_IN_PATH), or the query with it (WORKFLOW_IN_QUERY)."""
    if report.workflow == WORKFLOW_IN_PATH:
        if workflow_name is None:
            raise ValidationError('workflow_name', 'report %s needs workflow_name' % report_name)
        return path.replace('{workflow_name}', quote_segment(check_non_empty('workflow_name', workflow_name)))
    if report.workflow == WORKFLOW_IN_QUERY:
        if workflow_name is not None:
            query['workflow-name'] = check_non_empty('workflow_name', workflow_name)
    elif workflow_name is not None:
        raise ValidationError('workflow_name', 'does not apply to report %s' % report_name)
    return path


def _check_taken(report, report_name, project_scope, allowed, given):
    """Every given parameter is one the report takes; branch and all_branches exclude each other."""
    for name in sorted(given):
        if name not in allowed:
            takes = list(allowed) + (['workflow_name'] if report.workflow else [])
            scope = '' if project_scope else ' of an organization'
            raise ValidationError(name, 'does not apply to report %s%s (it takes %s)'
                                  % (report_name, scope, ', '.join(takes) if takes else 'no parameters'))
    if 'branch' in given and 'all_branches' in given:
        raise ValidationError('all_branches', 'branch and all_branches are mutually exclusive')


def _query_value(name, value):
    """A parameter's value as the query sends it (checked); None to leave out an empty list."""
    if name == 'reporting_window':
        return check_choice(name, value, REPORTING_WINDOWS)
    if name == 'granularity':
        return check_choice(name, value, GRANULARITIES)
    if name == 'all_branches':
        return 'true' if value else 'false'
    if name in ('branches', 'workflow_names', 'project_names'):
        values = value if isinstance(value, (list, tuple)) else [value]
        return [check_non_empty('%s[%d]' % (name, index), item) for index, item in enumerate(values)] or None
    if name in ('start_date', 'end_date'):
        check_date_time(name, value)
        return value
    return check_non_empty(name, value)


def _check_date_range(given):
    if 'start_date' not in given:
        raise ValidationError('end_date', 'needs start_date')
    length = check_range('start_date', check_date_time('start_date', given['start_date']),
                         'end_date', check_date_time('end_date', given['end_date']))
    if length > MAX_DATE_RANGE:
        raise ValidationError('end_date', 'must be at most 90 days after start_date')
