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
        One of the three is required; without any the task fails naming them, before any request.
      - A token with white space or a control character (such as the trailing newline of a token read from a file)
        is refused before any request, with a message that does not show it.
      - The token never appears in results, messages or diffs.
    type: str
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
      - How many times a request is retried after HTTP 500, 502, 503, 504 or a lost connection, with exponential
        backoff between attempts (or the wait the answer's C(Retry-After) asks, at most 30 seconds).
        Rate limits (HTTP 429) do not count here, see O(rate_limit_timeout).
      - A request that creates something is only sent again after reading back that it was not created.
        Other POST requests (triggering a pipeline, rerunning a workflow, ...) are not sent again after a 5xx or a
        lost answer, because they may have been applied; the task then fails saying so.
      - V(0) disables these retries.
    type: int
    default: 5
  rate_limit_timeout:
    description:
      - The most seconds one request waits in all while CircleCI answers HTTP 429 (rate limited).
      - Each wait lasts as long as the answer's C(Retry-After) asks (exponential backoff when it has none), and the
        request is sent again, however many times that takes within this budget. A C(Retry-After) longer than what is
        left of the budget fails the task at once, saying how long it waited and how long the API asked to wait.
      - V(0) fails at the first HTTP 429.
    type: int
    default: 300
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
      - C(module_defaults) does not reach lookups. Give the token with the variable C(circleci_api_token)
        (for example in group_vars, from a vault), the option (C(lookup('community.circleci.circleci_api', path,
        api_token=...))), or the environment.
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
      - How many times a request is retried after HTTP 500, 502, 503, 504 or a lost connection.
        Rate limits (HTTP 429) do not count here, see O(rate_limit_timeout).
    type: int
    default: 5
    vars:
      - name: circleci_retries
  rate_limit_timeout:
    description:
      - The most seconds one request waits in all while CircleCI answers HTTP 429 (rate limited), each wait as long
        as the answer's C(Retry-After) asks. V(0) fails at the first HTTP 429.
    type: int
    default: 300
    vars:
      - name: circleci_rate_limit_timeout
requirements:
  - requests
"""
