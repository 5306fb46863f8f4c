# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import quote

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import (
    CircleCIClient,
    CircleCIError,
    quote_segment,
    quote_slug,
)
from ansible_collections.community.circleci.plugins.module_utils._version import COLLECTION_VERSION
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import ANY, call

TOKEN = 'tok-3c1f9e0a-secret'
CONTEXT = {'id': '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11', 'name': 'deploy', 'created_at': '2025-01-10T12:00:00.000Z'}
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}


@pytest.fixture
def client(api):
    """A client on the scripted server whose delays are recorded in client.delays, not waited."""
    client = CircleCIClient(TOKEN, api_url=api.url)
    client.delays = []
    client.sleep = client.delays.append
    client.random = lambda: 1.0  # no jitter: delays are exact
    yield client
    client.close()


def find_context():
    """A finder that must never be called."""
    raise AssertionError('find_existing called')


# --- headers and connection -------------------------------------------------------------------

def test_sends_token_json_accept_and_user_agent(api, client):
    api.expect(call('GET', '/me', body={'id': 'u1', 'login': 'jane'}))
    assert client.get('/me') == {'id': 'u1', 'login': 'jane'}
    headers = api.requests[0].headers
    assert headers['Circle-Token'] == TOKEN
    assert headers['Accept'] == 'application/json'
    assert headers['User-Agent'] == 'community.circleci/%s' % COLLECTION_VERSION
    assert 'circle-token' not in api.requests[0].query


