"""Deploys and rollbacks: /deploy/environments, /deploy/components (seeded, read-only) and
POST /projects/{project_id}/rollback, which starts a rollback pipeline (engine.py).

The lists are paginated by ``page-token``; ``page-size`` is required by the spec but CircleCI's
own clients never send it and the service answers them, so it is optional here (a spec mend; the
emulator's page size applies). Versions are computed as of now (``engine.component_versions``): a rollback whose
pipeline succeeded makes its target version live. What is proven and what is our choice:
docs/dev/API-BEHAVIOUR.md, "Deploy and rollback".
"""

from __future__ import annotations

from .. import engine
from ..errors import bad_request, conflict, not_found
from ..pagination import paginate
from ..store import DeployComponent, DeployEnvironment, Rollback
from .pipelines import parameters_of
from .projects import find_project_by_id
from .routing import Call, Routes, by_id

routes = Routes()

# The service's answer for an unknown or foreign id (stated by a client's fake of it).
NOT_FOUND = "Resource not found or permission denied"
NO_ROLLBACK_PIPELINE = "No rollback pipeline definition is configured for this project."
ROLLBACK_TYPE = "PIPELINE"
REQUIRED = ("environment_name", "component_name", "current_version", "target_version")
OPTIONAL = ("namespace", "reason")


# ---------------------------------------------------------------- lookups


def page_size_of(call: Call) -> int:
    """``page-size`` when given (at least 1), else the emulator's page size."""
    raw = call.args.get("page-size")
    if raw is None:
        return call.page_size
    try:
        size = int(raw)
    except ValueError:
        raise bad_request("page-size must be an integer.") from None
    if size < 1:
        raise bad_request("page-size must be at least 1.")
    return size


def org_of(call: Call):
    org = call.visible_org(call.args.get("org-id"))
    if org is None:
        raise not_found(NOT_FOUND)
    return org


def find_environment(call: Call, environment_id: str) -> DeployEnvironment:
    env = by_id(call.store.deploy_environments, environment_id)
    if env is None or call.visible_org(env.org_id) is None:
        raise not_found(NOT_FOUND)
    return env


def find_component(call: Call, component_id: str) -> DeployComponent:
    component = by_id(call.store.deploy_components, component_id)
    if component is None or call.visible_org(component.org_id) is None:
        raise not_found(NOT_FOUND)
    return component


# ---------------------------------------------------------------- rendering


def render_environment(env: DeployEnvironment) -> dict:
    return {"id": env.id, "name": env.name, "description": env.description, "labels": [dict(x) for x in env.labels],
            "created_at": env.created_at, "updated_at": env.updated_at}


def render_component(call: Call, component: DeployComponent, listed: bool = False) -> dict:
    """One component; in a list its ``release_count`` is 0, as the service answers it there (the
    true count only comes with GET /deploy/components/{id})."""
    return {"id": component.id, "name": component.name, "project_id": component.project_id,
            "labels": [dict(x) for x in component.labels],
            "release_count": 0 if listed else engine.release_count(call.store, component.id),
            "created_at": component.created_at, "updated_at": component.updated_at}


def render_version(view: engine.VersionView) -> dict:
    out = {"name": view.name, "environment_id": view.environment_id, "namespace": view.namespace,
           "is_live": view.is_live, "pipeline_id": view.pipeline_id, "workflow_id": view.workflow_id,
           "job_id": view.job_id, "last_deployed_at": engine.iso_of(view.deployed_at)}
    if view.job_number is not None:
        out["job_number"] = view.job_number
    return out


# ---------------------------------------------------------------- reads


@routes.get("/deploy/environments")
def list_environments(call):
    org = org_of(call)
    items = [e for e in call.store.deploy_environments.values() if e.org_id == org.id]
    return paginate(items, scope=f"deploy-environments:{org.id}", page_token=call.page_token,
                    page_size=page_size_of(call), render=render_environment)


@routes.get("/deploy/environments/{environment_id}")
def get_environment(call, environment_id):
    return render_environment(find_environment(call, environment_id))


@routes.get("/deploy/components")
def list_components(call):
    org = org_of(call)
    project_id = (call.args.get("project-id") or "").lower() or None
    # component-name: not in the spec; the service filters by substring (a client's tests against it)
    name = call.args.get("component-name") or ""
    items = [c for c in call.store.deploy_components.values()
             if c.org_id == org.id and (project_id is None or c.project_id == project_id) and name in c.name]
    return paginate(items, scope=f"deploy-components:{org.id}:{project_id or ''}:{name}", page_token=call.page_token,
                    page_size=page_size_of(call), render=lambda c: render_component(call, c, listed=True))


