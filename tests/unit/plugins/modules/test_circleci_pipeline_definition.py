# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_pipeline_definition
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'c0000000-0000-4000-8000-000000000002'
PROJECT_ID = 'c0000000-0000-4000-8000-000000000201'
SLUG = 'circleci/%s/%s' % (ORG_ID, PROJECT_ID)
DEFINITION_ID = '2338d0ae-5541-4bbf-88a2-55e9f7281f80'
OTHER_ID = '3449e1bf-6652-4ccf-99b3-66faf8392f91'
LIST = '/projects/%s/pipeline-definitions' % PROJECT_ID
ONE = '%s/%s' % (LIST, DEFINITION_ID)
REPO = '123456789'
ARGS = {'project_id': PROJECT_ID, 'name': 'deploy'}
CONFIG = {'repo_external_id': REPO, 'file_path': '.circleci/deploy.yml'}


def repo(external_id=REPO):
    return {'external_id': external_id, 'full_name': 'acme/repo-%s' % external_id}


def stored(**overrides):
    definition = {'id': DEFINITION_ID, 'name': 'deploy', 'description': 'Deploys main', 'created_at': '2025-01-10T12:00:00.000Z',
                  'config_source': {'provider': 'github_app', 'repo': repo(), 'file_path': '.circleci/deploy.yml'},
                  'checkout_source': {'provider': 'github_app', 'repo': repo()}}
    definition.update(overrides)
    return definition


def listing(*definitions):
    return call('GET', LIST, body={'items': list(definitions)})


def test_create_sends_the_sources_and_defaults_the_checkout_to_the_config_repository(api, run_module):
    body = {'name': 'deploy', 'description': 'Deploys main',
            'config_source': {'provider': 'github_app', 'repo': {'external_id': REPO}, 'file_path': '.circleci/deploy.yml'},
            'checkout_source': {'provider': 'github_app', 'repo': {'external_id': REPO}}}
    api.expect(listing(), call('POST', LIST, json=body, body=stored()), listing(stored()))
    result = run_module(circleci_pipeline_definition, dict(ARGS, description='Deploys main', config_source=CONFIG), diff=True)
    assert result['changed'] is True
    assert result['pipeline_definition'] == stored()
    assert result['diff']['before'] == {}
    assert result['diff']['after']['config_source']['file_path'] == '.circleci/deploy.yml'


def test_create_by_slug_resolves_the_project_once(api, run_module):
    api.expect(call('GET', '/project/%s' % SLUG, body={'id': PROJECT_ID, 'slug': SLUG, 'name': 'platform'}),
               listing(), call('POST', LIST, json=lambda body: 'description' not in body, body=stored(description='')),
               listing(stored(description='')))
    result = run_module(circleci_pipeline_definition, {'project_slug': SLUG, 'name': 'deploy', 'config_source': CONFIG})
    assert result['pipeline_definition']['description'] == ''


def test_create_a_circleci_config_source_needs_a_checkout_repository(api, run_module):
    api.expect(listing())
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'provider': 'circleci', 'file_path': 'x.yml'}))
    assert result['failed'] is True
    assert result['msg'] == "checkout_source.repo_external_id: required to create pipeline definition 'deploy'"
    body = {'name': 'deploy', 'config_source': {'provider': 'circleci', 'file_path': 'x.yml'},
            'checkout_source': {'provider': 'github_app', 'repo': {'external_id': REPO}}}
    created = stored(config_source={'provider': 'circleci', 'file_path': 'x.yml'})
    api.expect(listing(), call('POST', LIST, json=body, body=created), listing(created))
    args = dict(ARGS, config_source={'provider': 'circleci', 'file_path': 'x.yml'}, checkout_source={'repo_external_id': REPO})
    result = run_module(circleci_pipeline_definition, args)
    assert result['changed'] is True


def test_create_needs_the_config_file_and_repository(api, run_module):
    api.expect(listing())
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'repo_external_id': REPO}))
    assert result['msg'] == "config_source.file_path: required to create pipeline definition 'deploy'"
    api.expect(listing())
    result = run_module(circleci_pipeline_definition, ARGS)
    assert result['msg'] == "config_source.repo_external_id: required to create pipeline definition 'deploy'"
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_check_mode_create_sends_no_write(api, run_module):
    api.expect(listing())
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source=CONFIG), check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'id' not in result['pipeline_definition']
    assert result['pipeline_definition']['checkout_source'] == {'provider': 'github_app', 'repo': {'external_id': REPO}}
    assert [r.method for r in api.requests] == ['GET']


def test_rerun_is_one_read(api, run_module):
    api.expect(listing(stored(name='build-and-test', id=OTHER_ID), stored()))
    args = dict(ARGS, description='Deploys main', config_source=dict(CONFIG, provider='github_app'),
                checkout_source={'provider': 'github_app', 'repo_external_id': REPO})
    result = run_module(circleci_pipeline_definition, args)
    assert result['changed'] is False
    assert result['pipeline_definition'] == stored()
    assert [r.method for r in api.requests] == ['GET']


