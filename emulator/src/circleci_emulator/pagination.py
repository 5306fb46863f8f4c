"""The one pagination helper.

Lists are ordered by a stable key (the store's sequence numbers). A page token
is an opaque cursor naming the list it belongs to and the last key served, so
deleting items between pages neither skips nor repeats others. A token that
does not decode, or belongs to another list, answers 404 (as the live service).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Callable, Iterable

from .errors import ApiError

INVALID_TOKEN = "Invalid page token."


def encode_token(scope: str, last_key: int) -> str:
    raw = json.dumps({"s": scope, "k": last_key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, scope: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        if data["s"] != scope or not isinstance(data["k"], int):
            raise ValueError(token)
        return data["k"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError(404, INVALID_TOKEN) from exc


def paginate(items: Iterable, *, scope: str, page_token: str | None, page_size: int,
             key: Callable = lambda item: item.seq, render: Callable = lambda item: item) -> dict:
    """``{"items": [...], "next_page_token": str | None}`` for one page."""
    ordered = sorted(items, key=key)
    if page_token is not None:
        after = decode_token(page_token, scope)
        ordered = [item for item in ordered if key(item) > after]
    page = ordered[:page_size]
    more = len(ordered) > page_size
    return {
        "items": [render(item) for item in page],
        "next_page_token": encode_token(scope, key(page[-1])) if more else None,
    }
