# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared by the reliability suites: the test token and module loading by name."""

from __future__ import annotations

import importlib
import pkgutil

MODULES_PACKAGE = 'ansible_collections.community.circleci.plugins.modules'
TOKEN = 'tok-reliability-3c1f9e0a'


def load(name):
    return importlib.import_module('%s.%s' % (MODULES_PACKAGE, name))


def collection_modules():
    """The names of the modules in plugins/modules/."""
    package = importlib.import_module(MODULES_PACKAGE)
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith('_'))
