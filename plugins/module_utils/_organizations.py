# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Organizations: the `organization` option every organization-level module takes (a slug or an
id, `OrgRef`), and circleci_organization, reconciled by the skeleton of _reconcile.py.

API v2 has no read of one organization (the Terraform provider's `GET /organization/{id}` is not
in the spec): an organization is found among the organizations of the token's user,
`GET /me/collaborations`, read once per run. Those items carry `vcs-type` (hyphen, as the spec)
or `vcs_type` (as circleci-cli reads it): both are understood.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, read_field
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._resolve import normalize_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_org_slug,
    is_uuid,
)

VCS_TYPES = ('github', 'bitbucket', 'circleci')
ORGANIZATION_KEYS = ('id', 'name', 'slug', 'vcs_type')


# --- the organization option ---------------------------------------------------------------

def check_org_ref(option, value):
    """An organization given as a UUID (lowercased) or a slug (gh/ORG, bb/ORG, circleci/ORG_ID)."""
    if is_uuid(value):
        return value.lower()
    try:
        return check_org_slug(option, value)
    except ValidationError:
        raise ValidationError(option, "'%s' is not an organization UUID or slug (gh/ORG, bb/ORG or circleci/ORG_ID)"
                              % (value,)) from None


def normalize_org(raw):
    """An organization as the modules return it: id, name, slug, vcs_type (from a collaboration
    item or a create answer)."""
    if not raw:
        return {}
    org = dict(id=raw.get('id'), name=raw.get('name'), slug=raw.get('slug'), vcs_type=read_field(raw, 'vcs-type'))
    return dict((key, value) for key, value in org.items() if value is not None)


def collaborations(client):
    """The organizations of the token's user, normalised (one GET, not cached: a create or a
    delete changes it)."""
    return [normalize_org(raw) for raw in client.get('/me/collaborations') or [] if isinstance(raw, dict)]


def slug_key(slug):
    """A slug in comparable form: `gh`/`bb` spellings, the type and a VCS name without case (GitHub and
    Bitbucket names ignore it), a `circleci/` segment as it is unless it is a UUID (CircleCI's short
    ids are base58, where case matters)."""
    vcs, sep, rest = normalize_slug(slug or '').partition('/')
    if vcs != 'circleci' or is_uuid(rest):
        rest = rest.lower()
    return vcs + sep + rest


def same_slug(one, other):
    return slug_key(one) == slug_key(other)


def is_ref_of(org, ref):
    """Whether the normalised organization `org` is the one the checked slug or id `ref` names."""
    return (org.get('id') or '').lower() == ref if is_uuid(ref) else same_slug(org.get('slug'), ref)


class OrgRef:
    """The `organization` option of an organization-level module: a slug or an id, checked before
    any request. `path_ref` goes into /organization/{org-slug-or-id} paths as given; `org_id()`
    and `find()` read the collaborations once when they need to."""

    def __init__(self, value, option='organization'):
        self.option = option
        self.value = check_org_ref(option, value)
        self._found = None
        self._read = False

    @property
    def path_ref(self):
        return self.value

    @property
    def vcs_type(self):
        """github / bitbucket / circleci from a slug; None for an id (unknown without a read)."""
        if is_uuid(self.value):
            return None
        return dict(gh='github', bb='bitbucket').get(normalize_slug(self.value).partition('/')[0].lower(), 'circleci')

    def find(self, client):
        """The organization among the collaborations (normalised), or None; read once."""
        if not self._read:
            self._found = next((org for org in collaborations(client) if is_ref_of(org, self.value)), None)
            self._read = True
        return self._found

    def get(self, client):
        """The organization among the collaborations; ValidationError naming the option if absent."""
        org = self.find(client)
        if org is None:
            raise ValidationError(self.option, "organization '%s' is not among the organizations of the token's user"
                                  % self.value)
        return org

    def org_id(self, client):
        """The organization's UUID: the option itself, or a `circleci/UUID` slug's second segment
        (no request), else from the collaborations."""
        if is_uuid(self.value):
            return self.value
        vcs, _sep, rest = self.value.partition('/')
        if vcs.lower() == 'circleci' and is_uuid(rest):
            return rest.lower()
        return self.get(client)['id']

    def __str__(self):
        return self.value


# --- circleci_organization ----------------------------------------------------------------

class OrganizationSpec:
    """The checked options of circleci_organization: name + vcs_type, or organization (slug or id)."""

    def __init__(self, params):
        self.state = params.get('state') or 'present'
        self.ref = None if params.get('organization') is None else OrgRef(params['organization'])
        self.name = None if params.get('name') is None else check_non_empty('name', params['name']).strip()
        self.vcs_type = params.get('vcs_type')
        if self.ref is None and (self.name is None or self.vcs_type is None):
            raise ValidationError('name', 'name and vcs_type, or organization, are required')
        if self.vcs_type is not None and self.vcs_type not in VCS_TYPES:
            raise ValidationError('vcs_type', "'%s' is not one of %s" % (self.vcs_type, ', '.join(VCS_TYPES)))
        if self.vcs_type in ('github', 'bitbucket') and self.name is not None and ('/' in self.name or any(c.isspace() for c in self.name)):
            raise ValidationError('name', "'%s' is not the name of an organization on %s (no / or whitespace)"
                                  % (self.name, self.vcs_type))


class OrganizationResource(Resource):
    """An organization of the token's user, found in the collaborations by name and type (names
    compared case-insensitively, as slugs are) or by slug or id."""

    kind = 'organization'
    parent = "token's user"
    result_key = 'organization'
    update_method = None    # name and type are the identity: nothing to update
    create_expected = (200, 201)
    delete_expected = (200, 202, 404)

    def __init__(self, client, spec):
        super().__init__(client, spec.name if spec.ref is None else spec.ref.value)
        self.spec = spec
        self.identity_option = 'name' if spec.ref is None else 'organization'

    def identity_text(self):
        if self.spec.ref is not None:
            return "'%s'" % self.spec.ref.value
        return "named '%s' (vcs_type %s)" % (self.spec.name, self.spec.vcs_type)

    def list(self):
        return collaborations(self.client)

    def matches(self, raw):
        if self.spec.ref is not None:
            return is_ref_of(raw, self.spec.ref.value)
        return raw.get('vcs_type') == self.spec.vcs_type and (raw.get('name') or '').lower() == self.spec.name.lower()

    def normalize(self, raw):
        return normalize_org(raw)

    def create_body(self, current=None):
        if self.spec.ref is not None:
            raise ValidationError('organization', "'%s' is not among the organizations of the token's user; name and "
                                                  "vcs_type create an organization" % self.spec.ref.value)
        body = dict(name=self.spec.name, vcs_type=self.spec.vcs_type)
        return body, dict(body)

    def create_path(self):
        return '/organization'

    def path(self, current):
        return '/organization/%s' % quote_segment(current['id'])

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ORGANIZATION_KEYS if key in obj)


def ensure_organization(client, spec, check_mode):
    """Bring the organization to spec.state; the module result (changed, organization, diff)."""
    return reconcile(OrganizationResource(client, spec), spec.state, check_mode)
