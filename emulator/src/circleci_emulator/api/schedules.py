"""Scheduled pipelines (legacy API): /project/{project-slug}/schedule and /schedule/{schedule-id}.

Not available for ``circleci/...`` projects (400). The ``system`` attribution
actor reads back as the fixed actor ``seed.SYSTEM_ACTOR_ID`` (login
``system-actor``, name ``Scheduled``, avatar_url null); ``current`` as the
token's user at the time of the write. PATCH is partial, but a ``timetable`` or
``parameters`` it carries replaces the old one whole (and is validated whole).
"""

from __future__ import annotations

from ..errors import bad_request, conflict
from ..pagination import paginate
from ..seed import SYSTEM_ACTOR_ID
from ..store import Project, Schedule
from .projects import find_project
from .routing import Call, Routes

routes = Routes()

DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
ACTORS = ("current", "system")
NOT_FOUND = "Schedule not found."
NOT_AVAILABLE = "Scheduled pipelines are not yet available to projects that use GitLab or GitHub App."
DUPLICATE = "A schedule with this name already exists in this project."
SYSTEM_ACTOR = {"id": SYSTEM_ACTOR_ID, "login": "system-actor", "name": "Scheduled", "avatar_url": None}


# ---------------------------------------------------------------- validation


def _ints(value, low: int, high: int, what: str) -> list:
    if (not isinstance(value, list) or not value
            or any(type(v) is not int or not low <= v <= high for v in value)):
        raise bad_request(f"timetable.{what} must be a non-empty list of integers between {low} and {high}.")
    return sorted(set(value))


def _names(value, allowed: tuple, what: str, *, empty_ok: bool = False) -> list:
    if not isinstance(value, list) or (not value and not empty_ok) or any(v not in allowed for v in value):
        raise bad_request(f"timetable.{what} must be a {'' if empty_ok else 'non-empty '}list of "
                          f"{', '.join(allowed)}.")
    return [v for v in allowed if v in value]  # canonical order, no duplicates


def timetable_of(value) -> dict:
    """The validated timetable, normalised: lists in canonical order without duplicates,
    ``months`` only when given non-empty, unknown keys dropped."""
    if not isinstance(value, dict):
        raise bad_request("timetable is required.")
    per_hour = value.get("per-hour")
    if type(per_hour) is not int or not 1 <= per_hour <= 60:
        raise bad_request("timetable.per-hour must be an integer between 1 and 60.")
    out = {"per-hour": per_hour, "hours-of-day": _ints(value.get("hours-of-day"), 0, 23, "hours-of-day")}
    has_week, has_month = value.get("days-of-week") is not None, value.get("days-of-month") is not None
    if has_week == has_month:
        raise bad_request("timetable needs exactly one of days-of-week and days-of-month.")
    if has_week:
        out["days-of-week"] = _names(value["days-of-week"], DAYS, "days-of-week")
    else:
        out["days-of-month"] = _ints(value["days-of-month"], 1, 31, "days-of-month")
    if value.get("months") is not None:
        months = _names(value["months"], MONTHS, "months", empty_ok=True)
        if months:
            out["months"] = months
    return out


def parameters_of(value) -> dict:
    if not isinstance(value, dict):
        raise bad_request("parameters is required.")
    if any(not isinstance(v, (str, int, bool)) for v in value.values()):
        raise bad_request("parameters values must be strings, integers or booleans.")
    if "branch" not in value and "tag" not in value:
        raise bad_request("parameters must contain branch or tag.")
    return dict(value)


