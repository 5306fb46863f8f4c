# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Usage exports: create (rate limited by the API), wait until completed, download the files."""

from __future__ import annotations

import hashlib
import os
import posixpath
import tempfile
import time
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from ansible_collections.community.circleci.plugins.module_utils._client import (
    HAS_REQUESTS,
    RATE_LIMITED,
    RETRY_STATUSES,
    CircleCIError,
    quote_segment,
)
from ansible_collections.community.circleci.plugins.module_utils._dates import check_date_time, check_range, utc_now
from ansible_collections.community.circleci.plugins.module_utils._run import RunFailed
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_uuid

if HAS_REQUESTS:
    import requests

# What the API accepts (spec): end at most 31 days after start, start at most one year ago.
MAX_RANGE = timedelta(days=31)
MAX_AGE = timedelta(days=365)
DONE_STATES = frozenset(('completed', 'failed'))
RATE_LIMIT_MESSAGE = ('CircleCI accepts at most 10 usage export requests per hour per organization and refused this '
                      'one (HTTP 429, asking to wait %s): try again later, or read an export made earlier with '
                      'usage_export_job_id')
CHUNK = 64 * 1024


def exports_path(org_id):
    return '/organizations/%s/usage_export_job' % quote_segment(org_id)


def check_create(params):
    """The create request body from the options (checked before any request; the argument spec
    requires start and end without usage_export_job_id)."""
    start = check_date_time('start', params['start'])
    end = check_date_time('end', params['end'])
    if check_range('start', start, 'end', end) > MAX_RANGE:
        raise ValidationError('end', 'must be at most 31 days after start (the API refuses longer exports)')
    if start < utc_now() - MAX_AGE:
        raise ValidationError('start', 'must be at most one year ago (the API refuses older data)')
    body = dict(start=params['start'], end=params['end'])
    if params.get('shared_org_ids'):
        body['shared_org_ids'] = [check_uuid('shared_org_ids[%d]' % index, value)
                                  for index, value in enumerate(params['shared_org_ids'])]
    return body


def create_export(client, org_id, body):
    """POST the export. The limit of 10 per hour answers 429 with a Retry-After of up to an hour,
    beyond the client's rate_limit_timeout: the client then fails at once, and the message here says
    what the limit is."""
    path = exports_path(org_id)
    try:
        return client.post(path, json=body, expected=(201,))
    except CircleCIError as exc:
        if exc.status != RATE_LIMITED:
            raise
        retry_after = getattr(exc, 'retry_after', None)
        asked = 'a moment' if retry_after is None else '%d seconds' % retry_after
        raise CircleCIError('POST', path, RATE_LIMITED, RATE_LIMIT_MESSAGE % asked + ' (%s)' % exc.message) from None


def get_export(client, org_id, export_id):
    return client.get('%s/%s' % (exports_path(org_id), quote_segment(export_id)))


class WaitTimeout(Exception):
    def __init__(self, message, last):
        super().__init__(message)
        self.last = last


def wait_for_export(client, org_id, export, timeout, interval):
    """Poll until the export is completed or failed; WaitTimeout with the last answer otherwise.
    Time is the larger of the wall clock and the sum of the delays slept (tests record sleeps)."""
    start, slept = time.monotonic(), 0.0
    while export.get('state') not in DONE_STATES:
        left = timeout - max(time.monotonic() - start, slept)
        if left <= 0:
            raise WaitTimeout('wait_timeout: gave up after %g seconds: usage export %s is still %s'
                              % (timeout, export.get('usage_export_job_id'), export.get('state')), export)
        delay = min(interval, left)
        client.sleep(delay)
        slept += delay
        export = dict(export, **get_export(client, org_id, export['usage_export_job_id']))
    return export


def file_name(url, index):
    """The file name a download URL ends with; ValidationError if it has none that is safe to write."""
    name = posixpath.basename(unquote(urlsplit(url).path))
    if not name or name in ('.', '..') or '/' in name or '\\' in name or name.startswith('.'):
        raise ValidationError('dest', 'download_urls[%d] (%s) does not end with a usable file name' % (index, url))
    return name


