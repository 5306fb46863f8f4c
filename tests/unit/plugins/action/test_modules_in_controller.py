# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every test of tests/unit/plugins/modules/, run again with the module run in the controller.

The collection's action plugins run a module's own code in the controller when the task would run it
on the controller anyway (plugins/plugin_utils/_action.py). The module tests pin each module's exact
conversation with a scripted API, its results, its check and diff mode and its errors; running all of
them again here, through run_in_controller (the `execution` fixture of this folder), shows that both
ways give the same results and send the same requests. The tests are collected from the module test
files under the name test_<file>__<test>.
"""

from __future__ import annotations

import importlib
import pkgutil

from ansible_collections.community.circleci.tests.unit.plugins import modules as module_tests


def _collect():
    found = {}
    for info in pkgutil.iter_modules(module_tests.__path__):
        if not info.name.startswith('test_'):
            continue
        tests = importlib.import_module('%s.%s' % (module_tests.__name__, info.name))
        for name, value in vars(tests).items():
            if name.startswith('test_') and callable(value):
                found['test_%s__%s' % (info.name[len('test_'):], name[len('test_'):])] = value
    return found


COLLECTED = _collect()
globals().update(COLLECTED)


def test_every_module_test_is_collected():
    assert len(COLLECTED) > 200, sorted(COLLECTED)
