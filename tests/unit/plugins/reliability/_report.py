# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Counts for tools/reliability_inputs.py: when CIRCLECI_RELIABILITY_REPORT names a file, each
passed case appends one JSON line to it (nothing is written otherwise)."""

from __future__ import annotations

import json
import os
import threading

REPORT_ENV = 'CIRCLECI_RELIABILITY_REPORT'
_LOCK = threading.Lock()


def record(kind, **fields):
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    line = json.dumps(dict(fields, kind=kind), sort_keys=True)
    with _LOCK:
        with open(path, 'a') as handle:
            handle.write(line + '\n')
