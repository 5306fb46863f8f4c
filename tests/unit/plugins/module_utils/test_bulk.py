# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.community.circleci.plugins.module_utils._bulk import check_concurrency, run_bulk
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._envvars import (
    Operation,
    OperationsFailed,
    apply_operations,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError


def test_at_most_concurrency_calls_at_once_and_results_in_item_order():
    lock = threading.Lock()
    running, peak = [0], [0]

    def work(item):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01 * (item % 3))  # finish out of order
        with lock:
            running[0] -= 1
        if item % 5 == 0:
            raise KeyError(item)

    outcomes = run_bulk(range(20), work, concurrency=4, catch=KeyError)
    assert [item for item, exc in outcomes] == list(range(20))
    assert [item for item, exc in outcomes if exc is not None] == [0, 5, 10, 15]
    assert peak[0] == 4


def test_concurrency_1_runs_in_order_in_the_calling_thread():
    seen = []
    run_bulk('abc', lambda item: seen.append((item, threading.current_thread())), concurrency=1)
    assert seen == [(item, threading.current_thread()) for item in 'abc']


def test_other_exceptions_propagate():
    def boom(item):
        raise RuntimeError('bug')

    with pytest.raises(RuntimeError):
        run_bulk([1, 2], boom, concurrency=2, catch=KeyError)


@pytest.mark.parametrize('value', [0, 17, -3, True, '4'])
def test_check_concurrency_names_the_option(value):
    with pytest.raises(ValidationError) as info:
        check_concurrency(value)
    assert str(info.value).startswith('concurrency: must be an integer from 1')


def test_check_concurrency_default_and_bounds():
    assert (check_concurrency(None), check_concurrency(1), check_concurrency(16)) == (4, 1, 16)


@pytest.mark.parametrize('concurrency', [1, 4])
def test_apply_operations_tries_every_operation_and_reports_per_item(concurrency):
    def write(name, value):
        if name == 'B':
            raise CircleCIError('PUT', '/x/B', 400, 'bad')

    def delete(name):
        raise CircleCIError('DELETE', '/x/%s' % name, 400, 'nope')

    operations = [Operation('write', 'A'), Operation('write', 'B'), Operation('write', 'C'), Operation('delete', 'X')]
    with pytest.raises(OperationsFailed) as info:
        apply_operations(operations, {'A': 'secret-a', 'B': 'secret-b', 'C': 'secret-c'}, write, delete, concurrency=concurrency)
    exc = info.value
    assert exc.status == 400
    assert exc.details['failed_variables'] == ['B', 'X']
    assert exc.details['written'] == ['A', 'C'] and exc.details['deleted'] == []
    assert str(exc) == ('2 of 4 variable changes failed: write B (PUT /x/B -> 400: bad); delete X (DELETE /x/X -> 400: nope). '
                        'Written: A, C; deleted: none; not written: B; not deleted: X')
    assert 'secret' not in repr(exc.details) + str(exc)
