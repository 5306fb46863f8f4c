"""Seed data: the built-in default and seed files (JSON or YAML).

Format (all keys optional unless marked)::

    users:
      - id: UUID                    # required
        login: emulator-user        # required
        name: Emulator User
        avatar_url: https://...
        tokens: [emulator-token]    # API tokens of this user
        orgs: [gh/acme]             # org slugs or ids the user belongs to (default: all)
    orgs:
      - id: UUID                    # required
        vcs_type: github            # github | bitbucket | circleci (standalone); required
        name: acme                  # required (for circleci orgs a display name)
        avatar_url: https://...
        projects:
          - id: UUID                # required
            name: api               # required
            default_branch: main
            vcs_url: https://github.com/acme/api
            pipeline_definitions:   # default: one definition, id uuid5(URL, "pipeline-definition:<project id>")
              - id: UUID            # required
                name: build-and-test
                description: ...
                file_path: .circleci/config.yml
                config_source: {provider: circleci, file_path: ...}   # the create shape; default:
                checkout_source: {provider: github_app, repo: {external_id: "123"}}  # the project's repo
                triggers:           # the create shape, plus id and a webhook's secret (both optional)
                  - {event_source: {provider: webhook, webhook: {sender: ci, secret: s}},
                     event_name: deploy, checkout_ref: main, config_ref: main}
            rollback_pipeline_definition: build-and-test   # one of its definitions (name or id): it can roll back
        deploy:                     # deploy environments and components (read-only through the API)
          environments:
            - {id: UUID, name: production, description: ..., labels: {tier: prod}}   # id, name required
          components:
            - id: UUID              # required
              name: api             # required
              project: api          # a project of this org, by name or id; required
              labels: {team: backend}
              versions:             # oldest deploy first; the newest per environment and namespace is live
                - name: 1.0.0       # required
                  environment: production   # an environment above, by name; required
                  namespace: default
                  deployed_at: 2025-01-10T12:00:00.000Z   # default: an hour apart, the last an hour ago
                  pipeline_id: UUID # also workflow_id, job_id (default: the all-zero UUID), job_number
        groups:                     # optional
          - id: UUID                # default: random
            name: Release managers  # required
            description: ...        # default: ""
        url_orb_allow_list:         # optional
          - id: UUID                # default: random
            name: CircleCI-Public   # required
            prefix: https://raw.githubusercontent.com/CircleCI-Public/   # required
            auth: none              # none | github-oauth | github-app | bitbucket-oauth; default none
    contexts:
      - name: deploy                # required
        owner: gh/acme              # org slug or org id; required
        id: UUID                    # default: random
        env_vars: {NAME: value}     # ("variables" is accepted too)
        restrictions:
          - {type: project, value: PROJECT_UUID}   # or expression / group
    runner:                         # the self-hosted runner API (runner_state.py)
      namespaces:
        - name: acme                # required; one per org
          org: gh/acme              # org slug or id; required
      resource_classes:
        - resource_class: acme/linux-x64   # NAMESPACE/NAME of a namespace above; required
          id: UUID                  # default: random
          description: ...
          unclaimed_task_count: 0
          running_runner_tasks: 0
          tokens:
            - nickname: fleet       # required
              id: UUID              # default: random
              token: VALUE          # default: random
          agents:                   # agents that connected with a token of the class
            - hostname: runner-1.acme.internal   # required
              name: runner-1
              version: 3.1.2
              ip: 10.0.0.11
              first_connected: 2026-01-05T09:00:00Z   # null allowed, as last_connected, last_used
              last_connected: ...
              last_used: ...
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .slugs import opaque_id

USER_ID = "e0000000-0000-4000-8000-000000000001"
TOKEN = "emulator-token"
ACME_ORG_ID = "a0000000-0000-4000-8000-000000000001"
ACME_API_PROJECT_ID = "a0000000-0000-4000-8000-000000000101"
ACME_WEB_PROJECT_ID = "a0000000-0000-4000-8000-000000000102"
STANDALONE_ORG_ID = "c0000000-0000-4000-8000-000000000002"
STANDALONE_PROJECT_ID = "c0000000-0000-4000-8000-000000000201"
# The slugs the service answers for them: opaque, base58 of each UUID's 16 bytes (slugs.py).
# Paths also take the UUID form, circleci/<org id>/<project id>.
STANDALONE_ORG_SLUG = f"circleci/{opaque_id(STANDALONE_ORG_ID)}"  # circleci/Qi81Dp4C8a8LZcjYGWFbAH
STANDALONE_PROJECT_SLUG = f"{STANDALONE_ORG_SLUG}/{opaque_id(STANDALONE_PROJECT_ID)}"  # .../Qi81Dp4C8a8LZcjYGWFbK6
# The seeded pipeline definition of each project (POST .../pipeline/run needs its id).
ACME_API_DEFINITION_ID = "d0000000-0000-4000-8000-000000000101"
ACME_WEB_DEFINITION_ID = "d0000000-0000-4000-8000-000000000102"
STANDALONE_DEFINITION_ID = "d0000000-0000-4000-8000-000000000201"
DEFINITION_NAME = "build-and-test"
# The self-hosted runner API's seed: a namespace for each seeded org, and resource classes whose
# agents the runner inventory tests read (tests/integration/targets/circleci_runners).
RUNNER_NAMESPACE = "acme"
RUNNER_CLASS = "acme/linux-x64"
RUNNER_CLASS_ID = "f0000000-0000-4000-8000-000000000001"
RUNNER_MACOS_CLASS = "acme/macos-arm64"
RUNNER_MACOS_CLASS_ID = "f0000000-0000-4000-8000-000000000002"
RUNNER_PLATFORM_NAMESPACE = "acme-platform"
RUNNER_GPU_CLASS = "acme-platform/gpu"
RUNNER_GPU_CLASS_ID = "f0000000-0000-4000-8000-000000000003"
# The actor of schedules created with attribution-actor "system" (login system-actor, name Scheduled).
SYSTEM_ACTOR_ID = "5c4ed01e-0000-4000-8000-000000000001"
# Deploys of gh/acme: two environments, three components; gh/acme/api can roll back (its rollback
# pipeline definition is its one seeded definition, named so that a seed without it keeps it), gh/acme/web cannot.
PRODUCTION_ENVIRONMENT_ID = "de000000-0000-4000-8000-000000000001"
STAGING_ENVIRONMENT_ID = "de000000-0000-4000-8000-000000000002"
API_COMPONENT_ID = "de000000-0000-4000-8000-000000000101"
WORKER_COMPONENT_ID = "de000000-0000-4000-8000-000000000102"
WEB_COMPONENT_ID = "de000000-0000-4000-8000-000000000103"


def _deploys(environment: str, names: list, namespace: str = "default") -> list:
    return [{"name": name, "environment": environment, "namespace": namespace} for name in names]


ACME_DEPLOY: dict = {
    "environments": [
        {"id": PRODUCTION_ENVIRONMENT_ID, "name": "production", "description": "Customer-facing",
         "labels": {"tier": "prod"}},
        {"id": STAGING_ENVIRONMENT_ID, "name": "staging", "description": "Release candidates",
         "labels": {"tier": "staging"}},
    ],
    "components": [
        # 25 releases in production: more than one page of versions
        {"id": API_COMPONENT_ID, "name": "api", "project": "api", "labels": {"team": "backend"},
         "versions": _deploys("production", [f"1.{minor}.0" for minor in range(25)])
         + _deploys("staging", ["1.24.0", "1.25.0"])},
        {"id": WORKER_COMPONENT_ID, "name": "worker", "project": "api", "labels": {"team": "backend"},
         "versions": _deploys("production", ["2.0.0", "2.1.0"], namespace="jobs")},
        {"id": WEB_COMPONENT_ID, "name": "web", "project": "web", "labels": {"team": "frontend"},
         "versions": _deploys("production", ["3.0.0", "3.1.0"]) + _deploys("staging", ["3.2.0"])},
    ],
}

DEFAULT_SEED: dict = {
    "users": [
        {
            "id": USER_ID,
            "login": "emulator-user",
            "name": "Emulator User",
            "avatar_url": "https://avatars.example.invalid/emulator-user",
            "tokens": [TOKEN],
        }
    ],
    "orgs": [
        {
            "id": ACME_ORG_ID,
            "vcs_type": "github",
            "name": "acme",
            "avatar_url": "https://avatars.example.invalid/acme",
            "projects": [
                {"id": ACME_API_PROJECT_ID, "name": "api", "default_branch": "main",
                 "pipeline_definitions": [{"id": ACME_API_DEFINITION_ID, "name": DEFINITION_NAME}],
                 "rollback_pipeline_definition": DEFINITION_NAME},
                {"id": ACME_WEB_PROJECT_ID, "name": "web", "default_branch": "main",
                 "pipeline_definitions": [{"id": ACME_WEB_DEFINITION_ID, "name": DEFINITION_NAME}]},
            ],
            "deploy": ACME_DEPLOY,
        },
        {
            "id": STANDALONE_ORG_ID,
            "vcs_type": "circleci",
            "name": "acme-standalone",
            "avatar_url": "https://avatars.example.invalid/acme-standalone",
            "projects": [{"id": STANDALONE_PROJECT_ID, "name": "platform", "default_branch": "main",
                          "pipeline_definitions": [{"id": STANDALONE_DEFINITION_ID, "name": DEFINITION_NAME}]}],
        },
    ],
    "contexts": [],
    "runner": {
        "namespaces": [{"name": RUNNER_NAMESPACE, "org": "gh/acme"},
                       {"name": RUNNER_PLATFORM_NAMESPACE, "org": STANDALONE_ORG_ID}],
        "resource_classes": [
            {"id": RUNNER_CLASS_ID, "resource_class": RUNNER_CLASS, "description": "Linux x64 machines",
             "created_at": "2026-01-05T08:00:00.000Z", "unclaimed_task_count": 2, "running_runner_tasks": 1,
             "tokens": [{"id": "f1000000-0000-4000-8000-000000000001", "nickname": "fleet",
                         "created_at": "2026-01-05T08:01:00.000000Z"}],
             "agents": [
                 {"hostname": "runner-1.acme.internal", "name": "runner-1", "version": "3.1.2", "ip": "10.0.0.11",
                  "first_connected": "2026-01-05T09:00:00Z", "last_connected": "2026-03-02T10:00:00Z",
                  "last_used": "2026-03-02T09:58:00Z"},
                 {"hostname": "runner-2.acme.internal", "name": "runner-2", "version": "3.0.9", "ip": "10.0.0.12",
                  "first_connected": "2026-01-05T09:05:00Z", "last_connected": "2026-03-02T10:00:05Z",
                  "last_used": "2026-02-27T16:20:00Z"},
             ]},
            {"id": RUNNER_MACOS_CLASS_ID, "resource_class": RUNNER_MACOS_CLASS, "description": "macOS arm64 machines",
             "created_at": "2026-01-06T08:00:00.000Z",
             "tokens": [{"id": "f1000000-0000-4000-8000-000000000002", "nickname": "mac-1",
                         "created_at": "2026-01-06T08:01:00.000000Z"}],
             "agents": [
                 {"hostname": "mac-1.acme.internal", "name": "mac-1", "version": "3.1.2",
                  "first_connected": "2026-01-06T09:00:00Z", "last_connected": "2026-03-02T10:00:10Z",
                  "last_used": None},
             ]},
            {"id": RUNNER_GPU_CLASS_ID, "resource_class": RUNNER_GPU_CLASS, "description": "GPU machines",
             "created_at": "2026-01-07T08:00:00.000Z",
             "tokens": [{"id": "f1000000-0000-4000-8000-000000000003", "nickname": "gpu-1",
                         "created_at": "2026-01-07T08:01:00.000000Z"}],
             "agents": [
                 {"hostname": "gpu-1.acme.internal", "name": "gpu-1", "version": "3.1.2", "ip": "10.0.1.21",
                  "first_connected": "2026-01-07T09:00:00Z", "last_connected": "2026-03-02T10:00:20Z",
                  "last_used": "2026-03-01T22:10:00Z"},
             ]},
        ],
    },
}


class SeedError(ValueError):
    pass


def default_seed() -> dict:
    return copy.deepcopy(DEFAULT_SEED)


def load_seed_file(path: str | Path) -> dict:
    """Read a seed file: JSON, or YAML (needs PyYAML) for .yml/.yaml or non-JSON text."""
    text = Path(path).read_text(encoding="utf-8")
    if Path(path).suffix.lower() == ".json":
        data = json.loads(text)
    else:
        try:
            data = json.loads(text)
        except ValueError:
            try:
                import yaml
            except ImportError as exc:  # pragma: no cover - pyyaml is a dependency
                raise SeedError("YAML seed files need PyYAML") from exc
            data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise SeedError(f"{path}: a seed must be a mapping")
    return data
