"""Checkout keys: /project/{project-slug}/checkout-key[/{fingerprint}].

Created keys are real-looking SSH public keys (``ssh-rsa``, a random 2048-bit
modulus in the SSH wire format) with both fingerprints computed from the key
blob: md5 ``c9:0b:...`` and sha256 ``SHA256:<base64, no padding>``. Keys
cannot be updated. Not available for ``circleci/...`` projects (400).
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct

from ..errors import bad_request, not_found
from ..pagination import paginate
from ..store import CheckoutKey, Project
from .projects import find_project
from .routing import Call, Routes

routes = Routes()

KEY_TYPES = {"deploy-key": "deploy-key", "user-key": "github-user-key"}
NOT_FOUND = "Checkout key not found."
NOT_AVAILABLE = ("Checkout keys are not available for projects that use GitLab, GitHub App "
                 "or a standalone organization (circleci/... slugs).")


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def new_public_key() -> tuple[str, str, str]:
    """(public key line, md5 fingerprint, sha256 fingerprint) of a fresh random RSA-looking key."""
    modulus = bytearray(os.urandom(256))
    modulus[0] |= 0x80  # a full 2048-bit modulus...
    modulus[-1] |= 0x01  # ...and odd
    blob = _ssh_string(b"ssh-rsa") + _ssh_string(b"\x01\x00\x01") + _ssh_string(b"\x00" + bytes(modulus))
    return "ssh-rsa " + base64.b64encode(blob).decode(), md5_fingerprint(blob), sha256_fingerprint(blob)


def md5_fingerprint(blob: bytes) -> str:
    return ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())


def sha256_fingerprint(blob: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def checkout_project(call: Call, project_slug: str) -> Project:
    project = find_project(call, project_slug)
    if project.org.vcs_type == "circleci":
        raise bad_request(NOT_AVAILABLE)
    return project


def render(call: Call, key: CheckoutKey, digest: str = "md5") -> dict:
    preferred = call.store.preferred_checkout_key(key.project_id)
    return {
        "public-key": key.public_key,
        "type": key.type,
        "fingerprint": key.sha256 if digest == "sha256" else key.md5,
        "preferred": key is preferred,
        "created-at": key.created_at,
    }


def find_key(call: Call, project: Project, fingerprint: str) -> tuple[CheckoutKey, str]:
    """The key with this md5 (``aa:bb:...``, any case) or sha256 (``SHA256:...``) fingerprint, and the digest."""
    if fingerprint.startswith("SHA256:"):
        digest, wanted = "sha256", fingerprint
    else:
        digest, wanted = "md5", fingerprint.lower()
    for key in call.store.checkout_keys.values():
        if key.project_id == project.id and (key.sha256 if digest == "sha256" else key.md5) == wanted:
            return key, digest
    raise not_found(NOT_FOUND)


@routes.get("/project/{project-slug}/checkout-key")
def list_keys(call, project_slug):
    project = checkout_project(call, project_slug)
    digest = call.args.get("digest") or "md5"
    keys = [k for k in call.store.checkout_keys.values() if k.project_id == project.id]
    return paginate(keys, scope=f"checkout-keys:{project.id}", page_token=call.page_token,
                    page_size=call.page_size, render=lambda k: render(call, k, digest))


@routes.post("/project/{project-slug}/checkout-key")
def create_key(call, project_slug):
    project = checkout_project(call, project_slug)
    ktype = call.json_object().get("type")
    if ktype not in KEY_TYPES:
        raise bad_request("type must be deploy-key or user-key.")
    public_key, md5, sha256 = new_public_key()
    key = CheckoutKey(call.store.new_id(), project.id, KEY_TYPES[ktype], public_key, md5, sha256,
                      call.store.now(), call.store.next_seq())
    call.store.checkout_keys[key.id] = key
    return 201, render(call, key)


@routes.get("/project/{project-slug}/checkout-key/{fingerprint}")
def get_key(call, project_slug, fingerprint):
    project = checkout_project(call, project_slug)
    key, digest = find_key(call, project, fingerprint)
    return render(call, key, digest)


@routes.delete("/project/{project-slug}/checkout-key/{fingerprint}")
def delete_key(call, project_slug, fingerprint):
    project = checkout_project(call, project_slug)
    key, _digest = find_key(call, project, fingerprint)
    del call.store.checkout_keys[key.id]
    return {"message": "Checkout key deleted."}