def test_a_description_change_is_one_patch_of_the_description(api, run_module):
    api.expect(listing(stored()), call('PATCH', ONE, json={'description': 'Deploys main to production'},
                                       body=stored(description='Deploys main to production')))
    result = run_module(circleci_pipeline_definition, dict(ARGS, description='Deploys main to production', config_source=CONFIG),
                        diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['description'] == 'Deploys main'
    assert result['diff']['after']['description'] == 'Deploys main to production'
    assert [r.method for r in api.requests] == ['GET', 'PATCH']


def test_file_path_and_checkout_changes_patch_only_those(api, run_module):
    body = {'config_source': {'file_path': '.circleci/release.yml'},
            'checkout_source': {'provider': 'github_app', 'repo': {'external_id': '987'}}}
    after = stored(config_source={'provider': 'github_app', 'repo': repo(), 'file_path': '.circleci/release.yml'},
                   checkout_source={'provider': 'github_app', 'repo': repo('987')})
    api.expect(listing(stored()), call('PATCH', ONE, json=body, body=after))
    args = dict(ARGS, config_source={'file_path': '.circleci/release.yml'}, checkout_source={'repo_external_id': '987'})
    result = run_module(circleci_pipeline_definition, args)
    assert result['changed'] is True
    assert result['pipeline_definition'] == after


def test_check_mode_update_sends_no_write(api, run_module):
    api.expect(listing(stored()))
    result = run_module(circleci_pipeline_definition, dict(ARGS, description='new'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['pipeline_definition']['description'] == 'new'
    assert result['diff']['before']['description'] == 'Deploys main'


def test_a_config_repository_change_fails_naming_the_option(api, run_module):
    api.expect(listing(stored()))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'repo_external_id': '987'}))
    assert result['failed'] is True
    assert result['option'] == 'config_source.repo_external_id'
    assert result['msg'].startswith("config_source.repo_external_id: pipeline definition 'deploy' exists with another "
                                    "config_source.repo_external_id, which the API cannot change; recreate=true")
    api.expect(listing(stored()))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'provider': 'circleci'}))
    assert result['option'] == 'config_source.provider'


def test_recreate_deletes_and_creates_with_the_current_fields(api, run_module):
    body = {'name': 'deploy', 'description': 'Deploys main',
            'config_source': {'provider': 'github_app', 'repo': {'external_id': '987'}, 'file_path': '.circleci/deploy.yml'},
            'checkout_source': {'provider': 'github_app', 'repo': {'external_id': REPO}}}
    created = stored(id=OTHER_ID, config_source=dict(stored()['config_source'], repo=repo('987')))
    api.expect(listing(stored()), call('DELETE', ONE, body={'message': 'Pipeline definition deleted.'}),
               call('POST', LIST, json=body, body=created), listing(created))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'repo_external_id': '987'}, recreate=True))
    assert result['changed'] is True
    assert result['pipeline_definition']['id'] == OTHER_ID


def test_duplicates_are_refused_naming_the_name(api, run_module):
    api.expect(listing(stored(), stored(id=OTHER_ID)))
    result = run_module(circleci_pipeline_definition, dict(ARGS, description='x'))
    assert result['failed'] is True
    assert result['msg'].startswith("name: 2 pipeline definitions of the project are named 'deploy'")


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(listing(stored()), call('DELETE', ONE, body={'message': 'Pipeline definition deleted.'}))
    result = run_module(circleci_pipeline_definition, dict(ARGS, state='absent'), diff=True)
    assert (result['changed'], result['pipeline_definition']) == (True, {})
    assert result['diff']['before']['name'] == 'deploy'
    api.expect(listing(stored(name='other')))
    result = run_module(circleci_pipeline_definition, dict(ARGS, state='absent'))
    assert result['changed'] is False


def test_absent_in_check_mode_sends_no_delete(api, run_module):
    api.expect(listing(stored()))
    assert run_module(circleci_pipeline_definition, dict(ARGS, state='absent'), check_mode=True)['changed'] is True


def test_an_unknown_project_id_is_named(api, run_module):
    api.expect(call('GET', LIST, status=404, body={'message': 'Project not found'}))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source=CONFIG))
    assert result['failed'] is True
    assert result['msg'].startswith("project_id: project '%s' was not found" % PROJECT_ID)


def test_a_lost_create_answer_is_followed_by_a_read_not_a_second_create(api, run_module, sleeps):
    api.expect(listing(), call('POST', LIST, drop=True), listing(stored()), listing(stored()))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source=CONFIG))
    assert result['changed'] is True
    assert result['pipeline_definition']['id'] == DEFINITION_ID


def test_a_concurrent_create_keeps_the_older_definition(api, run_module):
    theirs = stored(id=OTHER_ID, created_at='2025-01-10T11:59:59.000Z')
    api.expect(listing(), call('POST', LIST, body=stored()), listing(theirs, stored()),
               call('DELETE', ONE, body={'message': 'Pipeline definition deleted.'}))
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source=CONFIG))
    assert result['pipeline_definition']['id'] == OTHER_ID


def test_bad_input_sends_nothing(api, run_module):
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'provider': 'circleci', 'repo_external_id': REPO}))
    assert result['msg'].startswith('config_source.repo_external_id: only applies with config_source.provider=github_app')
    result = run_module(circleci_pipeline_definition, dict(ARGS, config_source={'file_path': ' '}))
    assert result['msg'] == 'config_source.file_path: must be a non-empty string'
    result = run_module(circleci_pipeline_definition, {'project_id': 'nope', 'name': 'deploy'})
    assert result['msg'] == "project_id: 'nope' is not a UUID"
    assert api.requests == []
