# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""circleci_project: create and delete projects, reconciled by the skeleton of _reconcile.py.

API v2 lists no organization's projects, so a project is found with the cheapest read that names it:

- by `project_slug`: `GET /project/{slug}`;
- in a GitHub or Bitbucket organization, by name: its slug is `vcs/ORG/NAME`, so the same GET;
- in a standalone organization (slug `circleci/...`), by name: the slug holds CircleCI's id of the
  project, not its name, and no read maps one to the other. The organization's insights summary
  lists the names of its projects (`all_projects`), which tells whether the project exists, not
  its slug: such a project is reported present with its name and organization only, and is
  deleted by `project_slug` only.

Creates go to `POST /organization/{org}/project` whatever the organization's type; a 409 (a project
of that name exists: another run created it meanwhile) adopts that project. With `legacy_create`, a
GitHub or Bitbucket project is created through the deprecated `POST /project/{provider}/{org}/{name}`
instead (CircleCI server releases without the newer endpoint): it answers the project's settings, so
the project itself is read after it.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._organizations import OrgRef
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile, remove
from ansible_collections.community.circleci.plugins.module_utils._resolve import normalize_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_project_slug,
)

PROJECT_KEYS = ('id', 'slug', 'name', 'organization_name', 'organization_slug', 'organization_id', 'vcs_info')
VCS_ORG_TYPES = ('github', 'bitbucket')


def check_project_name(option, name, vcs_type):
    """A project name: not empty, no slash (it would change the slug), no surrounding whitespace; a
    repository name (no whitespace at all) in a GitHub or Bitbucket organization."""
    name = check_non_empty(option, name)
    if '/' in name or name != name.strip():
        raise ValidationError(option, "'%s' is not a project name (no / and no leading or trailing whitespace)" % name)
    if vcs_type in VCS_ORG_TYPES and any(c.isspace() for c in name):
        raise ValidationError(option, "'%s' is not the name of a repository of a %s organization" % (name, vcs_type))
    return name


def slug_vcs_type(slug):
    vcs = normalize_slug(slug).partition('/')[0].lower()
    return dict(gh='github', bb='bitbucket').get(vcs, 'circleci')


class ProjectSpec:
    """The checked options of circleci_project: organization + name, or project_slug."""

    def __init__(self, params):
        self.state = params.get('state') or 'present'
        self.project_slug = params.get('project_slug')
        self.legacy_create = bool(params.get('legacy_create'))
        self.org = None
        self.name = None
        if self.project_slug is not None:
            self.project_slug = check_project_slug('project_slug', self.project_slug)
            return
        self.org = OrgRef(params['organization'])
        self.name = check_project_name('name', params['name'], self.org.vcs_type)


class Target:
    """Where the project is looked for, resolved at the first read: its slug (a VCS project, or
    project_slug) or, for a standalone organization's project named by name, the organization's slug."""

    def __init__(self, client, spec):
        self.client = client
        self.spec = spec
        self._resolved = False
        self.slug = self.org_slug = self.org_ref = None
        self.vcs_type = None

    def resolve(self):
        if self._resolved:
            return self
        self._resolved = True
        spec = self.spec
        if spec.project_slug is not None:
            self.slug = spec.project_slug
            self.vcs_type = slug_vcs_type(self.slug)
            if self.vcs_type in VCS_ORG_TYPES:
                self.org_ref = self.slug.rsplit('/', 1)[0]
            return self.check_legacy_create()
        self.org_ref = spec.org.path_ref
        self.vcs_type = spec.org.vcs_type
        self.org_slug = spec.org.value
        if self.vcs_type is None:  # an organization id: its type and slug are among the collaborations
            org = spec.org.get(self.client)
            self.vcs_type, self.org_slug = org.get('vcs_type'), org.get('slug')
            check_project_name('name', spec.name, self.vcs_type)
        if self.vcs_type in VCS_ORG_TYPES:
            self.slug = '%s/%s' % (self.org_slug, spec.name)
        return self.check_legacy_create()

    def check_legacy_create(self):
        if self.spec.legacy_create and self.vcs_type not in VCS_ORG_TYPES:
            raise ValidationError('legacy_create', "the deprecated create only makes GitHub OAuth or Bitbucket projects; "
                                                   "'%s' is a %s organization's" % (self.slug or self.org_slug,
                                                                                    self.vcs_type or 'circleci'))
        return self


class ProjectResource(Resource):
    """A project, found by slug (computed for a VCS organization) or, in a standalone organization,
    by name among the organization's project names."""

    kind = 'project'
    parent = 'organization'
    result_key = 'project'
    update_method = None        # nothing of a project is managed here but its existence
    adopt_on_conflict = True
    create_expected = (200, 201)
    delete_expected = (200, 404)

    def __init__(self, client, spec):
        super().__init__(client, spec.name or spec.project_slug)
        self.spec = spec
        self.target = Target(client, spec)
        self.identity_option = 'name' if spec.project_slug is None else 'project_slug'

    def list(self):
        target = self.target.resolve()
        if target.slug is not None:
            try:
                return [self.read(target.slug)]
            except CircleCIError as exc:
                if exc.status == 404:
                    return []
                raise
        summary = self.client.get('/insights/%s/summary' % quote_slug(target.org_slug)) or {}
        return [dict(name=name, organization_slug=target.org_slug) for name in summary.get('all_projects') or []
                if isinstance(name, str) and name.lower() == self.spec.name.lower()]

    def read(self, slug):
        """GET /project/{slug} (CircleCIError 404 when there is none)."""
        return self.client.get('/project/%s' % quote_slug(slug))

    def matches(self, raw):
        return isinstance(raw, dict)

    def normalize(self, raw):
        return dict((key, raw[key]) for key in PROJECT_KEYS if isinstance(raw, dict) and raw.get(key) is not None)

    def create_body(self, current=None):
        target = self.target.resolve()
        if target.org_ref is None:
            raise ValidationError('project_slug', "project '%s' was not found; a project of a standalone organization is "
                                                  "created with organization and name (CircleCI gives it its slug)"
                                  % self.spec.project_slug)
        name = self.spec.name or target.slug.rsplit('/', 1)[1]
        predicted = dict(name=name, organization_slug=target.org_slug or target.org_ref)
        if target.slug is not None:
            predicted['slug'] = target.slug
        return dict(name=name), predicted

    def create_path(self):
        return '/organization/%s/project' % quote_slug(self.target.resolve().org_ref)

    def create(self, body, find_existing):
        if not self.spec.legacy_create:
            return super().create(body, find_existing)
        path = '/project/%s' % quote_slug(self.target.resolve().slug)
        # It answers the settings of the project, created or not, so sending it again is harmless.
        self.client.post(path, expected=(201,), repeatable=True)
        return self.client.get(path)

    def path(self, current):
        return '/project/%s' % quote_slug(current['slug'])

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ('id', 'slug', 'name', 'organization_slug') if key in obj)


def ensure_project(client, spec, check_mode):
    """Bring the project to spec.state; the module result (changed, project, diff)."""
    resource = ProjectResource(client, spec)
    if spec.state == 'present':
        return reconcile(resource, 'present', check_mode)
    matches = resource.find()
    if any(not match.get('slug') for match in matches):
        raise ValidationError('project_slug', "project '%s' of the standalone organization '%s' exists, but API v2 cannot "
                                              "give its slug from its name, which a delete needs: give its project_slug"
                              % (spec.name, resource.target.org_slug))
    return remove(resource, matches, check_mode)
