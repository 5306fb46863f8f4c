# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scripted HTTP conversations over real HTTP, for unit tests.

A ScriptedServer listens on 127.0.0.1 (HTTP/1.1, keep-alive) and is given the ordered list
of requests it must receive, each with its canned answer. Strict order is the default;
expect_unordered() adds a group of requests that may arrive in any order among themselves
(requests sent in parallel), all of which must arrive before the next expected request.
An unexpected request gets HTTP 418 and is recorded as an error; verify() fails on any error
and on expected requests that never came. Every request (with its headers and body) and every
TCP connection is recorded.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BASE_PATH = '/api/v2'


class _Any:
    def __repr__(self):
        return 'ANY'


ANY = _Any()


class Request:
    """A request as the server received it (path relative to the API base, query as a dict)."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    def __repr__(self):
        query = '&'.join('%s=%s' % item for item in sorted(self.query.items()))
        return '%s %s%s%s' % (self.method, self.path, '?' if query else '', query)


class Call:
    """One expected request and its answer.

    query: exact dict of query parameters ({} = none; ANY = not checked).
    json: the expected JSON body (ANY = not checked; a callable = a predicate on the body).
    status/body/headers: the answer; a dict or list body is sent as JSON, a str as text.
    drop: read the request, then close the connection without answering.
    """

    def __init__(self, method, path, query=None, json=ANY, status=200, body=None, headers=None, drop=False):
        self.method = method
        self.path = path
        self.query = {} if query is None else query
        self.json = json
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.drop = drop

    def mismatch(self, request):
        problems = []
        if (request.method, request.path) != (self.method, self.path):
            problems.append('expected %s %s' % (self.method, self.path))
        if self.query is not ANY and request.query != self.query:
            problems.append('expected query %r, got %r' % (self.query, request.query))
        if self.json is not ANY:
            try:
                body = request.json
            except ValueError:
                body = request.body
            if callable(self.json):
                if not self.json(body):
                    problems.append('body %r does not satisfy the matcher' % (body,))
            elif body != self.json:
                problems.append('expected body %r, got %r' % (self.json, body))
        return problems

    def __repr__(self):
        return '%s %s %r' % (self.method, self.path, self.query)


def call(method, path, **kwargs):
    return Call(method, path, **kwargs)


class _Unordered:
    """Calls that may arrive in any order (each is matched at most once)."""

    def __init__(self, calls):
        self.calls = list(calls)

    def take(self, request):
        """The first remaining call that matches `request` (removed from the group), or None."""
        for index, expected in enumerate(self.calls):
            if not expected.mismatch(request):
                return self.calls.pop(index)
        return None

    def __repr__(self):
        return 'any order of %r' % (self.calls,)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 10

    def setup(self):
        super().setup()
        self.server.script.connection_opened()

    def log_message(self, *args):  # keep test output quiet
        pass

    def _handle(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        url = urlsplit(self.path)
        path = url.path[len(BASE_PATH):] if url.path.startswith(BASE_PATH) else '<outside %s>%s' % (BASE_PATH, url.path)
        request = Request(self.command, path, dict(parse_qsl(url.query, keep_blank_values=True)),
                          dict(self.headers.items()), body.decode('utf-8'))
        expected = self.server.script.receive(request)
        if expected is None:
            self._answer(418, {'message': 'unexpected request %r' % (request,)}, {})
        elif expected.drop:
            self.close_connection = True
        else:
            self._answer(expected.status, expected.body, expected.headers)

    def _answer(self, status, body, headers):
        if body is None:
            payload, content_type = b'', None
        elif isinstance(body, (dict, list)):
            payload, content_type = json.dumps(body).encode('utf-8'), 'application/json'
        elif isinstance(body, bytes):
            payload, content_type = body, 'application/octet-stream'
        else:
            payload, content_type = str(body).encode('utf-8'), 'text/plain'
        self.send_response(status)
        if content_type:
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class ScriptedServer:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = deque()
        self.requests = []
        self.errors = []
        self.connections = 0
        self._server = _Server(('127.0.0.1', 0), _Handler)
        self._server.script = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%d%s' % (self._server.server_address[1], BASE_PATH)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def expect(self, *calls):
        """Append calls to the script, in the order they must arrive."""
        with self._lock:
            self._pending.extend(calls)
        return self

    def expect_unordered(self, *calls):
        """Append a group of calls that may arrive in any order among themselves (parallel
        requests); all must have arrived before any call expected after the group."""
        if calls:
            with self._lock:
                self._pending.append(_Unordered(calls))
        return self

    def connection_opened(self):
        with self._lock:
            self.connections += 1

    def receive(self, request):
        with self._lock:
            self.requests.append(request)
            if not self._pending:
                self.errors.append('unexpected extra request #%d: %r' % (len(self.requests), request))
                return None
            expected = self._pending[0]
            if isinstance(expected, _Unordered):
                found = expected.take(request)
                if found is None:
                    self.errors.append('request #%d %r: matches none of the unordered group %r'
                                       % (len(self.requests), request, expected.calls))
                    return None
                if not expected.calls:
                    self._pending.popleft()
                return found
            problems = expected.mismatch(request)
            if problems:
                self.errors.append('request #%d %r: %s' % (len(self.requests), request, '; '.join(problems)))
                return None
            self._pending.popleft()
            return expected

    @property
    def log(self):
        """The requests received, as 'METHOD /path?query' strings."""
        return [repr(request) for request in self.requests]

    def verify(self):
        """Fail on unexpected requests and on expected ones that never came."""
        with self._lock:
            problems = list(self.errors)
            if self._pending:
                problems.append('expected requests never received: %r' % (list(self._pending),))
            log = [repr(request) for request in self.requests]
        if problems:
            raise AssertionError('scripted HTTP conversation failed:\n  %s\nreceived:\n  %s'
                                 % ('\n  '.join(problems), '\n  '.join(log) or '(nothing)'))
