"""Project settings: /project/{provider}/{organization}/{project}/settings.

Every setting of the spec's ``project_settings.advanced`` schema has a default
(``store.DEFAULT_PROJECT_SETTINGS``, state the dump shows too). PATCH merges
into the stored settings and answers them all. A PATCH containing ``oss``
fails whole (400, nothing applied). ``pr_only_branch_overrides`` is stored as
a set: answered without duplicates, in an order of its own (by the MD5 of each
branch name), never the order sent.
"""

from __future__ import annotations

import copy
import hashlib

from ..errors import bad_request
from ..store import DEFAULT_PROJECT_SETTINGS
from .projects import find_project
from .routing import Routes

routes = Routes()

MAX_BRANCHES = 100


def branch_order(branches) -> list:
    return sorted(set(branches), key=lambda b: hashlib.md5(b.encode()).hexdigest())


def settings_project(call, provider, organization, project):
    return find_project(call, f"{provider}/{organization}/{project}")


@routes.get("/project/{provider}/{organization}/{project}/settings")
def get_settings(call, provider, organization, project):
    proj = settings_project(call, provider, organization, project)
    return {"advanced": call.store.project_settings_of(proj)}


@routes.patch("/project/{provider}/{organization}/{project}/settings")
def patch_settings(call, provider, organization, project):
    proj = settings_project(call, provider, organization, project)
    body = call.body
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON body.")
    if not body:
        raise bad_request("No JSON fields found.")
    for key in body:
        if key != "advanced":
            raise bad_request(f"Unexpected JSON field '{key}'")
    advanced = body["advanced"]
    if not isinstance(advanced, dict):
        raise bad_request("Field 'advanced' must be an object.")
    changes = {}
    for key, value in advanced.items():
        if key not in DEFAULT_PROJECT_SETTINGS:
            raise bad_request(f"Unknown advanced setting '{key}'.")
        if key == "oss":
            raise bad_request("Feature flag 'oss' is not settable for this project.")
        if key == "pr_only_branch_overrides":
            if not isinstance(value, list) or any(not isinstance(b, str) for b in value):
                raise bad_request("Setting 'pr_only_branch_overrides' must be a list of strings.")
            if len(value) > MAX_BRANCHES:
                raise bad_request("Field 'pr_only_branch_overrides' only supports up to 100 branches.")
            value = branch_order(value)
        elif not isinstance(value, bool):
            raise bad_request(f"Setting '{key}' must be boolean.")
        changes[key] = value
    settings = call.store.project_settings_of(proj)
    settings.update(changes)
    call.store.project_settings[proj.id] = settings
    return {"advanced": copy.deepcopy(settings)}