def test_sends_json_body(api, client):
    api.expect(call('POST', '/context', json={'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}, body=CONTEXT))
    assert client.post('/context', json={'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}) == CONTEXT
    assert api.requests[0].headers['Content-Type'] == 'application/json'


def test_reuses_one_connection_for_all_requests(api, client):
    api.expect(call('GET', '/me', body={}), call('GET', '/me', body={}), call('PUT', '/x', body={}), call('DELETE', '/x', body={}))
    client.get('/me')
    client.get('/me')
    client.put('/x', json={'value': 'v'})
    client.delete('/x')
    assert api.connections == 1
    assert client.request_count == 4


def test_api_url_trailing_slash_is_ignored(api):
    api.expect(call('GET', '/me', body={}))
    with CircleCIClient(TOKEN, api_url=api.url + '/') as client:
        client.get('/me')


def test_certificate_options_select_verify():
    assert CircleCIClient(TOKEN).verify is True
    assert CircleCIClient(TOKEN, ca_path='/etc/ca.pem').verify == '/etc/ca.pem'
    assert CircleCIClient(TOKEN, validate_certs=False, ca_path='/etc/ca.pem').verify is False


def test_empty_body_returns_none(api, client):
    api.expect(call('DELETE', '/context/abc', body=None))
    assert client.delete('/context/abc') is None


def test_expected_statuses_are_accepted(api, client):
    api.expect(call('POST', '/project/gh/acme/api/envvar', status=201, body={'name': 'A', 'value': 'xxxx'}))
    assert client.post('/project/gh/acme/api/envvar', json={'name': 'A', 'value': 'v'}) == {'name': 'A', 'value': 'xxxx'}


# --- paths -----------------------------------------------------------------------------------

def test_slug_keeps_slashes_and_segments_are_escaped(api, client):
    assert quote_slug('gh/acme/my repo') == 'gh/acme/my%20repo'
    assert quote_segment('c9:0b/x y') == 'c9%3A0b%2Fx%20y'
    path = '/project/%s/checkout-key/%s' % (quote_slug('gh/acme/api'), quote_segment('c9:0b/1'))
    api.expect(call('GET', '/project/gh/acme/api/checkout-key/c9%3A0b%2F1', body={}))
    client.get(path)


# --- 429 -------------------------------------------------------------------------------------

def test_429_honours_retry_after_seconds(api, client):
    api.expect(
        call('GET', '/me', status=429, headers={'Retry-After': '7'}, body={'message': 'Rate limit exceeded.'}),
        call('GET', '/me', body={'id': 'u1'}),
    )
    assert client.get('/me') == {'id': 'u1'}
    assert client.delays == [7.0]


def test_a_retry_after_beyond_the_budget_fails_at_once_saying_so(api, client):
    api.expect(call('GET', '/me', status=429, headers={'Retry-After': '3600'}, body={'message': 'Rate limit exceeded.'}))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert client.delays == []
    assert error.value.status == 429 and error.value.retry_after == 3600.0 and error.value.waited == 0
    assert str(error.value) == ('GET /me -> 429: Rate limit exceeded. (still rate limited after waiting 0 seconds,'
                                ' and the API asks to wait 3600 seconds more; rate_limit_timeout is 300 seconds)')


def test_a_sustained_rate_limit_is_waited_out_however_many_answers_it_takes(api, client):
    # every answer names the wait: 20 of them at 10 s stay within the default budget of 300 s,
    # and none of them counts against retries
    client.retries = 0
    api.expect(*[call('GET', '/me', status=429, headers={'Retry-After': '10'})] * 20 + [call('GET', '/me', body={'id': 'u1'})])
    assert client.get('/me') == {'id': 'u1'}
    assert client.delays == [10.0] * 20


def test_the_rate_limit_budget_is_the_total_wait_of_one_request(api, client):
    client.rate_limit_timeout = 250
    api.expect(*[call('GET', '/me', status=429, headers={'Retry-After': '100'}, body={'message': 'slow down'})] * 3)
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert client.delays == [100.0, 100.0]
    assert str(error.value) == ('GET /me -> 429: slow down (still rate limited after waiting 200 seconds, and the API'
                                ' asks to wait 100 seconds more; rate_limit_timeout is 250 seconds)')


def test_the_budget_starts_again_for_each_request(api, client):
    client.rate_limit_timeout = 10
    api.expect(call('GET', '/a', status=429, headers={'Retry-After': '8'}), call('GET', '/a', body={}),
               call('GET', '/b', status=429, headers={'Retry-After': '8'}), call('GET', '/b', body={}))
    client.get('/a')
    client.get('/b')
    assert client.delays == [8.0, 8.0]


def test_rate_limit_timeout_zero_fails_at_the_first_429(api, client):
    client.rate_limit_timeout = 0
    api.expect(call('GET', '/me', status=429, body={'message': 'Rate limit exceeded.'}))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert error.value.status == 429 and client.delays == []
    assert 'rate_limit_timeout is 0 seconds' in str(error.value)
    assert error.value.retry_after is None


def test_429s_do_not_use_up_the_retries_of_5xx_answers(api, client):
    client.retries = 1
    api.expect(call('GET', '/me', status=429, headers={'Retry-After': '1'}), call('GET', '/me', status=503),
               call('GET', '/me', status=429, headers={'Retry-After': '1'}), call('GET', '/me', body={}))
    client.get('/me')
    assert client.delays == [1.0, 1.0, 1.0]


def test_a_fractional_retry_after_is_honoured(api, client):
    api.expect(call('GET', '/me', status=429, headers={'Retry-After': '0.2'}), call('GET', '/me', body={}))
    client.get('/me')
    assert client.delays == [0.2]


def test_429_retry_after_http_date(api, client):
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    api.expect(
        call('GET', '/me', status=429, headers={'Retry-After': format_datetime(when, usegmt=True)}),
        call('GET', '/me', body={}),
    )
    client.get('/me')
    assert 25 <= client.delays[0] <= 30


def test_429_retry_after_in_the_past_or_zero_backs_off(api, client):
    # no wait named: backing off keeps a server that answers so forever from being hammered
    api.expect(
        call('GET', '/me', status=429, headers={'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}),
        call('GET', '/me', status=429, headers={'Retry-After': '0'}),
        call('GET', '/me', body={}),
    )
    client.get('/me')
    assert client.delays == [1.0, 2.0]


def test_429_without_retry_after_backs_off(api, client):
    api.expect(
        call('GET', '/me', status=429),
        call('GET', '/me', status=429, headers={'Retry-After': 'soon'}),
        call('GET', '/me', body={}),
    )
    client.get('/me')
    assert client.delays == [1.0, 2.0]


def test_post_is_retried_on_429(api, client):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(
        call('POST', '/context', json=body, status=429, headers={'Retry-After': '2'}),
        call('POST', '/context', json=body, body=CONTEXT),
    )
    assert client.post('/context', json=body) == CONTEXT
    assert client.delays == [2.0]


# --- 5xx and lost connections ----------------------------------------------------------------

@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_server_errors_back_off_exponentially(api, client, status):
    api.expect(*[call('GET', '/me', status=status)] * 3 + [call('GET', '/me', body={'id': 'u1'})])
    assert client.get('/me') == {'id': 'u1'}
    assert client.delays == [1.0, 2.0, 4.0]


def test_a_5xx_with_retry_after_waits_that_long_at_most_the_backoff_cap(api, client):
    api.expect(call('GET', '/me', status=503, headers={'Retry-After': '0.2'}),
               call('GET', '/me', status=503, headers={'Retry-After': '120'}),
               call('GET', '/me', status=500, headers={'Retry-After': '0'}),
               call('GET', '/me', body={}))
    client.get('/me')
    assert client.delays == [0.2, 30.0, 0.0]


def test_backoff_has_jitter_and_a_cap(api, client):
    client.retries = 8
    client.random = lambda: 0.0  # the smallest jitter factor: half the delay
    api.expect(*[call('GET', '/me', status=503)] * 8 + [call('GET', '/me', body={})])
    client.get('/me')
    assert client.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 15.0]


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE', 'PATCH'])
def test_idempotent_methods_are_retried_after_a_500(api, client, method):
    # the first one may have been applied (a 500 can come after the write): sending it again
    # ends in the same state
    body = {'value': 'v'} if method in ('PUT', 'PATCH') else None
    api.expect(call(method, '/x', json=body if body else ANY, status=500, body={'message': 'Internal server error.'}),
               call(method, '/x', json=body if body else ANY, body={'ok': True}))
    assert client.request(method, '/x', json=body) == {'ok': True}
    assert client.delays == [1.0]


def test_a_repeatable_post_is_retried_after_a_500(api, client):
    body = {'name': 'FOO', 'value': 'bar'}
    api.expect(call('POST', '/project/gh/acme/api/envvar', json=body, status=500, body={'message': 'Internal server error.'}),
               call('POST', '/project/gh/acme/api/envvar', json=body, status=201, body={'name': 'FOO', 'value': 'xxxxr'}))
    assert client.post('/project/gh/acme/api/envvar', json=body, repeatable=True) == {'name': 'FOO', 'value': 'xxxxr'}
    assert client.delays == [1.0]


def test_a_plain_post_is_not_retried_after_a_500_and_says_it_may_have_been_applied(api, client):
    api.expect(call('POST', '/workflow/w1/rerun', json={}, status=500, body={'message': 'Internal server error.'}))
    with pytest.raises(CircleCIError) as error:
        client.post('/workflow/w1/rerun', json={})
    assert error.value.status == 500
    assert str(error.value) == (
        'POST /workflow/w1/rerun -> 500: Internal server error. (the request may have been applied, so it was'
        ' not sent again: check the current state before running it again)')
    assert client.delays == [] and client.request_count == 1


def test_a_500_that_persists_fails_after_the_retries(api, client):
    client.retries = 3
    api.expect(*[call('GET', '/project/gh/acme/api/checkout-key', status=500, body={'message': 'Internal server error.'})] * 4)
    with pytest.raises(CircleCIError) as error:
        client.get('/project/gh/acme/api/checkout-key')
    assert str(error.value) == ('GET /project/gh/acme/api/checkout-key -> 500: Internal server error.'
                                ' (gave up after 4 attempts)')
    assert client.delays == [1.0, 2.0, 4.0]


def test_create_after_a_500_finds_the_object_created_before_the_error(api, client):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(
        call('POST', '/context', json=body, status=500, body={'message': 'Internal server error.'}),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}),
    )

    def find():
        return next((c for c in client.paginate('/context', OWNER_QUERY) if c['name'] == 'deploy'), None)

    assert client.create('/context', body, find_existing=find) == CONTEXT
    assert client.delays == [1.0]


def test_create_after_a_500_posts_again_when_nothing_was_created(api, client):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(
        call('POST', '/context', json=body, status=500, body={'message': 'Internal server error.'}),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [], 'next_page_token': None}),
        call('POST', '/context', json=body, status=500, body={'message': 'Internal server error.'}),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [], 'next_page_token': None}),
        call('POST', '/context', json=body, body=CONTEXT),
    )

    def find():
        return next((c for c in client.paginate('/context', OWNER_QUERY) if c['name'] == 'deploy'), None)

    assert client.create('/context', body, find_existing=find) == CONTEXT
    assert client.delays == [1.0, 2.0]


