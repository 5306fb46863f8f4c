# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad input is refused before anything is sent.

Every row of bad_inputs.py runs the real module against a scripted API with an empty
conversation: the module must fail, name the option, show no traceback, and the server must
see no request and not even a TCP connection. One server serves all rows (starting one per row
would cost more than the rows); it is checked around every row, and verified when the file ends.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import ScriptedServer
from ansible_collections.community.circleci.tests.unit.plugins.reliability._modules import collection_modules
from ansible_collections.community.circleci.tests.unit.plugins.reliability._report import record
from ansible_collections.community.circleci.tests.unit.plugins.reliability.bad_inputs import MODULES, SECRET, rows


@pytest.fixture(scope='module')
def silent_api():
    """A scripted API that expects nothing: any request is an error of the conversation."""
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()
    server.verify()


def test_every_module_has_bad_inputs():
    modules = collection_modules()
    assert modules, 'no module found in plugins/modules'
    missing = [name for name in modules if name not in MODULES]
    assert not missing, 'modules without rows in bad_inputs.py: %s' % ', '.join(missing)
    unknown = [name for name in MODULES if name not in modules]
    assert not unknown, 'rows for modules that do not exist: %s' % ', '.join(unknown)
    thin = [name for name in modules if len(MODULES[name]['cases']) < 3]
    assert not thin, 'modules with fewer than 3 invalid inputs of their own: %s' % ', '.join(thin)


@pytest.mark.parametrize('module_name', sorted(MODULES))
def test_base_options_pass_validation(module_name, run_real):
    """The rows only differ from `base` by the bad input: with `base` alone the module gets as far
    as sending a request (answered 418 here, so it fails with that status)."""
    server = ScriptedServer().start()
    try:
        result = run_real(module_name, MODULES[module_name]['base'], server.url, secrets=(SECRET,))
    finally:
        server.stop()
    assert server.requests, 'the base options of %s sent no request: %r' % (module_name, result)
    assert result.get('failed') and result.get('status') == 418, result


@pytest.mark.parametrize('module_name, case_id, option, args',
                         [pytest.param(*row, id='%s-%s' % row[:2]) for row in rows()])
def test_bad_input_is_refused_before_any_request(module_name, case_id, option, args, silent_api, run_real, execution):
    before = (len(silent_api.requests), silent_api.connections)
    result = run_real(module_name, args, silent_api.url, secrets=(SECRET,))
    assert (len(silent_api.requests), silent_api.connections) == before, 'requests sent: %r' % (silent_api.log[before[0]:],)
    assert result.get('failed') is True, result
    assert option in result['msg'], 'the message does not name %s: %s' % (option, result['msg'])
    assert 'exception' not in result and 'Traceback' not in json.dumps(result), result
    record('bad_input', module=module_name, case=case_id, option=option, execution=execution)
