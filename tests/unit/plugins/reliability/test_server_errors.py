# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Server errors end in one clear failure.

401, 403, 404, 409, 413, 429 on every attempt, 500 and a server that never answers, each with the
API's error body in its three shapes ({"message"}, {"error"}, plain text): through the client
and through real module runs, the failure names the method, the path (no query string, no
token), the status and the API's own words, and holds no secret.

Retries are the client's business: a status it may retry is scripted often enough for any retry
count up to `retries`, and the assertions hold whether it retries it or not.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import quote

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError
from ansible_collections.community.circleci.plugins.modules import circleci_context, circleci_context_env, circleci_oidc_claims
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import ANY, ScriptedServer, call
from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import TOKEN
from ansible_collections.community.circleci.tests.unit.plugins.reliability._report import record

RETRIES = 2
RATE_LIMIT_TIMEOUT = 3  # seconds: three waits of Retry-After 1
CANARY = 's3cr3t-server-error-canary'
ORG_ID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
CTX_ID = '7c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c'
OWNER_QUERY = {'owner-slug': 'gh/acme', 'owner-type': 'organization'}

# (status, whether the client may retry it for an idempotent request)
STATUSES = [(401, False), (403, False), (404, False), (409, False), (413, False), (500, True)]
SHAPES = ['message', 'error', 'text']


def api_body(shape, text):
    if shape == 'text':
        return '%s\n' % text  # text/plain, as a proxy or a load balancer may answer
    return {shape: text}


def api_words(status, shape):
    return 'Status %d from the API, %s shape' % (status, shape)


@pytest.fixture
def server():
    """A scripted API that does not fail on answers left unused (retry counts may differ), but
    records any request it did not expect."""
    scripted = ScriptedServer().start()
    try:
        yield scripted
    finally:
        scripted.stop()
    assert not scripted.errors, scripted.errors


