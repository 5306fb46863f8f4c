"""What every handler module uses: ``Routes`` (its route table) and ``Call`` (the request).

A handler is registered under the spec's own path template and receives the
``Call`` plus the decoded path parameters (hyphens turned into underscores)::

    routes = Routes()

    @routes.get("/context/{context_id}")
    def get_context(call, context_id): ...

It returns ``body`` (status 200), ``(status, body)`` or ``(status, body, headers)``,
or raises ``ApiError``. Handlers run with ``store.lock`` held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..engine import DEFAULT_STEP_SECONDS
from ..errors import bad_request
from ..store import Store, User


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
