# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's version, sent in the User-Agent header (keep in step with galaxy.yml)."""

from __future__ import annotations

COLLECTION_VERSION = '0.1.0'
