#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_insights_info
short_description: Read a CircleCI insights report of a project or an organization
version_added: 0.1.0
description:
  - Read one insights report (workflow and job metrics, test metrics, flaky tests, branches, time series) of a
    CircleCI project, or the summary of an organization.
  - Paginated reports are read to the last page.
  - The P(community.circleci.circleci_insights#lookup) lookup reads the same reports with the same options and returns
    the same data.
  - CircleCI refreshes most metrics daily; hourly time series are kept 48 hours, daily ones 90 days.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.insights
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api) or V(circleci/ORG/PROJECT).
      - Exactly one of O(project_slug) and O(org_slug) is required.
    type: str
  org_slug:
    description:
      - Slug of the organization, for example V(gh/acme) or V(circleci/ORG).
      - Only with O(report=summary), which then reads the organization summary (C(/insights/{org-slug}/summary))
        instead of the project summary (C(/insights/pages/{project-slug}/summary)).
    type: str
seealso:
  - plugin: community.circleci.circleci_insights
    plugin_type: lookup
  - name: CircleCI insights API
    description: The API reference of the insights endpoints.
    link: https://circleci.com/docs/api/v2/index.html#tag/Insights
"""

EXAMPLES = r"""
- name: Read the flaky tests of a project
  community.circleci.circleci_insights_info:
    project_slug: gh/acme/api
    report: flaky_tests
    api_token: "{{ circleci_token }}"
  register: flaky

- name: Show how many there are, and which
  ansible.builtin.debug:
    msg: >-
      {{ flaky.insights.total_flaky_tests }} flaky tests:
      {{ flaky.insights.flaky_tests | map(attribute='test_name') | unique | join(', ') }}

- name: Metrics of every workflow on all branches over the last 30 days
  community.circleci.circleci_insights_info:
    project_slug: gh/acme/api
    report: workflows
    all_branches: true
    reporting_window: last-30-days
    api_token: "{{ circleci_token }}"
  register: workflows

- name: The recent runs of the build workflow on main
  community.circleci.circleci_insights_info:
    project_slug: gh/acme/api
    report: workflow_runs
    workflow_name: build
    branch: main
    start_date: "2026-11-01T00:00:00Z"
    api_token: "{{ circleci_token }}"

- name: Summary of an organization
  community.circleci.circleci_insights_info:
    org_slug: gh/acme
    report: summary
    reporting_window: last-7-days
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
insights:
  description:
    - The report as the API answers it.
    - For the paginated reports (V(workflows), V(workflow_runs), V(workflow_jobs), V(job_timeseries)), the list of
      the items of every page.
    - For the others, the object the API answers, for example the keys C(flaky_tests) and C(total_flaky_tests) for
      V(flaky_tests), or C(org_id), C(project_id) and C(branches) for V(branches).
    - The flaky tests report answers snake_case keys (C(flaky_tests), C(total_flaky_tests), C(test_name),
      C(classname), C(file), C(job_name), C(job_number), C(workflow_name), C(workflow_id), C(workflow_created_at),
      C(pipeline_number), C(times_flaked), C(time_wasted)), like the rest of the API, although CircleCI's API
      reference documents them in kebab-case (C(total-flaky-tests)). The snake_case form is what CircleCI's own MCP
      server reads and what its authors report the service answers; it was not captured by this project (inferred).
      The module returns the answer as it comes; a playbook that must read both forms can write
      C(flaky.insights.total_flaky_tests | default(flaky.insights['total-flaky-tests'])).
    - Each flaky test names the job of its last flake (C(job_number)), whose test results
      M(community.circleci.circleci_job_info) reads with O(community.circleci.circleci_job_info#module:include=tests).
  returned: always
  type: raw
  sample:
    - name: build
      metrics:
        total_runs: 12
        successful_runs: 10
        failed_runs: 2
        success_rate: 0.8333
      window_start: "2026-10-28T00:00:00Z"
      window_end: "2026-11-27T00:00:00Z"
report:
  description: The report that was read.
  returned: always
  type: str
  sample: workflows
"""

from ansible_collections.community.circleci.plugins.module_utils._insights import (
    GRANULARITIES,
    PARAMETERS,
    REPORT_NAMES,
    REPORTING_WINDOWS,
    build_request,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    check_org_slug,
    check_project_slug,
    exactly_one_of,
    spec_rules,
)


def run(module, client):
    params = module.params
    if params['project_slug'] is not None:
        slug, option = check_project_slug('project_slug', params['project_slug']), 'project_slug'
    else:
        slug, option = check_org_slug('org_slug', params['org_slug']), 'org_slug'
    request = build_request(params['report'], slug, option, dict((name, params[name]) for name in PARAMETERS))
    return dict(changed=False, report=params['report'], insights=request.fetch(client))


def main():
    argument_spec = dict(
        project_slug=dict(type='str'),
        org_slug=dict(type='str'),
        report=dict(type='str', required=True, choices=list(REPORT_NAMES)),
        workflow_name=dict(type='str'),
        branch=dict(type='str'),
        all_branches=dict(type='bool'),
        reporting_window=dict(type='str', choices=list(REPORTING_WINDOWS)),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        granularity=dict(type='str', choices=list(GRANULARITIES)),
        job_name=dict(type='str'),
        branches=dict(type='list', elements='str'),
        workflow_names=dict(type='list', elements='str'),
        project_names=dict(type='list', elements='str'),
    )
    # only report summary reads an organization (org_slug)
    run_module(argument_spec, run, **spec_rules(
        exactly_one_of(('project_slug', 'org_slug')), mutually_exclusive=[('branch', 'all_branches')],
        required_if=[('report', name, ('project_slug',)) for name in REPORT_NAMES if name != 'summary']))


if __name__ == '__main__':
    main()
