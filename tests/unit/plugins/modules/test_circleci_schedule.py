# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._schedules import EMULATOR_SYSTEM_ACTOR_ID, MONTHS, SYSTEM_ACTOR_ID
from ansible_collections.community.circleci.plugins.modules import circleci_schedule, circleci_schedule_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

SCHEDULE_ID = '7c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c'
USER_ID = 'e0000000-0000-4000-8000-000000000001'
LIST = '/project/gh/acme/api/schedule'
ARGS = {'project_slug': 'gh/acme/api', 'name': 'nightly'}
TIMETABLE = {'per_hour': 1, 'hours_of_day': [2, 14], 'days_of_week': ['MON', 'FRI']}
SYSTEM = {'id': SYSTEM_ACTOR_ID, 'login': 'system-actor', 'name': 'Scheduled', 'avatar_url': None}
USER = {'id': USER_ID, 'login': 'emulator-user', 'name': 'Emulator User', 'avatar_url': None}


def stored(**overrides):
    schedule = {'id': SCHEDULE_ID, 'name': 'nightly', 'description': 'Nightly build', 'project-slug': 'gh/acme/api',
                'timetable': {'per-hour': 1, 'hours-of-day': [14, 2], 'days-of-week': ['FRI', 'MON']},
                'actor': SYSTEM, 'parameters': {'branch': 'main', 'deploy': False},
                'created-at': '2025-01-10T12:00:00.000Z', 'updated-at': '2025-01-10T12:00:00.000Z'}
    schedule.update(overrides)
    return schedule


def listing(*schedules):
    return call('GET', LIST, body={'items': list(schedules), 'next_page_token': None})


def patch(body, answer=None):
    return call('PATCH', '/schedule/%s' % SCHEDULE_ID, json=body, body=answer or stored())


SAME = dict(ARGS, description='Nightly build', timetable={'per_hour': 1, 'hours_of_day': [14, 2, 2], 'days_of_week': ['fri', 'MON']},
            attribution_actor='system', parameters={'branch': 'main', 'deploy': False})


