#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_schedule_info
short_description: Read the scheduled pipelines of a CircleCI project
version_added: 0.1.0
description:
  - List the scheduled pipelines (schedules) of a CircleCI project, or the one with a given name.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
  - community.circleci.attributes.info_module
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api) or V(bb/acme/api).
      - Projects with a C(circleci/...) slug have no schedules (they use pipeline triggers) and are refused.
    type: str
    required: true
  name:
    description:
      - Only return the schedules with this name (an empty list if there is none).
    type: str
seealso:
  - module: community.circleci.circleci_schedule
"""

EXAMPLES = r"""
- name: List the schedules of a project
  community.circleci.circleci_schedule_info:
    project_slug: gh/acme/api
    api_token: "{{ circleci_token }}"
  register: schedules

- name: Read one schedule
  community.circleci.circleci_schedule_info:
    project_slug: gh/acme/api
    name: nightly
    api_token: "{{ circleci_token }}"
  register: nightly
"""

RETURN = r"""
schedules:
  description:
    - The schedules found, in the order the API lists them.
    - Keys are snake_case whatever the API answered.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: UUID of the schedule.
      type: str
      returned: success
      sample: 7c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c
    name:
      description: Name of the schedule.
      type: str
      returned: success
      sample: nightly
    description:
      description: Description of the schedule.
      type: str
      returned: success
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
      sample: gh/acme/api
    timetable:
      description: When the schedule triggers (keys C(per_hour), C(hours_of_day), C(days_of_week) or C(days_of_month), C(months)).
      type: dict
      returned: success
    attribution_actor:
      description: V(system) when the pipelines are attributed to the scheduling system, else V(current).
      type: str
      returned: success
    actor:
      description: The actor as the API returns it (C(id), C(login), C(name), C(avatar_url)).
      type: dict
      returned: success
    parameters:
      description: Pipeline parameters of the triggered pipelines.
      type: dict
      returned: success
    created_at:
      description: When the schedule was created.
      type: str
      returned: success
    updated_at:
      description: When the schedule was last changed.
      type: str
      returned: success
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._schedules import (
    check_schedules_slug,
    list_schedules,
    normalize_schedule,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import check_non_empty


def run(module, client):
    params = module.params
    project_slug = check_schedules_slug('project_slug', params['project_slug'])
    name = None if params['name'] is None else check_non_empty('name', params['name'])
    schedules = list_schedules(client, project_slug)
    if name is not None:
        schedules = [schedule for schedule in schedules if schedule.get('name') == name]
    return dict(changed=False, schedules=[normalize_schedule(schedule) for schedule in schedules])


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        name=dict(type='str'),
    )
    run_module(argument_spec, run)


if __name__ == '__main__':
    main()
