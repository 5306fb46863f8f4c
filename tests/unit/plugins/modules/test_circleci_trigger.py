# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

from ansible_collections.community.circleci.plugins.modules import circleci_trigger
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

PROJECT_ID = 'c0000000-0000-4000-8000-000000000201'
DEFINITION_ID = '2338d0ae-5541-4bbf-88a2-55e9f7281f80'
TRIGGER_ID = '8d2a0c6f-2f4e-4c52-9a3b-0d7e6f1c2b3a'
OTHER_ID = '9e3b1d70-3a5f-4d63-8b4c-1e8f7a2d3c4b'
DEFINITIONS = '/projects/%s/pipeline-definitions' % PROJECT_ID
TRIGGERS = '%s/%s/triggers' % (DEFINITIONS, DEFINITION_ID)
ONE = '/projects/%s/triggers/%s' % (PROJECT_ID, TRIGGER_ID)
REPO = '123456789'
OTHER_REPO = '987654321'
SECRET = 'Jj6SpBdmHUAqSgaH-trigger-canary'
URL = 'https://internal.circleci.com/private/soc/e/%s?secret=%s' % (TRIGGER_ID, SECRET)
BASE = {'project_id': PROJECT_ID, 'pipeline_definition': 'deploy'}
WEBHOOK = dict(BASE, provider='webhook', event_name='chatops', checkout_ref='main', config_ref='main')
PUSHES = dict(BASE, provider='github_app', event_preset='all-pushes')


def definition(config_repo=REPO, checkout_repo=REPO):
    config = {'provider': 'github_app', 'repo': {'external_id': config_repo, 'full_name': 'acme/api'}, 'file_path': '.circleci/deploy.yml'}
    if config_repo is None:
        config = {'provider': 'circleci', 'file_path': '.circleci/deploy.yml'}
    return {'id': DEFINITION_ID, 'name': 'deploy', 'description': '', 'created_at': '2025-01-10T12:00:00.000Z',
            'config_source': config, 'checkout_source': {'provider': 'github_app', 'repo': {'external_id': checkout_repo}}}


def definitions(*items):
    return call('GET', DEFINITIONS, body={'items': list(items) or [definition()]})


def webhook_trigger(**overrides):
    trigger = {'id': TRIGGER_ID, 'created_at': '2025-01-10T12:00:00.000Z', 'event_name': 'chatops',
               'event_source': {'provider': 'webhook', 'webhook': {'url': URL, 'sender': 'slack'}},
               'checkout_ref': 'main', 'config_ref': 'main', 'disabled': False}
    trigger.update(overrides)
    return trigger


def repo_trigger(repo=REPO, **overrides):
    trigger = {'id': TRIGGER_ID, 'created_at': '2025-01-10T12:00:00.000Z', 'event_name': '',
               'event_source': {'provider': 'github_app', 'repo': {'external_id': repo, 'full_name': 'acme/api'}},
               'event_preset': 'all-pushes', 'checkout_ref': '', 'config_ref': '', 'disabled': False}
    trigger.update(overrides)
    return trigger


def triggers(*items):
    return call('GET', TRIGGERS, body={'items': list(items)})


def assert_no_url(result):
    """The URL's secret is only in webhook_url; nowhere else."""
    rest = dict((key, value) for key, value in result.items() if key != 'webhook_url')
    assert SECRET not in json.dumps(rest)


# --- the acceptance rules -----------------------------------------------------------------

def test_a_webhook_trigger_without_refs_fails_naming_them_with_no_request(api, run_module):
    args = dict(WEBHOOK)
    del args['checkout_ref'], args['config_ref']
    result = run_module(circleci_trigger, args)
    assert result['failed'] is True
    assert result['option'] == 'checkout_ref'
    assert result['msg'].startswith('checkout_ref: required for a webhook trigger, as is config_ref')
    result = run_module(circleci_trigger, dict(WEBHOOK, config_ref=None))
    assert result['msg'].startswith('config_ref: required for a webhook trigger')
    assert api.requests == []


