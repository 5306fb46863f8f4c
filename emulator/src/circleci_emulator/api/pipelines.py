"""Pipelines endpoints (being built: issue #5)."""

from __future__ import annotations

from . import Routes

routes = Routes()
