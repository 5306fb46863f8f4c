"""The self-hosted runner API (``runner.circleci.com/api/v3``): agents, task counts, resource
classes and their tokens (docs/dev/API-BEHAVIOUR.md, "The self-hosted runner API").

Its own route table, under the templates of ``data/runner-api.json`` (not the CircleCI spec,
which does not have these paths): ``runner_app.py`` serves it under ``/api/v3`` and, as the
runner host does for circleci-cli, under ``/api/v2/runner``. The rules every handler keeps:

- a resource class is ``NAMESPACE/NAME`` of a namespace that an organization of the token's
  user claimed: an unknown namespace answers 404, one of another organization 403;
- a token's value is in the create answer only; lists never show it;
- a class that still has tokens is deleted only through ``.../force``, which deletes its tokens
  (and the agents that used them) too; without it, 409 "resource class has tokens".

Each handler also checks its own input (400 when not strict too), as the service would.
"""

from __future__ import annotations

from ..errors import ApiError, bad_request, conflict, forbidden, not_found
from ..runner_state import RESOURCE_CLASS_RE, Namespace, ResourceClass, RunnerToken, agent_view, new_token_value
from .routing import Call, Routes, by_id

routes = Routes()
DELETED = {"message": "deleted"}


# ---------------------------------------------------------------- lookups


def _namespace(call: Call, name) -> Namespace:
    """The namespace, when an organization of the token's user claimed it."""
    ns = call.store.runner.namespaces.get(name) if isinstance(name, str) else None
    if ns is None:
        raise not_found("namespace not found")
    org = call.store.orgs.get(ns.org_id)
    if org is None or not call.member_of(org):
        raise forbidden(f"You do not have access to the namespace {name}.")
    return ns


def _split(value, what: str = "resource-class") -> tuple[str, str]:
    match = RESOURCE_CLASS_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise bad_request(f"{what} must be NAMESPACE/NAME, got {value!r}")
    return match.group(1), match.group(2)


def _class_named(call: Call, value, what: str = "resource-class") -> ResourceClass:
    """The resource class NAMESPACE/NAME (400 malformed, 403/404 namespace, 404 class)."""
    namespace, _name = _split(value, what)
    _namespace(call, namespace)
    rc = call.store.runner.class_named(value)
    if rc is None:
        raise not_found("resource class not found")
    return rc


def _class_by_id(call: Call, class_id) -> ResourceClass:
    rc = by_id(call.store.runner.resource_classes, class_id)
    if rc is None:
        raise not_found("resource class not found")
    try:
        _namespace(call, rc.namespace)
    except ApiError:
        raise not_found("resource class not found") from None
    return rc


def _required_arg(call: Call, name: str) -> str:
    value = call.args.get(name)
    if not value:
        raise bad_request(f"the query parameter {name} is required")
    return value


def _class_view(rc: ResourceClass) -> dict:
    return {"id": rc.id, "resource_class": rc.full_name, "description": rc.description}


def _token_view(token: RunnerToken, rc: ResourceClass) -> dict:
    return {"id": token.id, "resource_class": rc.full_name, "nickname": token.nickname, "created_at": token.created_at}


def _created_at(call: Call) -> str:
    """RFC 3339 with microseconds, as the service answers it (2020-10-01T09:55:00.000000Z)."""
    return call.store.now()[:-1] + "000Z"


# ---------------------------------------------------------------- agents and task counts


@routes.get("/runner")
def list_runners(call: Call):
    resource_class, namespace = call.args.get("resource-class"), call.args.get("namespace")
    if not resource_class and not namespace:
        raise bad_request("one of the query parameters resource-class or namespace is required")
    runner = call.store.runner
    classes = None
    if namespace:  # both given: the class, if it is of the namespace
        classes = runner.classes_of(_namespace(call, namespace).name)
    if resource_class:
        rc_namespace = _namespace(call, _split(resource_class)[0]).name
        classes = [rc for rc in (runner.classes_of(rc_namespace) if classes is None else classes)
                   if rc.full_name == resource_class]
    return {"items": [agent_view(agent, rc) for rc in classes for agent in runner.agents_of(rc)]}


@routes.get("/runner/tasks")
def unclaimed_task_count(call: Call):
    rc = _class_named(call, _required_arg(call, "resource-class"))
    return {"unclaimed_task_count": rc.unclaimed_task_count}


@routes.get("/runner/tasks/running")
def running_task_count(call: Call):
    rc = _class_named(call, _required_arg(call, "resource-class"))
    return {"running_runner_tasks": rc.running_runner_tasks}


# ---------------------------------------------------------------- resource classes


@routes.get("/runner/resource")
def list_resource_classes(call: Call):
    ns = _namespace(call, _required_arg(call, "namespace"))
    return {"items": [_class_view(rc) for rc in call.store.runner.classes_of(ns.name)]}


@routes.post("/runner/resource")
def create_resource_class(call: Call):
    body = call.json_object()
    namespace, name = _split(body.get("resource_class"), "resource_class")
    description = body.get("description")
    if not isinstance(description, str):
        raise bad_request("description is required")
    _namespace(call, namespace)
    runner = call.store.runner
    if runner.class_named(body["resource_class"]) is not None:
        raise conflict("resource class already exists")
    rc = ResourceClass(call.store.new_id(), namespace, name, description, call.store.now(), call.store.next_seq())
    runner.resource_classes[rc.id] = rc
    return _class_view(rc)


@routes.delete("/runner/resource/{resource_class_id}")
def delete_resource_class(call: Call, resource_class_id):
    rc = _class_by_id(call, resource_class_id)
    if call.store.runner.tokens_of(rc):
        raise conflict("resource class has tokens")
    call.store.runner.remove_class(rc)
    return DELETED


@routes.delete("/runner/resource/{resource_class_id}/force")
def force_delete_resource_class(call: Call, resource_class_id):
    call.store.runner.remove_class(_class_by_id(call, resource_class_id))
    return DELETED


# ---------------------------------------------------------------- tokens


@routes.get("/runner/token")
def list_tokens(call: Call):
    rc = _class_named(call, _required_arg(call, "resource-class"))
    return {"items": [_token_view(token, rc) for token in call.store.runner.tokens_of(rc)]}


@routes.post("/runner/token")
def create_token(call: Call):
    body = call.json_object()
    nickname = body.get("nickname")
    _split(body.get("resource_class"), "resource_class")
    if not isinstance(nickname, str) or not nickname:
        raise bad_request("nickname is required")
    rc = _class_named(call, body["resource_class"], "resource_class")
    token = RunnerToken(call.store.new_id(), rc.id, nickname, new_token_value(), _created_at(call), call.store.next_seq())
    call.store.runner.tokens[token.id] = token
    return dict(_token_view(token, rc), token=token.token)


@routes.delete("/runner/token/{token_id}")
def delete_token(call: Call, token_id):
    token = by_id(call.store.runner.tokens, token_id)
    rc = call.store.runner.resource_classes.get(token.resource_class_id) if token is not None else None
    if rc is None:
        raise not_found("token not found")
    try:
        _namespace(call, rc.namespace)
    except ApiError:
        raise not_found("token not found") from None
    del call.store.runner.tokens[token.id]
    return DELETED
