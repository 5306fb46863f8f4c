#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_schedule
short_description: Manage scheduled pipelines of a CircleCI project
version_added: 0.1.0
description:
  - Create, update and delete the scheduled pipelines (schedules) of a CircleCI project.
  - A schedule is identified by its O(name) within the project.
  - Only the options that are set are compared; an update sends (PATCH) only the fields that differ.
  - Scheduled pipelines exist for GitHub OAuth and Bitbucket Cloud projects only. Projects with a
    C(circleci/...) slug (GitLab, GitHub App, standalone) use pipeline triggers instead; the module refuses them.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api) or V(bb/acme/api).
    type: str
    required: true
  name:
    description:
      - Name of the schedule. It identifies the schedule within the project.
      - If several schedules of the project have this name, O(state=present) fails and O(state=absent) deletes them all.
    type: str
    required: true
  description:
    description:
      - Description of the schedule. When not set, the description is not compared.
    type: str
  timetable:
    description:
      - When the schedule triggers. All times are UTC.
      - Required to create a schedule, with O(timetable.per_hour), O(timetable.hours_of_day) and one of
        O(timetable.days_of_week) and O(timetable.days_of_month).
      - For an existing schedule, only the keys that are set are compared; the lists are compared as sets.
        Setting O(timetable.days_of_week) replaces O(timetable.days_of_month), and the other way round.
      - Ranges are checked before any request.
    type: dict
    suboptions:
      per_hour:
        description:
          - How many times the schedule triggers in each hour it runs, from V(1) to V(60).
        type: int
      hours_of_day:
        description:
          - Hours of the day (UTC) in which the schedule triggers, each from V(0) to V(23).
        type: list
        elements: int
      days_of_week:
        description:
          - Days of the week on which the schedule triggers, each one of V(SUN), V(MON), V(TUE), V(WED), V(THU),
            V(FRI), V(SAT) (any case).
          - Mutually exclusive with O(timetable.days_of_month).
        type: list
        elements: str
      days_of_month:
        description:
          - Days of the month on which the schedule triggers, each from V(1) to V(31).
          - Mutually exclusive with O(timetable.days_of_week).
        type: list
        elements: int
      months:
        description:
          - Months in which the schedule triggers, each one of V(JAN) to V(DEC) (any case).
          - Not set or V([]) means every month; the two are treated as equal to listing all twelve.
        type: list
        elements: str
  attribution_actor:
    description:
      - Who the triggered pipelines are attributed to.
      - V(current) is the user of the token; V(system) is CircleCI's scheduling system (its pipelines cannot
        use contexts restricted to security groups).
      - The API reads V(system) back as a fixed actor (login C(system-actor)), not the word; the module recognises it, so V(system) stays idempotent.
        Any other actor is taken as V(current), whichever user that is.
      - When not set, V(current) for a new schedule; an existing schedule keeps its actor.
    type: str
    choices: [current, system]
  parameters:
    description:
      - Pipeline parameters of the triggered pipelines. Must contain C(branch) or C(tag) (unless O(branch) or
        O(tag) is set, which is added to them).
      - Values are strings, integers or booleans; at most 100 parameters, names of at most 128 characters,
        string values of at most 512 characters.
      - Compared as a whole, so parameters of the schedule that are not listed are removed.
    type: dict
  branch:
    description:
      - Shorthand for the C(branch) parameter, the branch the pipelines run on.
      - Without O(parameters), only the branch (or tag) of an existing schedule is compared and changed; its
        other parameters are kept.
      - Mutually exclusive with O(tag).
    type: str
  tag:
    description:
      - Shorthand for the C(tag) parameter, the tag the pipelines run on.
      - Mutually exclusive with O(branch).
    type: str
  state:
    description:
      - V(present) creates or updates the schedule, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: community.circleci.circleci_schedule_info
  - name: Scheduled pipelines
    description: CircleCI's guide to scheduled pipelines.
    link: https://circleci.com/docs/scheduled-pipelines/
"""

EXAMPLES = r"""
- name: Manage CircleCI schedules
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: Nightly build of main on weekdays, as the scheduling system
      community.circleci.circleci_schedule:
        project_slug: gh/acme/api
        name: nightly
        description: Nightly build and test
        timetable:
          per_hour: 1
          hours_of_day: [2]
          days_of_week: [MON, TUE, WED, THU, FRI]
        attribution_actor: system
        branch: main

    - name: A monthly release check with pipeline parameters
      community.circleci.circleci_schedule:
        project_slug: gh/acme/api
        name: monthly-release-check
        timetable:
          per_hour: 1
          hours_of_day: [6]
          days_of_month: [1]
          months: [JAN, APR, JUL, OCT]
        parameters:
          branch: release
          run_integration: true

    - name: Move the nightly build to the develop branch, keeping everything else
      community.circleci.circleci_schedule:
        project_slug: gh/acme/api
        name: nightly
        branch: develop

    - name: Delete a schedule
      community.circleci.circleci_schedule:
        project_slug: gh/acme/api
        name: old-schedule
        state: absent
"""

RETURN = r"""
schedule:
  description:
    - The schedule after the run. Empty when O(state=absent).
    - Keys are snake_case whatever the API answered.
    - In check mode, a schedule that would be created has no RV(schedule.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the schedule.
      type: str
      returned: when the schedule exists
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
      sample: Nightly build and test
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
      sample: gh/acme/api
    timetable:
      description: When the schedule triggers (keys C(per_hour), C(hours_of_day), C(days_of_week) or C(days_of_month), C(months)).
      type: dict
      returned: success
      sample: {per_hour: 1, hours_of_day: [2], days_of_week: [MON, TUE, WED, THU, FRI]}
    attribution_actor:
      description: V(system) when the pipelines are attributed to the scheduling system, else V(current).
      type: str
      returned: success
      sample: system
    actor:
      description: The actor as the API returns it (C(id), C(login), C(name), C(avatar_url)).
      type: dict
      returned: when the schedule exists
    parameters:
      description: Pipeline parameters of the triggered pipelines.
      type: dict
      returned: success
      sample: {branch: main}
    created_at:
      description: When the schedule was created.
      type: str
      returned: when the schedule exists
    updated_at:
      description: When the schedule was last changed.
      type: str
      returned: when the schedule exists
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._schedules import (
    ATTRIBUTION_ACTORS,
    ScheduleSpec,
    ensure_schedule,
)


def run(module, client):
    spec = ScheduleSpec(module.params)
    return ensure_schedule(client, spec, module.check_mode)


def main():
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        name=dict(type='str', required=True),
        description=dict(type='str'),
        timetable=dict(type='dict', options=dict(
            per_hour=dict(type='int'),
            hours_of_day=dict(type='list', elements='int'),
            days_of_week=dict(type='list', elements='str'),
            days_of_month=dict(type='list', elements='int'),
            months=dict(type='list', elements='str'),
        ), mutually_exclusive=[('days_of_week', 'days_of_month')]),
        attribution_actor=dict(type='str', choices=list(ATTRIBUTION_ACTORS)),
        parameters=dict(type='dict'),
        branch=dict(type='str'),
        tag=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, mutually_exclusive=[('branch', 'tag')])


if __name__ == '__main__':
    main()
