# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options that name one job, of circleci_job and circleci_job_info
    # (plugins/module_utils/_jobs.py holds their argument spec and rules).
    DOCUMENTATION = r"""
options:
  job_id:
    description:
      - UUID of the job. Mutually exclusive with O(project_slug) and O(job_number).
      - The API has no read of a job by its id alone, so give O(workflow_id) too.
    type: str
  workflow_id:
    description:
      - UUID of the workflow of O(job_id), whose job list gives the status of the job.
      - Only with O(job_id).
    type: str
  project_slug:
    description:
      - Slug of the project of the job, for example V(gh/acme/api). Requires O(job_number).
    type: str
  job_number:
    description:
      - Number of the job in its project.
    type: int
"""
