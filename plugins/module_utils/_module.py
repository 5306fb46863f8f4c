# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module entry point: the one place where errors become fail_json."""

from __future__ import annotations

import contextvars

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.community.circleci.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CircleCIError,
)
from ansible_collections.community.circleci.plugins.module_utils._options import (
    ConnectionOptions,
    merge_argument_spec,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

# Set by the collection's action plugin (plugin_utils/_action.py) while a module runs inside the
# controller process: a callable that takes AnsibleModule's arguments and returns an object with the
# part of AnsibleModule that run_module and the modules use (params, check_mode, _diff, warn,
# fail_json, exit_json). Unset (the module runs as its own process): AnsibleModule.
MODULE_FACTORY = contextvars.ContextVar('community_circleci_module_factory', default=None)

# The AnsibleModule keyword arguments a module may pass to run_module (besides argument_spec and
# supports_check_mode): those both ways of running a module implement. Any other is refused by
# run_module, as a module process and in the controller alike, before anything runs.
MODULE_KWARGS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


def run_module(argument_spec, run, supports_check_mode=True, connection=ConnectionOptions.from_module, **module_kwargs):
    """Build the AnsibleModule (shared connection options + `argument_spec`), build the client,
    call `run(module, client)` and exit with the dict it returns. `connection(module)` gives the
    ConnectionOptions the client is built from (the runner modules pass _runner.runner_connection).

    `run` validates its input before sending anything and raises ValidationError or
    CircleCIError; each becomes a single fail_json here.
    """
    unknown = sorted(set(module_kwargs) - set(MODULE_KWARGS))
    if unknown:
        raise TypeError('run_module() got AnsibleModule arguments it does not support: %s (supported: %s)'
                        % (', '.join(unknown), ', '.join(MODULE_KWARGS)))
    factory = MODULE_FACTORY.get() or AnsibleModule
    module = factory(argument_spec=merge_argument_spec(argument_spec),
                     supports_check_mode=supports_check_mode, **module_kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    try:
        with connection(module).client() as client:
            client.hide(getattr(module, 'no_log_values', ()))
            result = run(module, client)
    except ValidationError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
    except CircleCIError as exc:
        # Errors of bulk writes add per-item details (names only). The API path is `api_path`:
        # AnsibleModule reads a result's `path` as a file on the module's host (add_path_info).
        module.fail_json(msg=str(exc), status=exc.status, method=exc.method, api_path=exc.path,
                         **getattr(exc, 'details', {}))
    else:
        module.exit_json(**result)
