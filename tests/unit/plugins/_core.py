# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the unit tests use of ansible-core that ansible-core 2.16 to 2.21 do not all have.

- patch_module_args: ansible.module_utils.testing (2.19+); before, AnsibleModule reads its
  arguments from ansible.module_utils.basic._ANSIBLE_ARGS, which is what it patches too.
- trust_as_template: ansible.template (2.19+, where only trusted templates render); before,
  every string template renders, so a value needs no marking.
"""

from __future__ import annotations

import contextlib
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

__all__ = ('patch_module_args', 'trust_as_template')

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19
    def trust_as_template(value):
        return value
