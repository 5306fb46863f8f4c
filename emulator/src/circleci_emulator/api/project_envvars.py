"""Project environment variables: /project/{project-slug}/envvar.

Values are answered masked (``xxxx`` + the last four characters); the state
dump keeps them in clear. POST creates or overwrites (201); there is no PUT.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..errors import bad_request, not_found
from ..pagination import paginate
from ..store import ProjectEnvVar
from .projects import find_project
from .routing import Call, Routes

routes = Routes()

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NOT_FOUND = "Environment variable not found."


def mask(value: str) -> str:
    """``xxxx`` + the last four characters (the whole value when shorter)."""
    return "xxxx" + value[-4:]


def joda(timestamp: str) -> str:
    """2023-04-14T21:20:14.042Z -> '#joda/inst 2023-04-14T21:20:14+0000' (the spec's example form)."""
    ts = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    return "#joda/inst " + ts.strftime("%Y-%m-%dT%H:%M:%S") + "+0000"


def render(var: ProjectEnvVar) -> dict:
    return {"name": var.name, "value": mask(var.value), "created-at": joda(var.created_at)}


def variables(call: Call, project_slug: str) -> tuple:
    project = find_project(call, project_slug)
    return call.store.project_env_vars.setdefault(project.id, {}), project


@routes.get("/project/{project-slug}/envvar")
def list_env_vars(call, project_slug):
    vars_, project = variables(call, project_slug)
    return paginate(vars_.values(), scope=f"project-env:{project.id}", page_token=call.page_token,
                    page_size=call.page_size, render=render)


@routes.post("/project/{project-slug}/envvar")
def create_env_var(call, project_slug):
    vars_, _project = variables(call, project_slug)
    body = call.json_object()
    name, value = body.get("name"), body.get("value")
    if not isinstance(name, str) or not ENV_NAME.match(name):
        raise bad_request("Environment variable names must start with a letter or underscore "
                          "and contain only letters, digits and underscores.")
    if not isinstance(value, str):
        raise bad_request("value is required.")
    existing = vars_.get(name)
    # An overwrite is a new variable (new created-at) that keeps its place in the list.
    seq = existing.seq if existing is not None else call.store.next_seq()
    var = vars_[name] = ProjectEnvVar(name, value, call.store.now(), seq)
    return 201, render(var)


@routes.get("/project/{project-slug}/envvar/{name}")
def get_env_var(call, project_slug, name):
    vars_, _project = variables(call, project_slug)
    var = vars_.get(name)
    if var is None:
        raise not_found(NOT_FOUND)
    return render(var)


@routes.delete("/project/{project-slug}/envvar/{name}")
def delete_env_var(call, project_slug, name):
    vars_, _project = variables(call, project_slug)
    if vars_.pop(name, None) is None:
        raise not_found(NOT_FOUND)
    return {"message": "Environment variable deleted."}
