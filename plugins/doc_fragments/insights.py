# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The report options of circleci_insights_info and of the circleci_insights lookup
    # (plugins/module_utils/_insights.py holds the table of reports both use).
    DOCUMENTATION = r"""
options:
  report:
    description:
      - The report to read, and the API endpoint it comes from.
      - V(summary) - metrics and trends of a project and of each of its workflows, or of an organization and each of
        its projects. Takes O(reporting_window), and O(branches) and O(workflow_names) for a project or
        O(project_names) for an organization.
      - V(workflows) - metrics of each workflow of the project (paginated). Takes O(branch) or O(all_branches),
        O(reporting_window).
      - V(workflow_runs) - the recent runs of workflow O(workflow_name) (paginated). Takes O(branch) or
        O(all_branches), O(start_date), O(end_date).
      - V(workflow_jobs) - metrics of each job of workflow O(workflow_name) (paginated). Takes O(branch) or
        O(all_branches), O(reporting_window), O(job_name).
      - V(workflow_summary) - metrics and trends of workflow O(workflow_name). Takes O(branch) or O(all_branches).
      - V(test_metrics) - test metrics of workflow O(workflow_name). Takes O(branch) or O(all_branches).
      - V(flaky_tests) - the flaky tests of the project. Takes no parameter.
      - V(branches) - the branches with insights data, of the project or of workflow O(workflow_name) when given.
      - V(job_timeseries) - time series of the job metrics of workflow O(workflow_name). Takes O(branch),
        O(granularity), O(start_date), O(end_date).
      - Every report but V(summary) reads a project.
      - A parameter that the report does not take is an error (the API would ignore it).
    type: str
    required: true
    choices: [summary, workflows, workflow_runs, workflow_jobs, workflow_summary, test_metrics, flaky_tests, branches, job_timeseries]
  workflow_name:
    description:
      - Name of the workflow; required by V(workflow_runs), V(workflow_jobs), V(workflow_summary), V(test_metrics) and
        V(job_timeseries), optional for V(branches).
    type: str
  branch:
    description:
      - The VCS branch to read the metrics of. Without it (and without O(all_branches)), the API uses the default branch.
      - Mutually exclusive with O(all_branches).
    type: str
  all_branches:
    description:
      - Whether to read the metrics of all branches combined. Mutually exclusive with O(branch).
    type: bool
  reporting_window:
    description:
      - The time window of the metrics. The API defaults to V(last-90-days).
    type: str
    choices: [last-24-hours, last-7-days, last-30-days, last-60-days, last-90-days]
  start_date:
    description:
      - Only executions that started at or after this date-time (RFC 3339, for example V(2026-11-01T00:00:00Z)).
      - Required when O(end_date) is given.
    type: str
  end_date:
    description:
      - Only executions that started before this date-time; at most 90 days after O(start_date).
    type: str
  granularity:
    description:
      - The granularity of the time series of V(job_timeseries).
    type: str
    choices: [daily, hourly]
  job_name:
    description:
      - With V(workflow_jobs), only the jobs of this name.
    type: str
  branches:
    description:
      - With V(summary) of a project, the branches to include in branch-level workflow metrics.
    type: list
    elements: str
  workflow_names:
    description:
      - With V(summary) of a project, the workflows to include in workflow-level metrics.
    type: list
    elements: str
  project_names:
    description:
      - With V(summary) of an organization, the projects to include.
    type: list
    elements: str
"""
