#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_usage_export
short_description: Create a CircleCI usage export, wait for it and download its files
version_added: 0.1.0
description:
  - Create a usage export of an organization (the compute, storage and network usage of its jobs between O(start)
    and O(end)), or read one made earlier with O(usage_export_job_id).
  - Optionally wait until it is completed, and download its files into a directory.
  - CircleCI accepts at most 10 usage export requests per hour per organization. When it refuses one (HTTP 429 with a
    long C(Retry-After)), the module fails at once saying so, instead of retrying for minutes.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - Check mode creates no export and writes no file. Without O(usage_export_job_id) it sends no request at all.
      - With O(usage_export_job_id), the export is read (and, with O(dest), its files are downloaded to compare them)
        and RV(files_written) tells what would be written.
  diff_mode:
    support: none
  idempotent:
    support: partial
    details:
      - Each run without O(usage_export_job_id) creates a new export (and reports a change).
      - With O(usage_export_job_id) the module only reads, and writes only files whose content differs.
options:
  org_id:
    description:
      - UUID of the organization.
    type: str
    required: true
  start:
    description:
      - Start of the period of the export (inclusive), an RFC 3339 date-time such as V(2026-11-01T00:00:00Z).
      - At most one year ago. Required unless O(usage_export_job_id) is given.
    type: str
  end:
    description:
      - End of the period (inclusive), after O(start) and at most 31 days after it.
      - Required unless O(usage_export_job_id) is given.
    type: str
  shared_org_ids:
    description:
      - UUIDs of other organizations whose usage the export includes too (organizations that share the plan).
    type: list
    elements: str
  usage_export_job_id:
    description:
      - UUID of an export made earlier, to read (and wait for, and download) instead of creating one.
      - Mutually exclusive with O(start), O(end) and O(shared_org_ids).
    type: str
  wait:
    description:
      - Whether to wait until the export is V(completed) (or V(failed), which fails the task).
      - Required by O(dest).
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds. When the time is up, the module fails naming the state it saw last.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two reads of the export while waiting.
    type: float
    default: 5
  dest:
    description:
      - An existing directory to download the files of the completed export into, each under the name its URL ends
        with (for example C(usage-1a2b3c4d-1.csv.gz)). A file that already has the same content is not written again.
      - The download URLs are signed by CircleCI; the API token is not sent with them.
    type: path
seealso:
  - name: Usage API
    description: CircleCI's guide to the usage API.
    link: https://circleci.com/docs/guides/insights/usage-api/
"""

EXAMPLES = r"""
- name: Export the usage of November and download it
  community.circleci.circleci_usage_export:
    org_id: 5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b
    start: "2026-11-01T00:00:00Z"
    end: "2026-11-30T23:59:59Z"
    wait: true
    dest: /var/lib/usage
    api_token: "{{ circleci_token }}"
  register: usage

- name: Show the files
  ansible.builtin.debug:
    var: usage.files

- name: Start an export without waiting
  community.circleci.circleci_usage_export:
    org_id: 5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b
    start: "2026-11-01T00:00:00Z"
    end: "2026-11-07T00:00:00Z"
    api_token: "{{ circleci_token }}"
  register: started

- name: Later, wait for it and download it
  community.circleci.circleci_usage_export:
    org_id: 5f3b0b2a-0c1d-4e2f-9a3b-4c5d6e7f8a9b
    usage_export_job_id: "{{ started.usage_export.usage_export_job_id }}"
    wait: true
    dest: /var/lib/usage
    api_token: "{{ circleci_token }}"
"""

RETURN = r"""
usage_export:
  description:
    - The export as the API returns it, read last (after the wait with O(wait=true)).
    - In check mode without O(usage_export_job_id), the export that would be requested (C(start), C(end), and
      C(shared_org_ids) if given).
  returned: always
  type: dict
  contains:
    usage_export_job_id:
      description: UUID of the export.
      type: str
      returned: when created or read
      sample: 0d9f3a0e-52b1-4a5c-9d6e-7f8a9b0c1d2e
    state:
      description: State of the export, V(created), V(processing), V(completed) or V(failed).
      type: str
      returned: when created or read
      sample: completed
    download_urls:
      description: The URLs of the files of a completed export (signed, valid for a limited time).
      type: list
      elements: str
      returned: when created or read
    error_reason:
      description: Why the export failed.
      type: str
      returned: when the export failed
created:
  description: Whether an export was created (or, in check mode, would be).
  returned: always
  type: bool
files:
  description: The paths of the downloaded files in O(dest), in the order of the download URLs.
  returned: always
  type: list
  elements: str
  sample: [/var/lib/usage/usage-0d9f3a0e-1.csv.gz, /var/lib/usage/usage-0d9f3a0e-2.csv.gz]
files_written:
  description: The paths of RV(files) that were written (or, in check mode, would be), because they were missing or differed.
  returned: always
  type: list
  elements: str
"""


from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._run import action_run
from ansible_collections.community.circleci.plugins.module_utils._usage import export_usage
from ansible_collections.community.circleci.plugins.module_utils._validate import exactly_one_of, spec_rules


def main():
    run_module(dict(
        org_id=dict(type='str', required=True),
        start=dict(type='str'),
        end=dict(type='str'),
        shared_org_ids=dict(type='list', elements='str'),
        usage_export_job_id=dict(type='str'),
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='int', default=600),
        poll_interval=dict(type='float', default=5),
        dest=dict(type='path'),
    ), action_run(export_usage),
        **spec_rules(exactly_one_of(('usage_export_job_id', 'start'), ('usage_export_job_id', 'end')),
                     mutually_exclusive=[('usage_export_job_id', 'shared_org_ids')]))


if __name__ == '__main__':
    main()
