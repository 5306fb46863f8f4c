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
import secrets
import threading
import uuid
from dataclasses import dataclass, field, is_dataclass
from datetime import datetime, timedelta, timezone

from . import runner_state
from .seed import SeedError, default_seed
from .slugs import PREFIX_VCS, VCS_PREFIX, VCS_PROVIDER, circleci_segment_matches, is_uuid, opaque_id, split_slug


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
            return f"circleci/{opaque_id(self.id)}"
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
            return f"{self.org.slug}/{opaque_id(self.id)}"
        return f"{self.org.slug}/{self.name}"

    @property
    def repo_external_id(self) -> str:
        """The external id of the project's own repository: a number, as GitHub's repository
        ids are, derived from the project id (stable across resets)."""
        return str(uuid.UUID(self.id).int % 900_000_000 + 100_000_000)


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
    """A pipeline definition: where its config comes from and what a checkout step checks out.

    A source's repository is the VCS's external id (``repo``), None for the ``circleci``
    config provider (config kept by CircleCI, no repository)."""

    id: str
    project_id: str
    name: str
    description: str
    created_at: str
    file_path: str
    seq: int
    config_provider: str = "github_app"
    config_repo: str | None = None
    checkout_provider: str = "github_app"
    checkout_repo: str | None = None


@dataclass
class Trigger:
    """A trigger of a pipeline definition (``definition_id``): events from a repository
    (``github_app``, ``github_oauth``, ``github_server``: ``repo`` is its external id) or a
    custom webhook (``webhook``: ``webhook_url`` embeds its secret). Refs are "" when unset."""

    id: str
    project_id: str
    definition_id: str
    provider: str
    created_at: str
    seq: int
    repo: str | None = None
    webhook_url: str | None = None
    webhook_sender: str = ""
    event_preset: str | None = None
    checkout_ref: str = ""
    config_ref: str = ""
    event_name: str = ""
    disabled: bool = False
    name: str | None = None  # circleci-cli sends name and description; the spec has neither
    description: str | None = None
    parameters: dict | None = None  # the Terraform provider sends parameters; the spec has none


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
    errors: list = field(default_factory=list)  # [{type, message}]: an errored pipeline (no workflows)
    seeded: bool = False  # a pipeline of the seeded insights history (engine.seeded_pipeline): never listed


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
    max_auto_reruns: int | None = None  # the configuration's max_auto_reruns
    seeded: bool = False  # a workflow of the seeded insights history
    auto_rerun_number: int | None = None  # N for the Nth automatic rerun


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
    tests: list | None = None  # the test results of a job of the seeded history (else computed)


@dataclass
class DeployEnvironment:
    """An environment of an org's deploys (read-only: CircleCI records them from deploy markers)."""

    id: str
    org_id: str
    name: str
    description: str
    labels: list  # [{"key": str, "value": str}]
    created_at: str
    updated_at: str
    seq: int


@dataclass
class DeployComponent:
    """A deployable component of a project (read-only, like environments)."""

    id: str
    org_id: str
    project_id: str
    name: str
    labels: list
    created_at: str
    updated_at: str
    seq: int


@dataclass
class ComponentVersion:
    """One version of a component deployed to an environment and namespace (a seeded deploy).

    Whether it is live, and what a successful rollback changed, is computed (engine.py)."""

    component_id: str
    environment_id: str
    namespace: str
    name: str
    deployed_at: str
    pipeline_id: str  # the all-zero UUID when no pipeline was recorded
    workflow_id: str
    job_id: str
    job_number: int | None
    seq: int


