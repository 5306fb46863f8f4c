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
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

USER_ID = "e0000000-0000-4000-8000-000000000001"
TOKEN = "emulator-token"
ACME_ORG_ID = "a0000000-0000-4000-8000-000000000001"
ACME_API_PROJECT_ID = "a0000000-0000-4000-8000-000000000101"
ACME_WEB_PROJECT_ID = "a0000000-0000-4000-8000-000000000102"
STANDALONE_ORG_ID = "c0000000-0000-4000-8000-000000000002"
STANDALONE_PROJECT_ID = "c0000000-0000-4000-8000-000000000201"
# The seeded pipeline definition of each project (POST .../pipeline/run needs its id).
ACME_API_DEFINITION_ID = "d0000000-0000-4000-8000-000000000101"
ACME_WEB_DEFINITION_ID = "d0000000-0000-4000-8000-000000000102"
STANDALONE_DEFINITION_ID = "d0000000-0000-4000-8000-000000000201"
DEFINITION_NAME = "build-and-test"
# The actor of schedules created with attribution-actor "system" (login system-actor, name Scheduled).
SYSTEM_ACTOR_ID = "5c4ed01e-0000-4000-8000-000000000001"

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
                 "pipeline_definitions": [{"id": ACME_API_DEFINITION_ID, "name": DEFINITION_NAME}]},
                {"id": ACME_WEB_PROJECT_ID, "name": "web", "default_branch": "main",
                 "pipeline_definitions": [{"id": ACME_WEB_DEFINITION_ID, "name": DEFINITION_NAME}]},
            ],
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
