# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugin of every module of the collection: runs the module in the controller process
when the task would run it there anyway (connection local), otherwise as a module process. See
plugins/plugin_utils/_action.py.

meta/runtime.yml routes each module here (`plugin_routing: modules: NAME: action_plugin:
community.circleci.circleci_context`), so a new module needs one line there and no file here.
The file carries the name of one module only because ansible-test's action-plugin-docs sanity
test wants every action plugin to have a module of the same name for its documentation.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.plugin_utils._action import CircleCIModuleAction


class ActionModule(CircleCIModuleAction):
    pass
