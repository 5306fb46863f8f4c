"""Groups of an organization: /organizations/{org_id}/groups[/{group_id}].

Create, list (paged by ``limit`` and ``page-token``), read and delete; the API has no update. A
group's name is unique in its organization (a second one answers 409 with the spec's message).
Context restrictions of type ``group`` hold a group id; deleting the group leaves them as they are.
"""

from __future__ import annotations

from ..errors import bad_request, conflict, forbidden, not_found
from ..pagination import paginate
from ..store import Group, Org
from .organizations import ORG_NOT_FOUND
from .routing import Call, Routes, by_id

routes = Routes()

GROUP_NOT_FOUND = "Group does not exist."


def find_group_org(call: Call, org_id: str) -> Org:
    """The organization of the path (an id): 404 unknown, 403 when the token's user is not a member."""
    org = by_id(call.store.orgs, org_id)
    if org is None:
        raise not_found(ORG_NOT_FOUND)
    if not call.member_of(org):
        raise forbidden()
    return org


def find_group(call: Call, org: Org, group_id: str) -> Group:
    group = by_id(call.store.groups, group_id)
    if group is None or group.org_id != org.id:
        raise not_found(GROUP_NOT_FOUND)
    return group


def render_group(group: Group) -> dict:
    return {"id": group.id, "name": group.name, "description": group.description}


def page_size(call: Call) -> int:
    raw = call.args.get("limit")
    if raw is None:
        return call.page_size
    try:
        size = int(raw)
    except ValueError:
        raise bad_request("limit must be a positive integer.") from None
    if size < 1:
        raise bad_request("limit must be a positive integer.")
    return size


@routes.get("/organizations/{org_id}/groups")
def list_groups(call, org_id):
    org = find_group_org(call, org_id)
    groups = [g for g in call.store.groups.values() if g.org_id == org.id]
    page = paginate(groups, scope=f"groups:{org.id}", page_token=call.page_token, page_size=page_size(call),
                    render=render_group)
    return dict(page, total_count=len(groups))


@routes.post("/organizations/{org_id}/groups")
def create_group(call, org_id):
    org = find_group_org(call, org_id)
    body = call.json_object()
    name, description = body.get("name"), body.get("description", "")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("name is required.")
    if not isinstance(description, str):
        raise bad_request("description must be a string.")
    if any(g.org_id == org.id and g.name == name for g in call.store.groups.values()):
        raise conflict(f"Failed to create group, group {name} already exists.")
    group = Group(call.store.new_id(), org.id, name, description, call.store.next_seq())
    call.store.groups[group.id] = group
    return 201, render_group(group)


@routes.get("/organizations/{org_id}/groups/{group_id}")
def get_group(call, org_id, group_id):
    return render_group(find_group(call, find_group_org(call, org_id), group_id))


@routes.delete("/organizations/{org_id}/groups/{group_id}")
def delete_group(call, org_id, group_id):
    group = find_group(call, find_group_org(call, org_id), group_id)
    del call.store.groups[group.id]
    return {"message": "Group deleted."}
