"""OIDC custom claims of an org or of one of its projects.

GET answers the claims set (only ``org_id``/``project_id`` when none are);
PATCH ``{audience, ttl}`` is a partial upsert; DELETE ``?claims=audience,ttl``
resets the named claims. ``ttl`` is read back normalised like Go's
``time.Duration.String()`` (90m -> 1h30m0s); the audience is a set, answered
sorted. Errors are ``{"error": "..."}`` bodies.
"""

from __future__ import annotations

import re

from ..errors import ApiError
from ..store import OidcClaims, Org, Project
from .routing import Call, Routes, by_id

routes = Routes()

TTL_PATTERN = re.compile(r"^([0-9]+(ms|s|m|h|d|w)){1,7}$")
_TTL_PART = re.compile(r"([0-9]+)(ms|s|m|h|d|w)")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_MAX_MS = (2**63 - 1) // 1_000_000  # Go's time.Duration limit
CLAIM_NAMES = ("audience", "ttl")
FORBIDDEN = "Forbidden"


def oidc_error(status: int, message: str) -> ApiError:
    return ApiError(status, message, key="error")


# ---------------------------------------------------------------- ttl


def parse_ttl(text: str) -> int:
    """Milliseconds of a ttl matching the spec's pattern, or ValueError."""
    if not isinstance(text, str) or not TTL_PATTERN.match(text):
        raise ValueError(text)
    total = sum(int(n) * _UNIT_MS[unit] for n, unit in _TTL_PART.findall(text))
    if total > _MAX_MS:
        raise ValueError(text)
    return total


def format_duration(ms: int) -> str:
    """Go's time.Duration.String() for a whole number of milliseconds."""
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    seconds, frac = divmod(ms, 1000)
    sec_text = str(seconds % 60) + (f".{frac:03d}".rstrip("0") if frac else "")
    minutes, hours = seconds // 60 % 60, seconds // 3600
    if hours:
        return f"{hours}h{minutes}m{sec_text}s"
    if seconds >= 60:
        return f"{minutes}m{sec_text}s"
    return f"{sec_text}s"


def normalise_ttl(text: str) -> str:
    return format_duration(parse_ttl(text))


# ---------------------------------------------------------------- helpers


def find_org(call: Call, org_id: str) -> Org:
    org = call.visible_org(org_id)
    if org is None:
        raise oidc_error(403, FORBIDDEN)
    return org


def find_project(call: Call, org_id: str, project_id: str) -> Project:
    org = find_org(call, org_id)
    project = by_id(call.store.projects, project_id)
    if project is None or project.org is not org:
        raise oidc_error(403, FORBIDDEN)
    return project


def render(org: Org, project: Project | None, claims: OidcClaims | None) -> dict:
    out = {"org_id": org.id}
    if project is not None:
        out["project_id"] = project.id
    if claims is not None:
        if claims.audience is not None:
            out["audience"] = sorted(claims.audience)
            out["audience_updated_at"] = claims.audience_updated_at
        if claims.ttl is not None:
            out["ttl"] = claims.ttl
            out["ttl_updated_at"] = claims.ttl_updated_at
    return out


def patch_claims(call: Call, org: Org, project: Project | None) -> dict:
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise oidc_error(400, "A JSON object body is required.")
    audience, ttl = body.get("audience"), body.get("ttl")
    if "audience" in body and not (isinstance(audience, list) and all(isinstance(a, str) for a in audience)):
        raise oidc_error(400, "audience must be a list of strings.")
    normalised = None
    if "ttl" in body:
        try:
            normalised = normalise_ttl(ttl)
        except ValueError:
            raise oidc_error(400, f"ttl {ttl!r} is not a valid duration (e.g. 1h, 90m, 1h30m).") from None
    key = (org.id, project.id if project else None)
    claims = call.store.oidc_claims.get(key) or OidcClaims()
    now = call.store.now()
    if "audience" in body:
        if audience:
            claims.audience, claims.audience_updated_at = set(audience), now
        else:  # an empty list clears the claim
            claims.audience = claims.audience_updated_at = None
    if normalised is not None:
        claims.ttl, claims.ttl_updated_at = normalised, now
    _save(call, key, claims)
    return render(org, project, claims)


def delete_claims(call: Call, org: Org, project: Project | None) -> dict:
    raw = call.args.get("claims") or ""
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [n for n in names if n not in CLAIM_NAMES]
    if not names or unknown:
        raise oidc_error(400, "claims must be a comma separated list of: audience, ttl.")
    key = (org.id, project.id if project else None)
    claims = call.store.oidc_claims.get(key) or OidcClaims()
    if "audience" in names:
        claims.audience = claims.audience_updated_at = None
    if "ttl" in names:
        claims.ttl = claims.ttl_updated_at = None
    _save(call, key, claims)
    return render(org, project, claims)


def _save(call: Call, key: tuple, claims: OidcClaims) -> None:
    if claims.audience is None and claims.ttl is None:
        call.store.oidc_claims.pop(key, None)
    else:
        call.store.oidc_claims[key] = claims


# ---------------------------------------------------------------- org claims

ORG_PATH = "/org/{orgID}/oidc-custom-claims"
PROJECT_PATH = "/org/{orgID}/project/{projectID}/oidc-custom-claims"


@routes.get(ORG_PATH)
def get_org_claims(call, orgID):
    org = find_org(call, orgID)
    return render(org, None, call.store.oidc_claims.get((org.id, None)))


@routes.patch(ORG_PATH)
def patch_org_claims(call, orgID):
    return patch_claims(call, find_org(call, orgID), None)


@routes.delete(ORG_PATH)
def delete_org_claims(call, orgID):
    return delete_claims(call, find_org(call, orgID), None)


# ---------------------------------------------------------------- project claims


@routes.get(PROJECT_PATH)
def get_project_claims(call, orgID, projectID):
    project = find_project(call, orgID, projectID)
    return render(project.org, project, call.store.oidc_claims.get((project.org.id, project.id)))


@routes.patch(PROJECT_PATH)
def patch_project_claims(call, orgID, projectID):
    project = find_project(call, orgID, projectID)
    return patch_claims(call, project.org, project)


@routes.delete(PROJECT_PATH)
def delete_project_claims(call, orgID, projectID):
    project = find_project(call, orgID, projectID)
    return delete_claims(call, project.org, project)
