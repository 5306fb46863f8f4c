# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading module results the same way whichever way the module ran and whichever ansible-core ran it."""

from __future__ import annotations


def warning_messages(result):
    """The texts of a result's warnings: plain strings (in the controller, and before ansible-core 2.19)
    or the structured warnings of a module process on 2.19 and later ({'event': {'msg': ...}})."""
    texts = []
    for warning in result.get('warnings') or ():
        if isinstance(warning, dict):
            warning = (warning.get('event') or {}).get('msg', warning.get('msg'))
        texts.append(warning)
    return texts
