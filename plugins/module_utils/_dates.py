# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Date-time options (insights date ranges, usage export ranges), checked before any request."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

# RFC 3339 date-time, as the spec's `format: date-time` asks: a date, `T`, a time, an offset or Z.
_DATE_TIME_RE = re.compile(r'^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$')


def check_date_time(option, value):
    """An aware datetime from an RFC 3339 string such as V(2026-11-01T00:00:00Z); ValidationError naming
    `option` otherwise. The string itself is what gets sent (the API reads it)."""
    if not isinstance(value, str) or not _DATE_TIME_RE.match(value):
        raise ValidationError(option, "'%s' is not a date-time such as 2026-11-01T00:00:00Z (RFC 3339, with a time zone)" % (value,))
    text = value[:-1] + '+00:00' if value[-1] in 'Zz' else value
    # Python < 3.11 reads at most 6 fraction digits: cut longer fractions.
    text = re.sub(r'(\.\d{6})\d+', r'\1', text.replace('t', 'T'))
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(option, "'%s' is not a valid date-time: %s" % (value, exc)) from None


def check_range(start_option, start, end_option, end):
    """Check that `end` is after `start` (both already checked); returns the length as a timedelta."""
    if end <= start:
        raise ValidationError(end_option, 'must be after %s' % start_option)
    return end - start


def utc_now():
    return datetime.now(timezone.utc)
