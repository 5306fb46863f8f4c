#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_org_config
short_description: Converge many contexts and projects of a CircleCI organization in one task
version_added: 0.2.0
description:
  - Brings every context listed in O(contexts) (with its restrictions and variables) and every project listed in
    O(projects) (its variables, webhooks, schedules and advanced settings) to the state given, in one task.
  - Each object is reconciled as its own module does it (M(community.circleci.circleci_context),
    M(community.circleci.circleci_context_env), M(community.circleci.circleci_project_env),
    M(community.circleci.circleci_webhook), M(community.circleci.circleci_schedule),
    M(community.circleci.circleci_project_settings)), with the same checks, idempotency and secrets rules. Use those
    modules for one object; this one is for an organization at scale, and is what the role
    C(community.circleci.org_config) runs.
  - An unchanged rerun sends only the reads the API requires, and each of them once per run - the contexts of the
    organization are listed once (every page); per context its restrictions (when O(contexts[].restrictions) is given)
    and its variables (when O(contexts[].variables) is given); per project the listing of each kind it names, and
    C(GET /project/{slug}) once when it has webhooks, a context restriction names it, or O(create_projects=true).
  - Contexts and projects are handled O(concurrency) at a time over one connection pool, their reads as well as
    the writes of a first converge; the requests of one object are sent in order.
  - Every input is checked before the first request; an error names the option and its place, for example
    C(projects[3].webhooks[0].url).
  - When some objects fail, the others are still converged and the task fails naming each failed object; RV(contexts)
    and RV(projects) say what was done.
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
    details:
      - One diff per changed object (a project created, a context, the variables of a context or project, a webhook,
        a schedule, the settings of a project), in the order of RV(contexts) then RV(projects).
      - Variable values are shown as C(<hidden>), signing secrets as C(<hidden>).
  idempotent:
    support: partial
    details:
      - With O(update_mode=always), existing variables and webhooks are written again and reported as changed,
        because their secrets cannot be read back. The default V(on_create) is idempotent.
