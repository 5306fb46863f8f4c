# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import ScriptedServer

TOKEN = 'tok-3c1f9e0a-secret'


@pytest.fixture
def api():
    """A scripted CircleCI API; the conversation is verified when the test ends."""
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()
    server.verify()


@pytest.fixture
def sleeps(monkeypatch):
    """Record retry delays instead of waiting (clients built during the test pick this up)."""
    delays = []
    monkeypatch.setattr('time.sleep', delays.append)
    return delays


@pytest.fixture
def run_module(api, capsys, monkeypatch, sleeps):
    """run_module(module, args, check_mode=False, diff=False) -> the module's result dict.

    Connection options point at the scripted server with the test token unless given (None
    leaves an option out); CircleCI environment variables of the machine running the tests are ignored.
    """
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def run(module, args, check_mode=False, diff=False):
        module_args = dict(api_token=TOKEN, api_url=api.url)
        module_args.update(args)
        # None = not given (so that environment fallbacks apply to it)
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        if check_mode:
            module_args['_ansible_check_mode'] = True
        if diff:
            module_args['_ansible_diff'] = True
        capsys.readouterr()
        with patch_module_args(module_args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        result = json.loads(capsys.readouterr().out)
        assert (exit_info.value.code != 0) == bool(result.get('failed')), result
        assert TOKEN not in json.dumps(result)
        return result

    return run
