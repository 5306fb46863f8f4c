"""Pipeline definitions and their triggers.

``/projects/{project_id}/pipeline-definitions[/{id}[/triggers]]`` and
``/projects/{project_id}/triggers/{trigger_id}``. Definitions are seeded (one per
project by default, see ``seed.py``) or created here; pipelines run from any of
them in ``pipelines.py`` (``POST /project/{provider}/{organization}/{project}/pipeline/run``).

The rules are the live service's as docs/dev/API-BEHAVIOUR.md ("Pipeline
definitions", "Triggers") records them, checked here also when strict
validation is off:

- a definition's ``config_source`` is ``{provider: github_app, repo: {external_id},
  file_path}`` or ``{provider: circleci, file_path}``; its ``checkout_source``
  ``{provider: github_app, repo: {external_id}}``; a PATCH changes only the name, the
  description, ``config_source.file_path`` and the checkout source;
- a trigger's event source is a repository (``github_app``, ``github_oauth``,
  ``github_server``) or a custom webhook (``webhook``, whose answer carries the URL
  to call, with its secret); ``checkout_ref`` and ``config_ref`` are required for
  webhook triggers, and for repository triggers only when the event repository
  differs from the definition's checkout (config) repository, and must be omitted
  otherwise; ``event_name``, ``disabled`` and the webhook sender only apply to
  webhook triggers, ``event_preset`` only to repository triggers; a PATCH that names
  ``event_source.repo`` or ``event_source.provider`` answers 400 "Unexpected field".
- deleting a definition deletes its triggers (``Store.delete_definition``).
"""

from __future__ import annotations

from ..errors import bad_request, not_found
from ..store import PipelineDefinition, Project, Trigger, webhook_url
from .projects import find_project_by_id
from .routing import Call, Routes, by_id

routes = Routes()

DEFINITION_NOT_FOUND = "Pipeline definition not found"
TRIGGER_NOT_FOUND = "Trigger not found."
DEFINITION_DELETED = "Pipeline definition deleted."
TRIGGER_DELETED = "Trigger deleted."
REPO_PROVIDERS = ("github_app", "github_oauth", "github_server")
TRIGGER_PROVIDERS = REPO_PROVIDERS + ("webhook",)
EVENT_PRESETS = ("all-pushes", "only-tags", "default-branch-pushes", "only-build-prs", "only-open-prs",
                 "only-labeled-prs", "only-merged-prs", "only-ready-for-review-prs", "only-branch-delete",
                 "only-build-pushes-to-non-draft-prs", "only-merged-or-closed-prs")
REFS = ("checkout_ref", "config_ref")
WEBHOOK_ONLY = "%s can only be set for triggers where provider is webhook."


# ---------------------------------------------------------------- rendering


def _repo(call: Call, project: Project, external_id: str) -> dict:
    return {"full_name": call.store.repo_full_name(project.org, external_id), "external_id": external_id}


def render_definition(call: Call, d: PipelineDefinition) -> dict:
    project = call.store.projects[d.project_id]
    config = {"provider": d.config_provider}
    if d.config_repo is not None:
        config["repo"] = _repo(call, project, d.config_repo)
    config["file_path"] = d.file_path
    return {
        "id": d.id,
        "name": d.name,
        "description": d.description,  # always answered, "" when none (CLIENT-EVIDENCE.md)
        "created_at": d.created_at,
        "config_source": config,
        "checkout_source": {"provider": d.checkout_provider, "repo": _repo(call, project, d.checkout_repo)},
    }


def render_trigger(call: Call, t: Trigger) -> dict:
    source = {"provider": t.provider}
    if t.provider == "webhook":
        source["webhook"] = {"url": t.webhook_url, "sender": t.webhook_sender}
    else:
        source["repo"] = _repo(call, call.store.projects[t.project_id], t.repo)
    body = {"id": t.id, "created_at": t.created_at, "event_name": t.event_name, "event_source": source}
    if t.event_preset is not None:
        body["event_preset"] = t.event_preset
    # checkout_ref and config_ref are always answered, "" when never set (CLIENT-EVIDENCE.md)
    body.update(checkout_ref=t.checkout_ref, config_ref=t.config_ref, disabled=t.disabled)
    for key in ("name", "description", "parameters"):
        if getattr(t, key) is not None:
            body[key] = getattr(t, key)
    return body


