# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Name and slug resolution, cached for the run: at most one listing per owner and one
GET per project."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_project_slug,
    check_uuid,
    circleci_uuid_segments,
    exactly_one_of,
    is_uuid,
)

VCS_ALIASES = {'github': 'gh', 'bitbucket': 'bb'}


def normalize_slug(slug):
    """`github/ORG/REPO` -> `gh/ORG/REPO`, `bitbucket/...` -> `bb/...`; for comparing slugs."""
    vcs, sep, rest = slug.partition('/')
    vcs = vcs.lower()
    return VCS_ALIASES.get(vcs, vcs) + sep + rest


def slug_key(slug):
    """A slug as compared with another: VCS names ignore case, the opaque ids of `circleci/...`
    slugs do not (they are base58-like, where `a` and `A` differ)."""
    slug = normalize_slug(slug)
    return slug if slug.startswith('circleci/') else slug.lower()


class Resolver:
    """Resolves names and slugs through `client`, remembering every answer for the run."""

    def __init__(self, client):
        self.client = client
        self._contexts = {}
        self._projects = {}
        self._collaborations = None

    def contexts(self, owner, refresh=False):
        """Every context of `owner` (an object with `.key` and `.query()`, see _contexts.Owner)."""
        if refresh or owner.key not in self._contexts:
            self._contexts[owner.key] = self.client.get_all('/context', owner.query())
        return self._contexts[owner.key]

    def context(self, name, owner, refresh=False):
        """The context called `name` of `owner`, or None."""
        for context in self.contexts(owner, refresh=refresh):
            if context.get('name') == name:
                return context
        return None

    def project(self, slug):
        """The project object of `slug` (GET /project/{slug}); raises CircleCIError if not found."""
        key = normalize_slug(slug)
        if key not in self._projects:
            self._projects[key] = self.client.get('/project/%s' % quote_slug(slug))
        return self._projects[key]

    def project_id(self, slug_or_id):
        """A project UUID given either the UUID itself (no request) or a project slug."""
        if is_uuid(slug_or_id):
            return slug_or_id.lower()
        return self.project(slug_or_id)['id']

    def collaborations(self):
        """The organizations of the token's user (GET /me/collaborations, read once)."""
        if self._collaborations is None:
            self._collaborations = self.client.get('/me/collaborations') or []
        return self._collaborations

    def org_id(self, slug, option='org_slug'):
        """The UUID of the organization `slug`: taken from a `circleci/ORG_UUID` slug (no request),
        else found among the token's collaborations (which answer the slug the service shows: for
        `circleci/...` organizations an opaque id). ValidationError naming `option` if not found."""
        segments = circleci_uuid_segments(slug)
        if segments and segments[0]:
            return segments[0]
        key = slug_key(slug)
        for org in self.collaborations():
            if isinstance(org, dict) and slug_key(org.get('slug') or '') == key:
                return org['id']
        raise ValidationError(option, "organization '%s' is not among the organizations of the token's user" % slug)

    def project_scope(self, slug, option='project_slug'):
        """(organization UUID, project UUID) of a project slug: from a `circleci/ORG_UUID/PROJECT_UUID`
        slug without a request, else from GET /project/{slug} (`organization_id`, `id`); a 404 is a
        ValidationError naming `option`."""
        segments = circleci_uuid_segments(slug)
        if segments and all(segments):
            return segments[0], segments[1]
        try:
            project = self.project(slug)
        except CircleCIError as exc:
            if exc.status == 404:
                raise ValidationError(option, "project '%s' was not found (%s)" % (slug, exc)) from None
            raise
        return project['organization_id'].lower(), project['id'].lower()


# --- a project named by slug or id (webhooks, pipeline definitions, triggers) ---------------

def project_ref_argument_spec():
    """The options that name a project by slug or id (a fresh dict); PROJECT_REF_RULES are their rules."""
    return dict(project_slug=dict(type='str'), project_id=dict(type='str'))


PROJECT_REF_RULES = exactly_one_of(('project_slug', 'project_id'))


class ProjectRef:
    """A project given as project_slug or project_id (the argument spec requires exactly one)."""

    def __init__(self, params):
        self.project_slug = params.get('project_slug')
        self.project_id = params.get('project_id')
        if self.project_slug is not None:
            check_project_slug('project_slug', self.project_slug)
        else:
            self.project_id = check_uuid('project_id', self.project_id)


def resolve_project_id(resolver, ref):
    """The project UUID: project_id as given (no request), or the slug's project (one GET)."""
    if ref.project_id is not None:
        return ref.project_id
    try:
        return resolver.project(ref.project_slug)['id']
    except CircleCIError as exc:
        if exc.status == 404:
            raise ValidationError('project_slug', "project '%s' was not found (%s)" % (ref.project_slug, exc)) from None
        raise
