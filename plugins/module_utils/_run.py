# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Failures that carry a result: an action ran (it may have acted), yet the task fails.

Module logic in module_utils raises RunFailed with the result to fail with (a wait that timed
out, a workflow that did not succeed); `action_run` wraps such logic into the `run(module,
client)` that run_module calls, turning RunFailed into one fail_json with that result.
"""

from __future__ import annotations


class RunFailed(Exception):
    """The task fails with `result` (the module result, which may say what was done)."""

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


def action_run(action):
    """run(module, client) for run_module: action(client, params, check_mode) returns the result
    or raises RunFailed, which fails the task with its result."""
    def run(module, client):
        try:
            return action(client, module.params, module.check_mode)
        except RunFailed as exc:
            module.fail_json(msg=str(exc), **exc.result)
    return run