def _sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(client, url, handle):
    """GET a download URL into `handle` (sha256 returned). The Circle-Token is not sent: the URLs are
    signed and may point at another host. Retried like the API calls on 429, 5xx and lost connections."""
    attempt = 0
    while True:
        failure = None
        try:
            with client.session.get(url, headers={'Circle-Token': None, 'Accept': '*/*'}, stream=True,
                                    timeout=client.timeout, verify=client.verify) as response:
                if response.status_code == 200:
                    handle.seek(0)
                    handle.truncate()
                    digest = hashlib.sha256()
                    for chunk in response.iter_content(CHUNK):
                        digest.update(chunk)
                        handle.write(chunk)
                    return digest.hexdigest()
                failure = client._error('GET', url, response.status_code, (response.text or response.reason or '')[:200])
                if response.status_code not in RETRY_STATUSES and response.status_code != RATE_LIMITED:
                    raise failure
        except requests.exceptions.RequestException as exc:
            failure = client._error('GET', url, None, exc)
        if attempt >= client.retries:
            raise failure
        attempt += 1
        client.sleep(min(client.backoff_max, client.backoff_base * 2 ** (attempt - 1)))


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def download(client, urls, dest, check_mode):
    """Download each URL into directory `dest` under the name it ends with. A file whose content is
    already there is left alone. Returns (paths, written paths)."""
    names = [file_name(url, index) for index, url in enumerate(urls)]
    paths, written = [], []
    for url, name in zip(urls, names):
        path = os.path.join(dest, name)
        # In check mode nothing is written in dest, not even a temporary file.
        fd, temp = tempfile.mkstemp(dir=None if check_mode else dest, prefix='.%s.' % name)
        try:
            with os.fdopen(fd, 'w+b') as handle:
                digest = _fetch(client, url, handle)
            if os.path.isfile(path) and _sha256_of(path) == digest:
                pass
            else:
                written.append(path)
                if not check_mode:
                    os.chmod(temp, 0o666 & ~_umask())  # as a plain open() would create it
                    os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        paths.append(path)
    return paths, written


# --- the module -------------------------------------------------------------------------------

def check_params(params):
    """(org_id, export_id or None, create body or None, dest) of circleci_usage_export, checked."""
    org_id = check_uuid('org_id', params['org_id'])
    export_id = body = None
    if params['usage_export_job_id'] is not None:
        export_id = check_uuid('usage_export_job_id', params['usage_export_job_id'])
    else:
        body = check_create(params)
    for option in ('wait_timeout', 'poll_interval'):
        if params[option] <= 0:
            raise ValidationError(option, 'must be a positive number of seconds, got %s' % params[option])
    dest = params['dest']
    if dest is not None:
        if not params['wait']:
            raise ValidationError('dest', 'needs wait=true: the files exist once the export is completed')
        if not os.path.isdir(dest):
            raise ValidationError('dest', "'%s' is not an existing directory" % dest)
    return org_id, export_id, body, dest


def export_usage(client, params, check_mode):
    """Run circleci_usage_export: start an export (or read one), wait, download. Raises RunFailed
    with the result when the wait times out or the export failed."""
    org_id, export_id, body, dest = check_params(params)
    result = dict(changed=False, created=False, files=[], files_written=[])
    if export_id is None:
        result.update(changed=True, created=True)
        if check_mode:
            return dict(result, usage_export=body)
        export = create_export(client, org_id, body)
    else:
        export = get_export(client, org_id, export_id)
    if params['wait']:
        try:
            export = wait_for_export(client, org_id, export, params['wait_timeout'], params['poll_interval'])
        except WaitTimeout as exc:
            raise RunFailed(str(exc), dict(result, usage_export=exc.last)) from None
        if export.get('state') == 'failed':
            raise RunFailed('usage export %s failed: %s' % (export.get('usage_export_job_id'), export.get('error_reason') or 'no reason given'),
                            dict(result, usage_export=export))
    if dest is not None:
        files, written = download(client, export.get('download_urls') or [], dest, check_mode)
        result.update(files=files, files_written=written, changed=result['changed'] or bool(written))
    return dict(result, usage_export=export)
