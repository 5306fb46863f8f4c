# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The option of modules that write many items in one task (plugins/module_utils/_bulk.py holds the argument spec).
    DOCUMENTATION = r"""
options:
  concurrency:
    description:
      - How many write requests (creates, updates, deletes) are sent at the same time when several items change in one task.
      - All of them share one connection pool (keep-alive connections are reused), and each request is retried on its own
        after HTTP 429 or a lost connection, as O(retries) says.
      - V(1) sends them one after the other, the writes in the sorted order of their names, then the deletes.
      - When some writes fail, the others are still made, and the task fails naming every item that failed and
        every item that was written.
      - From V(1) to V(16).
    type: int
    default: 4
"""