def test_create_webhook_trigger_returns_the_url_only_under_webhook_url(api, run_module):
    body = {'event_source': {'provider': 'webhook', 'webhook': {'sender': 'slack'}}, 'event_name': 'chatops',
            'checkout_ref': 'main', 'config_ref': 'main'}
    api.expect(definitions(), triggers(), call('POST', TRIGGERS, json=body, body=webhook_trigger()), triggers(webhook_trigger()))
    result = run_module(circleci_trigger, dict(WEBHOOK, webhook_sender='slack'), diff=True)
    assert result['changed'] is True
    assert result['webhook_url'] == URL
    assert result['trigger']['event_source'] == {'provider': 'webhook', 'webhook': {'sender': 'slack'}}
    assert result['diff']['after']['event_name'] == 'chatops'
    assert_no_url(result)


def test_rerun_is_reads_only_and_returns_the_url(api, run_module):
    api.expect(definitions(), triggers(repo_trigger(id=OTHER_ID), webhook_trigger()))
    result = run_module(circleci_trigger, dict(WEBHOOK, webhook_sender='slack', disabled=False), diff=True)
    assert result['changed'] is False
    assert result['webhook_url'] == URL
    assert [r.method for r in api.requests] == ['GET', 'GET']
    assert_no_url(result)


