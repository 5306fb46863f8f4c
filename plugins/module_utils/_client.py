# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP client for CircleCI API v2: session, retries, pagination, errors.

Library code raises CircleCIError; only the module entry point (_module.py) and the
lookups turn it into a failure.
"""

from __future__ import annotations

import json as jsonlib
import math
import random
import threading
import time
import traceback
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from ansible_collections.community.circleci.plugins.module_utils._version import COLLECTION_VERSION

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True

DEFAULT_API_URL = 'https://circleci.com/api/v2'
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 5
DEFAULT_RATE_LIMIT_TIMEOUT = 300
API_PATH_SUFFIX = '/api/v2'
USER_AGENT = 'community.circleci/%s' % COLLECTION_VERSION

# Methods that may be sent again after an ambiguous failure (the server may or may not have
# acted on the first one): repeating them gives the same end state.
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'))
# Server and gateway errors: the request may not have reached the service, or it may have been
# applied before the error (a 500 can come after the write). Retried only when resending is safe.
RETRY_STATUSES = frozenset((500, 502, 503, 504))
RATE_LIMITED = 429
# Keep-alive connections kept per host: at least the highest `concurrency` of the bulk forms
# (_bulk.MAX_CONCURRENCY), so that parallel requests reuse their connections.
POOL_MAXSIZE = 16


def quote_segment(value):
    """Quote one path segment (an id, env var name or fingerprint): every reserved character is escaped."""
    return quote(str(value), safe='')


def quote_slug(slug):
    """Quote a project or organization slug: its slashes stay (the spec marks it allowReserved)."""
    return quote(str(slug), safe='/')


class CircleCIError(Exception):
    """A failed API call: method, path (relative to api_url), HTTP status (None if no answer) and message."""

    def __init__(self, method, path, status, message):
        super().__init__(method, path, status, message)
        self.method = method
        self.path = path
        self.status = status
        self.message = message

    def __str__(self):
        if self.status is None:
            return '%s %s -> no response: %s' % (self.method, self.path, self.message)
        return '%s %s -> %s: %s' % (self.method, self.path, self.status, self.message)


def api_message(response):
    """The API's own words for an error: its `message` or `error` field, else the text body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ('message', 'error'):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
    text = (response.text or '').strip()
    if text:
        return text[:500]
    return response.reason or 'HTTP %d' % response.status_code


def _seconds(value):
    return '%g seconds' % round(value, 1)


class _Failure:
    """An answer (or its absence) that may be retried: the error to raise if it is not, whether the
    request may have been applied (ambiguous), and for a 429 the delay asked for by Retry-After."""

    def __init__(self, error, ambiguous, retry_after=None, rate_limited=False):
        self.error = error
        self.ambiguous = ambiguous
        self.retry_after = retry_after
        self.rate_limited = rate_limited


def secret_forms(secret):
    """The ways a secret can appear in a message built from an exception or an answer: as it is,
    escaped as Python's repr and JSON escape it (a header value quoted by requests, a body echoed
    back), and URL-encoded. Ansible's no_log masking matches the value as it is only."""
    if not secret:
        return ()
    forms = set((secret, repr(secret)[1:-1], quote(secret, safe='')))
    forms.add(jsonlib.dumps(secret)[1:-1])
    return sorted((form for form in forms if form), key=len, reverse=True)


def read_field(raw, hyphenated):
    """A field of an API object read under its hyphenated name or its snake_case one (the service
    has answered both for the same resource)."""
    if hyphenated in raw:
        return raw[hyphenated]
    return raw.get(hyphenated.replace('-', '_'))


