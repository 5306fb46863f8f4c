# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.community.circleci.plugins.modules import circleci_usage_export
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = '5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b'
SHARED = '6a4c1c3b-1d2e-4f3a-8b4c-5d6e7f8a9b0c'
EXPORT_ID = '0d9f3a0e-52b1-4a5c-9d6e-7f8a9b0c1d2e'
PATH = '/organizations/%s/usage_export_job' % ORG_ID
ONE = '%s/%s' % (PATH, EXPORT_ID)


def stamp(days_ago):
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime('%Y-%m-%dT%H:%M:%SZ')


START, END = stamp(20), stamp(10)
ARGS = {'org_id': ORG_ID, 'start': START, 'end': END}


def created(state='created', urls=()):
    return {'usage_export_job_id': EXPORT_ID, 'state': state, 'start': START, 'end': END, 'download_urls': list(urls)}


def read(state, urls=()):
    return call('GET', ONE, body={'usage_export_job_id': EXPORT_ID, 'state': state, 'download_urls': list(urls)})


def file_urls(api):
    root = api.url.rsplit('/api/v2', 1)[0]
    return [root + '/files/usage-0d9f3a0e-1.csv.gz', root + '/files/usage-0d9f3a0e-2.csv.gz']


def test_create_without_waiting(api, run_module):
    api.expect(call('POST', PATH, json={'start': START, 'end': END, 'shared_org_ids': [SHARED]}, status=201, body=created()))
    result = run_module(circleci_usage_export, dict(ARGS, shared_org_ids=[SHARED.upper()]))
    assert result['changed'] is True
    assert result['created'] is True
    assert result['usage_export'] == created()
    assert result['files'] == []


def test_check_mode_sends_nothing(api, run_module):
    result = run_module(circleci_usage_export, ARGS, check_mode=True)
    assert result['changed'] is True
    assert result['usage_export'] == {'start': START, 'end': END}
    assert api.requests == []


def test_create_wait_and_download_without_the_token(api, run_module, sleeps, tmp_path):
    urls = file_urls(api)
    api.expect(
        call('POST', PATH, status=201, body=created()),
        read('processing'),
        read('completed', urls),
        call('GET', '<outside /api/v2>/files/usage-0d9f3a0e-1.csv.gz', body=b'one'),
        call('GET', '<outside /api/v2>/files/usage-0d9f3a0e-2.csv.gz', body=b'two'),
    )
    result = run_module(circleci_usage_export, dict(ARGS, wait=True, poll_interval=2, dest=str(tmp_path)))
    paths = [str(tmp_path / 'usage-0d9f3a0e-1.csv.gz'), str(tmp_path / 'usage-0d9f3a0e-2.csv.gz')]
    assert result['changed'] is True
    assert result['usage_export']['state'] == 'completed'
    assert result['usage_export']['start'] == START
    assert result['files'] == result['files_written'] == paths
    assert [open(path, 'rb').read() for path in paths] == [b'one', b'two']
    assert sorted(os.listdir(str(tmp_path))) == ['usage-0d9f3a0e-1.csv.gz', 'usage-0d9f3a0e-2.csv.gz']
    assert sleeps == [2, 2]
    assert all('Circle-Token' not in request.headers for request in api.requests[-2:])


def test_existing_export_with_the_same_files_changes_nothing(api, run_module, tmp_path):
    urls = file_urls(api)
    (tmp_path / 'usage-0d9f3a0e-1.csv.gz').write_bytes(b'one')
    (tmp_path / 'usage-0d9f3a0e-2.csv.gz').write_bytes(b'old')
    files = [call('GET', '<outside /api/v2>/files/usage-0d9f3a0e-1.csv.gz', body=b'one'),
             call('GET', '<outside /api/v2>/files/usage-0d9f3a0e-2.csv.gz', body=b'two')]
    api.expect(read('completed', urls), *files)
    check = run_module(circleci_usage_export, {'org_id': ORG_ID, 'usage_export_job_id': EXPORT_ID, 'wait': True, 'dest': str(tmp_path)},
                       check_mode=True)
    assert check['changed'] is True
    assert check['files_written'] == [str(tmp_path / 'usage-0d9f3a0e-2.csv.gz')]
    assert (tmp_path / 'usage-0d9f3a0e-2.csv.gz').read_bytes() == b'old'
    assert sorted(os.listdir(str(tmp_path))) == ['usage-0d9f3a0e-1.csv.gz', 'usage-0d9f3a0e-2.csv.gz']

    api.expect(read('completed', urls), *files)
    first = run_module(circleci_usage_export, {'org_id': ORG_ID, 'usage_export_job_id': EXPORT_ID, 'wait': True, 'dest': str(tmp_path)})
    assert first['changed'] is True
    assert first['created'] is False
    assert (tmp_path / 'usage-0d9f3a0e-2.csv.gz').read_bytes() == b'two'

    api.expect(read('completed', urls), *files)
    again = run_module(circleci_usage_export, {'org_id': ORG_ID, 'usage_export_job_id': EXPORT_ID, 'wait': True, 'dest': str(tmp_path)})
    assert again['changed'] is False
    assert again['files_written'] == []


