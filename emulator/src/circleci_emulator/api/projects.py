"""/project/{project-slug}, and the project lookups of every area (by slug or by id)."""

from __future__ import annotations

from ..errors import not_found
from ..slugs import VCS_PROVIDER
from ..store import Project
from .routing import Call, Routes

routes = Routes()

PROJECT_NOT_FOUND = "Project not found"


def find_project(call: Call, slug: str) -> Project:
    """The project the token's user can see, or 404 (also for other orgs' projects)."""
    project = call.store.project_by_slug(slug)
    if project is None or not call.member_of(project.org):
        raise not_found(PROJECT_NOT_FOUND)
    return project


def find_project_by_id(call: Call, project_id: str) -> Project:
    """The same, by the project's id (a UUID, any case)."""
    project = call.visible_project(project_id)
    if project is None:
        raise not_found(PROJECT_NOT_FOUND)
    return project


def render_project(project: Project) -> dict:
    return {
        "slug": project.slug,
        "name": project.name,
        "id": project.id,
        "organization_name": project.org.name,
        "organization_slug": project.org.slug,
        "organization_id": project.org.id,
        "vcs_info": {
            "vcs_url": project.vcs_url,
            "provider": VCS_PROVIDER[project.org.vcs_type],
            "default_branch": project.default_branch,
        },
    }


@routes.get("/project/{project-slug}")
def get_project(call, project_slug):
    return render_project(find_project(call, project_slug))
