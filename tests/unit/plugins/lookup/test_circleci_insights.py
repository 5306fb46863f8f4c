# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.community.circleci.plugins.modules import circleci_insights_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

FLAKY = {'flaky_tests': [{'test_name': 'test_retry', 'times_flaked': 2}], 'total_flaky_tests': 1}


def test_same_request_and_same_data_as_the_module(api, run_lookup, run_module):
    api.expect(call('GET', '/insights/gh/acme/api/flaky-tests', body=FLAKY),
               call('GET', '/insights/gh/acme/api/flaky-tests', body=FLAKY))
    looked_up = run_lookup('circleci_insights', ['gh/acme/api'], report='flaky_tests')
    module = run_module(circleci_insights_info, {'project_slug': 'gh/acme/api', 'report': 'flaky_tests'})
    assert looked_up == [module['insights']] == [FLAKY]


def test_one_element_per_term_all_pages(api, run_lookup):
    query = {'branch': 'main'}
    api.expect(
        call('GET', '/insights/gh/acme/api/workflows', query=query, body={'items': [{'name': 'a'}], 'next_page_token': 'n'}),
        call('GET', '/insights/gh/acme/api/workflows', query=dict(query, **{'page-token': 'n'}), body={'items': [{'name': 'b'}], 'next_page_token': None}),
        call('GET', '/insights/gh/acme/web/workflows', query=query, body={'items': [], 'next_page_token': None}),
    )
    result = run_lookup('circleci_insights', ['gh/acme/api', 'gh/acme/web'], report='workflows', branch='main')
    assert result == [[{'name': 'a'}, {'name': 'b'}], []]


def test_org_term_reads_the_organization_summary(api, run_lookup):
    api.expect(call('GET', '/insights/gh/acme/summary', query={'reporting-window': 'last-24-hours'}, body={'org_data': {'metrics': {}}}),
               call('GET', '/insights/pages/gh/acme/api/summary', query={'reporting-window': 'last-24-hours'}, body={'project_data': {}}))
    result = run_lookup('circleci_insights', ['gh/acme', 'gh/acme/api'], report='summary', reporting_window='last-24-hours')
    assert result == [{'org_data': {'metrics': {}}}, {'project_data': {}}]


@pytest.mark.parametrize('terms, options, message', [
    (['gh/acme'], {'report': 'flaky_tests'}, "_terms[0]: 'gh/acme' is an organization slug: report flaky_tests needs a project slug"),
    (['gh/acme/api', 'nope'], {'report': 'flaky_tests'}, "_terms[1]: 'nope' is neither a project slug"),
    (['gh/acme/api'], {'report': 'test_metrics'}, 'workflow_name: report test_metrics needs workflow_name'),
    (['gh/acme/api'], {'report': 'workflows', 'branch': 'main', 'all_branches': True},
     'all_branches: branch and all_branches are mutually exclusive'),
    (['gh/acme/api'], {'report': 'flaky_tests', 'api_token': ''}, 'api_token: no API token given: set the variable circleci_api_token'),
])
def test_errors_name_the_option_or_term_and_send_nothing(api, run_lookup, terms, options, message):
    with pytest.raises(AnsibleLookupError) as error:
        run_lookup('circleci_insights', terms, **options)
    assert str(error.value).startswith(message)
    assert api.requests == []


def test_api_error_is_a_lookup_error(api, run_lookup):
    api.expect(call('GET', '/insights/gh/acme/api/flaky-tests', status=404, body={'message': 'Project not found'}))
    with pytest.raises(AnsibleLookupError, match='GET /insights/gh/acme/api/flaky-tests -> 404: Project not found'):
        run_lookup('circleci_insights', ['gh/acme/api'], report='flaky_tests')
