"""Contexts, their environment variables and restrictions."""

from __future__ import annotations

import re

from ..errors import ApiError, bad_request, conflict, forbidden, not_found
from ..pagination import paginate
from ..slugs import is_uuid
from ..store import Context, EnvVar, Org, Restriction
from .routing import Call, Routes, by_id

routes = Routes()

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESTRICTION_TYPES = ("project", "expression", "group")
ORG_NOT_FOUND = "Organization does not exist."
DUPLICATE_CONTEXT = "A context already exists with this name"


# ---------------------------------------------------------------- helpers


def find_owner(call: Call, owner_id: str | None, owner_slug: str | None) -> Org:
    org = None
    if owner_id is not None:
        org = by_id(call.store.orgs, owner_id)
    elif owner_slug is not None:
        org = call.store.org_by_slug(owner_slug)
    if org is None:
        raise not_found(ORG_NOT_FOUND)
    if not call.member_of(org):
        raise forbidden()
    return org


def find_context(call: Call, context_id: str) -> Context:
    """The context, or 403 when it is missing or belongs to an org the user is not in."""
    ctx = by_id(call.store.contexts, context_id)
    if ctx is None or not call.member_of(ctx.owner):
        raise forbidden()
    return ctx


def render_context(ctx: Context) -> dict:
    return {"id": ctx.id, "name": ctx.name, "created_at": ctx.created_at}


def render_env_var(ctx: Context, var: EnvVar) -> dict:
    return {"variable": var.name, "context_id": ctx.id, "created_at": var.created_at, "updated_at": var.updated_at}


def render_restriction(r: Restriction, ctx: Context | None = None) -> dict:
    out = {"id": r.id, "restriction_type": r.type, "restriction_value": r.value}
    if ctx is not None:  # the list has context_id, the create answer has not
        out["context_id"] = ctx.id
    if r.project_id is not None:
        out["project_id"] = r.project_id
    if r.name is not None:
        out["name"] = r.name
    return out


# ---------------------------------------------------------------- contexts


@routes.post("/context")
def create_context(call):
    body = call.json_object()
    name, owner = body.get("name"), body.get("owner")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("name is required.")
    if not isinstance(owner, dict) or not (owner.get("id") or owner.get("slug")):
        raise bad_request("owner must have an id or a slug.")
    org = find_owner(call, owner.get("id"), None if owner.get("id") else owner.get("slug"))
    if any(c.owner is org and c.name == name for c in call.store.contexts.values()):
        raise conflict(DUPLICATE_CONTEXT)
    ctx = Context(call.store.new_id(), name, org, owner.get("type") or "organization",
                  call.store.now(), call.store.next_seq())
    call.store.contexts[ctx.id] = ctx
    return render_context(ctx)


@routes.get("/context")
def list_contexts(call):
    owner_id, owner_slug = call.args.get("owner-id"), call.args.get("owner-slug")
    if owner_id is None and owner_slug is None:
        raise bad_request("Either owner-id or owner-slug is required.")
    org = find_owner(call, owner_id, owner_slug)
    contexts = [c for c in call.store.contexts.values() if c.owner is org]
    return paginate(contexts, scope=f"contexts:{org.id}", page_token=call.page_token,
                    page_size=call.page_size, render=render_context)


@routes.get("/context/{context_id}")
def get_context(call, context_id):
    return render_context(find_context(call, context_id))


@routes.delete("/context/{context_id}")
def delete_context(call, context_id):
    ctx = find_context(call, context_id)
    del call.store.contexts[ctx.id]
    return {"message": "Context deleted."}


# ---------------------------------------------------------------- environment variables


@routes.get("/context/{context_id}/environment-variable")
def list_env_vars(call, context_id):
    ctx = find_context(call, context_id)
    return paginate(ctx.variables.values(), scope=f"context-env:{ctx.id}", page_token=call.page_token,
                    page_size=call.page_size, render=lambda var: render_env_var(ctx, var))


@routes.put("/context/{context_id}/environment-variable/{env_var_name}")
def put_env_var(call, context_id, env_var_name):
    ctx = find_context(call, context_id)
    if not ENV_NAME.match(env_var_name):
        raise bad_request("Environment variable names must start with a letter or underscore "
                          "and contain only letters, digits and underscores.")
    value = call.json_object().get("value")
    if not isinstance(value, str):
        raise bad_request("value is required.")
    now = call.store.now()
    var = ctx.variables.get(env_var_name)
    if var is None:
        var = ctx.variables[env_var_name] = EnvVar(env_var_name, value, now, now, call.store.next_seq())
    else:
        var.value, var.updated_at = value, now
    return render_env_var(ctx, var)


@routes.delete("/context/{context_id}/environment-variable/{env_var_name}")
def delete_env_var(call, context_id, env_var_name):
    ctx = find_context(call, context_id)
    if ctx.variables.pop(env_var_name, None) is None:
        raise not_found("Environment variable not found.")
    return {"message": "Environment variable deleted."}


# ---------------------------------------------------------------- restrictions


@routes.get("/context/{context_id}/restrictions")
def list_restrictions(call, context_id):
    ctx = find_context(call, context_id)
    # All at once, and no next_page_token key at all (as the live service).
    return {"items": [render_restriction(r, ctx) for r in ctx.restrictions]}


@routes.post("/context/{context_id}/restrictions")
def create_restriction(call, context_id):
    ctx = find_context(call, context_id)
    body = call.json_object()
    rtype, value = body.get("restriction_type"), body.get("restriction_value")
    if rtype not in RESTRICTION_TYPES:
        raise bad_request("restriction_type must be one of project, expression, group.")
    if not isinstance(value, str) or not value.strip():
        raise bad_request("restriction_value is required.")
    restriction = Restriction(call.store.new_id(), rtype, value, call.store.next_seq())
    if rtype == "project":
        project = by_id(call.store.projects, value)
        if project is None or project.org is not ctx.owner:
            raise bad_request("restriction_value must be the UUID of a project of the context's organization.")
        restriction.value = restriction.project_id = project.id
        restriction.name = project.name
    elif rtype == "group" and not is_uuid(value):
        raise bad_request("restriction_value must be a group UUID.")
    if any(r.type == rtype and r.value == restriction.value for r in ctx.restrictions):
        raise conflict("This restriction already exists on the context.")
    ctx.restrictions.append(restriction)
    return 201, render_restriction(restriction)


@routes.delete("/context/{context_id}/restrictions/{restriction_id}")
def delete_restriction(call, context_id, restriction_id):
    ctx = find_context(call, context_id)
    if not is_uuid(restriction_id):
        raise ApiError(400, "restriction_id is invalid.")
    for r in ctx.restrictions:
        if r.id == restriction_id.lower():
            ctx.restrictions.remove(r)
            return {"message": "Context restriction deleted."}
    raise not_found("Restriction not found.")