def test_create_mixing_429_drop_and_500_posts_once_more_than_it_created(api, client):
    # 429: refused before processing, posted again without reading; drop and 500: read first
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    empty = {'items': [], 'next_page_token': None}
    api.expect(
        call('POST', '/context', json=body, status=429, headers={'Retry-After': '1'}),
        call('POST', '/context', json=body, drop=True),
        call('GET', '/context', query=OWNER_QUERY, status=429, headers={'Retry-After': '1'}),
        call('GET', '/context', query=OWNER_QUERY, body=empty),
        call('POST', '/context', json=body, status=500, body={'message': 'Internal server error.'}),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}),
    )

    def find():
        return next((c for c in client.paginate('/context', OWNER_QUERY) if c['name'] == 'deploy'), None)

    assert client.create('/context', body, find_existing=find) == CONTEXT
    assert [r.method for r in api.requests].count('POST') == 3
    # Retry-After 1, first retry after the drop, Retry-After 1 of the listing, second retry after the 500:
    # the 429s do not count as retries, so the backoff after the 500 is the second one's (2 s)
    assert client.delays == [1.0, 1.0, 1.0, 2.0]


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE', 'PATCH'])
def test_idempotent_methods_are_retried_after_a_dropped_connection(api, client, method):
    api.expect(call(method, '/x', drop=True), call(method, '/x', body={'ok': True}))
    assert client.request(method, '/x', json={'value': 'v'} if method in ('PUT', 'PATCH') else None) == {'ok': True}
    assert len(client.delays) == 1
    assert api.connections == 2


