# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_insights_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

FLAKY = {'flaky_tests': [{'test_name': 'test_retry', 'classname': 'tests.TestRetry', 'times_flaked': 2}], 'total_flaky_tests': 1}
WF_A = {'name': 'build', 'metrics': {'total_runs': 3}}
WF_B = {'name': 'lint', 'metrics': {'total_runs': 2}}


def test_flaky_tests_is_the_object_the_api_answers(api, run_module):
    api.expect(call('GET', '/insights/gh/acme/api/flaky-tests', body=FLAKY))
    result = run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'flaky_tests'}, check_mode=True)
    assert result['changed'] is False
    assert result['report'] == 'flaky_tests'
    assert result['insights'] == FLAKY


def test_paginated_report_reads_every_page_with_its_parameters(api, run_module):
    query = {'all-branches': 'true', 'reporting-window': 'last-30-days'}
    api.expect(
        call('GET', '/insights/gh/acme/api/workflows', query=query, body={'items': [WF_A], 'next_page_token': 't2'}),
        call('GET', '/insights/gh/acme/api/workflows', query=dict(query, **{'page-token': 't2'}), body={'items': [WF_B], 'next_page_token': None}),
    )
    result = run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'workflows',
                                                 'all_branches': True, 'reporting_window': 'last-30-days'})
    assert result['insights'] == [WF_A, WF_B]


def test_workflow_runs_takes_the_workflow_in_the_path_and_a_date_range(api, run_module):
    query = {'branch': 'main', 'start-date': '2026-11-01T00:00:00Z', 'end-date': '2026-11-20T00:00:00Z'}
    run = {'id': '0b0c0d0e-0000-4000-8000-000000000001', 'status': 'success'}
    api.expect(call('GET', '/insights/gh/acme/api/workflows/deploy%20prod', query=query, body={'items': [run], 'next_page_token': None}))
    result = run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'workflow_runs', 'workflow_name': 'deploy prod',
                                                 'branch': 'main', 'start_date': '2026-11-01T00:00:00Z', 'end_date': '2026-11-20T00:00:00Z'})
    assert result['insights'] == [run]


def test_workflow_jobs_summary_test_metrics_and_timeseries_paths(api, run_module):
    api.expect(
        call('GET', '/insights/gh/acme/api/workflows/build/jobs', query={'job-name': 'test'}, body={'items': [{'name': 'test'}], 'next_page_token': None}),
        call('GET', '/insights/gh/acme/api/workflows/build/summary', query={'all-branches': 'false'}, body={'metrics': {}, 'trends': {}}),
        call('GET', '/insights/gh/acme/api/workflows/build/test-metrics', body={'average_test_count': 3}),
        call('GET', '/insights/time-series/gh/acme/api/workflows/build/jobs', query={'granularity': 'hourly'},
             body={'items': [{'name': 'test'}], 'next_page_token': None}),
    )
    base = {'project_slug': 'gh/acme/api', 'workflow_name': 'build'}
    assert run_module(circleci_insights_info, dict(base, report='workflow_jobs', job_name='test'))['insights'] == [{'name': 'test'}]
    assert run_module(circleci_insights_info, dict(base, report='workflow_summary', all_branches=False))['insights'] == {'metrics': {}, 'trends': {}}
    assert run_module(circleci_insights_info, dict(base, report='test_metrics'))['insights'] == {'average_test_count': 3}
    assert run_module(circleci_insights_info, dict(base, report='job_timeseries', granularity='hourly'))['insights'] == [{'name': 'test'}]


def test_branches_takes_an_optional_workflow_name_as_a_query_parameter(api, run_module):
    answer = {'org_id': 'o', 'project_id': 'p', 'branches': ['main', 'dev']}
    api.expect(call('GET', '/insights/gh/acme/api/branches', body=answer),
               call('GET', '/insights/gh/acme/api/branches', query={'workflow-name': 'build'}, body=answer))
    assert run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'branches'})['insights'] == answer
    assert run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'branches', 'workflow_name': 'build'})['insights'] == answer


def test_summary_of_a_project_and_of_an_organization(api, run_module):
    api.expect(
        call('GET', '/insights/pages/gh/acme/api/summary', query={'reporting-window': 'last-7-days', 'workflow-names': 'build'},
             body={'project_data': {}}),
        call('GET', '/insights/gh/acme/summary', query={'project-names': 'api'}, body={'org_data': {}}),
    )
    assert run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'summary', 'reporting_window': 'last-7-days',
                                               'workflow_names': ['build']})['insights'] == {'project_data': {}}
    assert run_module(circleci_insights_info, {'org_slug': 'gh/acme', 'report': 'summary', 'project_names': ['api']})['insights'] == {'org_data': {}}


@pytest.mark.parametrize('args, message', [
    ({'org_slug': 'gh/acme', 'report': 'workflows'}, 'report is workflows but all of the following are missing: project_slug'),
    ({'project_slug': 'gh/acme/api', 'report': 'workflow_runs'}, 'workflow_name: report workflow_runs needs workflow_name'),
    ({'project_slug': 'gh/acme/api', 'report': 'flaky_tests', 'branch': 'main'},
     'branch: does not apply to report flaky_tests (it takes no parameters)'),
    ({'project_slug': 'gh/acme/api', 'report': 'workflows', 'workflow_name': 'build'}, 'workflow_name: does not apply to report workflows'),
    ({'org_slug': 'gh/acme', 'report': 'summary', 'branches': ['main']},
     'branches: does not apply to report summary of an organization (it takes reporting_window, project_names)'),
    ({'project_slug': 'gh/acme/api', 'report': 'workflow_runs', 'workflow_name': 'build', 'end_date': '2026-11-01T00:00:00Z'},
     'end_date: needs start_date'),
    ({'project_slug': 'gh/acme/api', 'report': 'workflow_runs', 'workflow_name': 'build', 'start_date': '2026-11-01'},
     "start_date: '2026-11-01' is not a date-time such as 2026-11-01T00:00:00Z (RFC 3339, with a time zone)"),
    ({'project_slug': 'gh/acme/api', 'report': 'workflow_runs', 'workflow_name': 'build',
      'start_date': '2026-11-01T00:00:00Z', 'end_date': '2026-10-01T00:00:00Z'}, 'end_date: must be after start_date'),
    ({'project_slug': 'gh/acme/api', 'report': 'job_timeseries', 'workflow_name': 'build',
      'start_date': '2026-01-01T00:00:00Z', 'end_date': '2026-06-01T00:00:00Z'}, 'end_date: must be at most 90 days after start_date'),
    ({'project_slug': 'gh/acme', 'report': 'flaky_tests'},
     "project_slug: 'gh/acme' is not a project slug (gh/ORG/REPO, bb/ORG/REPO or circleci/ORG/PROJECT)"),
])
def test_bad_options_fail_before_any_request(api, run_module, args, message):
    result = run_module(circleci_insights_info, args)
    assert result['failed'] is True
    assert result['msg'] == message
    assert api.requests == []


def test_branch_and_all_branches_are_exclusive(api, run_module):
    result = run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'workflows', 'branch': 'main', 'all_branches': True})
    assert 'mutually exclusive' in result['msg']
    assert api.requests == []


def test_api_error_fails_with_the_api_message(api, run_module):
    api.expect(call('GET', '/insights/gh/acme/nope/flaky-tests', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_insights_info, {'project_slug': 'gh/acme/nope', 'report': 'flaky_tests'})
    assert result['msg'] == 'GET /insights/gh/acme/nope/flaky-tests -> 404: Project not found'
    assert result['status'] == 404
