"""Organizations: /organization (create), /organization/{org-slug-or-id} (delete) and the
organization's URL orb allow-list (/organization/{org-slug-or-id}/url-orb-allow-list[/{id}]).

``find_org`` is the lookup of an organization named by slug or id that the project and group
handlers share: an unknown organization answers 404, one the token's user is not a member of 403
(as the context handlers do).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..errors import bad_request, forbidden, not_found
from ..slugs import PREFIX_VCS
from ..store import ORB_AUTH_METHODS, Org, OrbAllowListEntry
from .routing import Call, Routes, by_id

routes = Routes()

ORG_NOT_FOUND = "Organization does not exist."
DUPLICATE_ORG = "An organization with this name already exists."
ENTRY_NOT_FOUND = "URL orb allow-list entry not found."
VCS_TYPES = ("github", "bitbucket", "circleci")


def find_org(call: Call, org_slug_or_id: str) -> Org:
    """The organization named by a slug (any vcs spelling) or an id; 404 unknown, 403 not a member."""
    org = call.store.org_by_slug_or_id(org_slug_or_id)
    if org is None:
        raise not_found(ORG_NOT_FOUND)
    if not call.member_of(org):
        raise forbidden()
    return org


def render_org(org: Org) -> dict:
    return {"id": org.id, "name": org.name, "slug": org.slug, "vcs_type": org.vcs_type}


def required_text(body: dict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{key} is required.")
    return value


# ---------------------------------------------------------------- organizations


@routes.post("/organization")
def create_organization(call):
    body = call.json_object()
    name = required_text(body, "name")
    vcs_type = body.get("vcs_type")
    if vcs_type not in VCS_TYPES:
        raise bad_request("vcs_type must be one of github, bitbucket, circleci.")
    if vcs_type != "circleci" and ("/" in name or any(c.isspace() for c in name)):
        raise bad_request("name must be the name of the organization on the VCS provider.")
    if any(org.name.lower() == name.lower() for org in call.store.orgs.values()):
        raise bad_request(DUPLICATE_ORG)
    org = call.store.add_org(PREFIX_VCS[vcs_type], name)
    call.user.org_ids.append(org.id)  # its creator is its first member
    return 201, render_org(org)


@routes.delete("/organization/{org-slug-or-id}")
def delete_organization(call, org_slug_or_id):
    org = find_org(call, org_slug_or_id)
    call.store.delete_org(org)
    return 202, {"message": "Organization deleted."}


# ---------------------------------------------------------------- URL orb allow-list


def render_entry(entry: OrbAllowListEntry) -> dict:
    return {"id": entry.id, "name": entry.name, "prefix": entry.prefix, "auth": entry.auth}


def check_prefix(prefix) -> str:
    """An https URL that ends with a slash (CircleCI's docs on URL orb allow-lists)."""
    if not isinstance(prefix, str) or not prefix.strip():
        raise bad_request("prefix is required.")
    url = urlsplit(prefix)
    if url.scheme != "https" or not url.netloc or not prefix.endswith("/") or any(c.isspace() for c in prefix):
        raise bad_request("prefix must be an https URL that ends with /.")
    return prefix


@routes.get("/organization/{org-slug-or-id}/url-orb-allow-list")
def list_url_orb_allow_list(call, org_slug_or_id):
    org = find_org(call, org_slug_or_id)
    entries = sorted((e for e in call.store.url_orb_allow_list.values() if e.org_id == org.id), key=lambda e: e.seq)
    return {"items": [render_entry(e) for e in entries]}  # all at once: the spec has no paging here


@routes.post("/organization/{org-slug-or-id}/url-orb-allow-list")
def create_url_orb_allow_list_entry(call, org_slug_or_id):
    org = find_org(call, org_slug_or_id)
    body = call.json_object()
    name = required_text(body, "name")
    prefix = check_prefix(body.get("prefix"))
    auth = body.get("auth")
    if auth not in ORB_AUTH_METHODS:
        raise bad_request(f"auth must be one of {', '.join(ORB_AUTH_METHODS)}.")
    entry = OrbAllowListEntry(call.store.new_id(), org.id, name, prefix, auth, call.store.next_seq())
    call.store.url_orb_allow_list[entry.id] = entry
    return {"id": entry.id, "message": "Created."}


@routes.delete("/organization/{org-slug-or-id}/url-orb-allow-list/{allow-list-entry-id}")
def remove_url_orb_allow_list_entry(call, org_slug_or_id, allow_list_entry_id):
    org = find_org(call, org_slug_or_id)
    entry = by_id(call.store.url_orb_allow_list, allow_list_entry_id)
    if entry is None or entry.org_id != org.id:
        raise not_found(ENTRY_NOT_FOUND)
    del call.store.url_orb_allow_list[entry.id]
    return {"id": entry.id, "message": "Deleted."}