def test_post_is_not_retried_after_a_dropped_connection(api, client):
    api.expect(call('POST', '/workflow/w1/rerun', drop=True))
    with pytest.raises(CircleCIError) as error:
        client.post('/workflow/w1/rerun', json={})
    assert error.value.status is None
    assert str(error.value).startswith('POST /workflow/w1/rerun -> no response: ')
    assert str(error.value).endswith('(the request may have been applied, so it was not sent again:'
                                     ' check the current state before running it again)')
    assert client.request_count == 1


def test_post_is_not_retried_on_503(api, client):
    api.expect(call('POST', '/workflow/w1/rerun', status=503, body={'message': 'unavailable'}))
    with pytest.raises(CircleCIError) as error:
        client.post('/workflow/w1/rerun', json={})
    assert str(error.value) == ('POST /workflow/w1/rerun -> 503: unavailable (the request may have been applied,'
                                ' so it was not sent again: check the current state before running it again)')
    assert client.delays == []


def test_a_repeatable_post_is_sent_again_after_a_dropped_connection(api, client):
    # an overwrite or a dry run: sending it twice ends in the same state
    body = {'policies': {'a': 'package org'}}
    api.expect(call('POST', '/owner/o/context/config/policy-bundle', json=body, drop=True),
               call('POST', '/owner/o/context/config/policy-bundle', json=body, status=201, body={'created': ['a']}))
    assert client.post('/owner/o/context/config/policy-bundle', json=body, repeatable=True) == {'created': ['a']}
    assert len(client.delays) == 1


