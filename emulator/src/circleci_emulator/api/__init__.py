"""The API handlers: one module per resource area, each with its own ``Routes``.

A new area is a module here (``routes = Routes()`` from ``.routing``, handlers
under the spec's path templates) added to ``AREAS`` below; see ``routing`` for
the handler contract and docs/dev/EMULATOR.md for the floors. Handler modules
import ``Routes``/``Call`` from ``.routing``, never from this package, which
imports them all.
"""

from __future__ import annotations

from typing import Callable

from . import checkout_keys, contexts, groups, insights, oidc, organizations, pipeline_definitions, pipelines, policy
from . import project_envvars, project_settings, projects, schedules, usage, users, webhooks
from . import deploy
from .routing import Call, Routes

AREAS = (users, organizations, projects, groups, contexts, oidc, policy,
         project_envvars, checkout_keys, webhooks, schedules, project_settings,
         pipeline_definitions, pipelines, insights, usage, deploy)


def all_routes() -> dict[tuple[str, str], Callable]:
    table: dict[tuple[str, str], Callable] = {}
    for module in AREAS:
        overlap = set(table) & set(module.routes.table)
        if overlap:
            raise ValueError(f"routes registered twice: {sorted(overlap)}")
        table.update(module.routes.table)
    return table


__all__ = ["AREAS", "Call", "Routes", "all_routes"]
