# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""circleci_org_config: the request floor of a rerun (every read once, the project read once for the
restriction and the webhook), parallel objects, per-object results and failures, no secret anywhere."""

from __future__ import annotations

import json

from ansible_collections.community.circleci.plugins.modules import circleci_org_config
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

CTX_ID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
OLD_CTX_ID = '11111111-2222-4333-8444-555555555555'
CONTEXT = {'id': CTX_ID, 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OLD = {'id': OLD_CTX_ID, 'name': 'old', 'created_at': '2025-01-09T12:00:00.000Z'}
PROJECT_ID = '405d8375-3514-403b-8c43-83ae74cfe0e9'
PROJECT = {'id': PROJECT_ID, 'slug': 'gh/acme/api', 'name': 'api', 'organization_id': 'ec6887ec-7d44-4b31-b468-7e552408ee32'}
HOOK_ID = '1d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11'
SCHEDULE_ID = '7c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c'
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
SECRETS = ['ctx-value-canary-1', 'ctx-value-canary-2', 'prj-value-canary-1', 'whsec-canary-0f9e8d7c6b']
URL = 'https://hooks.example.com/circleci'
R_PROJECT = {'id': 'aaaaaaaa-0000-4000-8000-000000000001', 'context_id': CTX_ID, 'project_id': PROJECT_ID, 'name': 'api',
             'restriction_type': 'project', 'restriction_value': PROJECT_ID}
TIMETABLE = {'per_hour': 1, 'hours_of_day': [3], 'days_of_week': ['MON']}

DEFINITION = dict(
    org_slug='gh/acme',
    contexts=[dict(name='deploy', restrictions=[dict(type='project', value='gh/acme/api')],
                   variables=dict(AWS_KEY=SECRETS[0], AWS_SECRET=SECRETS[1]))],
    projects=[dict(slug='gh/acme/api', variables=dict(NPM_TOKEN=SECRETS[2]),
                   webhooks=[dict(name='notify', url=URL, events=['workflow-completed'], signing_secret=SECRETS[3])],
                   schedules=[dict(name='nightly', timetable=TIMETABLE, branch='main')],
                   settings=dict(autocancel_builds=True))],
)


def page(*items):
    return {'items': list(items), 'next_page_token': None}


def contexts(*items):
    return call('GET', '/context', query=OWNER_QUERY, body=page(*items))


def webhook():
    return {'id': HOOK_ID, 'name': 'notify', 'url': URL, 'events': ['workflow-completed'], 'verify-tls': True,
            'signing-secret': '****', 'scope': {'id': PROJECT_ID, 'type': 'project'},
            'created-at': '2025-01-10T12:00:00.000Z', 'updated-at': '2025-01-10T12:00:00.000Z'}


def schedule():
    return {'id': SCHEDULE_ID, 'name': 'nightly', 'description': '', 'project-slug': 'gh/acme/api',
            'timetable': {'per-hour': 1, 'hours-of-day': [3], 'days-of-week': ['MON']},
            'actor': {'id': 'e0000000-0000-4000-8000-000000000001', 'login': 'emulator-user'},
            'parameters': {'branch': 'main'}, 'created-at': '2025-01-10T12:00:00.000Z'}


def settings(autocancel):
    return {'advanced': {'autocancel_builds': autocancel, 'build_prs_only': False}}


def converged_reads():
    """The reads of an unchanged rerun after the context listing, in any order (objects in parallel)."""
    return (
        call('GET', '/project/gh/acme/api', body=PROJECT),  # once: for the restriction and the webhook
        call('GET', '/context/%s/restrictions' % CTX_ID, body=page(R_PROJECT)),
        call('GET', '/context/%s/environment-variable' % CTX_ID,
             body=page({'variable': 'AWS_KEY', 'context_id': CTX_ID}, {'variable': 'AWS_SECRET', 'context_id': CTX_ID})),
        call('GET', '/project/gh/acme/api/envvar', body=page({'name': 'NPM_TOKEN', 'value': 'xxxxry-1'})),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page(webhook())),
        call('GET', '/project/gh/acme/api/schedule', body=page(schedule())),
        call('GET', '/project/gh/acme/api/settings', body=settings(True)),
    )


def assert_secret_free(result):
    text = json.dumps(result)
    for secret in SECRETS:
        assert secret not in text


def test_unchanged_rerun_is_at_the_floor(api, run_module):
    api.expect(contexts(CONTEXT))
    api.expect_unordered(*converged_reads())
    result = run_module(circleci_org_config, DEFINITION, diff=True)
    assert result['changed'] is False
    assert result['diff'] == []
    assert result['contexts'] == [dict(name='deploy', state='present', purged=False, changed=False, context_changed=False,
                                       variables=dict(added=[], updated=[], removed=[]))]
    assert result['projects'] == [dict(slug='gh/acme/api', changed=False, variables=dict(added=[], updated=[], removed=[]),
                                       webhooks=[dict(name='notify', state='present', changed=False, purged=False)],
                                       schedules=[dict(name='nightly', state='present', changed=False, purged=False)],
                                       settings=dict(changed=False))]
    assert_secret_free(result)


def test_check_mode_of_a_first_converge_sends_no_write(api, run_module):
    api.expect(contexts())
    api.expect_unordered(
        call('GET', '/project/gh/acme/api', body=PROJECT),
        call('GET', '/project/gh/acme/api/envvar', body=page()),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page()),
        call('GET', '/project/gh/acme/api/schedule', body=page()),
        call('GET', '/project/gh/acme/api/settings', body=settings(False)),
    )
    result = run_module(circleci_org_config, DEFINITION, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['contexts'][0]['context_changed'] is True
    assert result['contexts'][0]['variables'] == dict(added=['AWS_KEY', 'AWS_SECRET'], updated=[], removed=[])
    project = result['projects'][0]
    assert project['variables']['added'] == ['NPM_TOKEN']
    assert [hook['changed'] for hook in project['webhooks']] == [True]
    assert project['settings'] == dict(changed=True)
    headers = [entry['before_header'] for entry in result['diff']]
    assert headers == ['context deploy', 'variables of context deploy', 'variables of project gh/acme/api',
                       'webhook of gh/acme/api: notify', 'schedule of gh/acme/api: nightly', 'settings of project gh/acme/api']
    assert result['diff'][3]['after']['signing_secret'] == '<hidden>'
    assert_secret_free(result)


def test_first_converge_writes_each_object_once(api, run_module):
    hook_body = {'name': 'notify', 'url': URL, 'events': ['workflow-completed'], 'verify-tls': True,
                 'signing-secret': SECRETS[3], 'scope': {'id': PROJECT_ID, 'type': 'project'}}
    api.expect(
        contexts(),
        # concurrency 1: the objects one after the other, in the order of the definition
        call('GET', '/project/gh/acme/api', body=PROJECT),
        call('POST', '/context', json={'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}, body=CONTEXT),
        call('POST', '/context/%s/restrictions' % CTX_ID, json={'restriction_type': 'project', 'restriction_value': PROJECT_ID},
             status=201, body=R_PROJECT),
        # a context just created has no variables: no listing
        call('PUT', '/context/%s/environment-variable/AWS_KEY' % CTX_ID, json={'value': SECRETS[0]}, body={}),
        call('PUT', '/context/%s/environment-variable/AWS_SECRET' % CTX_ID, json={'value': SECRETS[1]}, body={}),
        call('GET', '/project/gh/acme/api/envvar', body=page()),
        call('POST', '/project/gh/acme/api/envvar', json={'name': 'NPM_TOKEN', 'value': SECRETS[2]}, status=201, body={}),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page()),
        call('POST', '/webhook', json=hook_body, status=201, body=webhook()),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page(webhook())),
        call('GET', '/project/gh/acme/api/schedule', body=page()),
        call('POST', '/project/gh/acme/api/schedule', json=lambda body: body['name'] == 'nightly', status=201, body=schedule()),
        call('GET', '/project/gh/acme/api/settings', body=settings(False)),
        call('PATCH', '/project/gh/acme/api/settings', json={'advanced': {'autocancel_builds': True}}, body=settings(True)),
    )
    result = run_module(circleci_org_config, dict(DEFINITION, concurrency=1))
    assert result['changed'] is True
    assert 'diff' not in result
    assert_secret_free(result)


def test_a_bad_option_is_named_with_its_place_before_any_request(api, run_module):
    definition = dict(DEFINITION, projects=[dict(slug='gh/acme/api'), dict(slug='gh/acme/web', webhooks=[dict(name='x', url='http://plain')])])
    result = run_module(circleci_org_config, definition)
    assert result['failed'] is True
    assert result['option'] == 'projects[1].webhooks[0].url'
    assert api.log == []


def test_a_duplicate_is_refused_before_any_request(api, run_module):
    result = run_module(circleci_org_config, dict(org_slug='gh/acme', contexts=[dict(name='a'), dict(name='a')]))
    assert result['failed'] is True
    assert result['option'] == 'contexts[1]'


def test_a_failed_object_does_not_stop_the_others(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api/settings', status=404, body={'message': 'Project not found.'}),
               call('GET', '/project/gh/acme/web/settings', body=settings(True)))
    definition = dict(org_slug='gh/acme', concurrency=1, projects=[dict(slug='gh/acme/api', settings=dict(autocancel_builds=True)),
                                                                   dict(slug='gh/acme/web', settings=dict(autocancel_builds=True))])
    result = run_module(circleci_org_config, definition)
    assert result['failed'] is True
    assert result['msg'].startswith("1 of 2 objects failed: project 'gh/acme/api': ")
    assert result['projects'][0]['failed'] is True and 'not found' in result['projects'][0]['msg']
    assert result['projects'][1] == dict(slug='gh/acme/web', changed=False, settings=dict(changed=False))


def test_purge_deletes_the_contexts_not_listed_from_the_one_listing(api, run_module):
    api.expect(contexts(CONTEXT, OLD), call('DELETE', '/context/%s' % OLD_CTX_ID, body={}))
    result = run_module(circleci_org_config, dict(org_slug='gh/acme', contexts=[dict(name='deploy')], purge_contexts=True))
    assert result['changed'] is True
    assert result['contexts'] == [
        dict(name='deploy', state='present', purged=False, changed=False, context_changed=False),
        dict(name='old', state='absent', purged=True, changed=True, context_changed=True)]


def test_purge_webhooks_and_schedules_from_the_listings_already_read(api, run_module):
    stray = dict(webhook(), id='2d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c12', name='stray')
    api.expect(
        call('GET', '/project/gh/acme/api', body=PROJECT),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page(webhook(), stray)),
        call('DELETE', '/webhook/%s' % stray['id'], body={}),
        call('GET', '/project/gh/acme/api/schedule', body=page(schedule())),
        call('DELETE', '/schedule/%s' % SCHEDULE_ID, body={}),
    )
    definition = dict(org_slug='gh/acme', concurrency=1, purge_webhooks=True, purge_schedules=True,
                      projects=[dict(slug='gh/acme/api', webhooks=[dict(name='notify')])])
    result = run_module(circleci_org_config, definition)
    assert result['changed'] is True
    assert result['projects'][0]['webhooks'] == [dict(name='notify', state='present', changed=False, purged=False),
                                                 dict(name='stray', state='absent', changed=True, purged=True)]
    assert result['projects'][0]['schedules'] == [dict(name='nightly', state='absent', changed=True, purged=True)]


def test_concurrency_out_of_range_is_refused(api, run_module):
    result = run_module(circleci_org_config, dict(org_slug='gh/acme', concurrency=17))
    assert result['failed'] is True and result['option'] == 'concurrency'


def test_purge_schedules_leaves_a_circleci_project_unread(api, run_module):
    """A circleci/... project has no (legacy) schedules and its schedule listing is refused: nothing to purge."""
    slug = 'circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1/405d8375-3514-403b-8c43-83ae74cfe0e9'
    api.expect(call('GET', '/project/%s/settings' % slug, body=settings(True)))
    definition = dict(org_slug='gh/acme', purge_schedules=True, projects=[dict(slug=slug, settings=dict(autocancel_builds=True))])
    result = run_module(circleci_org_config, definition)
    assert result['changed'] is False
    assert result['projects'] == [dict(slug=slug, changed=False, settings=dict(changed=False))]


# --- create_projects --------------------------------------------------------------------------

PROJECT_VIEW = {'id': PROJECT_ID, 'slug': 'gh/acme/api', 'name': 'api', 'organization_slug': 'gh/acme'}
CREATED = dict(PROJECT, organization_slug='gh/acme', organization_name='acme')
NOT_FOUND = {'message': 'Project not found'}


def test_create_projects_adds_no_request_to_a_rerun(api, run_module):
    """The project read that makes sure of it is the one the webhook and the restriction use."""
    api.expect(contexts(CONTEXT))
    api.expect_unordered(*converged_reads())
    result = run_module(circleci_org_config, dict(DEFINITION, create_projects=True, concurrency=4), diff=True)
    assert result['changed'] is False
    assert result['diff'] == []
    project = result['projects'][0]
    assert project['project'] == dict(id=PROJECT_ID, slug='gh/acme/api', name='api')
    assert project['created'] is False and project['planned'] is False
    assert project['webhooks'] == [dict(name='notify', state='present', changed=False, purged=False)]
    assert_secret_free(result)


def test_create_projects_creates_a_missing_project_before_its_kinds(api, run_module):
    api.expect(
        call('GET', '/project/gh/acme/api', status=404, body=NOT_FOUND),
        call('POST', '/organization/gh/acme/project', json={'name': 'api'}, body=CREATED),
        # the created project is not read again: its webhook listing takes the id POST answered
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page()),
        call('POST', '/webhook', json=lambda body: body['name'] == 'notify', status=201, body=webhook()),
        call('GET', '/webhook', query={'scope-id': PROJECT_ID, 'scope-type': 'project'}, body=page(webhook())),
    )
    definition = dict(org_slug='gh/acme', create_projects=True, projects=[dict(slug='gh/acme/api', webhooks=DEFINITION['projects'][0]['webhooks'])])
    result = run_module(circleci_org_config, definition, diff=True)
    assert result['changed'] is True
    project = result['projects'][0]
    assert project['project'] == PROJECT_VIEW
    assert project['created'] is True and project['planned'] is False
    assert [entry['before_header'] for entry in result['diff']] == ['project gh/acme/api', 'webhook of gh/acme/api: notify']
    assert result['diff'][0]['before'] == {}
    assert_secret_free(result)


def test_check_mode_plans_a_missing_project_and_reads_nothing_of_it(api, run_module):
    api.expect(call('GET', '/project/gh/acme/api', status=404, body=NOT_FOUND))
    definition = dict(org_slug='gh/acme', create_projects=True,
                      projects=[dict(slug='gh/acme/api', variables=dict(NPM_TOKEN=SECRETS[2]), settings=dict(autocancel_builds=True))])
    result = run_module(circleci_org_config, definition, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['projects'] == [dict(slug='gh/acme/api', changed=True, created=True, planned=True,
                                       project=dict(slug='gh/acme/api', name='api', organization_slug='gh/acme'))]
    assert [entry['before_header'] for entry in result['diff']] == ['project gh/acme/api']
    assert_secret_free(result)


def test_a_missing_standalone_project_fails_naming_its_slug_without_a_write(api, run_module):
    slug = 'circleci/6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1/405d8375-3514-403b-8c43-83ae74cfe0e9'
    web = dict(PROJECT, id='505d8375-3514-403b-8c43-83ae74cfe0e9', slug='gh/acme/web', name='web')
    api.expect(call('GET', '/project/%s' % slug, status=404, body=NOT_FOUND),
               call('GET', '/project/gh/acme/web', body=web),
               call('GET', '/project/gh/acme/web/settings', body=settings(True)))
    definition = dict(org_slug='gh/acme', create_projects=True, concurrency=1,
                      projects=[dict(slug=slug, settings=dict(autocancel_builds=True)),
                                dict(slug='gh/acme/web', settings=dict(autocancel_builds=True))])
    result = run_module(circleci_org_config, definition)
    assert result['failed'] is True
    assert result['projects'][0]['failed'] is True
    assert result['projects'][0]['msg'].startswith('projects[0].slug: ')
    assert 'organization and name' in result['projects'][0]['msg']
    assert 'settings' not in result['projects'][0]
    assert result['projects'][1]['settings'] == dict(changed=False)


def test_check_mode_plans_a_restriction_to_a_project_that_would_be_created(api, run_module):
    api.expect(contexts(), call('GET', '/project/gh/acme/api', status=404, body=NOT_FOUND))
    definition = dict(org_slug='gh/acme', create_projects=True,
                      contexts=[dict(name='deploy', restrictions=[dict(type='project', value='gh/acme/api')])],
                      projects=[dict(slug='gh/acme/api')])
    result = run_module(circleci_org_config, definition, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['contexts'][0]['context_changed'] is True
    assert result['projects'][0]['planned'] is True
    after = [entry['after'] for entry in result['diff'] if entry['before_header'] == 'context deploy'][0]
    assert after['restrictions'] == [dict(type='project', value='gh/acme/api')]
