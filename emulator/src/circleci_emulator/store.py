"""The emulator's state: one store, one lock (the bottom floor).

Every API handler runs with ``store.lock`` held (the dispatcher takes it), so
handlers read and write freely. Later resource areas add their collections
here (``reset`` clears them) and their entity classes beside the others.
The store knows nothing of HTTP, of the engine or of the API handlers: what
is computed from its facts lives above it (``engine.py``), and so does its
dump (``state_dump.py``).
"""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from dataclasses import dataclass, field, is_dataclass
from datetime import datetime, timedelta, timezone

from .seed import SeedError, default_seed
from .slugs import PREFIX_VCS, VCS_PREFIX, VCS_PROVIDER, is_uuid, split_slug


# How CircleCI may authenticate when it fetches a URL orb of an allow-list entry (the spec's enum).
ORB_AUTH_METHODS = ("none", "github-oauth", "github-app", "bitbucket-oauth")

# A project's advanced settings before any PATCH (the spec's project_settings.advanced).
DEFAULT_PROJECT_SETTINGS = {
    "autocancel_builds": False,
    "build_fork_prs": False,
    "build_prs_only": False,
    "disable_ssh": False,
    "forks_receive_secret_env_vars": False,
    "oss": False,
    "set_github_status": True,
    "setup_workflows": False,
    "write_settings_requires_admin": False,
    "pr_only_branch_overrides": [],
}


def iso(ts: datetime) -> str:
    """2015-09-21T17:29:21.042Z"""
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass
class User:
    id: str
    login: str
    name: str
    avatar_url: str
    tokens: list
    org_ids: list


@dataclass
class Org:
    id: str
    vcs_type: str  # github | bitbucket | circleci
    name: str
    avatar_url: str

    @property
    def slug(self) -> str:
        if self.vcs_type == "circleci":
            return f"circleci/{self.id}"
        return f"{VCS_PREFIX[self.vcs_type]}/{self.name}"


@dataclass
class Project:
    id: str
    org: Org
    name: str
    default_branch: str = "main"
    vcs_url: str = ""
    has_history: bool = True  # seeded projects have an insights history (history.py); created ones start empty

    @property
    def slug(self) -> str:
        if self.org.vcs_type == "circleci":
            return f"{self.org.slug}/{self.id}"
        return f"{self.org.slug}/{self.name}"


@dataclass
class Group:
    """A group of an organization (no update in the API: create, read, delete)."""

    id: str
    org_id: str
    name: str
    description: str
    seq: int


@dataclass
class OrbAllowListEntry:
    """An entry of an organization's URL orb allow-list."""

    id: str
    org_id: str
    name: str
    prefix: str
    auth: str  # none | github-oauth | github-app | bitbucket-oauth
    seq: int


@dataclass
class EnvVar:
    name: str
    value: str
    created_at: str
    updated_at: str
    seq: int


@dataclass
class Restriction:
    id: str
    type: str  # project | expression | group
    value: str
    seq: int
    name: str | None = None
    project_id: str | None = None


@dataclass
class Context:
    id: str
    name: str
    owner: Org
    owner_type: str
    created_at: str
    seq: int
    variables: dict = field(default_factory=dict)  # name -> EnvVar
    restrictions: list = field(default_factory=list)  # [Restriction]


@dataclass
class OidcClaims:
    """Custom claims of an org (project None) or a project; None = not set."""

    audience: set | None = None
    audience_updated_at: str | None = None
    ttl: str | None = None  # normalised, e.g. "1h30m0s"
    ttl_updated_at: str | None = None


@dataclass
class Policy:
    name: str
    content: str
    created_at: str
    created_by: str  # user id


@dataclass
class DecisionLog:
    id: str
    created_at: str
    decision: dict
    metadata: dict
    policies: dict  # name -> sha512 hex of the content
    bundle: dict  # name -> Policy, the bundle the decision was made with
    time_taken_ms: int
    seq: int


@dataclass
class PolicyOwner:
    """Config policy state of one owner (org id) and context."""

    owner_id: str
    context: str
    bundle: dict = field(default_factory=dict)  # name -> Policy
    enabled: bool = False
    decisions: list = field(default_factory=list)  # [DecisionLog]