@dataclass
class Rollback:
    """POST /projects/{id}/rollback: its pipeline deploys target_version once its job succeeded."""

    pipeline_id: str
    project_id: str
    component_id: str
    environment_id: str
    namespace: str
    component_name: str
    environment_name: str
    current_version: str
    target_version: str
    reason: str | None
    created_at: str
    seq: int


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
            self.triggers: dict[str, Trigger] = {}  # every trigger; each names its project and definition
            self.pipelines: dict[str, Pipeline] = {}
            self.workflows: dict[str, Workflow] = {}
            self.jobs: dict[str, Job] = {}
            self.pipeline_numbers: dict[str, int] = {}  # project id -> last pipeline number
            self.job_numbers: dict[str, int] = {}  # project id -> last job number
            self.continuation_keys: dict[str, str] = {}  # unused key -> pipeline id
            self.usage_exports: dict[str, UsageExport] = {}
            self.usage_export_creates: dict[str, list] = {}  # org id -> monotonic times of creates
            # Deploys (seeded, read-only) and rollbacks: api/deploy.py, engine.component_versions.
            self.deploy_environments: dict[str, DeployEnvironment] = {}
            self.deploy_components: dict[str, DeployComponent] = {}
            self.component_versions: list[ComponentVersion] = []
            self.rollback_definitions: dict[str, str] = {}  # project id -> its rollback pipeline definition id
            self.rollbacks: dict[str, Rollback] = {}  # rollback pipeline id -> rollback
            self.runner = runner_state.RunnerState()  # the self-hosted runner API (runner_state.py)
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
            if vcs == "circleci" and circleci_segment_matches(name, org.id):
                return org
            if vcs != "circleci" and org.name.lower() == name.lower():
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
            if vcs == "circleci" and circleci_segment_matches(project_part, project.id):
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

    def repo_full_name(self, org: Org, external_id: str) -> str:
        """The ``org/repo`` name of a repository by its external id: a project's own repository
        (``Project.repo_external_id``) by that project's name, any other one
        ``<org name>/repo-<external id>`` (as CircleCI's own fake of the API names them)."""
        for project in self.projects.values():
            if project.repo_external_id == external_id:
                return f"{project.org.name}/{project.name}"
        return f"{org.name}/repo-{external_id}"

    def delete_definition(self, definition_id: str) -> None:
        """Delete a pipeline definition and its triggers."""
        self.pipeline_definitions.pop(definition_id, None)
        for trigger_id in [t.id for t in self.triggers.values() if t.definition_id == definition_id]:
            del self.triggers[trigger_id]

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
                self._load_deploy(self.orgs[_uuid(raw["id"])], raw)
            for raw in seed.get("users") or []:
                self._load_user(raw)
            for raw in seed.get("contexts") or []:
                self._load_context(raw)
            runner_state.load(self.runner, seed.get("runner"), self)
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
        """The project's pipeline definitions and their triggers; one default definition when the
        seed names none. Sources default to the project's own repository, with the provider of
        its organization's kind (``github_oauth``, ``bitbucket_oauth``, ``github_app``)."""
        raws = praw.get("pipeline_definitions")
        if raws is None:
            raws = [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"pipeline-definition:{project.id}"))}]
        provider = SEEDED_PROVIDER[project.org.vcs_type]
        for draw in raws:
            config = draw.get("config_source") or {}
            checkout = draw.get("checkout_source") or {}
            config_provider = str(config.get("provider") or provider)
            definition = PipelineDefinition(
                _uuid(draw["id"]), project.id, str(draw.get("name") or "build-and-test"),
                str(draw.get("description") or "The project's .circleci/config.yml"),
                draw.get("created_at") or self.now(),
                str(config.get("file_path") or draw.get("file_path") or ".circleci/config.yml"),
                self.next_seq(), config_provider,
                None if config_provider == "circleci" else _repo_of(config, project),
                str(checkout.get("provider") or provider), _repo_of(checkout, project))
            self.pipeline_definitions[definition.id] = definition
            for traw in draw.get("triggers") or []:
                self._load_trigger(definition, traw)

    def _load_trigger(self, definition: PipelineDefinition, raw: dict) -> None:
        """A seeded trigger, in the shape of the create request (plus an optional id, and a
        webhook ``secret``); the rules of the API are not applied to seeds."""
        source = raw.get("event_source") or {}
        provider = str(source.get("provider") or "github_app")
        trigger = Trigger(_uuid(raw.get("id") or self.new_id()), definition.project_id, definition.id, provider,
                          raw.get("created_at") or self.now(), self.next_seq(),
                          event_preset=raw.get("event_preset"), checkout_ref=str(raw.get("checkout_ref") or ""),
                          config_ref=str(raw.get("config_ref") or ""), event_name=str(raw.get("event_name") or ""),
                          disabled=bool(raw.get("disabled")))
        if provider == "webhook":
            webhook = source.get("webhook") or {}
            trigger.webhook_sender = str(webhook.get("sender") or "")
            trigger.webhook_url = webhook_url(trigger.id, webhook.get("secret"))
        else:
            trigger.repo = str((source.get("repo") or {}).get("external_id")
                               or self.projects[definition.project_id].repo_external_id)
        self.triggers[trigger.id] = trigger

    def _load_deploy(self, org: Org, raw: dict) -> None:
        """The org's deploy environments, components and versions, and its projects' rollback
        pipeline definitions."""
        self._load_rollback_definitions(raw)
        deploy = raw.get("deploy") or {}
        environments = {}
        for eraw in deploy.get("environments") or []:
            now = eraw.get("created_at") or self.now()
            env = DeployEnvironment(_uuid(eraw["id"]), org.id, str(eraw["name"]), str(eraw.get("description") or ""),
                                    _labels(eraw.get("labels")), now, now, self.next_seq())
            self.deploy_environments[env.id] = environments[env.name] = env
        for craw in deploy.get("components") or []:
            project = self._org_project(org, str(craw["project"]))
            if project is None:
                raise SeedError(f"component {craw['name']}: {craw['project']} is not a project of org {org.name}")
            now = craw.get("created_at") or self.now()
            component = DeployComponent(_uuid(craw["id"]), org.id, project.id, str(craw["name"]),
                                        _labels(craw.get("labels")), now, now, self.next_seq())
            self.deploy_components[component.id] = component
            self._load_versions(component, craw.get("versions") or [], environments)

    def _load_rollback_definitions(self, raw: dict) -> None:
        """``rollback_pipeline_definition`` of a project: one of its own definitions, by name or id."""
        for praw in raw.get("projects") or []:
            ref = praw.get("rollback_pipeline_definition")
            if ref is None:
                continue
            project_id = _uuid(praw["id"])
            definition = next((d for d in self.pipeline_definitions.values() if d.project_id == project_id
                               and str(ref) in (d.id, d.name)), None)
            if definition is None:
                raise SeedError(f"project {praw['name']}: rollback_pipeline_definition {ref} "
                                "is not one of its pipeline definitions")
            self.rollback_definitions[project_id] = definition.id

    def _org_project(self, org: Org, ref: str) -> Project | None:
        """A project of `org` by name or id."""
        for project in self.projects.values():
            if project.org is org and (project.id == ref.lower() or project.name == ref):
                return project
        return None

    def _load_versions(self, component: DeployComponent, raws: list, environments: dict) -> None:
        """Versions are listed oldest deploy first; without ``deployed_at`` they were deployed an hour apart,
        the last one an hour ago."""
        now = datetime.now(timezone.utc)
        seen = set()
        for index, vraw in enumerate(raws):
            env = environments.get(str(vraw["environment"]))
            if env is None:
                raise SeedError(f"component {component.name}: unknown environment {vraw['environment']}")
            key = (env.id, str(vraw.get("namespace") or "default"), str(vraw["name"]))
            if key in seen:
                raise SeedError(f"component {component.name}: version {vraw['name']} listed twice for "
                                f"{vraw['environment']} (one entry per version and namespace)")
            seen.add(key)
            deployed = vraw.get("deployed_at") or iso(now - timedelta(hours=len(raws) - index))
            version = ComponentVersion(
                component.id, env.id, str(vraw.get("namespace") or "default"), str(vraw["name"]), deployed,
                _uuid(vraw.get("pipeline_id") or ZERO_UUID), _uuid(vraw.get("workflow_id") or ZERO_UUID),
                _uuid(vraw.get("job_id") or ZERO_UUID), vraw.get("job_number"), self.next_seq())
            self.component_versions.append(version)

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


