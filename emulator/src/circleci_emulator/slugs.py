"""Project and organization slugs.

``gh/ORG/REPO`` = ``github/ORG/REPO``, ``bb/...`` = ``bitbucket/...``;
standalone, GitLab and GitHub App orgs use ``circleci/ORG_UUID/PROJECT_UUID``.
The emulator answers with the short form (``gh``, ``bb``).
"""

from __future__ import annotations

import uuid

VCS_PREFIX = {"github": "gh", "bitbucket": "bb", "circleci": "circleci"}
PREFIX_VCS = {"gh": "github", "github": "github", "bb": "bitbucket", "bitbucket": "bitbucket", "circleci": "circleci"}
VCS_PROVIDER = {"github": "GitHub", "bitbucket": "Bitbucket", "circleci": "CircleCI"}


def split_slug(slug: str, parts: int) -> tuple[str, list[str]] | None:
    """('github', ['acme', 'api']) for 'gh/acme/api' with parts=3; None if malformed."""
    items = slug.split("/")
    if len(items) != parts or not all(items):
        return None
    vcs = PREFIX_VCS.get(items[0].lower())
    if vcs is None:
        return None
    return vcs, items[1:]


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36
