"""What every insights report shares: the run list, the request's parameters, the reporting windows.

The run list of a project is its seeded history (``history.seeded_runs``)
followed by the runs the pipeline engine recorded (``runs.recorded_runs``);
each report filters and aggregates it (see the package docstring).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ... import engine, history, runs
from ...errors import bad_request
from ..projects import find_project

WINDOWS = {"last-24-hours": 1, "last-7-days": 7, "last-30-days": 30, "last-60-days": 60, "last-90-days": 90}
DEFAULT_WINDOW = "last-90-days"
TREND_MAX_DAYS = 30
MAX_RANGE = timedelta(days=90)
SUCCESS = "success"
FAILED = ("failed", "error")
RUN_STATUSES = ("success", "failed", "error", "canceled", "unauthorized")
RECORDED_BASE = 1_000_000_000  # recorded runs sort after every seeded one


# ---------------------------------------------------------------- the run list


class Run:
    __slots__ = ("rec", "created", "stopped", "seq")

    def __init__(self, rec: dict, seq: int):
        self.rec = rec
        self.seq = seq
        self.created = parse_time(rec["created_at"])
        self.stopped = parse_time(rec.get("stopped_at") or rec["created_at"])

    @property
    def name(self) -> str:
        return self.rec["workflow_name"]

    @property
    def branch(self) -> str:
        return self.rec.get("branch") or ""

    @property
    def status(self) -> str:
        return self.rec["status"]

    @property
    def duration(self) -> int:
        value = self.rec.get("duration")
        return int(value) if value is not None else max(0, int((self.stopped - self.created).total_seconds()))

    @property
    def credits(self) -> int:
        return int(self.rec.get("credits_used") or 0)


def project_runs(call, project, ref: datetime) -> list:
    """Seeded and recorded runs of the project, oldest first, with stable sequence numbers."""
    engine.settle(call.store)  # the engine records finished workflows lazily: record them now
    seeded = [Run(rec, i + 1) for i, rec in enumerate(history.seeded_runs(project, ref))]
    recorded = [Run(rec, RECORDED_BASE + i) for i, rec in enumerate(runs.recorded_runs(call.store, project.id))
                if rec.get("status") in RUN_STATUSES]  # not_run workflows never ran: not in insights
    return sorted(seeded + recorded, key=lambda r: (r.created, r.seq))


def parse_time(value: str) -> datetime:
    ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def on_branch(items, branch):
    return [r for r in items if branch is None or r.branch == branch]


def since(items, start, end=None):
    return [r for r in items if r.created >= start and (end is None or r.created < end)]


def of_workflow(items, name: str) -> list:
    return [r for r in items if r.name == name]


# ---------------------------------------------------------------- parameters


class Query:
    """The request's insights parameters, checked (the handler answers 400 also when not strict)."""

    def __init__(self, call, project=None):
        self.call = call
        self.args = call.args
        self.now = history.utcnow()
        self.ref = history.reference(self.now)
        self.project = project

    def window(self) -> tuple:
        """(name, days, start) of the reporting window."""
        name = self.args.get("reporting-window") or DEFAULT_WINDOW
        if name not in WINDOWS:
            raise bad_request(f"reporting-window must be one of {', '.join(WINDOWS)}")
        days = WINDOWS[name]
        return name, days, self.ref - timedelta(days=days)

    def retention_start(self) -> datetime:
        return self.ref - timedelta(days=history.RETENTION_DAYS)

    def branch(self, all_branches_allowed: bool = True) -> str | None:
        """The branch to report on, or None for all branches."""
        branch = self.args.get("branch")
        everything = False
        if all_branches_allowed and "all-branches" in self.args:
            raw = self.args.get("all-branches", "").lower()
            if raw not in ("true", "false"):
                raise bad_request("all-branches must be true or false")
            everything = raw == "true"
        if everything and branch is not None:
            raise bad_request("Use either branch or all-branches, not both.")
        if everything:
            return None
        return branch if branch is not None else self.project.default_branch

    def dates(self, default_start: datetime) -> tuple:
        """(start, end) from start-date / end-date; end None = open."""
        raw_start, raw_end = self.args.get("start-date"), self.args.get("end-date")
        if raw_end is not None and raw_start is None:
            raise bad_request("start-date must be specified if an end-date is provided")
        start = self._date("start-date", raw_start) if raw_start is not None else default_start
        end = self._date("end-date", raw_end) if raw_end is not None else None
        if end is not None:
            if end < start:
                raise bad_request("end-date must be after start-date")
            if end - start > MAX_RANGE:
                raise bad_request("end-date can be at most 90 days after start-date")
        return start, end

    @staticmethod
    def _date(name: str, value: str) -> datetime:
        try:
            return parse_time(value)
        except ValueError as exc:
            raise bad_request(f"{name} must be a date-time such as 2020-08-21T13:26:29Z") from exc


def project_context(call, project_slug):
    """(project, query, run list) of a project report; 404 for an unknown or foreign project."""
    project = find_project(call, project_slug)
    q = Query(call, project)
    return project, q, project_runs(call, project, q.ref)


# ---------------------------------------------------------------- reporting windows


class Windowed:
    """Runs of the reporting window and of the window before it (None when trends are not kept)."""

    def __init__(self, q: Query, all_runs: list):
        self.name, self.days, self.start = q.window()
        self.now = q.now
        self.current = since(all_runs, self.start)
        self.previous = (since(all_runs, self.start - timedelta(days=self.days), self.start)
                         if self.days <= TREND_MAX_DAYS else None)

    def pair(self, select) -> tuple:
        return select(self.current), (select(self.previous) if self.previous is not None else None)

    def bounds(self, items: list) -> tuple:
        """window_start / window_end: the first and last run in the window (the window itself when empty)."""
        if not items:
            return history.iso(self.start), history.iso(self.now)
        return history.iso(min(r.created for r in items)), history.iso(max(r.created for r in items))