def test_create_after_a_lost_answer_finds_the_object_and_does_not_post_again(api, client):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(
        call('POST', '/context', json=body, drop=True),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [CONTEXT], 'next_page_token': None}),
    )

    def find():
        return next((c for c in client.paginate('/context', OWNER_QUERY) if c['name'] == 'deploy'), None)

    assert client.create('/context', body, find_existing=find) == CONTEXT
    assert [r.method for r in api.requests] == ['POST', 'GET']


def test_create_posts_again_when_the_object_was_not_created(api, client):
    body = {'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}}
    api.expect(
        call('POST', '/context', json=body, status=503),
        call('GET', '/context', query=OWNER_QUERY, body={'items': [], 'next_page_token': None}),
        call('POST', '/context', json=body, body=CONTEXT),
    )

    def find():
        return next((c for c in client.paginate('/context', OWNER_QUERY) if c['name'] == 'deploy'), None)

    assert client.create('/context', body, find_existing=find) == CONTEXT
    assert client.delays == [1.0]


def test_create_on_429_posts_again_without_reading(api, client):
    api.expect(call('POST', '/context', status=429, headers={'Retry-After': '1'}), call('POST', '/context', body=CONTEXT))
    assert client.create('/context', {'name': 'deploy'}, find_existing=find_context) == CONTEXT


def test_retries_exhausted_raise_the_last_error(api, client):
    client.retries = 2
    api.expect(*[call('GET', '/context/abc', status=503, body={'message': 'Service unavailable'})] * 3)
    with pytest.raises(CircleCIError) as error:
        client.get('/context/abc')
    assert (error.value.method, error.value.path, error.value.status) == ('GET', '/context/abc', 503)
    assert str(error.value) == 'GET /context/abc -> 503: Service unavailable (gave up after 3 attempts)'
    assert client.request_count == 3


def test_retries_zero_sends_once(api, client):
    client.retries = 0
    api.expect(call('GET', '/me', status=503, body={'message': 'Service unavailable'}))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert error.value.status == 503
    assert client.delays == []


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize('body, message', [
    ({'message': 'Context not found.'}, 'Context not found.'),
    ({'error': 'invalid ttl'}, 'invalid ttl'),
    ('upstream said no', 'upstream said no'),
    (None, 'Not Found'),
])
def test_error_message_comes_from_message_error_or_text(api, client, body, message):
    api.expect(call('GET', '/context/abc', status=404, body=body))
    with pytest.raises(CircleCIError) as error:
        client.get('/context/abc')
    assert error.value.message == message
    assert str(error.value) == 'GET /context/abc -> 404: %s' % message


def test_error_never_contains_the_token(api, client):
    api.expect(call('GET', '/me', status=401, body='Invalid token provided: %s' % TOKEN))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert TOKEN not in str(error.value)
    assert str(error.value) == 'GET /me -> 401: Invalid token provided: <hidden>'


@pytest.mark.parametrize('token', ['tok-\\-"quoted"-secret', 'tok/with?reserved&chars'])
def test_error_never_contains_the_token_in_an_escaped_form(api, token):
    # an answer may echo the token JSON-escaped or URL-encoded, which Ansible's no_log masking
    # (exact values only) would not recognise
    body = 'json: %s url: %s' % (json.dumps(token)[1:-1], quote(token, safe=''))
    api.expect(call('GET', '/me', status=401, body=body))
    with CircleCIClient(token, api_url=api.url) as client:
        with pytest.raises(CircleCIError) as error:
            client.get('/me')
    assert str(error.value) == 'GET /me -> 401: json: <hidden> url: <hidden>'


def test_a_token_the_http_library_refuses_is_not_quoted_in_the_error(api):
    # ConnectionOptions refuses such a token before any request; the client masks it anyway:
    # requests quotes a header value it refuses as a repr ('...\\n'), not as it is
    with CircleCIClient(TOKEN + '\n', api_url=api.url) as client:
        with pytest.raises(CircleCIError) as error:
            client.get('/me')
    assert TOKEN not in str(error.value)
    assert '<hidden>' in str(error.value)
    assert api.requests == []


def test_a_404_from_a_base_url_without_api_v2_says_what_is_likely_wrong(api):
    api.expect(call('GET', '/me', status=404, body={'message': 'Not found'}))  # the script's paths start after /api/v2
    base = api.url[:-len('/api/v2')]
    with CircleCIClient(TOKEN, api_url=base) as client:
        with pytest.raises(CircleCIError) as error:
            client.get('/api/v2/me')
    assert str(error.value) == ('GET /api/v2/me -> 404: Not found (api_url %s does not end with /api/v2:'
                                ' is it the API v2 base URL?)' % base)


def test_redirect_is_not_followed(api, client):
    api.expect(call('GET', '/me', status=301, headers={'Location': 'https://elsewhere.example/api/v2/me'}))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert error.value.status == 301
    assert 'https://elsewhere.example/api/v2/me' in error.value.message


def test_an_answer_that_is_not_json_is_an_error(api, client):
    api.expect(call('GET', '/me', body='<html>login</html>'))
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert 'not JSON' in error.value.message and 'api_url' in error.value.message


def test_no_server_is_an_error_without_status(sleeps):
    client = CircleCIClient(TOKEN, api_url='http://127.0.0.1:9/api/v2', retries=1)
    client.sleep = sleeps.append
    with pytest.raises(CircleCIError) as error:
        client.get('/me')
    assert error.value.status is None
    assert client.request_count == 2


# --- pagination ------------------------------------------------------------------------------

def test_paginate_follows_next_page_token_until_null(api, client):
    api.expect(
        call('GET', '/context', query=OWNER_QUERY, body={'items': [{'id': 1}, {'id': 2}], 'next_page_token': 'p2'}),
        call('GET', '/context', query=dict(OWNER_QUERY, **{'page-token': 'p2'}), body={'items': [{'id': 3}], 'next_page_token': 'p3'}),
        call('GET', '/context', query=dict(OWNER_QUERY, **{'page-token': 'p3'}), body={'items': [], 'next_page_token': None}),
    )
    assert [item['id'] for item in client.paginate('/context', OWNER_QUERY)] == [1, 2, 3]


def test_paginate_stops_when_the_token_key_is_missing(api, client):
    api.expect(call('GET', '/context/abc/restrictions', body={'items': [{'id': 'r1'}]}))
    assert client.get_all('/context/abc/restrictions') == [{'id': 'r1'}]


def test_paginate_stops_on_an_empty_token(api, client):
    api.expect(call('GET', '/x', body={'items': [{'id': 'a'}], 'next_page_token': ''}))
    assert client.get_all('/x') == [{'id': 'a'}]


def test_paginate_is_lazy(api, client):
    api.expect(call('GET', '/x', body={'items': [{'id': 'a'}, {'id': 'b'}], 'next_page_token': 'p2'}))
    assert next(client.paginate('/x')) == {'id': 'a'}


def test_paginate_refuses_a_repeated_token(api, client):
    api.expect(
        call('GET', '/x', body={'items': [], 'next_page_token': 'p2'}),
        call('GET', '/x', query={'page-token': 'p2'}, body={'items': [], 'next_page_token': 'p2'}),
    )
    with pytest.raises(CircleCIError, match='same next_page_token'):
        client.get_all('/x')
