"""What every handler module uses: ``Routes`` (its route table) and ``Call`` (the request).

A handler is registered under the spec's own path template and receives the
``Call`` plus the decoded path parameters (hyphens turned into underscores)::

    routes = Routes()

    @routes.get("/context/{context_id}")
    def get_context(call, context_id): ...

It returns ``body`` (status 200), ``(status, body)`` or ``(status, body, headers)``,
or raises ``ApiError``. Handlers run with ``store.lock`` held.

Lookups every area needs are here too: ``by_id`` (an entity by a UUID path
parameter, any case) and ``Call.member_of`` / ``visible_org`` /
``visible_project`` (what the token's user may see: its orgs and their
projects), ``Call.find_visible`` (an entity of such a project, else 404). Each
area answers its own error for what is missing or foreign.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..engine import DEFAULT_STEP_SECONDS
from ..errors import bad_request, not_found
from ..slugs import is_uuid
from ..store import Org, Project, Store, User


class Routes:
    def __init__(self) -> None:
        self.table: dict[tuple[str, str], Callable] = {}

    def route(self, method: str, template: str) -> Callable:
        def register(fn: Callable) -> Callable:
            key = (method.lower(), template)
            if key in self.table:
                raise ValueError(f"duplicate route {method} {template}")
            self.table[key] = fn
            return fn

        return register

    def get(self, template: str) -> Callable:
        return self.route("get", template)

    def post(self, template: str) -> Callable:
        return self.route("post", template)

    def put(self, template: str) -> Callable:
        return self.route("put", template)

    def patch(self, template: str) -> Callable:
        return self.route("patch", template)

    def delete(self, template: str) -> Callable:
        return self.route("delete", template)

    def include(self, other: "Routes") -> None:
        """Add the routes of another table (an area split over several modules answers as one)."""
        for (method, template), fn in other.table.items():
            self.route(method, template)(fn)


def by_id(items: dict, raw_id: Any) -> Any:
    """The entity stored under this UUID (given in any case), or None (also for what is not a UUID)."""
    return items.get(raw_id.lower()) if is_uuid(raw_id) else None


@dataclass
class Call:
    """What a handler gets to know about the request."""

    store: Store
    user: User
    args: Any  # werkzeug MultiDict of query parameters
    body: Any  # parsed JSON body, or None
    page_size: int
    step_seconds: float = DEFAULT_STEP_SECONDS  # the pace of the pipeline engine (faults' pipeline_step_seconds)

    def json_object(self) -> dict:
        """The body as a JSON object, or 400."""
        if not isinstance(self.body, dict):
            raise bad_request("A JSON object body is required.")
        return self.body

    @property
    def page_token(self) -> str | None:
        return self.args.get("page-token")

    def member_of(self, org: Org) -> bool:
        """Whether the token's user belongs to the org (and may see what it holds)."""
        return self.store.is_member(self.user, org)

    def visible_org(self, org_id: Any) -> Org | None:
        """The org with this id if the token's user belongs to it, else None."""
        org = by_id(self.store.orgs, org_id)
        return org if org is not None and self.member_of(org) else None

    def visible_project(self, project_id: Any) -> Project | None:
        """The project with this id if the token's user belongs to its org, else None."""
        project = by_id(self.store.projects, project_id)
        return project if project is not None and self.member_of(project.org) else None

    def find_visible(self, items: dict, raw_id: Any, message: str) -> Any:
        """An entity of a project (it has a ``project_id``: pipeline, workflow, job, webhook...) by its
        UUID, when the token's user may see the project; else 404 ``{"message": message}``."""
        item = by_id(items, raw_id)
        if item is None or self.visible_project(item.project_id) is None:
            raise not_found(message)
        return item
