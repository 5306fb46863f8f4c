# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the module circleci_project in the controller process when the task would run it there anyway
(connection local); otherwise as a module process. See plugins/plugin_utils/_action.py."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.plugin_utils._action import CircleCIModuleAction


class ActionModule(CircleCIModuleAction):
    pass
