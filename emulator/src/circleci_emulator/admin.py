"""/_emulator/: request log, state, reset, faults, health. No auth, never logged or faulted."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from .errors import json_response
from .faults import FaultError
from .seed import SeedError
from .store import Store

admin = Blueprint("emulator_admin", __name__, url_prefix="/_emulator")


def _rt():
    return current_app.extensions["circleci_emulator"]


@admin.get("/health")
def health():
    from . import __version__

    return json_response(200, {"status": "ok", "version": __version__})


@admin.get("/requests")
def get_requests():
    return json_response(200, _rt().log.entries())


@admin.delete("/requests")
def clear_requests():
    _rt().log.clear()
    return json_response(200, {"message": "Request log cleared."})


@admin.get("/state")
def get_state():
    return json_response(200, _rt().store.dump())


@admin.post("/reset")
def reset():
    """Back to the seed; clears the log and the faults. Body {"seed": {...}} replaces the seed."""
    body = request.get_json(silent=True) or {}
    seed = body.get("seed") if isinstance(body, dict) else None
    if seed is not None:
        try:
            if not isinstance(seed, dict):
                raise SeedError("seed must be an object")
            Store(seed)  # validate before touching the live state
        except SeedError as exc:
            return json_response(400, {"message": str(exc)})
    _rt().reset(seed)
    return json_response(200, {"message": "Emulator reset."})


@admin.get("/faults")
def get_faults():
    return json_response(200, _rt().faults.get())


@admin.put("/faults")
def put_faults():
    try:
        return json_response(200, _rt().faults.update(request.get_json(silent=True)))
    except FaultError as exc:
        return json_response(400, {"message": str(exc)})
