"""Pipeline definitions of a project: /projects/{project_id}/pipeline-definitions[/{id}[/triggers]].

Seeded (one per project by default, see ``seed.py``); read-only so far, and no
triggers. Pipelines run from a definition in ``pipelines.py``
(``POST /project/{provider}/{organization}/{project}/pipeline/run``).
"""

from __future__ import annotations

from ..errors import not_found
from ..store import PipelineDefinition, Project
from .projects import find_project_by_id
from .routing import Call, Routes, by_id

routes = Routes()

DEFINITION_NOT_FOUND = "Pipeline definition not found"


def render_definition(call: Call, d: PipelineDefinition) -> dict:
    project = call.store.projects[d.project_id]
    provider = {"github": "github_oauth", "bitbucket": "bitbucket_oauth", "circleci": "github_app"}[
        project.org.vcs_type]
    repo = {"full_name": f"{project.org.name}/{project.name}", "external_id": project.id}
    return {
        "id": d.id,
        "name": d.name,
        "description": d.description,
        "created_at": d.created_at,
        "config_source": {"provider": provider, "repo": repo, "file_path": d.file_path},
        "checkout_source": {"provider": provider, "repo": dict(repo)},
    }


def find_definition(call: Call, project: Project, definition_id: str) -> PipelineDefinition:
    d = by_id(call.store.pipeline_definitions, definition_id)
    if d is None or d.project_id != project.id:
        raise not_found(DEFINITION_NOT_FOUND)
    return d


@routes.get("/projects/{project_id}/pipeline-definitions")
def list_definitions(call, project_id):
    project = find_project_by_id(call, project_id)
    items = sorted((d for d in call.store.pipeline_definitions.values() if d.project_id == project.id),
                   key=lambda d: d.seq)
    return {"items": [render_definition(call, d) for d in items]}  # all at once, no token (API-NOTES)


@routes.get("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}")
def get_definition(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    return render_definition(call, find_definition(call, project, pipeline_definition_id))


@routes.get("/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}/triggers")
def list_definition_triggers(call, project_id, pipeline_definition_id):
    project = find_project_by_id(call, project_id)
    find_definition(call, project, pipeline_definition_id)
    return {"items": []}