def test_create(api, run_module):
    body = {'name': 'nightly', 'description': 'Nightly build', 'attribution-actor': 'system',
            'timetable': {'per-hour': 1, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI']},
            'parameters': {'branch': 'main'}}
    api.expect(listing(), call('POST', LIST, json=body, status=201, body=stored(parameters={'branch': 'main'})))
    result = run_module(circleci_schedule, dict(ARGS, description='Nightly build', timetable=TIMETABLE,
                                                attribution_actor='system', branch='main'), diff=True)
    assert result['changed'] is True
    schedule = result['schedule']
    assert schedule['id'] == SCHEDULE_ID
    assert schedule['attribution_actor'] == 'system'
    assert schedule['timetable'] == {'per_hour': 1, 'hours_of_day': [14, 2], 'days_of_week': ['FRI', 'MON']}
    assert schedule['project_slug'] == 'gh/acme/api'
    assert result['diff']['before'] == {}


def test_create_defaults_to_the_current_actor_and_sends_months(api, run_module):
    api.expect(listing(), call('POST', LIST, json=lambda body: body['attribution-actor'] == 'current'
                               and body['timetable'] == {'per-hour': 4, 'hours-of-day': [0], 'days-of-month': [1, 15],
                                                         'months': ['JAN', 'JUL']}
                               and body['parameters'] == {'tag': 'v1', 'x': 1} and 'description' not in body,
                               status=201, body=stored(actor=USER)))
    result = run_module(circleci_schedule, dict(ARGS, timetable={'per_hour': 4, 'hours_of_day': [0], 'days_of_month': [15, 1],
                                                                 'months': ['jul', 'JAN']},
                                                parameters={'tag': 'v1', 'x': 1}))
    assert result['changed'] is True
    assert result['schedule']['attribution_actor'] == 'current'


def test_create_after_a_lost_answer_does_not_duplicate(api, run_module, sleeps):
    api.expect(listing(), call('POST', LIST, drop=True), listing(stored()))
    result = run_module(circleci_schedule, dict(ARGS, timetable=TIMETABLE, branch='main'))
    assert result['changed'] is True
    assert result['schedule']['id'] == SCHEDULE_ID


def test_a_409_on_create_adopts_the_schedule_another_run_created(api, run_module):
    api.expect(listing(), call('POST', LIST, status=409, body={'message': 'A schedule with this name already exists.'}),
               listing(stored()))
    result = run_module(circleci_schedule, dict(ARGS, timetable=TIMETABLE, branch='main'))
    assert result['changed'] is True
    assert result['schedule']['id'] == SCHEDULE_ID


def test_check_mode_create_sends_no_write(api, run_module):
    api.expect(listing())
    result = run_module(circleci_schedule, dict(ARGS, timetable=TIMETABLE, branch='main'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'id' not in result['schedule']
    assert result['schedule']['timetable'] == {'per_hour': 1, 'hours_of_day': [2, 14], 'days_of_week': ['MON', 'FRI']}
    assert result['schedule']['attribution_actor'] == 'current'
    assert [r.method for r in api.requests] == ['GET']


def test_rerun_is_gets_only(api, run_module):
    # lists in another order, days in lower case, system actor read back as its UUID: no change
    api.expect(listing(stored()))
    result = run_module(circleci_schedule, SAME)
    assert result['changed'] is False
    assert [r.method for r in api.requests] == ['GET']


def test_snake_case_reads_are_understood(api, run_module):
    snake = stored(timetable={'per_hour': 1, 'hours_of_day': [2, 14], 'days_of_week': ['MON', 'FRI']})
    snake['project_slug'] = snake.pop('project-slug')
    api.expect(listing(snake))
    result = run_module(circleci_schedule, SAME)
    assert result['changed'] is False
    assert result['schedule']['project_slug'] == 'gh/acme/api'


def test_months_not_set_equals_every_month(api, run_module):
    timetable = dict(SAME['timetable'], months=[])
    api.expect(listing(stored()))
    assert run_module(circleci_schedule, dict(SAME, timetable=timetable))['changed'] is False
    api.expect(listing(stored(timetable={'per-hour': 1, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI'],
                                         'months': list(MONTHS)})))
    assert run_module(circleci_schedule, SAME)['changed'] is False


def test_patch_sends_only_what_differs(api, run_module):
    api.expect(listing(stored()),
               patch({'timetable': {'per-hour': 2, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI']}},
                     stored(timetable={'per-hour': 2, 'hours-of-day': [2, 14], 'days-of-week': ['MON', 'FRI']})))
    result = run_module(circleci_schedule, dict(SAME, timetable=dict(SAME['timetable'], per_hour=2)), diff=True)
    assert result['changed'] is True
    assert result['schedule']['timetable']['per_hour'] == 2
    assert result['diff']['before']['timetable']['per_hour'] == 1
    assert result['diff']['after']['timetable']['per_hour'] == 2


def test_branch_shorthand_keeps_the_other_parameters(api, run_module):
    api.expect(listing(stored()), patch({'parameters': {'branch': 'develop', 'deploy': False}}))
    result = run_module(circleci_schedule, dict(ARGS, branch='develop'))
    assert result['changed'] is True


def test_tag_shorthand_replaces_the_branch(api, run_module):
    api.expect(listing(stored()), patch({'parameters': {'tag': 'v2', 'deploy': False}}))
    assert run_module(circleci_schedule, dict(ARGS, tag='v2'))['changed'] is True


def test_parameters_compared_as_a_whole(api, run_module):
    api.expect(listing(stored()), patch({'parameters': {'branch': 'main'}}))
    assert run_module(circleci_schedule, dict(ARGS, parameters={'branch': 'main'}))['changed'] is True


def test_actor_and_description_and_days_switch(api, run_module):
    api.expect(listing(stored()), patch({
        'description': 'Monthly', 'attribution-actor': 'current',
        'timetable': {'per-hour': 1, 'hours-of-day': [2, 14], 'days-of-month': [1]},
    }))
    result = run_module(circleci_schedule, dict(ARGS, description='Monthly', attribution_actor='current',
                                                timetable={'days_of_month': [1]}))
    assert result['changed'] is True


@pytest.mark.parametrize('actor', [
    {'id': EMULATOR_SYSTEM_ACTOR_ID, 'login': 'system-actor', 'name': 'Scheduled', 'avatar_url': None},
    {'id': '0f000000-0000-4000-8000-000000000009', 'login': 'system-actor', 'name': 'Scheduled', 'avatar_url': None},
])
def test_other_forms_of_the_system_actor_are_system(api, run_module, actor):
    api.expect(listing(stored(actor=actor)))
    assert run_module(circleci_schedule, dict(ARGS, attribution_actor='system'))['changed'] is False


def test_only_given_fields_are_compared(api, run_module):
    api.expect(listing(stored()))
    result = run_module(circleci_schedule, dict(ARGS, timetable={'hours_of_day': [2, 14]}))
    assert result['changed'] is False


def test_check_mode_update_sends_no_write(api, run_module):
    api.expect(listing(stored()))
    result = run_module(circleci_schedule, dict(ARGS, attribution_actor='current'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['schedule']['attribution_actor'] == 'current'
    assert result['diff']['before']['attribution_actor'] == 'system'
    assert [r.method for r in api.requests] == ['GET']


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(listing(stored()), call('DELETE', '/schedule/%s' % SCHEDULE_ID, body={'message': 'ok'}))
    result = run_module(circleci_schedule, dict(ARGS, state='absent'))
    assert (result['changed'], result['schedule']) == (True, {})
    api.expect(listing())
    assert run_module(circleci_schedule, dict(ARGS, state='absent'))['changed'] is False


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(listing(stored()))
    assert run_module(circleci_schedule, dict(ARGS, state='absent'), check_mode=True)['changed'] is True


def test_duplicate_names_are_refused(api, run_module):
    api.expect(listing(stored(), stored(id='8c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c')))
    result = run_module(circleci_schedule, SAME)
    assert result['failed'] is True
    assert result['msg'].startswith("name: 2 schedules of the project are named 'nightly'")


def test_unknown_project_is_an_error_naming_the_option(api, run_module):
    api.expect(call('GET', '/project/gh/acme/nope/schedule', status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_schedule, {'project_slug': 'gh/acme/nope', 'name': 'x', 'state': 'absent'})
    assert result['failed'] is True
    assert result['msg'].startswith("project_slug: project 'gh/acme/nope' was not found")


@pytest.mark.parametrize('args, message', [
    (dict(ARGS, branch='main'), "timetable.per_hour: required to create schedule 'nightly'"),
    (dict(ARGS, timetable={'per_hour': 1, 'hours_of_day': [1]}, branch='main'), 'timetable.days_of_week: days_of_week or days_of_month is required'),
    (dict(ARGS, timetable=TIMETABLE), "branch: branch, tag or parameters is required to create schedule 'nightly'"),
])
def test_create_needs_timetable_and_ref(api, run_module, args, message):
    api.expect(listing())
    result = run_module(circleci_schedule, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert [r.method for r in api.requests] == ['GET']


CIRCLECI_SLUG = 'circleci/c0000000-0000-4000-8000-000000000002/c0000000-0000-4000-8000-000000000201'


@pytest.mark.parametrize('args, message', [
    (dict(ARGS, timetable=dict(TIMETABLE, per_hour=0)), "timetable.per_hour: '0' is not an integer between 1 and 60"),
    (dict(ARGS, timetable=dict(TIMETABLE, per_hour=61)), "timetable.per_hour: '61' is not an integer between 1 and 60"),
    (dict(ARGS, timetable=dict(TIMETABLE, hours_of_day=[1, 24])), "timetable.hours_of_day[1]: '24' is not an integer between 0 and 23"),
    (dict(ARGS, timetable=dict(TIMETABLE, hours_of_day=[-1])), "timetable.hours_of_day[0]: '-1' is not an integer between 0 and 23"),
    (dict(ARGS, timetable=dict(TIMETABLE, hours_of_day=[])), 'timetable.hours_of_day: must list at least one value'),
    (dict(ARGS, timetable=dict(TIMETABLE, days_of_week=['MON', 'TUES'])), "timetable.days_of_week[1]: 'TUES' is not one of SUN, MON"),
    (dict(ARGS, timetable=dict(TIMETABLE, days_of_month=[1])), 'parameters are mutually exclusive: days_of_week|days_of_month found in timetable'),
    (dict(ARGS, timetable={'per_hour': 1, 'hours_of_day': [1], 'days_of_month': [0]}), "timetable.days_of_month[0]: '0' is not an integer between 1 and 31"),
    (dict(ARGS, timetable={'per_hour': 1, 'hours_of_day': [1], 'days_of_month': [32]}), "timetable.days_of_month[0]: '32' is not an integer between 1 and 31"),
    (dict(ARGS, timetable=dict(TIMETABLE, months=['JAN', 'SEPT'])), "timetable.months[1]: 'SEPT' is not one of JAN"),
    (dict(ARGS, parameters={'deploy': True}), 'parameters: must contain branch or tag'),
    (dict(ARGS, parameters={'branch': 'a', 'tag': 'b'}), 'parameters: must contain branch or tag, not both'),
    (dict(ARGS, parameters={'branch': 'a'}, branch='b'), "branch: 'b' contradicts parameters.branch 'a'"),
    (dict(ARGS, parameters={'branch': 'a', 'x': 1.5}), 'parameters.x: must be a string, an integer or a boolean'),
    (dict(ARGS, parameters={'branch': 'a', 'x': 'y' * 513}), 'parameters.x: longer than 512 characters'),
    (dict(ARGS, parameters=dict(('p%d' % i, i) for i in range(101))), 'parameters: at most 100 parameters are allowed'),
    (dict(ARGS, branch='a', tag='b'), 'parameters are mutually exclusive: branch|tag'),
    ({'project_slug': CIRCLECI_SLUG, 'name': 'nightly'}, "project_slug: '%s' is a circleci/... project" % CIRCLECI_SLUG),
    ({'project_slug': 'gh/acme', 'name': 'nightly'}, "project_slug: 'gh/acme' is not a project slug"),
    (dict(ARGS, name=''), 'name: must be a non-empty string'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_schedule, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert api.requests == []


# --- circleci_schedule_info --------------------------------------------------------------

def test_info_lists_and_filters(api, run_module):
    other = stored(id='8c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c', name='weekly', actor=USER)
    api.expect(listing(stored(), other))
    result = run_module(circleci_schedule_info, {'project_slug': 'gh/acme/api'})
    assert result['changed'] is False
    assert [(s['name'], s['attribution_actor']) for s in result['schedules']] == [('nightly', 'system'), ('weekly', 'current')]
    api.expect(listing(stored(), other))
    result = run_module(circleci_schedule_info, {'project_slug': 'gh/acme/api', 'name': 'weekly'}, check_mode=True)
    assert [s['id'] for s in result['schedules']] == ['8c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c']


def test_info_follows_pages(api, run_module):
    api.expect(call('GET', LIST, body={'items': [stored()], 'next_page_token': 'p2'}),
               call('GET', LIST, query={'page-token': 'p2'}, body={'items': [stored(name='second')], 'next_page_token': None}))
    result = run_module(circleci_schedule_info, {'project_slug': 'gh/acme/api'})
    assert [s['name'] for s in result['schedules']] == ['nightly', 'second']


def test_info_refuses_circleci_slugs_before_any_request(api, run_module):
    result = run_module(circleci_schedule_info, {'project_slug': CIRCLECI_SLUG})
    assert result['failed'] is True
    assert result['msg'].startswith('project_slug:')
    assert api.requests == []
