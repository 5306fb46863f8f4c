# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write-only secrets: environment variable values, webhook signing secrets; and secrets a result holds.

The API never returns a stored secret, so a run cannot tell whether it equals the one given.
`update_mode` decides: `always` writes the given secret on every run (and reports a change),
`on_create` writes it only when the object is created. Results and diffs never hold a secret's
value, only HIDDEN, or REWRITTEN where this run writes it again.
"""

from __future__ import annotations

UPDATE_MODES = ('always', 'on_create')
HIDDEN = '<hidden>'
REWRITTEN = '<hidden> (rewritten)'


def rewrites(secret, update_mode):
    """Whether a run writes `secret` (None = not given) to an object that exists already."""
    return secret is not None and update_mode == 'always'


def marker(rewritten):
    """How a secret shows in a diff: REWRITTEN when this run writes it again, else HIDDEN."""
    return REWRITTEN if rewritten else HIDDEN
