# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.plugins.loader import lookup_loader

from ansible_collections.community.circleci.tests.unit.plugins.conftest import TOKEN


@pytest.fixture
def run_lookup(api, monkeypatch, sleeps):
    """run_lookup(name, terms, **options) -> what the lookup returns, through the plugin loader (so that
    its options come from its DOCUMENTATION, as in a playbook). The connection options point at the
    scripted server unless given; CircleCI environment variables of the test machine are ignored."""
    for name in ('CIRCLECI_TOKEN', 'CIRCLE_TOKEN', 'CIRCLECI_API_URL'):
        monkeypatch.delenv(name, raising=False)

    def run(name, terms, variables=None, **options):
        lookup = lookup_loader.get('community.circleci.' + name)
        options.setdefault('api_token', TOKEN)
        options.setdefault('api_url', api.url)
        options = dict((key, value) for key, value in options.items() if value is not None)
        return lookup.run(terms, variables=variables or {}, **options)

    return run