@dataclass
class ProjectEnvVar:
    name: str
    value: str  # in clear; the API masks it
    created_at: str  # iso; the API answers "#joda/inst ..."
    seq: int


@dataclass
class CheckoutKey:
    id: str
    project_id: str
    type: str  # deploy-key | github-user-key
    public_key: str  # "ssh-rsa AAAA..."
    md5: str  # "c9:0b:..."
    sha256: str  # "SHA256:..." (base64, no padding)
    created_at: str
    seq: int


@dataclass
class Webhook:
    id: str
    project_id: str  # scope id (scope type is always project)
    name: str
    url: str
    events: list
    verify_tls: bool
    signing_secret: str | None  # None = no secret
    created_at: str
    updated_at: str
    seq: int


@dataclass
class Schedule:
    id: str
    project_id: str
    name: str
    description: str | None
    attribution_actor: str  # current | system
    actor_id: str  # user id (current) or SYSTEM_ACTOR_ID
    parameters: dict
    timetable: dict  # normalised, hyphenated keys as answered
    created_at: str
    updated_at: str
    seq: int


@dataclass
class PipelineDefinition:
    id: str
    project_id: str
    name: str
    description: str
    created_at: str
    file_path: str
    seq: int


@dataclass
class Pipeline:
    """A triggered pipeline (engine.py computes its workflows' statuses)."""

    id: str
    project_id: str
    number: int
    actor_id: str
    created_at: str
    trigger_type: str  # api
    branch: str | None
    tag: str | None
    parameters: dict
    config: str  # the (continuation) configuration; "" while a setup pipeline waits
    revision: str
    seq: int
    definition_id: str | None = None
    setup_config: str | None = None  # setup pipelines only
    continuation_key: str | None = None
    continued_at: str | None = None
    updated_at: str | None = None
    workflow_ids: list = field(default_factory=list)


@dataclass
class Workflow:
    id: str
    pipeline_id: str
    project_id: str
    name: str
    created_at: str
    started_by: str  # user id
    seq: int
    job_ids: list = field(default_factory=list)  # dependency order
    tag: str | None = None  # "setup" for a setup workflow
    canceled_at: str | None = None
    canceled_by: str | None = None
    rerun_of: str | None = None
    recorded: bool = False  # runs.record_workflow called


@dataclass
class Job:
    id: str
    workflow_id: str
    project_id: str
    name: str
    type: str  # build | approval
    number: int
    dependencies: list  # job ids
    duration: float  # seconds it runs (build jobs)
    outcome: str  # success | failed (build jobs)
    seq: int
    approved_at: str | None = None
    approved_by: str | None = None
    canceled_at: str | None = None
    canceled_by: str | None = None
    until_continued: bool = False  # the setup job: runs until the pipeline is continued
    fixed: dict | None = None  # a job kept by a rerun: {status, started_at, stopped_at}
    attempt: int = 1  # 1 + how many times this job name was rerun in the pipeline


@dataclass
class UsageExport:
    id: str
    org_id: str
    start: str
    end: str
    shared_org_ids: list
    created_at: str
    ready_after: float  # seconds after created_at until completed
    seq: int