# What the service answers for a version's pipeline, workflow or job that was never recorded.
ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def _labels(raw) -> list:
    """Labels given as a mapping {key: value} (or already as [{key, value}])."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [{"key": str(k), "value": str(v)} for k, v in raw.items()]
    return [{"key": str(item["key"]), "value": str(item["value"])} for item in raw]


# The provider of a seeded definition's sources, by the kind of its project's organization.
SEEDED_PROVIDER = {"github": "github_oauth", "bitbucket": "bitbucket_oauth", "circleci": "github_app"}
# Where a webhook trigger is called (the shape of CircleCI's inbound webhook URLs; inferred).
WEBHOOK_URL_BASE = "https://internal.circleci.com/private/soc/e/"


def webhook_url(trigger_id: str, secret: str | None = None) -> str:
    """The URL of a webhook trigger: it embeds a secret (random unless given)."""
    return f"{WEBHOOK_URL_BASE}{trigger_id}?secret={secret or secrets.token_urlsafe(24)}"


def _repo_of(source: dict, project: Project) -> str:
    """A seeded source's repository external id; default: the project's own repository."""
    return str((source.get("repo") or {}).get("external_id") or project.repo_external_id)


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


__all__ = ["Store", "User", "Org", "Project", "Group", "OrbAllowListEntry", "ORB_AUTH_METHODS", "Context", "EnvVar",
           "Restriction", "OidcClaims", "Policy", "DecisionLog", "PolicyOwner", "PipelineDefinition", "Trigger", "Pipeline",
           "Workflow", "Job", "UsageExport", "DeployEnvironment", "DeployComponent", "ComponentVersion", "Rollback",
           "ZERO_UUID", "VCS_PROVIDER", "DEFAULT_PROJECT_SETTINGS", "SEEDED_PROVIDER", "iso", "webhook_url"]
