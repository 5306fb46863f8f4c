# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection options of every module (plugins/module_utils/_options.py holds the argument spec).
    DOCUMENTATION = r"""
options:
  api_token:
    description:
      - CircleCI personal API token, sent in the C(Circle-Token) header.
      - If not set, the value of the E(CIRCLECI_TOKEN) environment variable is used, then that of E(CIRCLE_TOKEN).
      - The token never appears in results, messages or diffs.
    type: str
    required: true
    aliases: [token]
  api_url:
    description:
      - Base URL of CircleCI API v2.
      - Set it for CircleCI server (self-hosted), for example V(https://circleci.example.com/api/v2).
      - If not set, the value of the E(CIRCLECI_API_URL) environment variable is used, then the default.
    type: str
    default: https://circleci.com/api/v2
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
      - Only set to V(false) for a test installation you control.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file) to verify O(api_url) with, for CircleCI server behind a private CA.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer from the API.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 429 (honouring C(Retry-After), at most 60 seconds),
        500, 502, 503, 504 or a lost connection, with exponential backoff between attempts.
      - A request that creates something is only sent again after reading back that it was not created.
        Other POST requests (triggering a pipeline, rerunning a workflow, ...) are only sent again after HTTP 429,
        because after a 5xx or a lost answer they may have been applied; the task then fails saying so.
      - V(0) disables retries.
    type: int
    default: 5
notes:
  - Uses the Python library C(requests) on the host that runs the module, keeping one connection open per task.
requirements:
  - requests
"""

    # Connection options of every lookup plugin: environment variables and variables as sources.
    PLUGINS = r"""
options:
  api_token:
    description:
      - CircleCI personal API token, sent in the C(Circle-Token) header.
      - Read from E(CIRCLECI_TOKEN), then E(CIRCLE_TOKEN), when not set as an option or variable.
    type: str
    aliases: [token]
    env:
      # The last entry that is set wins: CIRCLECI_TOKEN takes precedence over CIRCLE_TOKEN.
      - name: CIRCLE_TOKEN
      - name: CIRCLECI_TOKEN
    vars:
      - name: circleci_api_token
  api_url:
    description:
      - Base URL of CircleCI API v2. Set it for CircleCI server (self-hosted).
    type: str
    default: https://circleci.com/api/v2
    env:
      - name: CIRCLECI_API_URL
    vars:
      - name: circleci_api_url
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
    type: bool
    default: true
    vars:
      - name: circleci_validate_certs
  ca_path:
    description:
      - A CA bundle (PEM file) to verify O(api_url) with, for CircleCI server behind a private CA.
    type: path
    vars:
      - name: circleci_ca_path
  timeout:
    description:
      - Seconds to wait for each answer from the API.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 429 (honouring C(Retry-After), at most 60 seconds),
        500, 502, 503, 504 or a lost connection.
    type: int
    default: 5
    vars:
      - name: circleci_retries
requirements:
  - requests
"""