@routes.get("/deploy/components/{component_id}")
def get_component(call, component_id):
    return render_component(call, find_component(call, component_id))


@routes.get("/deploy/components/{component_id}/versions")
def list_component_versions(call, component_id):
    component = find_component(call, component_id)
    environment_id = call.args.get("environment-id")
    views = engine.component_versions(call.store, component.id)
    if environment_id is not None:
        env = find_environment(call, environment_id)
        if env.org_id != component.org_id:
            raise not_found(NOT_FOUND)
        views = [v for v in views if v.environment_id == env.id]
    # newest deploy first; the spec declares no page parameters here, but the answer has a
    # next_page_token and CircleCI's clients send it back as page-token
    return paginate(list(enumerate(views)), scope=f"deploy-versions:{component.id}:{environment_id or ''}",
                    page_token=call.page_token, page_size=call.page_size, key=lambda item: item[0],
                    render=lambda item: render_version(item[1]))


# ---------------------------------------------------------------- rollback


def rollback_fields(body: dict) -> dict:
    """The rollback's text fields: the four required ones non-empty strings, namespace and reason
    strings when given (namespace non-empty)."""
    fields = {}
    for name in REQUIRED:
        value = body.get(name)
        if value is None:
            raise bad_request(f"{name} is required.")
        if not isinstance(value, str) or not value.strip():
            raise bad_request(f"{name} must be a non-empty string.")
        fields[name] = value
    for name in OPTIONAL:
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or (name == "namespace" and not value.strip())):
            raise bad_request(f"{name} must be a non-empty string." if name == "namespace" else f"{name} must be a string.")
        fields[name] = value
    return fields


def rollback_target(call: Call, project, fields: dict) -> tuple:
    """(environment, component) the rollback names: an environment of the project's org and a
    component of the project; 404 otherwise."""
    env_name, component_name = fields["environment_name"], fields["component_name"]
    env = next((e for e in call.store.deploy_environments.values()
                if e.org_id == project.org.id and e.name == env_name), None)
    if env is None:
        raise not_found(f"Environment {env_name} not found.")
    component = next((c for c in call.store.deploy_components.values()
                      if c.project_id == project.id and c.name == component_name), None)
    if component is None:
        raise not_found(f"Component {component_name} not found in this project.")
    return env, component


def rollback_namespace(call: Call, env, component, fields: dict) -> str:
    """The namespace of the rollback, once both versions are known to have been deployed to the
    environment (and to the namespace, when given): 404 otherwise; 400 when the versions were
    deployed to several namespaces and none is given."""
    namespace = fields["namespace"]
    deployed = [v for v in engine.component_versions(call.store, component.id) if v.environment_id == env.id
                and (namespace is None or v.namespace == namespace)]
    for option in ("current_version", "target_version"):
        if not any(v.name == fields[option] for v in deployed):
            where = env.name if namespace is None else f"{env.name} (namespace {namespace})"
            raise not_found(f"Version {fields[option]} of component {component.name} was never deployed to {where}.")
    if namespace is not None:
        return namespace
    namespaces = {v.namespace for v in deployed if v.name in (fields["current_version"], fields["target_version"])}
    if len(namespaces) > 1:
        raise bad_request(f"namespace is required: component {component.name} has these versions in several "
                          f"namespaces of {env.name} ({', '.join(sorted(namespaces))}).")
    return namespaces.pop()


@routes.post("/projects/{project_id}/rollback")
def rollback_project(call, project_id):
    engine.settle(call.store)
    project = find_project_by_id(call, project_id)
    body = call.json_object()
    fields = rollback_fields(body)
    parameters = parameters_of(body.get("parameters"))
    env, component = rollback_target(call, project, fields)
    namespace = rollback_namespace(call, env, component, fields)
    definition_id = call.store.rollback_definitions.get(project.id)
    if definition_id is None:
        raise conflict(NO_ROLLBACK_PIPELINE)
    rollback = Rollback("", project.id, component.id, env.id, namespace, component.name, env.name,
                        fields["current_version"], fields["target_version"], fields["reason"], call.store.now(),
                        call.store.next_seq())
    pipeline = engine.create_rollback_pipeline(call.store, project, call.user, rollback, definition_id=definition_id,
                                               parameters=parameters, step_seconds=call.step_seconds)
    return 202, {"id": pipeline.id, "rollback_type": ROLLBACK_TYPE}
