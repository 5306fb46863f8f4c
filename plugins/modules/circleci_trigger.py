#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_trigger
short_description: Manage triggers of a CircleCI pipeline definition
version_added: 0.1.0
description:
  - Create, update and delete the triggers of a pipeline definition
    (see M(community.circleci.circleci_pipeline_definition)). A trigger starts pipelines of its definition on
    events of a GitHub repository (O(provider=github_app) or V(github_oauth)) or when a custom webhook is called
    (O(provider=webhook)).
  - 'A trigger has no name. The module finds it by a natural key: a webhook trigger by its O(event_name), a
    repository trigger by its repository (O(repo_external_id)) and O(event_preset); or any trigger by
    O(trigger_id). Changing a key option therefore means another trigger: the old one stays until it is removed
    with O(state=absent). To change the key of an existing trigger, name it by O(trigger_id).'
  - Only the options that are set are compared; an update sends one PATCH with only the fields that differ.
  - The API cannot change a trigger's provider or repository. A change of one (possible with O(trigger_id)) fails,
    naming the option, unless O(recreate=true) deletes the trigger and creates it again.
  - The URL of a webhook trigger embeds a secret. It is returned only in RV(webhook_url), and a result that holds
    it is shown censored, as with C(no_log), at every verbosity (the registered variable keeps it); it is never
    part of RV(trigger), the diff or a message.
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
      - A result that holds RV(webhook_url) is shown censored, its diff included; the registered result keeps it.
  idempotent:
    support: full
options:
  project_slug:
    description:
      - Slug of the project, for example V(circleci/ORG_ID/PROJECT_ID) or V(gh/acme/api). It is resolved to
        the project's id with one request.
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - UUID of the project. Saves the request that resolves O(project_slug).
    type: str
  pipeline_definition:
    description:
      - Name of the pipeline definition the trigger belongs to.
      - Exactly one of O(pipeline_definition) and O(pipeline_definition_id) is required.
    type: str
  pipeline_definition_id:
    description:
      - UUID of the pipeline definition the trigger belongs to.
    type: str
  trigger_id:
    description:
      - UUID of the trigger. Names the trigger instead of its natural key, so that the key options can change.
      - The module cannot create a trigger with a given id; with O(state=present) the trigger must exist.
    type: str
  provider:
    description:
      - Where the events come from. V(github_app) and V(github_oauth) listen to a repository; V(webhook) is a
        custom webhook, called at the URL the API gives (RV(webhook_url)).
      - Required unless O(trigger_id) is given. The API cannot change it (see O(recreate)).
    type: str
    choices: [github_app, github_oauth, webhook]
  repo_external_id:
    description:
      - The repository whose events start pipelines (GitHub's numeric repository id, as a string).
        Only for V(github_app) and V(github_oauth).
      - Default the checkout repository of the pipeline definition.
      - With O(event_preset), it identifies the trigger. The API cannot change it (see O(recreate)).
    type: str
  event_preset:
    description:
      - Which events of the repository start a pipeline. Only for V(github_app) and V(github_oauth), for which it
        is required unless O(trigger_id) is given; with the repository it identifies the trigger.
    type: str
    choices:
      - all-pushes
      - only-tags
      - default-branch-pushes
      - only-build-prs
      - only-open-prs
      - only-labeled-prs
      - only-merged-prs
      - only-ready-for-review-prs
      - only-branch-delete
      - only-build-pushes-to-non-draft-prs
      - only-merged-or-closed-prs
  event_name:
    description:
      - Name of the event of a webhook trigger. Only for V(webhook), for which it is required unless O(trigger_id)
        is given; it identifies the trigger.
    type: str
  webhook_sender:
    description:
      - Who calls the webhook (a label, for example V(datadog)). Only for V(webhook).
    type: str
  checkout_ref:
    description:
      - The branch or tag the pipelines check out.
      - Required for a webhook trigger (checked before any request).
      - For a repository trigger, required when its repository differs from the definition's checkout repository,
        and refused when it is the same (the event gives the ref); checked once the definition is read, before any
        write.
    type: str
  config_ref:
    description:
      - The branch or tag the pipelines read their configuration from.
      - Required for a webhook trigger (checked before any request).
      - For a repository trigger, required when its repository differs from the definition's config repository,
        and refused when it is the same.
    type: str
  disabled:
    description:
      - Whether the trigger is disabled. Only for V(webhook) (the API refuses it for other triggers).
      - When not set, V(false) for a new trigger, and the current value for an existing one.
    type: bool
  recreate:
    description:
      - When the provider or the repository differs from the existing trigger's (only possible with
        O(trigger_id)), delete the trigger and create it again. The new trigger has a new id, and a new webhook URL.
      - When V(false), such a change fails, naming the option.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the trigger, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Several triggers may share a natural key (the API does not prevent it). O(state=present) then fails, naming the
    key option, and O(state=absent) deletes them all. Two runs that create the same trigger at the same time each
    keep the oldest one and delete their own.
  - A result is censored through its action plugin; with C(async) the module runs as its own process and Ansible
    censors the result only when the task sets C(no_log).
