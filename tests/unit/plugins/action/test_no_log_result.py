# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A module that returns a secret on purpose (circleci_runner_token) gets its whole result marked
no_log by the action plugin: Ansible then censors it in every output, and register keeps it. The
censoring itself is Ansible's; the integration target circleci_runner_token and tools/leak_check.sh
show it at -vvv."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.plugin_utils._action import no_log_if_secret


def test_a_result_with_the_token_value_is_marked_no_log():
    result = no_log_if_secret('circleci_runner_token', {'changed': True, 'token': 'v4lue', 'runner_token': {}})
    assert result['_ansible_no_log'] is True
    assert result['token'] == 'v4lue'  # register keeps it


def test_a_result_without_a_value_is_shown_as_usual():
    for result in ({'changed': False, 'runner_token': {'nickname': 'build-01'}}, {'failed': True, 'msg': 'x'},
                   {'changed': True, 'token': None}):
        assert '_ansible_no_log' not in no_log_if_secret('circleci_runner_token', dict(result))


def test_modules_that_declare_nothing_are_never_marked():
    assert '_ansible_no_log' not in no_log_if_secret('circleci_context', {'token': 'not a secret of this module'})


def test_a_result_with_a_webhook_trigger_url_is_marked_no_log():
    url = 'https://internal.circleci.com/private/soc/e/t1?secret=s3cr3t'
    result = no_log_if_secret('circleci_trigger', {'changed': True, 'webhook_url': url, 'trigger': {'id': 't1'}})
    assert result['_ansible_no_log'] is True and result['webhook_url'] == url
    assert '_ansible_no_log' not in no_log_if_secret('circleci_trigger', {'changed': False, 'trigger': {'id': 't1'}})
