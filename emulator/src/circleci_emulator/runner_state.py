"""The self-hosted runner API's facts: namespaces, resource classes, their tokens and agents.

A state-floor module beside ``store.py``: ``Store.reset`` makes one ``RunnerState`` and loads
the seed's ``runner`` section into it (``load``); the handlers (``api/runner.py``) read and
write it with the store lock held, and ``dump`` gives its part of ``GET /_emulator/state``.
Nothing here knows HTTP.

An organization claims one namespace (its orb namespace); a resource class is
``namespace/name``; a token belongs to one resource class and its value is kept here (the
state dump shows it) though the API shows it only in the create answer; agents are what
connected with a token, so they can only come from the seed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from .seed import SeedError
from .slugs import is_uuid

# NAMESPACE/NAME: letters, digits, "_", "-" and "." (not first). CircleCI publishes no grammar;
# docs/dev/API-BEHAVIOUR.md says what is inferred.
PART = r"[A-Za-z0-9_-][A-Za-z0-9_.-]*"
RESOURCE_CLASS_RE = re.compile(rf"^({PART})/({PART})\Z")


@dataclass
class Namespace:
    name: str
    org_id: str


@dataclass
class ResourceClass:
    id: str
    namespace: str
    name: str
    description: str
    created_at: str
    seq: int
    unclaimed_task_count: int = 0
    running_runner_tasks: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class RunnerToken:
    id: str
    resource_class_id: str
    nickname: str
    token: str  # the value: answered once, by the create
    created_at: str
    seq: int


@dataclass
class Agent:
    resource_class_id: str
    hostname: str
    name: str
    version: str
    first_connected: str | None
    last_connected: str | None
    last_used: str | None
    seq: int
    ip: str | None = None


@dataclass
class RunnerState:
    namespaces: dict = field(default_factory=dict)  # name -> Namespace
    resource_classes: dict = field(default_factory=dict)  # id -> ResourceClass
    tokens: dict = field(default_factory=dict)  # id -> RunnerToken
    agents: list = field(default_factory=list)  # [Agent]

    def namespace_of_org(self, org_id: str) -> Namespace | None:
        return next((ns for ns in self.namespaces.values() if ns.org_id == org_id), None)

    def class_named(self, full_name: str) -> ResourceClass | None:
        return next((rc for rc in self.resource_classes.values() if rc.full_name == full_name), None)

    def classes_of(self, namespace: str) -> list:
        return sorted((rc for rc in self.resource_classes.values() if rc.namespace == namespace), key=lambda rc: rc.seq)

    def tokens_of(self, rc: ResourceClass) -> list:
        return sorted((t for t in self.tokens.values() if t.resource_class_id == rc.id), key=lambda t: t.seq)

    def agents_of(self, rc: ResourceClass) -> list:
        return [a for a in sorted(self.agents, key=lambda a: a.seq) if a.resource_class_id == rc.id]

    def remove_class(self, rc: ResourceClass) -> None:
        """The class, its tokens and the agents that connected with them."""
        for token in self.tokens_of(rc):
            del self.tokens[token.id]
        self.agents = [a for a in self.agents if a.resource_class_id != rc.id]
        del self.resource_classes[rc.id]


def new_token_value() -> str:
    """A resource class token: 80 hex digits, like the service's."""
    return secrets.token_hex(40)


# ---------------------------------------------------------------- seed


def load(state: RunnerState, raw: dict | None, store) -> None:
    """The seed's ``runner`` section (format in seed.py); ``store`` gives org lookups, ids and times."""
    if not raw:
        return
    if not isinstance(raw, dict):
        raise SeedError("runner: must be a mapping")
    for nraw in raw.get("namespaces") or []:
        org = store.org_by_slug_or_id(str(nraw["org"]))
        if org is None:
            raise SeedError(f"runner namespace {nraw.get('name')}: unknown org {nraw['org']}")
        if state.namespace_of_org(org.id) is not None:
            raise SeedError(f"runner namespace {nraw['name']}: org {nraw['org']} already has a namespace")
        state.namespaces[str(nraw["name"])] = Namespace(str(nraw["name"]), org.id)
    for craw in raw.get("resource_classes") or []:
        _load_class(state, craw, store)


def _load_class(state: RunnerState, craw: dict, store) -> None:
    full_name = str(craw["resource_class"])
    match = RESOURCE_CLASS_RE.match(full_name)
    if match is None or match.group(1) not in state.namespaces:
        raise SeedError(f"runner resource class {full_name}: not NAMESPACE/NAME of a seeded namespace")
    rc = ResourceClass(_id(craw, store), match.group(1), match.group(2), str(craw.get("description") or ""),
                       craw.get("created_at") or store.now(), store.next_seq(),
                       int(craw.get("unclaimed_task_count") or 0), int(craw.get("running_runner_tasks") or 0))
    state.resource_classes[rc.id] = rc
    for traw in craw.get("tokens") or []:
        token = RunnerToken(_id(traw, store), rc.id, str(traw["nickname"]), str(traw.get("token") or new_token_value()),
                            traw.get("created_at") or store.now(), store.next_seq())
        state.tokens[token.id] = token
    for araw in craw.get("agents") or []:
        state.agents.append(Agent(rc.id, str(araw["hostname"]), str(araw.get("name") or araw["hostname"]),
                                  str(araw.get("version") or ""), araw.get("first_connected"),
                                  araw.get("last_connected"), araw.get("last_used"), store.next_seq(),
                                  araw.get("ip")))


def _id(raw: dict, store) -> str:
    value = raw.get("id") or store.new_id()
    if not is_uuid(value):
        raise SeedError(f"{value!r} is not a UUID")
    return str(value).lower()


# ---------------------------------------------------------------- dump


def agent_view(agent: Agent, rc: ResourceClass) -> dict:
    """An agent as GET /runner answers it."""
    view = {"resource_class": rc.full_name, "hostname": agent.hostname, "name": agent.name,
            "first_connected": agent.first_connected, "last_connected": agent.last_connected,
            "last_used": agent.last_used, "version": agent.version}
    if agent.ip is not None:
        view["ip"] = agent.ip
    return view


def dump(state: RunnerState) -> dict:
    """The runner part of the state dump: everything, token values included."""
    return {
        "namespaces": [{"name": ns.name, "org_id": ns.org_id} for ns in state.namespaces.values()],
        "resource_classes": [
            {"id": rc.id, "resource_class": rc.full_name, "description": rc.description, "created_at": rc.created_at,
             "unclaimed_task_count": rc.unclaimed_task_count, "running_runner_tasks": rc.running_runner_tasks,
             "tokens": [{"id": t.id, "nickname": t.nickname, "token": t.token, "created_at": t.created_at}
                        for t in state.tokens_of(rc)],
             "agents": [agent_view(a, rc) for a in state.agents_of(rc)]}
            for rc in sorted(state.resource_classes.values(), key=lambda rc: rc.seq)
        ],
    }