@pytest.fixture
def silent_socket():
    """A TCP server that accepts connections and never answers; counts them."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(16)
    listener.settimeout(0.1)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d/api/v2' % listener.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join(2)
        for connection in accepted:
            connection.close()
        listener.close()


def make_client(url, sleeps, retries=RETRIES, timeout=10):
    client = CircleCIClient(TOKEN, api_url=url, retries=retries, timeout=timeout)
    client.sleep = sleeps.append
    return client


def assert_one_clear_failure(text, method, path, status, words):
    """The parts of one failure message, and no secret in it."""
    # bulk writes (context_env) put the failed call inside a summary: "1 of 1 variable changes failed: ..."
    call_text = '%s %s -> ' % (method, path)
    assert call_text in text, text
    assert '%s %s?' % (method, path) not in text, 'the query string is in the path: %s' % text
    if status is not None:
        assert '%s%d: ' % (call_text, status) in text, text
    assert words in text, text
    assert TOKEN not in text and CANARY not in text, text


def attempts_ok(server, method, path, retryable, retries=RETRIES):
    methods_paths = set((request.method, request.path) for request in server.requests)
    assert methods_paths == {(method, path)}, server.log
    count = len(server.requests)
    return 1 <= count <= retries + 1 if retryable else count == 1


# --- through the client ----------------------------------------------------------------------

@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('status, retryable', STATUSES)
def test_client_error_statuses(server, sleeps, status, retryable, shape):
    path = '/project/gh/acme/api/envvar/DEPLOY_TOKEN'
    words = api_words(status, shape)
    server.expect(*[call('GET', path, status=status, body=api_body(shape, words))] * (RETRIES + 1))
    with make_client(server.url, sleeps) as client:
        with pytest.raises(CircleCIError) as error:
            client.get(path)
    exc = error.value
    assert (exc.method, exc.path, exc.status) == ('GET', path, status)
    assert words in exc.message
    assert_one_clear_failure(str(exc), 'GET', path, status, words)
    assert attempts_ok(server, 'GET', path, retryable), server.log
    assert server.requests[0].headers.get('Circle-Token') == TOKEN  # the token was sent, and is in no message
    record('server_error', via='client', case='%d-%s' % (status, shape))


@pytest.mark.parametrize('shape', SHAPES)
def test_client_429_until_the_rate_limit_budget_is_spent(server, sleeps, shape):
    path = '/context'
    words = api_words(429, shape)
    server.expect(*[call('GET', path, query=OWNER_QUERY, status=429, headers={'Retry-After': '1'},
                         body=api_body(shape, words))] * (RATE_LIMIT_TIMEOUT + 1))
    with make_client(server.url, sleeps) as client:
        client.rate_limit_timeout = RATE_LIMIT_TIMEOUT
        with pytest.raises(CircleCIError) as error:
            client.get(path, params=OWNER_QUERY)
    assert error.value.status == 429
    assert_one_clear_failure(str(error.value), 'GET', path, 429, words)
    assert 'after waiting %d seconds' % RATE_LIMIT_TIMEOUT in str(error.value)
    # 429s wait as long as Retry-After asks until rate_limit_timeout is spent; retries do not apply
    assert len(server.requests) == RATE_LIMIT_TIMEOUT + 1 and len(sleeps) == RATE_LIMIT_TIMEOUT, server.log
    record('server_error', via='client', case='429-%s' % shape)


def test_client_post_500_is_one_failure(server, sleeps):
    path = '/context'
    words = api_words(500, 'message')
    server.expect(*[call('POST', path, status=500, body={'message': words})] * (RETRIES + 1))
    with make_client(server.url, sleeps) as client:
        with pytest.raises(CircleCIError) as error:
            client.post(path, json={'name': 'deploy', 'owner': {'slug': 'gh/acme', 'type': 'organization'}})
    assert error.value.status == 500
    assert_one_clear_failure(str(error.value), 'POST', path, 500, words)
    # a plain POST may have been applied before the 500: it is not sent twice
    assert len(server.requests) == 1, server.log
    record('server_error', via='client', case='500-post')


def test_client_message_that_echoes_the_token_hides_it(server, sleeps):
    server.expect(call('GET', '/me', status=401, body={'message': 'Invalid token provided: %s' % TOKEN}))
    with make_client(server.url, sleeps) as client:
        with pytest.raises(CircleCIError) as error:
            client.get('/me')
    assert_one_clear_failure(str(error.value), 'GET', '/me', 401, 'Invalid token provided')
    assert '<hidden>' in str(error.value)
    record('server_error', via='client', case='401-token-echo')


def test_client_long_text_body_is_cut(server, sleeps):
    page = '<html><body>%s</body></html>' % ('Request Entity Too Large ' * 200)
    server.expect(call('PUT', '/x', status=413, body=page))
    with make_client(server.url, sleeps) as client:
        with pytest.raises(CircleCIError) as error:
            client.put('/x', json={'value': CANARY})
    assert_one_clear_failure(str(error.value), 'PUT', '/x', 413, 'Request Entity Too Large')
    assert len(str(error.value)) < 1000
    record('server_error', via='client', case='413-long-text')


@pytest.mark.parametrize('method, retryable', [('GET', True), ('POST', False)])
def test_client_timeout(silent_socket, sleeps, method, retryable):
    url, accepted = silent_socket
    started = time.monotonic()
    with make_client(url, sleeps, retries=1, timeout=1) as client:
        with pytest.raises(CircleCIError) as error:
            client.request(method, '/context', params=OWNER_QUERY, json={'name': CANARY} if method == 'POST' else None)
    exc = error.value
    assert (exc.method, exc.path, exc.status) == (method, '/context', None)
    text = str(exc)
    assert text.startswith('%s /context -> no response: ' % method), text
    assert 'timed out' in text.lower(), text
    assert TOKEN not in text and CANARY not in text and 'owner-slug' not in text, text
    # a request that may have been received is only sent again when that is safe
    assert len(sleeps) == (1 if retryable else 0), sleeps
    assert time.monotonic() - started < 10
    assert accepted, 'no connection reached the server'
    record('server_error', via='client', case='timeout-%s' % method)


# --- through real module runs ----------------------------------------------------------------

def assert_module_failure(result, method, path, status, words):
    assert result['failed'] is True, result
    assert (result['method'], result['api_path'], result['status']) == (method, path, status), result
    assert 'path' not in result and 'state' not in result, result  # no file details (AnsibleModule.add_path_info)
    assert_one_clear_failure(result['msg'], method, path, status, words)
    text = json.dumps(result)
    assert TOKEN not in text and CANARY not in text, text
    assert 'exception' not in result and 'Traceback' not in text, result


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('status, retryable', STATUSES + [(429, True)])
def test_module_read_failure_circleci_context(server, run_real, status, retryable, shape):
    words = api_words(status, shape)
    headers = {'Retry-After': '1'} if status == 429 else {}
    server.expect(*[call('GET', '/context', query=OWNER_QUERY, status=status, headers=headers,
                         body=api_body(shape, words))] * (max(RETRIES, RATE_LIMIT_TIMEOUT) + 1))
    result = run_real(circleci_context, dict(name='deploy', owner_slug='gh/acme', retries=RETRIES,
                                             rate_limit_timeout=RATE_LIMIT_TIMEOUT),
                      server.url, secrets=(CANARY,))
    assert_module_failure(result, 'GET', '/context', status, words)
    if status == 429:
        assert len(server.requests) == RATE_LIMIT_TIMEOUT + 1, server.log
    else:
        assert attempts_ok(server, 'GET', '/context', retryable), server.log
    record('server_error', via='circleci_context', case='%d-%s' % (status, shape))


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('status, retryable', STATUSES)
def test_module_read_failure_circleci_oidc_claims(server, run_real, status, retryable, shape):
    path = '/org/%s/oidc-custom-claims' % ORG_ID
    words = api_words(status, shape)
    server.expect(*[call('GET', path, status=status, body=api_body(shape, words))] * (RETRIES + 1))
    result = run_real(circleci_oidc_claims, dict(org_id=ORG_ID, audience=['sts.amazonaws.com'], ttl='1h',
                                                 retries=RETRIES),
                      server.url, secrets=(CANARY,))
    assert_module_failure(result, 'GET', path, status, words)
    assert attempts_ok(server, 'GET', path, retryable), server.log
    record('server_error', via='circleci_oidc_claims', case='%d-%s' % (status, shape))


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('status, retryable', STATUSES)
def test_module_write_failure_circleci_oidc_claims(server, run_real, status, retryable, shape):
    path = '/org/%s/oidc-custom-claims' % ORG_ID
    words = api_words(status, shape)
    server.expect(call('GET', path, body={'org_id': ORG_ID}),
                  *[call('PATCH', path, status=status, body=api_body(shape, words))] * (RETRIES + 1))
    result = run_real(circleci_oidc_claims, dict(org_id=ORG_ID, audience=['sts.amazonaws.com'], ttl='1h',
                                                 retries=RETRIES),
                      server.url, secrets=(CANARY,))
    assert_module_failure(result, 'PATCH', path, status, words)
    patches = [request for request in server.requests if request.method == 'PATCH']
    assert 1 <= len(patches) <= (RETRIES + 1 if retryable else 1), server.log
    record('server_error', via='circleci_oidc_claims', case='patch-%d-%s' % (status, shape))


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('status, retryable', STATUSES)
def test_module_secret_write_failure_circleci_context_env(server, run_real, status, retryable, shape):
    """The API's message even repeats the secret value: the failure still does not show it."""
    path = '/context/%s/environment-variable/DEPLOY_TOKEN' % CTX_ID
    words = api_words(status, shape)
    server.expect(
        call('GET', '/context', query=OWNER_QUERY, body={'items': [{'id': CTX_ID, 'name': 'deploy'}], 'next_page_token': None}),
        call('GET', '/context/%s/environment-variable' % CTX_ID, query=ANY, body={'items': [], 'next_page_token': None}),
        *[call('PUT', path, json={'value': CANARY}, status=status, body=api_body(shape, '%s (value %s)' % (words, CANARY)))] * (RETRIES + 1))
    result = run_real(circleci_context_env, dict(context='deploy', owner_slug='gh/acme', name='DEPLOY_TOKEN', value=CANARY,
                                                 retries=RETRIES),
                      server.url, secrets=(CANARY,))
    assert_module_failure(result, 'PUT', path, status, words)
    puts = [request for request in server.requests if request.method == 'PUT']
    assert 1 <= len(puts) <= (RETRIES + 1 if retryable else 1), server.log
    record('server_error', via='circleci_context_env', case='put-%d-%s' % (status, shape))


