# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The option that names one workflow, of circleci_workflow and circleci_workflow_info.
    DOCUMENTATION = r"""
options:
  workflow_id:
    description:
      - UUID of the workflow.
    type: str
    required: true
"""

    # How long the modules that wait for workflows wait (circleci_pipeline_trigger, circleci_workflow, circleci_rollback;
    # plugins/module_utils/_pipelines.py holds the argument spec: wait_argument_spec).
    WAIT = r"""
options:
  wait_timeout:
    description:
      - How long to wait, in seconds, with O(wait=true). When the time is up, the module fails, naming the
        statuses it saw last.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between two reads while waiting.
    type: float
    default: 5
"""