# ---------------------------------------------------------------- lookups


def find_definition(call: Call, project: Project, definition_id: str) -> PipelineDefinition:
    d = by_id(call.store.pipeline_definitions, definition_id)
    if d is None or d.project_id != project.id:
        raise not_found(DEFINITION_NOT_FOUND)
    return d


def find_trigger(call: Call, project: Project, trigger_id: str) -> Trigger:
    t = by_id(call.store.triggers, trigger_id)
    if t is None or t.project_id != project.id:
        raise not_found(TRIGGER_NOT_FOUND)
    return t


# ---------------------------------------------------------------- body checks


def _object(body: dict, key: str, where: str = "") -> dict | None:
    value = body.get(key)
    if value is not None and not isinstance(value, dict):
        raise bad_request(f"Field '{where}{key}' must be an object.")
    return value


def _text(body: dict, key: str, where: str = "", required: bool = False) -> str | None:
    """A string field; required ones must be non-empty."""
    value = body.get(key)
    if value is None:
        if required:
            raise bad_request(f"Missing field '{where}{key}'")
        return None
    if not isinstance(value, str):
        raise bad_request(f"Field '{where}{key}' must be a string.")
    if required and not value:
        raise bad_request(f"Field '{where}{key}' must not be empty.")
    return value


def _external_id(source: dict, where: str) -> str:
    repo = _object(source, "repo", where)
    if repo is None:
        raise bad_request(f"Missing field '{where}repo'")
    return _text(repo, "external_id", f"{where}repo.", required=True)


def _unexpected(body: dict, keys, where: str = "") -> None:
    for key in keys:
        if key in body:
            raise bad_request(f"Unexpected field '{where}{key}'")


def _config_source(body: dict) -> tuple[str, str | None, str]:
    """(provider, repository external id or None, file_path) of a create's config_source."""
    source = _object(body, "config_source")
    if source is None:
        raise bad_request("Missing field 'config_source'")
    provider = _text(source, "provider", "config_source.", required=True)
    file_path = _text(source, "file_path", "config_source.", required=True)
    if provider == "github_app":
        return provider, _external_id(source, "config_source."), file_path
    if provider == "circleci":
        _unexpected(source, ("repo",), "config_source.")
        return provider, None, file_path
    raise bad_request(f"Unsupported config_source.provider '{provider}': github_app or circleci.")


def _checkout_source(source: dict | None, partial: bool = False) -> tuple[str | None, str | None]:
    """(provider, repository external id) of a checkout_source; a PATCH may give either."""
    if source is None:
        if partial:
            return None, None
        raise bad_request("Missing field 'checkout_source'")
    provider = _text(source, "provider", "checkout_source.", required=not partial)
    if provider is not None and provider != "github_app":
        raise bad_request(f"Unsupported checkout_source.provider '{provider}': github_app.")
    if partial and source.get("repo") is None:
        return provider, None
    return provider, _external_id(source, "checkout_source.")


def _definition_text(body: dict, required: bool) -> tuple[str | None, str | None]:
    name = _text(body, "name", required=required)
    if name is not None and not name.strip():
        raise bad_request("Field 'name' must not be empty.")
    return name, _text(body, "description")


# ---------------------------------------------------------------- definitions


@routes.get("/projects/{project_id}/pipeline-definitions")
def list_definitions(call, project_id):
    project = find_project_by_id(call, project_id)
    items = sorted((d for d in call.store.pipeline_definitions.values() if d.project_id == project.id),
                   key=lambda d: d.seq)
    return {"items": [render_definition(call, d) for d in items]}  # all at once, no token (API-BEHAVIOUR.md)


