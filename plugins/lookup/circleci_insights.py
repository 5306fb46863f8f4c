# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: circleci_insights
short_description: Read CircleCI insights reports
version_added: 0.1.0
description:
  - Read one insights report for each term (a project slug, or an organization slug for O(report=summary)).
  - Paginated reports are read to the last page.
  - Takes the same report and parameters as M(community.circleci.circleci_insights_info) and returns the same data.
    For one term, C(lookup(...)) equals the module's C(insights).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection.plugins
  - community.circleci.insights
options:
  _terms:
    description:
      - Project slugs such as V(gh/acme/api) or V(circleci/ORG/PROJECT).
      - With O(report=summary), an organization slug such as V(gh/acme) or V(circleci/ORG) reads the organization
        summary (C(/insights/{org-slug}/summary)); a project slug reads the project summary
        (C(/insights/pages/{project-slug}/summary)).
    type: list
    elements: str
    required: true
notes:
  - Like every lookup, this runs on the controller.
seealso:
  - module: community.circleci.circleci_insights_info
"""

EXAMPLES = r"""
- name: Fail when the project has flaky tests (the service answers snake_case keys here)
  ansible.builtin.assert:
    that:
      - flaky.total_flaky_tests == 0
    fail_msg: "{{ flaky.flaky_tests | map(attribute='test_name') | unique | list }}"
  vars:
    flaky: "{{ lookup('community.circleci.circleci_insights', 'gh/acme/api', report='flaky_tests') }}"

- name: Success rate of each workflow on all branches
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.metrics.success_rate }}"
  loop: "{{ lookup('community.circleci.circleci_insights', 'gh/acme/api', report='workflows', all_branches=true) }}"

- name: Summaries of two organizations, one list element per organization
  ansible.builtin.debug:
    msg: "{{ query('community.circleci.circleci_insights', 'gh/acme', 'gh/other', report='summary', reporting_window='last-7-days') }}"
"""

RETURN = r"""
_raw:
  description:
    - One element per term, in the order of the terms.
    - For the paginated reports (V(workflows), V(workflow_runs), V(workflow_jobs), V(job_timeseries)), the element
      is the list of the items of every page; for the others, the object the API answers.
    - With one term, C(lookup()) returns that element itself (use C(query()) for a list of one element).
    - The flaky tests report answers snake_case keys (C(flaky_tests), C(total_flaky_tests), C(test_name),
      C(job_number), ...), not the kebab-case of CircleCI's API reference (what CircleCI's own MCP server reads;
      inferred, not captured by this project); see RV(community.circleci.circleci_insights_info#module:insights).
  type: list
  elements: raw
"""

from ansible_collections.community.circleci.plugins.module_utils._insights import PARAMETERS, build_request
from ansible_collections.community.circleci.plugins.plugin_utils._lookup import CircleCILookupBase, check_terms


class LookupModule(CircleCILookupBase):

    def check(self, terms):
        options = dict((name, self.get_option(name)) for name in PARAMETERS)
        report = self.get_option('report')
        return [build_request(report, term, '_terms[%d]' % index, options)
                for index, term in enumerate(check_terms(terms))]

    def lookup(self, client, checked):
        return [request.fetch(client) for request in checked]
