# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.tests.unit.plugins.conftest import execute
from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import TOKEN, load


@pytest.fixture(params=('module', 'controller'))
def execution(request):
    """Every reliability case runs both ways a task runs a module: as its own process, and in the
    controller (the collection's action plugin); see tests/unit/plugins/conftest.py execute()."""
    return request.param


@pytest.fixture
def run_real(capsys, monkeypatch, sleeps, execution):
    """run_real(module or module name, args, api_url, secrets=()) -> the module's result.

    Like the run_module fixture, but with the API URL given per run (no scripted server is
    started for nothing). None in args = option not given; a callable value is called with
    api_url. Fails if the token or one of `secrets` appears in the module's output.
    """
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL', 'CIRCLECI_RUNNER_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def run(module, args, api_url, secrets=()):
        module = load(module) if isinstance(module, str) else module
        module_args = dict(api_token=TOKEN, api_url=api_url)
        module_args.update((key, value(api_url) if callable(value) else value) for key, value in args.items())
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        result, out = execute(execution, module, module_args, capsys)
        for secret in (TOKEN,) + tuple(secrets):
            assert secret not in out, out
        return result

    return run