class Store:
    def __init__(self, seed: dict | None = None):
        self.lock = threading.RLock()
        self.seed = copy.deepcopy(seed) if seed is not None else default_seed()
        self.reset()

    # ------------------------------------------------------------------ basics
    def reset(self, seed: dict | None = None) -> None:
        with self.lock:
            if seed is not None:
                self.seed = copy.deepcopy(seed)
            self._seq = itertools.count(1)
            self._last_ts = datetime.fromtimestamp(0, timezone.utc)
            self.users: dict[str, User] = {}
            self.tokens: dict[str, User] = {}
            self.orgs: dict[str, Org] = {}
            self.projects: dict[str, Project] = {}
            self.contexts: dict[str, Context] = {}
            self.groups: dict[str, Group] = {}
            self.url_orb_allow_list: dict[str, OrbAllowListEntry] = {}  # entry id -> entry
            self.project_env_vars: dict[str, dict] = {}  # project id -> {name: ProjectEnvVar}
            self.checkout_keys: dict[str, CheckoutKey] = {}  # key id -> key
            self.webhooks: dict[str, Webhook] = {}
            self.schedules: dict[str, Schedule] = {}
            self.project_settings: dict[str, dict] = {}  # project id -> advanced settings (once patched)
            self.oidc_claims: dict[tuple, OidcClaims] = {}  # (org_id, project_id | None) -> claims
            self.policies: dict[tuple, PolicyOwner] = {}  # (owner_id, context) -> state
            # Finished workflow runs, per project id (see runs.py): what insights report on.
            self.workflow_runs: dict[str, list] = {}
            # Pipelines (engine.py): definitions, pipelines, workflows, jobs, numbers per project id.
            self.pipeline_definitions: dict[str, PipelineDefinition] = {}
            self.pipelines: dict[str, Pipeline] = {}
            self.workflows: dict[str, Workflow] = {}
            self.jobs: dict[str, Job] = {}
            self.pipeline_numbers: dict[str, int] = {}  # project id -> last pipeline number
            self.job_numbers: dict[str, int] = {}  # project id -> last job number
            self.continuation_keys: dict[str, str] = {}  # unused key -> pipeline id
            self.usage_exports: dict[str, UsageExport] = {}
            self.usage_export_creates: dict[str, list] = {}  # org id -> monotonic times of creates
            self._load(self.seed)

    def next_seq(self) -> int:
        return next(self._seq)

    def now(self) -> str:
        """UTC now, strictly increasing at millisecond resolution."""
        ts = datetime.now(timezone.utc)
        ts = ts.replace(microsecond=ts.microsecond // 1000 * 1000)
        if ts <= self._last_ts:
            ts = self._last_ts + timedelta(milliseconds=1)
        self._last_ts = ts
        return iso(ts)

    def last_timestamp(self) -> float:
        """The last time now() answered, as a POSIX timestamp."""
        return self._last_ts.timestamp()

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ lookups
    def org_by_slug(self, slug: str) -> Org | None:
        parsed = split_slug(slug, 2)
        if parsed is None:
            return None
        vcs, (name,) = parsed
        for org in self.orgs.values():
            if org.vcs_type != vcs:
                continue
            if (vcs == "circleci" and org.id == name.lower()) or (vcs != "circleci" and org.name.lower() == name.lower()):
                return org
        return None

    def org_by_slug_or_id(self, value: str) -> Org | None:
        return self.orgs.get(value) if is_uuid(value) else self.org_by_slug(value)

    def project_by_slug(self, slug: str) -> Project | None:
        parsed = split_slug(slug, 3)
        if parsed is None:
            return None
        vcs, (org_part, project_part) = parsed
        org = self.org_by_slug(f"{vcs}/{org_part}")
        if org is None:
            return None
        for project in self.projects.values():
            if project.org is not org:
                continue
            if vcs == "circleci" and project.id == project_part.lower():
                return project
            if vcs != "circleci" and project.name.lower() == project_part.lower():
                return project
        return None

    def is_member(self, user: User, org: Org) -> bool:
        return org.id in user.org_ids

    def preferred_checkout_key(self, project_id: str) -> CheckoutKey | None:
        """The project's preferred key: its newest one."""
        keys = [k for k in self.checkout_keys.values() if k.project_id == project_id]
        return max(keys, key=lambda k: k.seq) if keys else None

    def project_settings_of(self, project: Project) -> dict:
        """The project's advanced settings, defaults filled in (a copy)."""
        return copy.deepcopy(self.project_settings.get(project.id) or DEFAULT_PROJECT_SETTINGS)

    # ------------------------------------------------------------------ organizations and projects
    def add_org(self, vcs_type: str, name: str, org_id: str | None = None, avatar_url: str = "") -> Org:
        """A new organization (its slug is ``Org.slug``, the one rule for every org, seeded or created)."""
        org = Org(org_id or self.new_id(), vcs_type, name, avatar_url)
        self.orgs[org.id] = org
        return org

    def add_project(self, org: Org, name: str, project_id: str | None = None, default_branch: str = "main",
                    vcs_url: str = "", has_history: bool = True) -> Project:
        """A new project of ``org`` (its slug is ``Project.slug``, as for the seeded ones)."""
        project = Project(project_id or self.new_id(), org, name, default_branch, vcs_url, has_history)
        if not project.vcs_url:
            project.vcs_url = _default_vcs_url(project)
        self.projects[project.id] = project
        return project

    def delete_project(self, project: Project) -> None:
        """Delete the project and everything that belongs to it: every entity that carries its id
        as ``project_id`` (env vars, checkout keys, webhooks, schedules, pipeline definitions,
        pipelines, workflows, jobs, and what later areas add), whatever hangs off those definitions
        (``definition_id``: triggers), every collection entry keyed by its id (settings, numbering,
        finished runs) or by a key that contains it (its OIDC claims), and the continuation keys of
        its pipelines. Context restrictions that name it stay (see API-BEHAVIOUR.md: removing the
        last one would open the context to every project)."""
        removed = self._sweep(lambda entity: getattr(entity, "project_id", None) == project.id, project.id)
        definitions = {entity.id for entity in removed if isinstance(entity, PipelineDefinition)}
        if definitions:
            self._sweep(lambda entity: getattr(entity, "definition_id", None) in definitions, None)
        self.continuation_keys = {key: pid for key, pid in self.continuation_keys.items() if pid in self.pipelines}

    def delete_org(self, org: Org) -> None:
        """Delete the organization, its projects (as ``delete_project``) and everything else it owns:
        contexts, groups, URL orb allow-list entries, OIDC claims, policies, usage exports (every
        entity whose ``org_id`` or ``owner_id`` is its id, or whose ``owner`` or ``org`` it is), and
        its place in its members' organizations."""
        for project in [p for p in self.projects.values() if p.org is org]:
            self.delete_project(project)
        self._sweep(lambda entity: org.id in (getattr(entity, "org_id", None), getattr(entity, "owner_id", None))
                    or org in (getattr(entity, "owner", None), getattr(entity, "org", None)), org.id)
        for user in self.users.values():
            if org.id in user.org_ids:
                user.org_ids.remove(org.id)

    def _collections(self):
        """(name, dict) for every collection of the store (its dict attributes but the seed)."""
        return [(name, value) for name, value in vars(self).items() if isinstance(value, dict) and name != "seed"]

    def _sweep(self, owned, key) -> list:
        """Remove every entity for which ``owned(entity)`` holds, and every entry keyed by ``key`` or
        by a tuple that contains it; returns the entities removed."""
        removed = []
        for _name, collection in self._collections():
            for item_key, value in list(collection.items()):
                keyed = key is not None and (item_key == key or (isinstance(item_key, tuple) and key in item_key))
                if keyed or (is_dataclass(value) and owned(value)):
                    removed.append(collection.pop(item_key))
        return removed

    # ------------------------------------------------------------------ seed
    def _load(self, seed: dict) -> None:
        try:
            for raw in seed.get("orgs") or []:
                self._load_org(raw)
            for raw in seed.get("users") or []:
                self._load_user(raw)
            for raw in seed.get("contexts") or []:
                self._load_context(raw)
        except KeyError as exc:
            raise SeedError(f"seed entry lacks the required key {exc}") from exc
        except (TypeError, AttributeError) as exc:
            raise SeedError(f"malformed seed: {exc}") from exc

    def _load_org(self, raw: dict) -> None:
        vcs = PREFIX_VCS.get(str(raw["vcs_type"]).lower())
        if vcs is None:
            raise SeedError(f"org {raw.get('name')}: vcs_type must be github, bitbucket or circleci")
        org = self.add_org(vcs, str(raw["name"]), _uuid(raw["id"]), raw.get("avatar_url") or "")
        for praw in raw.get("projects") or []:
            project = self.add_project(org, str(praw["name"]), _uuid(praw["id"]), praw.get("default_branch") or "main",
                                       praw.get("vcs_url") or "")
            self._load_definitions(project, praw)
        self._load_org_resources(org, raw)

    def _load_org_resources(self, org: Org, raw: dict) -> None:
        """The org's groups and URL orb allow-list entries."""
        for graw in raw.get("groups") or []:
            group = Group(_uuid(graw.get("id") or self.new_id()), org.id, str(graw["name"]),
                          str(graw.get("description") or ""), self.next_seq())
            self.groups[group.id] = group
        for eraw in raw.get("url_orb_allow_list") or []:
            auth = str(eraw.get("auth") or "none")
            if auth not in ORB_AUTH_METHODS:
                raise SeedError(f"org {org.name}: url_orb_allow_list auth must be one of {', '.join(ORB_AUTH_METHODS)}")
            entry = OrbAllowListEntry(_uuid(eraw.get("id") or self.new_id()), org.id, str(eraw["name"]),
                                      str(eraw["prefix"]), auth, self.next_seq())
            self.url_orb_allow_list[entry.id] = entry

    def _load_user(self, raw: dict) -> None:
        memberships = raw.get("orgs")
        if memberships is None:
            org_ids = list(self.orgs)
        else:
            org_ids = []
            for ref in memberships:
                org = self.org_by_slug_or_id(str(ref))
                if org is None:
                    raise SeedError(f"user {raw.get('login')}: unknown org {ref}")
                org_ids.append(org.id)
        user = User(_uuid(raw["id"]), str(raw["login"]), str(raw.get("name") or raw["login"]),
                    raw.get("avatar_url") or "", [str(t) for t in raw.get("tokens") or []], org_ids)
        self.users[user.id] = user
        for token in user.tokens:
            self.tokens[token] = user

    def _load_definitions(self, project: Project, praw: dict) -> None:
        """The project's pipeline definitions; one default definition when the seed names none."""
        raws = praw.get("pipeline_definitions")
        if raws is None:
            raws = [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"pipeline-definition:{project.id}"))}]
        for draw in raws:
            definition = PipelineDefinition(
                _uuid(draw["id"]), project.id, str(draw.get("name") or "build-and-test"),
                str(draw.get("description") or "The project's .circleci/config.yml"),
                draw.get("created_at") or self.now(), str(draw.get("file_path") or ".circleci/config.yml"),
                self.next_seq())
            self.pipeline_definitions[definition.id] = definition

    def _load_context(self, raw: dict) -> None:
        owner = self.org_by_slug_or_id(str(raw["owner"]))
        if owner is None:
            raise SeedError(f"context {raw.get('name')}: unknown owner {raw['owner']}")
        now = raw.get("created_at") or self.now()
        ctx = Context(_uuid(raw.get("id") or self.new_id()), str(raw["name"]), owner,
                      raw.get("owner_type") or "organization", now, self.next_seq())
        for name, value in (raw.get("env_vars") or raw.get("variables") or {}).items():
            ctx.variables[name] = EnvVar(name, str(value), now, now, self.next_seq())
        for r in raw.get("restrictions") or []:
            rtype, value = r["type"], str(r["value"])
            restriction = Restriction(self.new_id(), rtype, value, self.next_seq())
            if rtype == "project":
                project = self.projects.get(value) or self.project_by_slug(value)
                if project is None:
                    raise SeedError(f"context {ctx.name}: unknown project {value}")
                restriction.value = restriction.project_id = project.id
                restriction.name = project.name
            ctx.restrictions.append(restriction)
        self.contexts[ctx.id] = ctx


def _uuid(value: object) -> str:
    if not is_uuid(value):
        raise SeedError(f"{value!r} is not a UUID")
    return str(value).lower()


def _default_vcs_url(project: Project) -> str:
    org = project.org
    if org.vcs_type == "github":
        return f"https://github.com/{org.name}/{project.name}"
    if org.vcs_type == "bitbucket":
        return f"https://bitbucket.org/{org.name}/{project.name}"
    return f"//circleci.com/{org.id}/{project.id}"


__all__ = ["Store", "User", "Org", "Project", "Group", "OrbAllowListEntry", "ORB_AUTH_METHODS", "Context", "EnvVar", "Restriction", "OidcClaims", "Policy",
           "DecisionLog", "PolicyOwner", "PipelineDefinition", "Pipeline", "Workflow", "Job", "UsageExport",
           "VCS_PROVIDER", "DEFAULT_PROJECT_SETTINGS", "iso"]
