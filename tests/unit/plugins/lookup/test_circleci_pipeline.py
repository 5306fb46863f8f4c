# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

P3 = {'id': 'c0000000-0000-4000-8000-000000000003', 'number': 3, 'state': 'created'}
P2 = {'id': 'c0000000-0000-4000-8000-000000000002', 'number': 2, 'state': 'created'}
P1 = {'id': 'c0000000-0000-4000-8000-000000000001', 'number': 1, 'state': 'created'}
WF = {'id': 'd0000000-0000-4000-8000-000000000001', 'name': 'build', 'status': 'success'}


def test_every_pipeline_of_every_term(api, run_lookup):
    api.expect(
        call('GET', '/project/gh/acme/api/pipeline', body={'items': [P3, P2], 'next_page_token': 'n'}),
        call('GET', '/project/gh/acme/api/pipeline', query={'page-token': 'n'}, body={'items': [P1], 'next_page_token': None}),
        call('GET', '/project/gh/acme/web/pipeline', body={'items': [], 'next_page_token': None}),
    )
    # one element per term, each the list of that project's pipelines (empty when there is none)
    assert run_lookup('circleci_pipeline', ['gh/acme/api', 'gh/acme/web']) == [[P3, P2, P1], []]


def test_one_pipeline_found_is_still_a_list(api, run_lookup):
    api.expect(call('GET', '/project/gh/acme/api/pipeline', body={'items': [P1], 'next_page_token': None}))
    assert run_lookup('circleci_pipeline', ['gh/acme/api']) == [[P1]]


def test_count_stops_reading_pages_and_branch_filters(api, run_lookup):
    api.expect(call('GET', '/project/gh/acme/api/pipeline', query={'branch': 'main'}, body={'items': [P3, P2], 'next_page_token': 'n'}))
    assert run_lookup('circleci_pipeline', ['gh/acme/api'], branch='main', count=2) == [[P3, P2]]


def test_number_with_workflows(api, run_lookup):
    api.expect(
        call('GET', '/project/gh/acme/api/pipeline/2', body=dict(P2)),
        call('GET', '/pipeline/%s/workflow' % P2['id'], body={'items': [WF], 'next_page_token': None}),
    )
    # with number, the element is the pipeline itself
    assert run_lookup('circleci_pipeline', ['gh/acme/api'], number=2, workflows=True) == [dict(P2, workflows=[WF])]


@pytest.mark.parametrize('terms, options, message', [
    (['gh/acme'], {}, "_terms[0]: 'gh/acme' is not a project slug"),
    (['gh/acme/api'], {'number': 2, 'count': 1}, 'count: number and count are mutually exclusive'),
    (['gh/acme/api'], {'number': 2, 'branch': 'main'}, 'branch: number and branch are mutually exclusive'),
    (['gh/acme/api'], {'count': 0}, 'count: must be 1 or more, got 0'),
    ([], {}, '_terms: give at least one term'),
])
def test_bad_input_sends_nothing(api, run_lookup, terms, options, message):
    with pytest.raises(AnsibleLookupError) as error:
        run_lookup('circleci_pipeline', terms, **options)
    assert str(error.value).startswith(message)
    assert api.requests == []