def test_rate_limit_fails_at_once_with_a_clear_message(api, run_module, sleeps):
    api.expect(call('POST', PATH, status=429, body={'message': 'Rate limit exceeded.'}, headers={'Retry-After': '3300'}))
    result = run_module(circleci_usage_export, ARGS)
    assert result['failed'] is True
    assert result['status'] == 429
    assert 'at most 10 usage export requests per hour per organization' in result['msg']
    assert 'usage_export_job_id' in result['msg']
    assert sleeps == []


def test_short_throttling_is_retried(api, run_module, sleeps):
    api.expect(call('POST', PATH, status=429, body={'message': 'slow down'}, headers={'Retry-After': '1'}),
               call('POST', PATH, status=201, body=created()))
    assert run_module(circleci_usage_export, ARGS)['changed'] is True
    assert sleeps == [1.0]


def test_failed_export_fails_the_task(api, run_module):
    api.expect(call('POST', PATH, status=201, body=created()),
               call('GET', ONE, body={'usage_export_job_id': EXPORT_ID, 'state': 'failed', 'download_urls': [], 'error_reason': 'no data'}))
    result = run_module(circleci_usage_export, dict(ARGS, wait=True, poll_interval=1))
    assert result['msg'] == 'usage export %s failed: no data' % EXPORT_ID
    assert result['created'] is True


def test_wait_timeout_names_the_last_state(api, run_module, sleeps):
    api.expect(call('POST', PATH, status=201, body=created()), read('processing'), read('processing'))
    result = run_module(circleci_usage_export, dict(ARGS, wait=True, wait_timeout=4, poll_interval=2))
    assert result['msg'] == 'wait_timeout: gave up after 4 seconds: usage export %s is still processing' % EXPORT_ID
    assert sleeps == [2, 2]


@pytest.mark.parametrize('args, message', [
    ({'org_id': 'acme', 'start': START, 'end': END}, "org_id: 'acme' is not a UUID"),
    ({'org_id': ORG_ID, 'end': END}, 'one of the following is required: usage_export_job_id, start'),
    ({'org_id': ORG_ID, 'start': '2026-11-01', 'end': END}, "start: '2026-11-01' is not a date-time"),
    ({'org_id': ORG_ID, 'start': END, 'end': START}, 'end: must be after start'),
    ({'org_id': ORG_ID, 'start': stamp(60), 'end': stamp(10)}, 'end: must be at most 31 days after start'),
    ({'org_id': ORG_ID, 'start': stamp(400), 'end': stamp(390)}, 'start: must be at most one year ago'),
    (dict(ARGS, shared_org_ids=['x']), "shared_org_ids[0]: 'x' is not a UUID"),
    (dict(ARGS, dest='/tmp'), 'dest: needs wait=true'),
    (dict(ARGS, wait=True, dest='/nonexistent/dir'), "dest: '/nonexistent/dir' is not an existing directory"),
    (dict(ARGS, wait_timeout=0), 'wait_timeout: must be a positive number of seconds'),
    ({'org_id': ORG_ID, 'usage_export_job_id': EXPORT_ID, 'start': START}, 'parameters are mutually exclusive'),
])
def test_bad_input_fails_before_any_request(api, run_module, args, message):
    result = run_module(circleci_usage_export, args)
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert api.requests == []
