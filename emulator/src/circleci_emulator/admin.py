"""/_emulator/: request log, state, reset, faults, health. No auth, never logged or faulted.

Also what the pipeline engine serves outside the API: job artifacts and usage export files
(the URLs the API answers point here), and the continuation key a setup job would see.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from . import engine, state_dump
from .api.usage import export_file
from .errors import json_response
from .faults import FaultError
from .seed import SeedError
from .store import Store
from .version import __version__

admin = Blueprint("emulator_admin", __name__, url_prefix="/_emulator")


def _rt():
    return current_app.extensions["circleci_emulator"]


@admin.get("/health")
def health():
    rt = _rt()
    return json_response(200, {"status": "ok", "version": __version__, "strict": rt.strict,
                               "validate_responses": rt.validate_responses})


@admin.get("/requests")
def get_requests():
    return json_response(200, _rt().log.entries())


@admin.delete("/requests")
def clear_requests():
    _rt().log.clear()
    return json_response(200, {"message": "Request log cleared."})


@admin.get("/state")
def get_state():
    return json_response(200, state_dump.dump(_rt().store))


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


@admin.get("/pipelines/<pipeline_id>/continuation-key")
def get_continuation_key(pipeline_id):
    """What the setup job sees as CIRCLE_CONTINUATION_KEY (setup pipelines only)."""
    store = _rt().store
    with store.lock:
        pipeline = store.pipelines.get(pipeline_id.lower())
        if pipeline is None or pipeline.continuation_key is None:
            return json_response(404, {"message": "No setup pipeline with this id."})
        return json_response(200, {"continuation_key": pipeline.continuation_key})


@admin.get("/artifacts/<job_id>/<path:path>")
def get_artifact(job_id, path):
    store = _rt().store
    with store.lock:
        job = store.jobs.get(job_id.lower())
        if job is not None:
            state = engine.workflow_view(store, store.workflows[job.workflow_id]).jobs[job.id]
            for name, content in engine.job_artifacts(job, state["status"]):
                if name == path:
                    mimetype = "application/xml" if name.endswith(".xml") else "text/plain"
                    return Response(content, status=200, mimetype=mimetype)
    return json_response(404, {"message": "Artifact not found."})


@admin.get("/usage/<export_id>/<name>")
def get_usage_file(export_id, name):
    store = _rt().store
    with store.lock:
        data = export_file(store, export_id.lower(), name)
    if data is None:
        return json_response(404, {"message": "Usage export file not found."})
    return Response(data, status=200, mimetype="application/gzip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
