"""Project and organization slugs.

``gh/ORG/REPO`` = ``github/ORG/REPO``, ``bb/...`` = ``bitbucket/...``: the
emulator answers with the short form (``gh``, ``bb``).

Organizations of type ``circleci`` (GitHub App, GitLab, standalone) and their
projects have **opaque** slugs: ``circleci/<org>/<project>``, each segment the
base58 encoding (Bitcoin alphabet) of the 16 bytes of the UUID, as CircleCI's
own fake of the API builds them (terraform-provider-circleci
``fakecircle/org.go``: ``fmtOrgSlug``, ``fmtProjectSlugSuffix``). The spec's
parameter text says the segments are the ids, so paths accept both forms
(:func:`circleci_segment_matches`); answers always carry the opaque one.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

VCS_PREFIX = {"github": "gh", "bitbucket": "bb", "circleci": "circleci"}
PREFIX_VCS = {"gh": "github", "github": "github", "bb": "bitbucket", "bitbucket": "bitbucket", "circleci": "circleci"}
VCS_PROVIDER = {"github": "GitHub", "bitbucket": "Bitbucket", "circleci": "CircleCI"}

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {c: i for i, c in enumerate(BASE58_ALPHABET)}


def base58_encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet); each leading zero byte becomes a leading ``1``."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, digit = divmod(number, 58)
        out.append(BASE58_ALPHABET[digit])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58_decode(text: str) -> bytes | None:
    """The bytes of a base58 string, or None when it holds a character outside the alphabet."""
    number = 0
    for char in text:
        digit = _BASE58_INDEX.get(char)
        if digit is None:
            return None
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


@lru_cache(maxsize=1024)
def opaque_id(uuid_text: str) -> str:
    """The opaque slug segment of a UUID: base58 of its 16 bytes."""
    return base58_encode(uuid.UUID(uuid_text).bytes)


def uuid_of_opaque(segment: str) -> str | None:
    """The UUID an opaque segment encodes (lower case), or None when it encodes no 16 bytes."""
    data = base58_decode(segment)
    if data is None or len(data) != 16:
        return None
    return str(uuid.UUID(bytes=data))


def circleci_segment_matches(segment: str, uuid_text: str) -> bool:
    """Whether a ``circleci/...`` slug segment names this UUID: its opaque form (case matters:
    base58 is case-sensitive) or the UUID itself (any case)."""
    if segment == opaque_id(uuid_text):
        return True
    return is_uuid(segment) and segment.lower() == uuid_text


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
