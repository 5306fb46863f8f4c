# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

from ansible_collections.community.circleci.plugins.modules import circleci_pipeline_continue
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

KEY = 'continuation-key-canary-0123456789'
CONFIG = 'version: 2.1\nworkflows:\n  deploy:\n    jobs: [deploy]\n'


def test_continue_with_configuration_and_parameters(api, run_module):
    api.expect(call('POST', '/pipeline/continue',
                    json={'continuation-key': KEY, 'configuration': CONFIG, 'parameters': {'deploy': True}},
                    body={'message': 'Pipeline continued.'}))
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'configuration': CONFIG, 'parameters': {'deploy': True}})
    assert result['changed'] is True
    assert result['message'] == 'Pipeline continued.'
    assert KEY not in json.dumps(result)


def test_key_from_the_environment_and_config_from_a_file(api, run_module, monkeypatch, tmp_path):
    src = tmp_path / 'config.yml'
    src.write_text(CONFIG)
    monkeypatch.setenv('CIRCLE_CONTINUATION_KEY', KEY)
    api.expect(call('POST', '/pipeline/continue', json={'continuation-key': KEY, 'configuration': CONFIG},
                    body={'message': 'Pipeline continued.'}))
    result = run_module(circleci_pipeline_continue, {'src': str(src)})
    assert result['changed'] is True


def test_check_mode_sends_nothing(api, run_module):
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'configuration': CONFIG}, check_mode=True)
    assert result['changed'] is True
    assert api.requests == []


def test_a_used_key_fails_with_the_api_words(api, run_module):
    api.expect(call('POST', '/pipeline/continue', status=400, body={'message': 'Continuation key has already been used.'}))
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'configuration': CONFIG})
    assert result['failed'] is True
    assert result['msg'] == 'POST /pipeline/continue -> 400: Continuation key has already been used.'
    assert KEY not in json.dumps(result)


def test_unreadable_src_and_bad_parameters_fail_before_any_request(api, run_module, tmp_path):
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'src': str(tmp_path / 'missing.yml')})
    assert result['failed'] is True
    assert result['msg'].startswith("src: cannot read '%s'" % (tmp_path / 'missing.yml'))
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'configuration': CONFIG, 'parameters': {'x': 1.5}})
    assert result['msg'] == 'parameters.x: must be a string, an integer or a boolean, got float'
    result = run_module(circleci_pipeline_continue, {'continuation_key': KEY, 'configuration': ' '})
    assert result['msg'] == 'configuration: must be a non-empty string'
    assert api.requests == []
