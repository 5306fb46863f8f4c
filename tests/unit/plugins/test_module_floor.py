# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Modules stay thin: a module file holds its documentation, its argument spec and a call into
module_utils (docs/dev/MODULES.md). Its lines outside DOCUMENTATION, EXAMPLES and RETURN stay
under MAX_LOGIC_LINES."""

from __future__ import annotations

import ast
import os

import pytest

MAX_LOGIC_LINES = 80
MODULES_DIR = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins', 'modules')
DOC_STRINGS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')


def logic_lines(path):
    """The lines of a module file outside its documentation strings."""
    with open(path) as handle:
        source = handle.read()
    docs = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) in DOC_STRINGS for target in node.targets):
            docs.update(range(node.lineno, node.end_lineno + 1))
    return len(source.splitlines()) - len(docs)


MODULES = sorted(name for name in os.listdir(MODULES_DIR) if name.endswith('.py') and not name.startswith('_'))


def test_modules_are_found():
    assert len(MODULES) >= 26


@pytest.mark.parametrize('name', MODULES)
def test_module_logic_is_under_the_floor(name):
    assert logic_lines(os.path.join(MODULES_DIR, name)) < MAX_LOGIC_LINES, (
        '%s: move its logic into module_utils (see docs/dev/MODULES.md)' % name)