options:
  org_slug:
    description:
      - Slug of the organization that owns the contexts, for example V(gh/acme) or V(circleci/ORG_ID).
    type: str
    required: true
  contexts:
    description:
      - The contexts to converge, in this order in the results.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the context.
        type: str
        required: true
      state:
        description: V(present) creates the context when missing; V(absent) deletes it.
        type: str
        choices: [present, absent]
        default: present
      restrictions:
        description:
          - The restrictions the context must have, as M(community.circleci.circleci_context) takes them. Not given
            - not read, not changed.
        type: list
        elements: dict
        suboptions:
          type:
            description: Restriction type.
            type: str
            required: true
            choices: [project, expression, group]
          value:
            description: A project slug or UUID, an expression, or a group UUID.
            type: str
            required: true
      purge_restrictions:
        description: Delete the restrictions of the context that O(contexts[].restrictions) does not list.
        type: bool
        default: true
      variables:
        description:
          - Environment variables of the context, names and values. Values are never shown.
        type: dict
      purge_variables:
        description: Delete the variables of the context not listed in O(contexts[].variables). Default O(purge_variables).
        type: bool
  projects:
    description:
      - The projects to converge, in this order in the results.
    type: list
    elements: dict
    default: []
    suboptions:
      slug:
        description: Project slug, for example V(gh/acme/api).
        type: str
        required: true
      variables:
        description: Environment variables of the project, names and values. Values are never shown.
        type: dict
      purge_variables:
        description: Delete the variables of the project not listed in O(projects[].variables). Default O(purge_variables).
        type: bool
      webhooks:
        description: Outbound webhooks of the project, as M(community.circleci.circleci_webhook) takes them.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Name of the webhook (its identity).
            type: str
            required: true
          url:
            description: https URL the events are sent to. Required to create.
            type: str
          events:
            description: Events sent. Required to create.
            type: list
            elements: str
            choices: [workflow-completed, job-completed]
          verify_tls:
            description: Whether CircleCI verifies the receiver's certificate (V(true) on create when not given).
            type: bool
          signing_secret:
            description: Signing secret (write-only; required to create and for any update). Never shown.
            type: str
          state:
            description: V(present) or V(absent).
            type: str
            choices: [present, absent]
            default: present
      schedules:
        description: Scheduled pipelines of the project, as M(community.circleci.circleci_schedule) takes them.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: Name of the schedule (its identity).
            type: str
            required: true
          description:
            description: Description.
            type: str
          timetable:
            description: When it runs (V(per_hour), V(hours_of_day), V(days_of_week) or V(days_of_month), V(months)).
            type: dict
          attribution_actor:
            description: Who the pipelines are attributed to.
            type: str
            choices: [current, system]
          parameters:
            description: Pipeline parameters (with V(branch) or V(tag)).
            type: dict
          branch:
            description: Branch the pipelines run on.
            type: str
          tag:
            description: Tag the pipelines run on.
            type: str
          state:
            description: V(present) or V(absent).
            type: str
            choices: [present, absent]
            default: present
      settings:
        description: Advanced settings to set, as O(community.circleci.circleci_project_settings#module:advanced) takes them.
        type: dict
  create_projects:
    description:
      - Make sure every project of O(projects) exists before anything else of the run, creating a missing one as
        M(community.circleci.circleci_project) does (C(POST /organization/{org}/project) with the last part of its slug
        as name), so that its variables, webhooks, schedules and settings, and the context restrictions that name it,
        can follow in the same run.
      - The projects are read (and created) O(concurrency) at a time; the read is the one webhooks and restrictions
        use, so a rerun sends no request more when a project has webhooks.
      - Only a GitHub or Bitbucket project (V(gh/...), V(bb/...)) can be created from its slug. A missing standalone
        project (V(circleci/...)) fails naming O(projects[].slug); create it with
        M(community.circleci.circleci_project) by organization and name.
      - In check mode, a project that would be created is reported (RV(projects[].planned)) and nothing else of it is
        read or planned, since it does not exist yet; a context restriction naming it is planned as added.
      - V(false) leaves projects alone; a missing one fails the kinds that need it.
    type: bool
    default: false
  purge_variables:
    description: Default of O(contexts[].purge_variables) and O(projects[].purge_variables).
    type: bool
    default: false
  purge_contexts:
    description: Delete the contexts of the organization that O(contexts) does not name.
    type: bool
    default: false
  purge_webhooks:
    description: Delete the webhooks of each listed project that its O(projects[].webhooks) does not name.
    type: bool
    default: false
  purge_schedules:
    description: Delete the schedules of each listed project that its O(projects[].schedules) does not name.
    type: bool
    default: false
  update_mode:
    description:
      - How write-only secrets (variable values, webhook signing secrets) of existing objects are treated.
      - V(on_create) writes them only when the variable or webhook is created.
      - V(always) writes them on every run (and so always reports a change).
    type: str
    choices: [always, on_create]
    default: on_create
  concurrency:
    description:
      - How many objects (contexts, projects) are handled at the same time, their reads and writes alike. All of them
        share one connection pool, and each request is retried on its own after HTTP 429 or a lost connection, as
        O(retries) and O(rate_limit_timeout) say.
      - V(1) handles them one after the other. From V(1) to V(16).
    type: int
    default: 10
notes:
  - Variable values and signing secrets are marked C(no_log); they are sent to the API only and never returned.
seealso:
  - module: community.circleci.circleci_project
  - module: community.circleci.circleci_context
  - module: community.circleci.circleci_context_env
  - module: community.circleci.circleci_project_env
  - module: community.circleci.circleci_webhook
  - module: community.circleci.circleci_schedule
  - module: community.circleci.circleci_project_settings
"""

EXAMPLES = r"""
- name: Converge the contexts and projects of gh/acme
  community.circleci.circleci_org_config:
    api_token: "{{ circleci_token }}"
    org_slug: gh/acme
    create_projects: true  # a missing gh/acme/api is created first
    contexts:
      - name: deploy
        restrictions:
          - type: project
            value: gh/acme/api
        variables:
          AWS_REGION: eu-west-1
          AWS_SECRET_ACCESS_KEY: "{{ vault_aws_secret }}"
    projects:
      - slug: gh/acme/api
        variables:
          NPM_TOKEN: "{{ vault_npm_token }}"
        webhooks:
          - name: notify
            url: https://hooks.example.com/circleci
            events: [workflow-completed]
            signing_secret: "{{ vault_webhook_secret }}"
        schedules:
          - name: nightly
            timetable:
              per_hour: 1
              hours_of_day: [2]
              days_of_week: [MON, TUE, WED, THU, FRI]
            branch: main
        settings:
          autocancel_builds: true
    purge_webhooks: true
  register: org

- name: Names of the projects that changed
  ansible.builtin.debug:
    msg: "{{ org.projects | selectattr('changed') | map(attribute='slug') | list }}"
"""

RETURN = r"""
contexts:
  description: One entry per context, in the order of O(contexts), then the contexts deleted by O(purge_contexts) (sorted).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the context.
      type: str
      sample: deploy
    state:
      description: The state asked for.
      type: str
      sample: present
    purged:
      description: Whether it was deleted because O(contexts) does not name it.
      type: bool
    changed:
      description: Whether the context, its restrictions or its variables changed (would change in check mode).
      type: bool
    context_changed:
      description: Whether the context itself changed (created, deleted, its restrictions), its variables aside.
      type: bool
    variables:
      description: Names of the variables C(added), C(updated) and C(removed). Only when variables were given.
      type: dict
      sample: {added: [AWS_REGION], updated: [], removed: []}
    failed:
      description: True when this context failed (with RV(contexts[].msg)).
      type: bool
      returned: on failure of this object
    msg:
      description: The error of this context.
      type: str
      returned: on failure of this object
projects:
  description: One entry per project, in the order of O(projects).
  returned: always
  type: list
  elements: dict
  contains:
    slug:
      description: Project slug as given.
      type: str
      sample: gh/acme/api
    changed:
      description: Whether anything of the project changed (would change in check mode).
      type: bool
    project:
      description:
        - The project as read or created (C(id), C(slug), C(name), C(organization_slug)); in check mode a project that
          would be created has no C(id).
      type: dict
      returned: when O(create_projects=true)
      sample: {id: 405d8375-3514-403b-8c43-83ae74cfe0e9, slug: gh/acme/api, name: api, organization_slug: gh/acme}
    created:
      description: Whether the project was created (would be, in check mode).
      type: bool
      returned: when O(create_projects=true)
    planned:
      description:
        - True in check mode when the project would be created; nothing else of it was read, and its kinds are not
          in the result.
      type: bool
      returned: when O(create_projects=true)
    variables:
      description: Names of the variables C(added), C(updated) and C(removed). Only when variables were given.
      type: dict
    webhooks:
      description: One entry per webhook (C(name), C(state), C(changed), C(purged)); purged ones last, sorted.
      type: list
      elements: dict
      returned: when webhooks were given or O(purge_webhooks=true)
    schedules:
      description: One entry per schedule (C(name), C(state), C(changed), C(purged)); purged ones last, sorted.
      type: list
      elements: dict
      returned: when schedules were given or O(purge_schedules=true)
    settings:
      description: C(changed) of the advanced settings.
      type: dict
      returned: when settings were given
    failed:
      description: True when this project failed (with RV(projects[].msg)).
      type: bool
      returned: on failure of this object
    msg:
      description: The error of this project.
      type: str
      returned: on failure of this object
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._org_config import ensure_org_config, org_config_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._run import RunFailed


def run(module, client):
    try:
        return ensure_org_config(client, module.params, module.check_mode, diff=module._diff, warn=module.warn)
    except RunFailed as exc:
        module.fail_json(msg=str(exc), **exc.result)


def main():
    run_module(org_config_argument_spec(), run)


if __name__ == '__main__':
    main()
