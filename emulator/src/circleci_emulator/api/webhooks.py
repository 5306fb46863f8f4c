"""Outbound webhooks: /webhook and /webhook/{webhook-id}.

Write keys are hyphenated (``verify-tls``, ``signing-secret``); unknown keys are
dropped without a word (after strict validation, which only catches a misspelt
key where the spec requires the real one: POST). The secret reads back as
``"****"`` (``""`` when there is none). PUT replaces the whole webhook: one
without ``signing-secret`` removes the secret. Events are answered in an order
of their own (by the MD5 of each name), never the order sent.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from ..errors import bad_request
from ..pagination import paginate
from ..store import Webhook
from .projects import find_project_by_id
from .routing import Call, Routes

routes = Routes()

EVENTS = ("workflow-completed", "job-completed")
NOT_FOUND = "Webhook not found."
MASKED_SECRET = "****"


def event_order(events) -> list:
    """Distinct events in a fixed order unrelated to the order sent."""
    return sorted(set(events), key=lambda e: hashlib.md5(e.encode()).hexdigest())


def find_webhook(call: Call, webhook_id: str) -> Webhook:
    return call.find_visible(call.store.webhooks, webhook_id, NOT_FOUND)


def render(hook: Webhook) -> dict:
    return {
        "id": hook.id,
        "scope": {"id": hook.project_id, "type": "project"},
        "name": hook.name,
        "events": event_order(hook.events),
        "url": hook.url,
        "verify-tls": hook.verify_tls,
        "signing-secret": MASKED_SECRET if hook.signing_secret else "",
        "created-at": hook.created_at,
        "updated-at": hook.updated_at,
    }


def webhook_fields(body: dict) -> dict:
    """The writable fields, validated; unknown keys are ignored, a missing secret means none."""
    name, url, events = body.get("name"), body.get("url"), body.get("events")
    verify_tls, secret = body.get("verify-tls"), body.get("signing-secret")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("name is required.")
    if not isinstance(url, str) or urlsplit(url).scheme.lower() != "https" or not urlsplit(url).netloc:
        raise bad_request("url must be an https URL.")
    if not isinstance(events, list) or not events or any(e not in EVENTS for e in events):
        raise bad_request("events must be a non-empty list of workflow-completed, job-completed.")
    if not isinstance(verify_tls, bool):
        raise bad_request("verify-tls is required and must be a boolean.")
    if secret is not None and not isinstance(secret, str):
        raise bad_request("signing-secret must be a string.")
    return {"name": name, "url": url, "events": event_order(events), "verify_tls": verify_tls,
            "signing_secret": secret}


@routes.get("/webhook")
def list_webhooks(call):
    if call.args.get("scope-type") != "project":
        raise bad_request("scope-type must be project.")
    project = find_project_by_id(call, call.args.get("scope-id") or "")
    hooks = [h for h in call.store.webhooks.values() if h.project_id == project.id]
    return paginate(hooks, scope=f"webhooks:{project.id}", page_token=call.page_token,
                    page_size=call.page_size, render=render)


@routes.post("/webhook")
def create_webhook(call):
    body = call.json_object()
    scope = body.get("scope")
    if not isinstance(scope, dict) or scope.get("type") != "project":
        raise bad_request("scope must be {id: PROJECT_UUID, type: project}.")
    project = find_project_by_id(call, scope.get("id") or "")
    fields = webhook_fields(body)
    now = call.store.now()
    hook = Webhook(call.store.new_id(), project.id, created_at=now, updated_at=now, seq=call.store.next_seq(),
                   **fields)
    call.store.webhooks[hook.id] = hook
    return 201, render(hook)


@routes.get("/webhook/{webhook-id}")
def get_webhook(call, webhook_id):
    return render(find_webhook(call, webhook_id))


@routes.put("/webhook/{webhook-id}")
def update_webhook(call, webhook_id):
    hook = find_webhook(call, webhook_id)
    fields = webhook_fields(call.json_object())  # a replacement: what is not sent is gone
    for name, value in fields.items():
        setattr(hook, name, value)
    hook.updated_at = call.store.now()
    return render(hook)


@routes.delete("/webhook/{webhook-id}")
def delete_webhook(call, webhook_id):
    hook = find_webhook(call, webhook_id)
    del call.store.webhooks[hook.id]
    return {"message": "Webhook deleted."}