def name_of(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_request("name is required.")
    return value


def description_of(value) -> str | None:
    if value is not None and not isinstance(value, str):
        raise bad_request("description must be a string or null.")
    return value


def actor_of(call: Call, value) -> tuple[str, str]:
    if value not in ACTORS:
        raise bad_request("attribution-actor must be current or system.")
    return value, (call.user.id if value == "current" else SYSTEM_ACTOR_ID)


# ---------------------------------------------------------------- helpers


def schedule_project(call: Call, project_slug: str) -> Project:
    project = find_project(call, project_slug)
    if project.org.vcs_type == "circleci":
        raise bad_request(NOT_AVAILABLE)
    return project


def find_schedule(call: Call, schedule_id: str) -> Schedule:
    return call.find_visible(call.store.schedules, schedule_id, NOT_FOUND)


def check_unique(call: Call, project_id: str, name: str, own_id: str | None = None) -> None:
    if any(s.project_id == project_id and s.name == name and s.id != own_id for s in call.store.schedules.values()):
        raise conflict(DUPLICATE)


def render_actor(call: Call, actor_id: str) -> dict:
    user = call.store.users.get(actor_id)
    if actor_id == SYSTEM_ACTOR_ID or user is None:
        return dict(SYSTEM_ACTOR)
    return {"id": user.id, "login": user.login, "name": user.name, "avatar_url": user.avatar_url}


def render(call: Call, sched: Schedule) -> dict:
    return {
        "id": sched.id,
        "name": sched.name,
        "description": sched.description,
        "project-slug": call.store.projects[sched.project_id].slug,
        "actor": render_actor(call, sched.actor_id),
        "parameters": dict(sched.parameters),
        "timetable": {k: (list(v) if isinstance(v, list) else v) for k, v in sched.timetable.items()},
        "created-at": sched.created_at,
        "updated-at": sched.updated_at,
    }


# ---------------------------------------------------------------- routes


@routes.get("/project/{project-slug}/schedule")
def list_schedules(call, project_slug):
    project = schedule_project(call, project_slug)
    items = [s for s in call.store.schedules.values() if s.project_id == project.id]
    return paginate(items, scope=f"schedules:{project.id}", page_token=call.page_token,
                    page_size=call.page_size, render=lambda s: render(call, s))


@routes.post("/project/{project-slug}/schedule")
def create_schedule(call, project_slug):
    project = schedule_project(call, project_slug)
    body = call.json_object()
    name = name_of(body.get("name"))
    description = description_of(body.get("description"))
    attribution, actor_id = actor_of(call, body.get("attribution-actor"))
    parameters = parameters_of(body.get("parameters"))
    timetable = timetable_of(body.get("timetable"))
    check_unique(call, project.id, name)
    now = call.store.now()
    sched = Schedule(call.store.new_id(), project.id, name, description, attribution, actor_id, parameters,
                     timetable, now, now, call.store.next_seq())
    call.store.schedules[sched.id] = sched
    return 201, render(call, sched)


@routes.get("/schedule/{schedule-id}")
def get_schedule(call, schedule_id):
    return render(call, find_schedule(call, schedule_id))


@routes.patch("/schedule/{schedule-id}")
def update_schedule(call, schedule_id):
    sched = find_schedule(call, schedule_id)
    body = call.json_object()
    changes: dict = {}
    if "name" in body:
        changes["name"] = name_of(body["name"])
        check_unique(call, sched.project_id, changes["name"], sched.id)
    if "description" in body:
        changes["description"] = description_of(body["description"])
    if "attribution-actor" in body:
        changes["attribution_actor"], changes["actor_id"] = actor_of(call, body["attribution-actor"])
    if "parameters" in body:
        changes["parameters"] = parameters_of(body["parameters"])
    if "timetable" in body:
        changes["timetable"] = timetable_of(body["timetable"])
    for key, value in changes.items():  # all validated first: a 400 changes nothing
        setattr(sched, key, value)
    sched.updated_at = call.store.now()
    return render(call, sched)


@routes.delete("/schedule/{schedule-id}")
def delete_schedule(call, schedule_id):
    sched = find_schedule(call, schedule_id)
    del call.store.schedules[sched.id]
    return {"message": "Schedule deleted."}
