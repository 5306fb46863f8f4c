# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every place that states the oldest supported ansible-core says the same version."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..')


def read(path):
    with open(os.path.join(ROOT, path)) as handle:
        return handle.read()


def test_the_oldest_ansible_core_is_the_same_everywhere():
    requires = yaml.safe_load(read('meta/runtime.yml'))['requires_ansible']
    assert re.fullmatch(r'>=(\d+\.\d+)\.0', requires), requires
    oldest = requires[2:-2]
    stated = {
        'meta/runtime.yml requires_ansible': oldest,
        'roles/org_config/meta/main.yml min_ansible_version':
            str(yaml.safe_load(read('roles/org_config/meta/main.yml'))['galaxy_info']['min_ansible_version']),
        'meta/execution-environment.yml':
            re.search(r'ansible-core>=(\S+)', yaml.safe_load(read('meta/execution-environment.yml'))
                      ['dependencies']['ansible_core']['package_pip']).group(1),
        'guide_execution_environment.rst': re.search(r'package_pip: ansible-core>=(\S+)',
                                                     read('docs/docsite/rst/guide_execution_environment.rst')).group(1),
        'guide_quickstart.rst': re.search(r'needs ``ansible-core`` (\S+) or later',
                                          read('docs/docsite/rst/guide_quickstart.rst')).group(1),
    }
    assert stated == dict.fromkeys(stated, oldest)
