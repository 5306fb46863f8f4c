"""/project/{project-slug} (read, delete), project creation (/organization/{org-slug-or-id}/project,
and the deprecated /project/{provider}/{organization}/{project}), and the project lookups of
every area (by slug or by id).

A project is created in any organization (standalone ones included) by its name, unique in the
organization; its slug is ``Project.slug``. Deleting a project deletes what belongs to it
(``Store.delete_project``).
"""

from __future__ import annotations

from ..errors import ApiError, bad_request, conflict, forbidden, not_found
from ..slugs import VCS_PROVIDER
from ..store import Org, Project
from .organizations import find_org
from .routing import Call, Routes

routes = Routes()

PROJECT_NOT_FOUND = "Project not found"
DUPLICATE_PROJECT = "A project with this name already exists in the organization."
# The spec's 405_cannot_create_standalone_project answer of the deprecated create.
NO_STANDALONE_CREATE = ("Create projects using the API is currently supported for classic Github OAuth and "
                        "Bitbucket projects only.")


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


@routes.delete("/project/{project-slug}")
def delete_project(call, project_slug):
    project = find_project(call, project_slug)
    call.store.delete_project(project)
    return {"message": "Project deleted."}


def check_project_name(org: Org, body: dict) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("name is required.")
    if org.vcs_type != "circleci" and ("/" in name or any(c.isspace() for c in name)):
        raise bad_request("name must be the name of a repository of the organization.")
    return name


def project_named(call: Call, org: Org, name: str) -> Project | None:
    for project in call.store.projects.values():
        if project.org is org and project.name.lower() == name.lower():
            return project
    return None


@routes.post("/organization/{org-slug-or-id}/project")
def create_project(call, org_slug_or_id):
    org = find_org(call, org_slug_or_id)
    name = check_project_name(org, call.json_object())
    if project_named(call, org, name) is not None:
        raise conflict(DUPLICATE_PROJECT)
    return render_project(call.store.add_project(org, name, has_history=False))


@routes.post("/project/{provider}/{organization}/{project}")
def create_project_deprecated(call, provider, organization, project):
    """The older create of a VCS project (GitHub OAuth, Bitbucket): sets the project up if it is
    not yet, and answers its settings either way; standalone organizations answer 405."""
    if provider.lower() == "circleci":
        raise ApiError(405, NO_STANDALONE_CREATE)
    org = call.store.org_by_slug(f"{provider}/{organization}")
    if org is None:
        raise not_found("Project not found.")
    if not call.member_of(org):
        raise forbidden()
    existing = project_named(call, org, project)
    if existing is None:
        existing = call.store.add_project(org, check_project_name(org, {"name": project}), has_history=False)
    return 201, {"advanced": call.store.project_settings_of(existing)}
