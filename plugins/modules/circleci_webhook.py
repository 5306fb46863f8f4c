#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_webhook
short_description: Manage outbound webhooks of a CircleCI project
version_added: 0.1.0
description:
  - Create, update and delete the outbound webhooks of a CircleCI project.
  - A webhook is identified by its O(name) within the project.
  - The signing secret cannot be read back (the API answers V(****)), so it cannot be compared;
    O(update_mode) decides whether it is rewritten on every run.
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
      - The signing secret is never shown; it appears as V(<hidden>), or V(<hidden> (rewritten)) when it is written again.
  idempotent:
    support: partial
    details:
      - With O(update_mode=always) and O(signing_secret) set, every run rewrites the secret and reports a change.
      - With O(update_mode=on_create), a second identical run sends no write request and reports no change.
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG/PROJECT).
      - It is resolved to the project UUID with one request.
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - UUID of the project (the scope of the webhook). Saves the request that resolves O(project_slug).
    type: str
  name:
    description:
      - Name of the webhook. It identifies the webhook within the project.
      - If several webhooks of the project have this name, O(state=present) fails and O(state=absent) deletes them all.
    type: str
    required: true
  url:
    description:
      - URL the webhook is delivered to. Only C(https://) URLs are accepted.
      - Required to create the webhook. When not set, the URL of an existing webhook is kept.
    type: str
  events:
    description:
      - Events that trigger the webhook.
      - Compared as a set, so order and duplicates do not matter.
      - Required to create the webhook. When not set, the events of an existing webhook are kept.
    type: list
    elements: str
    choices: [workflow-completed, job-completed]
  verify_tls:
    description:
      - Whether CircleCI verifies the TLS certificate of O(url) when delivering.
      - When not set, V(true) for a new webhook, and the current value for an existing one.
    type: bool
  signing_secret:
    description:
      - Secret CircleCI uses to sign each delivery (HMAC in the C(circleci-signature) header).
      - Required to create the webhook, and whenever an existing webhook must be updated.
        The update replaces the whole webhook and the stored secret cannot be read back, so the module
        always sends the secret again with an update; without O(signing_secret) it fails instead of
        sending an update that would erase the stored secret.
      - Never returned, logged or shown in a diff.
    type: str
  update_mode:
    description:
      - When the signing secret is written to an existing webhook.
      - V(always) writes O(signing_secret) on every run (when it is set) and so reports a change every time.
      - V(on_create) writes it when the webhook is created, and with an update of O(url), O(events) or
        O(verify_tls) (which must carry the secret); otherwise a webhook whose other fields match is left alone.
    type: str
    choices: [always, on_create]
    default: always
  state:
    description:
      - V(present) creates or updates the webhook, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The write keys are the API's hyphenated C(verify-tls) and C(signing-secret); the service silently drops
    unknown keys. Read answers with hyphenated or snake_case keys are both understood.
seealso:
  - module: community.circleci.circleci_webhook_info
  - name: CircleCI webhooks
    description: Outbound webhooks, their payloads and signatures.
    link: https://circleci.com/docs/webhooks/
"""

EXAMPLES = r"""
- name: Manage CircleCI webhooks
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A webhook for finished workflows, secret written only when created
      community.circleci.circleci_webhook:
        project_slug: gh/acme/api
        name: deploy-notifier
        url: https://hooks.example.com/circleci
        events: [workflow-completed]
        signing_secret: "{{ webhook_secret }}"
        update_mode: on_create

    - name: Rotate the secret (rewritten on every run with update_mode=always)
      community.circleci.circleci_webhook:
        project_slug: gh/acme/api
        name: deploy-notifier
        signing_secret: "{{ new_webhook_secret }}"

    - name: Also deliver job events, by project UUID
      community.circleci.circleci_webhook:
        project_id: 405d8375-3514-403b-8c43-83ae74cfe0e9
        name: deploy-notifier
        url: https://hooks.example.com/circleci
        events: [workflow-completed, job-completed]
        verify_tls: true
        signing_secret: "{{ webhook_secret }}"
        update_mode: on_create

    - name: Delete a webhook
      community.circleci.circleci_webhook:
        project_slug: gh/acme/api
        name: old-notifier
        state: absent
"""

RETURN = r"""
webhook:
  description:
    - The webhook after the run, without its signing secret. Empty when O(state=absent).
    - Keys are snake_case whatever the API answered.
    - In check mode, a webhook that would be created has no RV(webhook.id).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the webhook.
      type: str
      returned: when the webhook exists
      sample: 1d4b4a4e-4a8c-4b2b-9d0e-6a1f5b2f8c11
    name:
      description: Name of the webhook.
      type: str
      returned: success
      sample: deploy-notifier
    url:
      description: Delivery URL.
      type: str
      returned: success
      sample: https://hooks.example.com/circleci
    events:
      description: Events that trigger the webhook, sorted.
      type: list
      elements: str
      returned: success
      sample: [job-completed, workflow-completed]
    verify_tls:
      description: Whether the TLS certificate of the URL is verified.
      type: bool
      returned: success
      sample: true
    scope:
      description: The scope of the webhook.
      type: dict
      returned: success
      contains:
        id:
          description: UUID of the project.
          type: str
          returned: success
        type:
          description: Always V(project).
          type: str
          returned: success
    created_at:
      description: When the webhook was created.
      type: str
      returned: when the webhook exists
      sample: "2025-01-10T12:00:00.000Z"
    updated_at:
      description: When the webhook was last written.
      type: str
      returned: when the webhook exists
      sample: "2025-01-11T12:00:00.000Z"
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import PROJECT_REF_RULES, Resolver, project_ref_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._secrets import UPDATE_MODES
from ansible_collections.community.circleci.plugins.module_utils._webhooks import EVENTS, WebhookSpec, ensure_webhook


def run(module, client):
    spec = WebhookSpec(module.params)
    return ensure_webhook(client, Resolver(client), spec, module.check_mode)


def main():
    argument_spec = project_ref_argument_spec()
    argument_spec.update(
        name=dict(type='str', required=True),
        url=dict(type='str'),
        events=dict(type='list', elements='str', choices=list(EVENTS)),
        verify_tls=dict(type='bool'),
        signing_secret=dict(type='str', no_log=True),
        update_mode=dict(type='str', choices=list(UPDATE_MODES), default='always'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    run_module(argument_spec, run, **PROJECT_REF_RULES)


if __name__ == '__main__':
    main()
