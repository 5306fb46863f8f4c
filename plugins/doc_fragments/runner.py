# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The runner API's base URL, for the runner modules (plugins/module_utils/_runner.py holds the
    # argument spec). Use together with community.circleci.connection.
    DOCUMENTATION = r"""
options:
  runner_api_url:
    description:
      - Base URL of the CircleCI self-hosted runner API, a service of its own beside API v2 that takes the same
        token (O(api_token)). O(api_url) is not used by this module.
      - Set it for CircleCI server (self-hosted), whose runner API is on its own host, for example
        V(https://runner.circleci.example.com/api/v3).
      - If not set, the value of the E(CIRCLECI_RUNNER_API_URL) environment variable is used, then the default.
      - To set it in C(module_defaults), use the group C(group/community.circleci.circleci_runner) (the runner modules
        only), since the other modules of the collection do not accept this option.
    type: str
    default: https://runner.circleci.com/api/v3
"""

    # The connection options of the runner inventory plugin: the token, the runner API's base URL
    # and the HTTP settings, with the same environment fallbacks as the modules.
    INVENTORY = r"""
options:
  api_token:
    description:
      - CircleCI personal API token, sent in the C(Circle-Token) header.
      - Read from E(CIRCLECI_TOKEN), then E(CIRCLE_TOKEN), when not set in the inventory source.
        Keep it out of the source file (set the environment, or use a vaulted value).
    type: str
    aliases: [token]
    env:
      # The last entry that is set wins: CIRCLECI_TOKEN takes precedence over CIRCLE_TOKEN.
      - name: CIRCLE_TOKEN
      - name: CIRCLECI_TOKEN
  runner_api_url:
    description:
      - Base URL of the CircleCI self-hosted runner API. Set it for CircleCI server (self-hosted), for example
        V(https://runner.circleci.example.com/api/v3).
    type: str
    default: https://runner.circleci.com/api/v3
    env:
      - name: CIRCLECI_RUNNER_API_URL
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(runner_api_url).
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file) to verify O(runner_api_url) with, for CircleCI server behind a private CA.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer from the API.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 500, 502, 503, 504 or a lost connection.
        Rate limits (HTTP 429) do not count here, see O(rate_limit_timeout).
    type: int
    default: 5
  rate_limit_timeout:
    description:
      - The most seconds one request waits in all while the API answers HTTP 429 (rate limited), each wait as long
        as the answer's C(Retry-After) asks. V(0) fails at the first HTTP 429.
    type: int
    default: 300
requirements:
  - requests
"""