class CircleCIClient:
    """CircleCI API v2 over one keep-alive requests.Session.

    Calls may be made from several threads at once (bulk writes): the Session's connection
    pool holds POOL_MAXSIZE connections per host and the request counter is locked.

    Calls return the parsed JSON body (None for an empty body) when the status is one of
    `expected`, and raise CircleCIError otherwise. `sleep` and `random` are attributes so
    that tests can record delays instead of waiting.

    Two budgets bound the retries of one request: `retries` counts the retries after a 5xx answer
    or a lost connection; `rate_limit_timeout` is the most seconds it waits in all on 429 answers,
    each wait as long as their Retry-After asks (a sustained rate limit is waited out, however many
    answers that takes). A Retry-After beyond what is left of that budget fails at once, saying so.
    """

    backoff_base = 1.0        # seconds before the first retry without Retry-After (doubles each time)
    backoff_max = 30.0        # cap of one backoff delay
    # How messages name the base URL, for a client of another API on the same core (the runner API:
    # _runner.RunnerClient): the option that sets it, the API's name, the path its base ends with.
    url_option = 'api_url'
    api_name = 'API v2'
    path_suffixes = (API_PATH_SUFFIX,)

    def __init__(self, api_token, api_url=DEFAULT_API_URL, validate_certs=True, ca_path=None,
                 timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, rate_limit_timeout=DEFAULT_RATE_LIMIT_TIMEOUT):
        self._token = api_token or ''
        self._secret_forms = secret_forms(self._token)
        self.api_url = api_url.rstrip('/')
        self.timeout = timeout
        self.retries = retries
        self.rate_limit_timeout = rate_limit_timeout
        self.verify = (ca_path or True) if validate_certs else False
        self.sleep = time.sleep
        self.random = random.random
        self.request_count = 0  # requests sent, retries included (thread-safe: bulk writes run in parallel)
        self._count_lock = threading.Lock()
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=POOL_MAXSIZE)
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers.update({
            'Circle-Token': self._token,
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        })

    def hide(self, secrets):
        """Also hide these values (a module's no_log values: variable values, signing secrets, keys) in
        every form they can take in a message built from an error or an answer (see secret_forms)."""
        forms = set(self._secret_forms)
        for secret in secrets:
            if isinstance(secret, str):
                forms.update(secret_forms(secret))
        self._secret_forms = sorted(forms, key=len, reverse=True)

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # --- calls -----------------------------------------------------------------------------

    def request(self, method, path, params=None, json=None, expected=(200,), repeatable=False):
        """Send one call. GET/PUT/PATCH/DELETE are retried on 429, 500/502/503/504 and lost
        connections; POST only on 429 (and a connect timeout), because the service did not act on
        those, unless `repeatable` says that sending it twice ends in the same state (an overwrite,
        a dry run). A POST that is not repeatable fails at once on a 5xx or a lost answer, saying
        that it may have been applied."""
        return self._request(method.upper(), path, params, json, expected, None, repeatable)

    def get(self, path, params=None, expected=(200,)):
        return self.request('GET', path, params=params, expected=expected)

    def post(self, path, json=None, params=None, expected=(200, 201), repeatable=False):
        return self.request('POST', path, params=params, json=json, expected=expected, repeatable=repeatable)

    def put(self, path, json=None, params=None, expected=(200,)):
        return self.request('PUT', path, params=params, json=json, expected=expected)

    def patch(self, path, json=None, params=None, expected=(200,)):
        return self.request('PATCH', path, params=params, json=json, expected=expected)

    def delete(self, path, params=None, expected=(200,)):
        return self.request('DELETE', path, params=params, expected=expected)

    def create(self, path, json, find_existing, params=None, expected=(200, 201)):
        """POST that creates one object, safe to retry.

        After an ambiguous failure (500/502/503/504 or a lost connection: the object may have
        been created), `find_existing()` is called before posting again; if it returns an object,
        that object is returned and nothing is posted again.
        """
        return self._request('POST', path, params, json, expected, find_existing)

    def paginate(self, path, params=None):
        """Yield the `items` of every page, following `next_page_token` (sent as `page-token`)
        until it is missing or null."""
        query = dict(params or {})
        seen = set()
        while True:
            page = self.get(path, params=query) or {}
            yield from page.get('items') or ()
            token = page.get('next_page_token')
            if not token:
                return
            if token in seen:
                raise CircleCIError('GET', path, 200, 'the API answered the same next_page_token twice')
            seen.add(token)
            query['page-token'] = token

    def get_all(self, path, params=None):
        """All items of a paginated list."""
        return list(self.paginate(path, params))

    # --- internals -------------------------------------------------------------------------

    def _send(self, method, path, params, json):
        with self._count_lock:
            self.request_count += 1
        # Redirects are not followed: requests would carry the Circle-Token header to whatever
        # host the redirect names, and turn a redirected POST into a GET.
        return self.session.request(
            method, self.api_url + path, params=params or None, json=json,
            timeout=self.timeout, verify=self.verify, allow_redirects=False)

    def _request(self, method, path, params, json, expected, find_existing, repeatable=False):
        may_repeat = repeatable or method in IDEMPOTENT_METHODS or find_existing is not None
        retried = 0          # retries after a 5xx or a lost connection (bounded by self.retries)
        rate_limited = 0     # 429 answers so far
        waited = 0.0         # seconds slept on 429s (bounded by self.rate_limit_timeout)
        while True:
            response, failure = self._attempt(method, path, params, json, expected)
            if failure is None:
                return self._parse(method, path, response)
            if failure.ambiguous and not may_repeat:
                raise self._error(method, path, failure.error.status, failure.error.message + (
                    ' (the request may have been applied, so it was not sent again:'
                    ' check the current state before running it again)'))
            if failure.rate_limited:
                rate_limited += 1
                # Retry-After 0 (or a date in the past) names no wait: back off as without one, so that
                # a server answering it forever is not asked again hundreds of times a second
                delay = failure.retry_after or self._backoff(rate_limited)
                if waited + delay > self.rate_limit_timeout:
                    raise self._rate_limit_exhausted(failure, waited, delay)
                waited += delay
            else:
                if retried >= self.retries:
                    raise self._retries_exhausted(failure, retried)
                retried += 1
                # a 5xx may say when the service expects to be back (503 with Retry-After): that
                # long, never more than the backoff cap; else the backoff
                delay = self._backoff(retried)
                if failure.retry_after is not None:
                    delay = min(failure.retry_after, self.backoff_max)
            self.sleep(delay)
            if failure.ambiguous and find_existing is not None:
                found = find_existing()
                if found is not None:
                    return found

    def _attempt(self, method, path, params, json, expected):
        """Send once: (response, None) for an expected status, (None, _Failure) for one that may be
        retried; raise CircleCIError for any other answer."""
        try:
            response = self._send(method, path, params, json)
        except requests.exceptions.ConnectTimeout as exc:
            # No connection was made, so nothing was sent: safe to resend any method.
            return None, _Failure(self._error(method, path, None, exc), ambiguous=False)
        except requests.exceptions.SSLError as exc:
            raise self._error(method, path, None, exc) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            return None, _Failure(self._error(method, path, None, exc), ambiguous=True)
        except requests.exceptions.RequestException as exc:
            raise self._error(method, path, None, exc) from None
        status = response.status_code
        if status in expected:
            return response, None
        if 300 <= status < 400:
            location = response.headers.get('Location', '')
            raise self._error(method, path, status, 'redirected to %s; set %s to the %s base URL'
                              % (location, self.url_option, self.api_name))
        error = self._error(method, path, status, self._with_hint(status, api_message(response)))
        if status == RATE_LIMITED:
            return None, _Failure(error, ambiguous=False, retry_after=self._retry_after(response), rate_limited=True)
        if status in RETRY_STATUSES:
            return None, _Failure(error, ambiguous=True, retry_after=self._retry_after(response))
        raise error

    def _with_hint(self, status, message):
        """A 404 from a base URL that does not end in /api/v2 most likely means a wrong api_url."""
        if status == 404 and not self.api_url.endswith(self.path_suffixes):
            return '%s (%s %s does not end with %s: is it the %s base URL?)' % (
                message, self.url_option, self.api_url, self.path_suffixes[0], self.api_name)
        return message

    def _retries_exhausted(self, failure, retried):
        if not retried:
            return failure.error
        return self._error(failure.error.method, failure.error.path, failure.error.status,
                           '%s (gave up after %d attempts)' % (failure.error.message, retried + 1))

    def _rate_limit_exhausted(self, failure, waited, delay):
        asked = '' if failure.retry_after is None else ', and the API asks to wait %s more' % _seconds(delay)
        error = self._error(failure.error.method, failure.error.path, failure.error.status, (
            '%s (still rate limited after waiting %s%s; rate_limit_timeout is %s)'
            % (failure.error.message, _seconds(waited), asked, _seconds(self.rate_limit_timeout))))
        error.retry_after = failure.retry_after
        error.waited = waited
        return error

    def _parse(self, method, path, response):
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            snippet = (response.text or '').strip()[:200]
            raise self._error(method, path, response.status_code,
                              'the answer is not JSON (is %s the %s base URL?): %s'
                              % (self.url_option, self.api_name, snippet)) from None

    def _error(self, method, path, status, message):
        message = str(message)
        for form in self._secret_forms:
            message = message.replace(form, '<hidden>')
        return CircleCIError(method, path, status, message)

    def _backoff(self, attempt):
        delay = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return delay * (0.5 + self.random() / 2)  # jitter: spread clients that failed together

    def _retry_after(self, response):
        """Seconds asked for by Retry-After (delta-seconds or HTTP-date); None if absent or unreadable."""
        value = (response.headers.get('Retry-After') or '').strip()
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
            if when is None:
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            seconds = (when - datetime.now(timezone.utc)).total_seconds()
        if not math.isfinite(seconds):
            return None
        return max(seconds, 0.0)