seealso:
  - module: community.circleci.circleci_pipeline_definition
  - module: community.circleci.circleci_project_info
  - name: Triggers
    description: CircleCI's overview of pipeline triggers, custom webhooks included.
    link: https://circleci.com/docs/triggers-overview/
"""

EXAMPLES = r"""
- name: Manage triggers
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
    community.circleci.circleci_trigger:
      project_id: b1c2d3e4-0000-4000-8000-000000000002
      pipeline_definition: deploy
  block:
    - name: Run the deploy definition on every push to the definition's repository
      community.circleci.circleci_trigger:
        provider: github_app
        event_preset: all-pushes

    - name: Also on pull requests of another repository (the refs are then required)
      community.circleci.circleci_trigger:
        provider: github_app
        repo_external_id: "987654321"
        event_preset: only-open-prs
        checkout_ref: main
        config_ref: main

    - name: A webhook that deploys main
      community.circleci.circleci_trigger:
        provider: webhook
        event_name: chatops-deploy
        webhook_sender: slack
        checkout_ref: main
        config_ref: main
      register: chatops

    - name: Give the webhook URL to the sender (the result stays censored)
      ansible.builtin.copy:
        content: "{{ chatops.webhook_url }}"
        dest: /etc/chatops/circleci-deploy-url
        mode: "0600"
      no_log: true

    - name: Pause the webhook
      community.circleci.circleci_trigger:
        provider: webhook
        event_name: chatops-deploy
        checkout_ref: main
        config_ref: main
        disabled: true

    - name: Remove the pull request trigger
      community.circleci.circleci_trigger:
        provider: github_app
        repo_external_id: "987654321"
        event_preset: only-open-prs
        state: absent
"""

RETURN = r"""
trigger:
  description:
    - The trigger after the run, as the API returns it without the webhook URL. Empty when O(state=absent).
    - In check mode, a trigger that would be created has no RV(trigger.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the trigger.
      type: str
      returned: when the trigger exists
      sample: 8d2a0c6f-2f4e-4c52-9a3b-0d7e6f1c2b3a
    event_source:
      description:
        - The source of the events, C(provider) and C(repo) (C(external_id), C(full_name)) or C(webhook)
          (C(sender) only).
      type: dict
      returned: success
      sample: {provider: webhook, webhook: {sender: slack}}
    event_preset:
      description: The event preset of a repository trigger.
      type: str
      returned: for repository triggers
      sample: all-pushes
    event_name:
      description: The event name of a webhook trigger (V("") for other triggers).
      type: str
      returned: success
      sample: chatops-deploy
    checkout_ref:
      description: The ref the pipelines check out (V("") when the event gives it).
      type: str
      returned: success
      sample: main
    config_ref:
      description: The ref the pipelines read their configuration from (V("") when the event gives it).
      type: str
      returned: success
      sample: main
    disabled:
      description: Whether the trigger is disabled.
      type: bool
      returned: success
      sample: false
    created_at:
      description: When the trigger was created.
      type: str
      returned: when the trigger exists
      sample: "2025-01-10T12:00:00.000Z"
webhook_url:
  description:
    - B(Secret.) The URL to call to start a pipeline from a webhook trigger; it embeds the trigger's secret.
    - A result that holds it is shown censored, as with C(no_log); use the registered variable, and C(no_log) on
      the tasks that handle it.
  returned: when O(provider=webhook), O(state=present) and the trigger exists (not for a create in check mode)
  type: str
  sample: https://internal.circleci.com/private/soc/e/8d2a0c6f-2f4e-4c52-9a3b-0d7e6f1c2b3a?secret=...
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._triggers import (
    TRIGGER_RULES,
    TriggerSpec,
    ensure_trigger,
    trigger_argument_spec,
)


def run(module, client):
    return ensure_trigger(client, Resolver(client), TriggerSpec(module.params), module.check_mode)


# A result holding the URL is shown censored, as with no_log (plugins/plugin_utils/_action.py).
NO_LOG_RESULT_KEYS = ('webhook_url',)


def main():
    run_module(trigger_argument_spec(), run, **TRIGGER_RULES)


if __name__ == '__main__':
    main()