ESCAPED_SECRET = 's3cr3t "quoted" \\ canary'  # a value whose JSON and repr forms differ from the value


@pytest.mark.parametrize('form', ['json', 'repr', 'url'])
def test_module_failure_hides_a_secret_the_api_echoes_escaped(server, run_real, form):
    """Ansible's no_log masking matches values as they are; an API message (or an exception) holding
    a value JSON-escaped, repr-escaped or URL-encoded would slip past it. The client hides every
    no_log value of the module in those forms too."""
    echoed = {'json': json.dumps(ESCAPED_SECRET)[1:-1], 'repr': repr(ESCAPED_SECRET)[1:-1],
              'url': quote(ESCAPED_SECRET, safe='')}[form]
    assert echoed != ESCAPED_SECRET
    path = '/context/%s/environment-variable/DEPLOY_TOKEN' % CTX_ID
    server.expect(
        call('GET', '/context', query=OWNER_QUERY, body={'items': [{'id': CTX_ID, 'name': 'deploy'}], 'next_page_token': None}),
        call('GET', '/context/%s/environment-variable' % CTX_ID, query=ANY, body={'items': [], 'next_page_token': None}),
        call('PUT', path, json={'value': ESCAPED_SECRET}, status=400, body={'message': 'invalid value: %s' % echoed}))
    result = run_real(circleci_context_env, dict(context='deploy', owner_slug='gh/acme', name='DEPLOY_TOKEN',
                                                 value=ESCAPED_SECRET), server.url, secrets=(ESCAPED_SECRET, echoed))
    assert result['failed'] is True and 'invalid value: <hidden>' in result['msg'], result
    record('server_error', via='circleci_context_env', case='escaped-secret-%s' % form)


def test_module_timeout(silent_socket, run_real):
    url, accepted = silent_socket
    result = run_real(circleci_context, dict(name='deploy', owner_slug='gh/acme', timeout=1, retries=0), url)
    assert result['failed'] is True and result['status'] is None, result
    assert (result['method'], result['api_path']) == ('GET', '/context'), result
    assert result['msg'].startswith('GET /context -> no response: ') and 'timed out' in result['msg'].lower(), result
    assert 'exception' not in result, result
    assert len(accepted) == 1
    record('server_error', via='circleci_context', case='timeout')
