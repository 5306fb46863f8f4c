# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_pipeline_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

P1 = '5034460f-c7c4-4c43-9457-de07e2029e7b'
P2 = '6145571f-d8d5-4d54-a568-ef18f303af8c'
P3 = '7256682f-e9e6-4e65-b679-f029f414b09d'
WF = '9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11'


def pipeline(pipeline_id, number):
    return {'id': pipeline_id, 'number': number, 'state': 'created', 'project_slug': 'gh/acme/api',
            'created_at': '2025-01-10T12:00:00.000Z', 'errors': [], 'trigger': {'type': 'api'}}


def test_by_id_with_everything_included(api, run_module):
    api.expect(call('GET', '/pipeline/%s' % P1, body=pipeline(P1, 3)),
               call('GET', '/pipeline/%s/config' % P1, body={'source': 'version: 2.1', 'compiled': 'version: 2'}),
               call('GET', '/pipeline/%s/values' % P1, body={'pipeline.number': 3}),
               call('GET', '/pipeline/%s/workflow' % P1, body={'items': [{'id': WF, 'name': 'build'}], 'next_page_token': None}))
    result = run_module(circleci_pipeline_info, {'pipeline_id': P1, 'include': ['config', 'values', 'workflows']})
    assert result['changed'] is False
    assert result['pipeline']['config']['source'] == 'version: 2.1'
    assert result['pipeline']['pipeline_values'] == {'pipeline.number': 3}
    assert result['pipeline']['workflows'] == [{'id': WF, 'name': 'build'}]
    assert result['pipelines'] == [result['pipeline']]


def test_by_number(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api/pipeline/3', body=pipeline(P1, 3)))
    result = run_module(circleci_pipeline_info, {'project_slug': 'gh/acme/api', 'number': 3})
    assert result['pipeline']['number'] == 3


def test_project_listing_follows_every_page(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api/pipeline', query={'branch': 'main'},
                    body={'items': [pipeline(P3, 3), pipeline(P2, 2)], 'next_page_token': 'tok2'}),
               call('GET', '/project/gh/acme/api/pipeline', query={'branch': 'main', 'page-token': 'tok2'},
                    body={'items': [pipeline(P1, 1)], 'next_page_token': None}))
    result = run_module(circleci_pipeline_info, {'project_slug': 'gh/acme/api', 'branch': 'main'})
    assert [p['number'] for p in result['pipelines']] == [3, 2, 1]
    assert 'pipeline' not in result


def test_limit_reads_no_more_pages_than_needed(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api/pipeline/mine',
                    body={'items': [pipeline(P3, 3), pipeline(P2, 2)], 'next_page_token': 'tok2'}),
               call('GET', '/pipeline/%s/workflow' % P3, body={'items': [], 'next_page_token': None}))
    result = run_module(circleci_pipeline_info, {'project_slug': 'gh/acme/api', 'mine': True, 'limit': 1, 'include': ['workflows']})
    assert [p['number'] for p in result['pipelines']] == [3]
    assert result['pipelines'][0]['workflows'] == []


def test_org_listing_mine(api, run_module):
    api.expect(call('GET', '/pipeline', query={'org-slug': 'gh/acme', 'mine': 'true'},
                    body={'items': [pipeline(P1, 1)], 'next_page_token': None}))
    result = run_module(circleci_pipeline_info, {'org_slug': 'gh/acme', 'mine': True})
    assert len(result['pipelines']) == 1


def test_invalid_combinations_fail_before_any_request(api, run_module):
    cases = [
        ({'pipeline_id': 'x'}, "pipeline_id: 'x' is not a UUID"),
        ({'pipeline_id': P1, 'number': 2}, "missing parameter(s) required by 'number': project_slug"),
        ({'org_slug': 'gh/acme', 'branch': 'main'}, "missing parameter(s) required by 'branch': project_slug"),
        ({'pipeline_id': P1, 'mine': True}, 'mine is True but any of the following are missing: project_slug, org_slug'),
        ({'project_slug': 'gh/acme/api', 'number': 2, 'branch': 'main'}, 'parameters are mutually exclusive: number|branch'),
        ({'project_slug': 'gh/acme/api', 'number': 2, 'mine': True}, 'mine: does not apply with number'),
        ({'project_slug': 'gh/acme/api', 'mine': True, 'branch': 'main'},
         'branch: cannot be combined with mine (the API lists my pipelines of every branch)'),
        ({'project_slug': 'gh/acme/api', 'limit': 0}, 'limit: must be 1 or more, got 0'),
        ({'project_slug': 'gh/acme/api', 'number': 0}, 'number: must be a positive pipeline number, got 0'),
        ({'org_slug': 'acme'}, "org_slug: 'acme' is not an organization slug (gh/ORG, bb/ORG or circleci/ORG)"),
    ]
    for args, message in cases:
        result = run_module(circleci_pipeline_info, args)
        assert result['failed'] is True
        assert result['msg'] == message
    assert api.requests == []
