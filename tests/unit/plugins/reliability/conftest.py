# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import TOKEN, load


@pytest.fixture
def run_real(capsys, monkeypatch, sleeps):
    """run_real(module or module name, args, api_url, secrets=()) -> the module's result.

    Like the run_module fixture, but with the API URL given per run (no scripted server is
    started for nothing). None in args = option not given; a callable value is called with
    api_url. Fails if the token or one of `secrets` appears in the module's output.
    """
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def run(module, args, api_url, secrets=()):
        module = load(module) if isinstance(module, str) else module
        module_args = dict(api_token=TOKEN, api_url=api_url)
        module_args.update((key, value(api_url) if callable(value) else value) for key, value in args.items())
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        capsys.readouterr()
        with patch_module_args(module_args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        assert (exit_info.value.code != 0) == bool(result.get('failed')), result
        for secret in (TOKEN,) + tuple(secrets):
            assert secret not in out, out
        return result

    return run