def test_check_mode_create_sends_no_write_and_has_no_url(api, run_module):
    api.expect(definitions(), triggers())
    result = run_module(circleci_trigger, WEBHOOK, check_mode=True, diff=True)
    assert result['changed'] is True
    assert 'webhook_url' not in result and 'id' not in result['trigger']
    assert result['trigger']['event_source'] == {'provider': 'webhook'}
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_update_patches_only_what_differs(api, run_module):
    body = {'disabled': True, 'event_source': {'webhook': {'sender': 'pagerduty'}}}
    after = webhook_trigger(disabled=True, event_source={'provider': 'webhook', 'webhook': {'url': URL, 'sender': 'pagerduty'}})
    api.expect(definitions(), triggers(webhook_trigger()), call('PATCH', ONE, json=body, body=after))
    result = run_module(circleci_trigger, dict(WEBHOOK, disabled=True, webhook_sender='pagerduty'), diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['disabled'] is False and result['diff']['after']['disabled'] is True
    assert result['diff']['after']['event_source']['webhook'] == {'sender': 'pagerduty'}
    assert result['webhook_url'] == URL
    assert_no_url(result)


def test_check_mode_update_sends_no_write(api, run_module):
    api.expect(definitions(), triggers(webhook_trigger()))
    result = run_module(circleci_trigger, dict(WEBHOOK, checkout_ref='release'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['trigger']['checkout_ref'] == 'release'
    assert result['diff']['before']['checkout_ref'] == 'main'
    assert_no_url(result)


def test_absent_deletes_then_is_no_change(api, run_module):
    api.expect(definitions(), triggers(webhook_trigger()), call('DELETE', ONE, body={'message': 'Trigger deleted.'}))
    result = run_module(circleci_trigger, dict(BASE, provider='webhook', event_name='chatops', state='absent'), diff=True)
    assert (result['changed'], result['trigger']) == (True, {})
    assert 'webhook_url' not in result
    assert_no_url(result)
    api.expect(definitions(), triggers(webhook_trigger(event_name='other')))
    result = run_module(circleci_trigger, dict(BASE, provider='webhook', event_name='chatops', state='absent'))
    assert result['changed'] is False


# --- repository triggers --------------------------------------------------------------------

def test_a_repository_trigger_defaults_to_the_definitions_repository_and_sends_no_refs(api, run_module):
    body = {'event_source': {'provider': 'github_app', 'repo': {'external_id': REPO}}, 'event_preset': 'all-pushes'}
    api.expect(definitions(), triggers(), call('POST', TRIGGERS, json=body, body=repo_trigger()), triggers(repo_trigger()))
    result = run_module(circleci_trigger, PUSHES)
    assert result['changed'] is True
    assert result['trigger']['event_source']['repo']['external_id'] == REPO
    assert 'webhook_url' not in result


def test_a_repository_trigger_is_found_by_repository_and_preset(api, run_module):
    api.expect(definitions(), triggers(repo_trigger(id=OTHER_ID, event_preset='only-tags'), repo_trigger(OTHER_REPO, id=OTHER_ID),
                                       repo_trigger()))
    result = run_module(circleci_trigger, PUSHES)
    assert result['changed'] is False
    assert result['trigger']['id'] == TRIGGER_ID


def test_refs_for_the_definitions_repository_are_refused_before_any_write(api, run_module):
    api.expect(definitions(), triggers())
    result = run_module(circleci_trigger, dict(PUSHES, checkout_ref='main'))
    assert result['failed'] is True
    assert result['msg'] == ("checkout_ref: must be omitted: the trigger's repository '%s' is the checkout repository of "
                             "pipeline definition 'deploy'" % REPO)
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_another_repository_needs_the_refs(api, run_module):
    api.expect(definitions(), triggers())
    result = run_module(circleci_trigger, dict(PUSHES, repo_external_id=OTHER_REPO, checkout_ref='main'))
    assert result['msg'].startswith("config_ref: required: the trigger's repository '%s' differs from the config "
                                    "repository '%s'" % (OTHER_REPO, REPO))
    body = {'event_source': {'provider': 'github_app', 'repo': {'external_id': OTHER_REPO}}, 'event_preset': 'all-pushes',
            'checkout_ref': 'main', 'config_ref': 'main'}
    created = repo_trigger(OTHER_REPO, checkout_ref='main', config_ref='main')
    api.expect(definitions(), triggers(), call('POST', TRIGGERS, json=body, body=created), triggers(created))
    result = run_module(circleci_trigger, dict(PUSHES, repo_external_id=OTHER_REPO, checkout_ref='main', config_ref='main'))
    assert result['changed'] is True


def test_a_circleci_config_source_leaves_config_ref_free(api, run_module):
    body = {'event_source': {'provider': 'github_app', 'repo': {'external_id': REPO}}, 'event_preset': 'all-pushes',
            'config_ref': 'main'}
    created = repo_trigger(config_ref='main')
    api.expect(definitions(definition(config_repo=None)), triggers(), call('POST', TRIGGERS, json=body, body=created),
               triggers(created))
    assert run_module(circleci_trigger, dict(PUSHES, config_ref='main'))['changed'] is True


def test_the_definition_by_id_is_read_once(api, run_module):
    args = dict(PUSHES, pipeline_definition_id=DEFINITION_ID.upper())
    del args['pipeline_definition']
    api.expect(call('GET', '%s/%s' % (DEFINITIONS, DEFINITION_ID), body=definition()), triggers(repo_trigger()))
    assert run_module(circleci_trigger, args)['changed'] is False


def test_an_unknown_definition_is_named(api, run_module):
    api.expect(definitions(dict(definition(), name='other')))
    result = run_module(circleci_trigger, PUSHES)
    assert result['failed'] is True
    assert result['msg'] == "pipeline_definition: project %s has no pipeline definition named 'deploy'" % PROJECT_ID


# --- by trigger_id: immutable fields ---------------------------------------------------------

def test_by_id_the_preset_is_patched(api, run_module):
    args = dict(BASE, trigger_id=TRIGGER_ID, event_preset='only-tags')
    api.expect(definitions(), triggers(repo_trigger()), call('PATCH', ONE, json={'event_preset': 'only-tags'},
                                                             body=repo_trigger(event_preset='only-tags')))
    result = run_module(circleci_trigger, args)
    assert result['changed'] is True
    assert result['trigger']['event_preset'] == 'only-tags'


def test_by_id_a_repository_change_fails_naming_it(api, run_module):
    api.expect(definitions(), triggers(repo_trigger()))
    result = run_module(circleci_trigger, dict(BASE, trigger_id=TRIGGER_ID, repo_external_id=OTHER_REPO, checkout_ref='main',
                                               config_ref='main'))
    assert result['failed'] is True
    assert result['option'] == 'repo_external_id'
    assert "recreate=true" in result['msg']
    assert [r.method for r in api.requests] == ['GET', 'GET']


def test_by_id_recreate_deletes_and_creates(api, run_module):
    body = {'event_source': {'provider': 'github_app', 'repo': {'external_id': OTHER_REPO}}, 'event_preset': 'all-pushes',
            'checkout_ref': 'main', 'config_ref': 'main'}
    created = repo_trigger(OTHER_REPO, id=OTHER_ID, checkout_ref='main', config_ref='main')
    api.expect(definitions(), triggers(repo_trigger()), call('DELETE', ONE, body={'message': 'Trigger deleted.'}),
               call('POST', TRIGGERS, json=body, body=created), triggers(created))
    result = run_module(circleci_trigger, dict(BASE, trigger_id=TRIGGER_ID, repo_external_id=OTHER_REPO, checkout_ref='main',
                                               config_ref='main', recreate=True))
    assert result['changed'] is True
    assert result['trigger']['id'] == OTHER_ID


def test_by_id_options_of_the_other_kind_are_refused(api, run_module):
    api.expect(definitions(), triggers(repo_trigger()))
    result = run_module(circleci_trigger, dict(BASE, trigger_id=TRIGGER_ID, event_name='push'))
    assert result['msg'] == 'event_name: only applies with provider=webhook'


def test_by_id_a_missing_trigger_is_not_created(api, run_module):
    api.expect(definitions(), triggers())
    result = run_module(circleci_trigger, dict(BASE, trigger_id=TRIGGER_ID, event_preset='only-tags'))
    assert result['failed'] is True
    assert result['msg'].startswith("trigger_id: pipeline definition 'deploy' has no trigger with id '%s'" % TRIGGER_ID)


# --- duplicates, lost answers, secrets in errors ----------------------------------------------

def test_duplicates_are_refused_naming_the_key(api, run_module):
    api.expect(definitions(), triggers(webhook_trigger(), webhook_trigger(id=OTHER_ID)))
    result = run_module(circleci_trigger, WEBHOOK)
    assert result['failed'] is True
    assert result['msg'].startswith("event_name: 2 triggers of the pipeline definition are with event_name 'chatops'")


def test_a_lost_create_answer_is_followed_by_a_read_not_a_second_create(api, run_module, sleeps):
    api.expect(definitions(), triggers(), call('POST', TRIGGERS, drop=True), triggers(webhook_trigger()),
               triggers(webhook_trigger()))
    result = run_module(circleci_trigger, WEBHOOK)
    assert result['changed'] is True
    assert result['webhook_url'] == URL


def test_an_error_quoting_the_url_hides_it(api, run_module):
    api.expect(definitions(), triggers(webhook_trigger()),
               call('PATCH', ONE, status=400, body={'message': 'Cannot change %s' % URL}))
    result = run_module(circleci_trigger, dict(WEBHOOK, checkout_ref='release'))
    assert result['failed'] is True
    assert SECRET not in json.dumps(result)
    assert '<hidden>' in result['msg']


def test_bad_input_sends_nothing(api, run_module):
    result = run_module(circleci_trigger, dict(BASE, provider='webhook', checkout_ref='main', config_ref='main'))
    assert result['msg'].startswith('event_name: required for a webhook trigger')
    result = run_module(circleci_trigger, dict(BASE, provider='github_app'))
    assert result['msg'].startswith('event_preset: required for a github_app trigger')
    result = run_module(circleci_trigger, dict(PUSHES, disabled=True))
    assert result['msg'] == 'disabled: only applies with provider=webhook'
    result = run_module(circleci_trigger, dict(WEBHOOK, event_preset='all-pushes'))
    assert result['msg'] == 'event_preset: only applies with provider=github_app or github_oauth'
    result = run_module(circleci_trigger, dict(BASE, event_name='x'))
    assert result['msg'].startswith('provider: required unless trigger_id is given')
    result = run_module(circleci_trigger, dict(WEBHOOK, checkout_ref=' '))
    assert result['msg'] == 'checkout_ref: must be a non-empty string'
    assert api.requests == []