@routes.post("/projects/{project_id}/pipeline-definitions")
def create_definition(call, project_id):
    project = find_project_by_id(call, project_id)
    body = call.json_object()
    _unexpected(body, [key for key in body if key not in ("name", "description", "config_source", "checkout_source")])
    name, description = _definition_text(body, required=True)
    config_provider, config_repo, file_path = _config_source(body)
    checkout_provider, checkout_repo = _checkout_source(_object(body, "checkout_source"))
    d = PipelineDefinition(call.store.new_id(), project.id, name, description or "", call.store.now(), file_path,
                           call.store.next_seq(), config_provider, config_repo, checkout_provider, checkout_repo)
    call.store.pipeline_definitions[d.id] = d
    return 200, render_definition(call, d)


@routes.get("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}")
def get_definition(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    return render_definition(call, find_definition(call, project, pipeline_definition_id))


@routes.patch("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}")
def update_definition(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    d = find_definition(call, project, pipeline_definition_id)
    body = call.json_object()
    _unexpected(body, [key for key in body if key not in ("name", "description", "config_source", "checkout_source")])
    name, description = _definition_text(body, required=False)
    config = _object(body, "config_source") or {}
    _unexpected(config, [key for key in config if key != "file_path"], "config_source.")
    file_path = _text(config, "file_path", "config_source.", required="file_path" in config)
    checkout = _object(body, "checkout_source")
    if checkout is not None:
        _unexpected(checkout, [key for key in checkout if key not in ("provider", "repo")], "checkout_source.")
    checkout_provider, checkout_repo = _checkout_source(checkout, partial=True)
    for field, value in (("name", name), ("description", description), ("file_path", file_path),
                         ("checkout_provider", checkout_provider), ("checkout_repo", checkout_repo)):
        if value is not None:
            setattr(d, field, value)
    return render_definition(call, d)


@routes.delete("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}")
def delete_definition(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    d = find_definition(call, project, pipeline_definition_id)
    call.store.delete_definition(d.id)
    return {"message": DEFINITION_DELETED}


# ---------------------------------------------------------------- triggers


def _check_refs(t: Trigger, d: PipelineDefinition) -> None:
    """The refs a trigger must have: both for a webhook trigger; for a repository trigger, a
    ref only when the event repository differs from the definition's repository of that kind,
    and none otherwise (the spec's words)."""
    if t.provider == "webhook":
        for ref in REFS:
            if not getattr(t, ref):
                raise bad_request(f"{ref} is required when event_source.provider is webhook.")
        return
    for ref, source_repo, kind in (("checkout_ref", d.checkout_repo, "checkout"), ("config_ref", d.config_repo, "config")):
        if source_repo is None:  # a config kept by CircleCI: no repository to compare with
            continue
        if t.repo != source_repo and not getattr(t, ref):
            raise bad_request(f"{ref} is required: the event source repository differs from the {kind} source "
                              f"repository of the pipeline definition.")
        if t.repo == source_repo and getattr(t, ref):
            raise bad_request(f"{ref} must be omitted: the event source repository is the {kind} source "
                              f"repository of the pipeline definition.")


def _apply_trigger_fields(t: Trigger, body: dict) -> None:
    """event_preset, refs, event_name, disabled and the extras clients send (create and PATCH)."""
    webhook = t.provider == "webhook"
    preset = _text(body, "event_preset")
    if preset is not None:
        if webhook:
            raise bad_request("event_preset can only be set for triggers where provider is github_app or github_oauth.")
        if preset not in EVENT_PRESETS:
            raise bad_request(f"Unsupported event_preset '{preset}'.")
        t.event_preset = preset
    for ref in REFS:
        value = _text(body, ref)
        if value is not None:
            setattr(t, ref, value)
    event_name = _text(body, "event_name")
    if event_name:
        if not webhook:
            raise bad_request(WEBHOOK_ONLY % "event_name")
        t.event_name = event_name
    disabled = body.get("disabled")
    if disabled is not None:
        if not isinstance(disabled, bool):
            raise bad_request("Field 'disabled' must be a boolean.")
        if disabled and not webhook:  # false is accepted: the Terraform provider sends it on every create
            raise bad_request(WEBHOOK_ONLY % "disabled")
        t.disabled = disabled
    for key in ("name", "description"):
        value = _text(body, key)
        if value is not None:
            setattr(t, key, value)
    parameters = _object(body, "parameters")
    if parameters is not None:
        t.parameters = parameters


def _webhook_sender(t: Trigger, source: dict, refused: str = "Unexpected field 'event_source.webhook'") -> None:
    """Take event_source.webhook.sender; `refused` answers it for a trigger that is no webhook trigger."""
    webhook = _object(source, "webhook", "event_source.")
    if webhook is None:
        return
    if t.provider != "webhook":
        raise bad_request(refused)
    _unexpected(webhook, [key for key in webhook if key != "sender"], "event_source.webhook.")
    sender = _text(webhook, "sender", "event_source.webhook.")
    if sender is not None:
        t.webhook_sender = sender


TRIGGER_CREATE_KEYS = ("event_source", "event_preset", "checkout_ref", "config_ref", "event_name", "disabled",
                       "name", "description", "parameters")
TRIGGER_UPDATE_KEYS = TRIGGER_CREATE_KEYS


@routes.get("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}/triggers")
def list_definition_triggers(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    d = find_definition(call, project, pipeline_definition_id)
    items = sorted((t for t in call.store.triggers.values() if t.definition_id == d.id), key=lambda t: t.seq)
    return {"items": [render_trigger(call, t) for t in items]}  # all at once, no token


@routes.post("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}/triggers")
def create_trigger(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    d = find_definition(call, project, pipeline_definition_id)
    body = call.json_object()
    _unexpected(body, [key for key in body if key not in TRIGGER_CREATE_KEYS])
    source = _object(body, "event_source")
    if source is None or not source.get("provider"):
        raise bad_request("Missing field 'event_source.provider'")
    provider = _text(source, "provider", "event_source.", required=True)
    if provider not in TRIGGER_PROVIDERS:
        raise bad_request(f"Unsupported event_source.provider '{provider}': {', '.join(TRIGGER_PROVIDERS)}.")
    _unexpected(source, [key for key in source if key not in ("provider", "repo", "webhook")], "event_source.")
    t = Trigger(call.store.new_id(), project.id, d.id, provider, call.store.now(), 0)
    if provider == "webhook":
        _unexpected(source, ("repo",), "event_source.")
        t.webhook_url = webhook_url(t.id)
    else:
        t.repo = _external_id(source, "event_source.")
    _webhook_sender(t, source)
    _apply_trigger_fields(t, body)
    _check_refs(t, d)
    t.seq = call.store.next_seq()
    call.store.triggers[t.id] = t
    return 200, render_trigger(call, t)


@routes.get("/projects/{project_id}/triggers/{trigger_id}")
def get_trigger(call, project_id, trigger_id):
    project = find_project_by_id(call, project_id)
    return render_trigger(call, find_trigger(call, project, trigger_id))


@routes.patch("/projects/{project_id}/triggers/{trigger_id}")
def update_trigger(call, project_id, trigger_id):
    project = find_project_by_id(call, project_id)
    t = find_trigger(call, project, trigger_id)
    body = call.json_object()
    source = _object(body, "event_source") or {}
    # The event source is create-only: the live answer names the field (CLIENT-EVIDENCE.md).
    _unexpected(source, ("repo", "provider"), "event_source.")
    _unexpected(source, [key for key in source if key != "webhook"], "event_source.")
    _unexpected(body, [key for key in body if key not in TRIGGER_UPDATE_KEYS])
    changed = Trigger(**vars(t))  # checked as a whole before anything is stored
    _webhook_sender(changed, source, WEBHOOK_ONLY % "event_source.webhook.sender")
    _apply_trigger_fields(changed, body)
    _check_refs(changed, call.store.pipeline_definitions[t.definition_id])
    call.store.triggers[t.id] = changed
    return render_trigger(call, changed)


@routes.delete("/projects/{project_id}/triggers/{trigger_id}")
def delete_trigger(call, project_id, trigger_id):
    project = find_project_by_id(call, project_id)
    t = find_trigger(call, project, trigger_id)
    del call.store.triggers[t.id]
    return {"message": TRIGGER_DELETED}
