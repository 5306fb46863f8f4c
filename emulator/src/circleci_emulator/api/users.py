"""/me, /me/collaborations, /user/{id}."""

from __future__ import annotations

from ..errors import not_found
from ..store import Org, User
from .routing import Routes

routes = Routes()


def render_user(user: User) -> dict:
    return {"id": user.id, "login": user.login, "name": user.name, "avatar_url": user.avatar_url}


def render_collaboration(org: Org) -> dict:
    # The key is "vcs-type" (hyphen), as in the spec and on the live service.
    return {"id": org.id, "vcs-type": org.vcs_type, "name": org.name, "avatar_url": org.avatar_url, "slug": org.slug}


@routes.get("/me")
def get_me(call):
    return render_user(call.user)


@routes.get("/me/collaborations")
def get_collaborations(call):
    return [render_collaboration(call.store.orgs[org_id]) for org_id in call.user.org_ids]


@routes.get("/user/{id}")
def get_user(call, id):
    user = call.store.users.get(id.lower())
    if user is None:
        raise not_found("User not found.")
    return render_user(user)
