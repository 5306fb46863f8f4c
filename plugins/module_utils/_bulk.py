# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bounded concurrency for bulk writes over the one client (option `concurrency`, defined once).

doc_fragments/bulk.py documents the option; bulk_argument_spec() is its argument spec.
Every call runs through the same CircleCIClient (one Session, keep-alive connections reused),
so each request still gets the client's retries (429 Retry-After, backoff).
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 16  # the client's connection pool holds at least this many connections


def bulk_argument_spec():
    """The `concurrency` option of the bulk forms (a fresh dict to merge into a module's spec)."""
    return dict(concurrency=dict(type='int', default=DEFAULT_CONCURRENCY))


def check_concurrency(value, option='concurrency'):
    """The checked number of parallel requests (1 = one after the other)."""
    value = DEFAULT_CONCURRENCY if value is None else value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENCY:
        raise ValidationError(option, 'must be an integer from 1 (one request at a time) to %d, got %r' % (MAX_CONCURRENCY, value))
    return value


def run_bulk(items, func, concurrency=1, catch=Exception):
    """Call func(item) for every item, at most `concurrency` at a time.

    Returns [(item, exception or None)] in the order of `items`, whatever the order of
    completion. Exceptions of type `catch` are recorded per item and the other items still
    run; any other exception propagates (after the calls already started have finished).
    With concurrency 1 the calls are made in order, in the calling thread.
    """
    items = list(items)

    def one(item):
        try:
            func(item)
        except catch as exc:
            return exc
        return None

    if concurrency <= 1 or len(items) <= 1:
        return [(item, one(item)) for item in items]
    # Imported here: most module runs never need threads (start-up time matters).
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items))) as pool:
        outcomes = list(pool.map(one, items))
    return list(zip(items, outcomes))
