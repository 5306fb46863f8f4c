# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OIDC custom claims (audience, ttl) of an organization or a project.

The service keeps no audience order and normalises ttl (`90m` reads back as `1h30m0s`), so
audiences are compared as sets and ttls as durations.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._resolve import slug_key
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_org_slug,
    check_project_slug,
    check_uuid,
    circleci_uuid_segments,
)

CLAIMS = ('audience', 'ttl')
# What the API accepts (JSONDuration in the spec).
TTL_RE = re.compile(r'^([0-9]+(ms|s|m|h|d|w)){1,7}\Z')
# What it may answer: Go's time.Duration.String() (`1h30m0s`, `1.5s`, `500ms`, `1µs`) and the input form.
_DURATION_PART_RE = re.compile(r'([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w)')
_MS_PER_UNIT = {
    'ns': Fraction(1, 1000000), 'us': Fraction(1, 1000), '\u00b5s': Fraction(1, 1000), '\u03bcs': Fraction(1, 1000),
    'ms': Fraction(1), 's': Fraction(1000), 'm': Fraction(60000), 'h': Fraction(3600000),
    'd': Fraction(86400000), 'w': Fraction(604800000),
}


def parse_duration(text):
    """Milliseconds in a duration string (`90m`, `1h30m0s`, `1.5s`, `500ms`); an int when whole,
    else a float. Raises ValueError for anything else."""
    if not isinstance(text, str):
        raise ValueError('not a string: %r' % (text,))
    value = text.strip()
    sign = 1
    if value[:1] in ('-', '+'):
        sign = -1 if value[0] == '-' else 1
        value = value[1:]
    if value == '0':
        return 0
    total, position = Fraction(0), 0
    for match in _DURATION_PART_RE.finditer(value):
        if match.start() != position:
            break
        total += Fraction(match.group(1)) * _MS_PER_UNIT[match.group(2)]
        position = match.end()
    if not value or position != len(value):
        raise ValueError('not a duration: %r' % (text,))
    total *= sign
    return int(total) if total.denominator == 1 else float(total)


def check_ttl(option, value):
    """A ttl as the API accepts it (`^([0-9]+(ms|s|m|h|d|w)){1,7}$`, for example `90m` or `1h30m`)."""
    if not isinstance(value, str) or not TTL_RE.match(value):
        raise ValidationError(option, "'%s' is not a duration such as 10m, 1h or 1h30m (digits followed by ms, s, m, h, d or w, "
                                      "at most 7 parts)" % (value,))
    return value


def check_audience(option, value):
    """A non-empty list of non-empty strings; duplicates dropped, order kept."""
    if not isinstance(value, list) or not value:
        raise ValidationError(option, 'must list at least one audience (to remove the audience claim, use state=absent)')
    audience = []
    for index, item in enumerate(value):
        check_non_empty('%s[%d]' % (option, index), item)
        if item not in audience:
            audience.append(item)
    return audience


def same_ttl(wanted, current):
    """Whether two ttl strings name the same duration (an unreadable one only equals itself)."""
    if not current:
        return False
    try:
        return parse_duration(wanted) == parse_duration(current)
    except ValueError:
        return wanted == current


def claims_scope_argument_spec():
    """The options that name the scope of OIDC claims (a fresh dict); CLAIMS_SCOPE_RULES are their rules."""
    return dict(org_id=dict(type='str'), org_slug=dict(type='str'), project_id=dict(type='str'), project_slug=dict(type='str'))


CLAIMS_SCOPE_RULES = dict(mutually_exclusive=[('org_id', 'org_slug'), ('project_id', 'project_slug')],
                          required_one_of=[('org_id', 'org_slug', 'project_slug')])


class ClaimsScope:
    """Where claims live: an organization, or one project of it. Ids resolved from the options."""

    def __init__(self, org_id, project_id=None):
        self.org_id = org_id
        self.project_id = project_id

    @property
    def path(self):
        path = '/org/%s' % quote_segment(self.org_id)
        if self.project_id:
            path += '/project/%s' % quote_segment(self.project_id)
        return path + '/oidc-custom-claims'

    @classmethod
    def check_params(cls, params):
        """Check the identity options before any request; returns them checked, as a dict. The
        argument spec declares their combinations: org_id or org_slug (not both), at most one of
        project_id and project_slug, and an organization unless project_slug names it."""
        checks = dict(org_id=check_uuid, org_slug=check_org_slug, project_id=check_uuid, project_slug=check_project_slug)
        return dict((option, None if params.get(option) is None else check(option, params[option]))
                    for option, check in checks.items())

    @classmethod
    def resolve(cls, resolver, checked):
        """The scope of checked identity options, with as few requests as possible: a project slug
        costs one GET /project/{slug} (none for circleci/ORG_UUID/PROJECT_UUID), an org slug one
        GET /me/collaborations (none for circleci/ORG_UUID, or when a project slug names the org).
        The opaque ids of circleci/... slugs are never taken for UUIDs: the API resolves them."""
        org_id, project_id = checked['org_id'], checked['project_id']
        slug = checked['project_slug']
        if slug:
            project_org_id, project_id = resolver.project_scope(slug)
            if org_id and org_id != project_org_id:
                raise ValidationError('project_slug', "project '%s' belongs to organization %s, not org_id %s" % (slug, project_org_id, org_id))
            if checked['org_slug'] and not _org_slug_matches(resolver, checked['org_slug'], slug, project_org_id):
                raise ValidationError('project_slug', "project '%s' is not in organization '%s'" % (slug, checked['org_slug']))
            org_id = project_org_id
        elif not org_id:
            org_id = resolver.org_id(checked['org_slug']).lower()
        return cls(org_id, project_id)


def _org_slug_matches(resolver, org_slug, project_slug, project_org_id):
    """Whether the project of `project_slug` (in organization `project_org_id`) is in `org_slug`. Two
    circleci/... slugs may name one organization in two forms (its opaque id or its UUID): then the
    organization's id decides, resolved through the collaborations when it is not in the slug."""
    if slug_key(project_slug).startswith(slug_key(org_slug) + '/'):
        return True
    if circleci_uuid_segments(org_slug) is None or circleci_uuid_segments(project_slug) is None:
        return False
    try:
        return resolver.org_id(org_slug).lower() == project_org_id
    except ValidationError:
        return False


def read_claims(client, scope):
    return client.get(scope.path) or {}


def patch_claims(client, scope, body):
    return client.patch(scope.path, json=body) or {}


def delete_claims(client, scope, names):
    return client.delete(scope.path, params={'claims': ','.join(names)}) or {}


def audience_of(claims):
    audience = claims.get('audience')
    return list(audience) if isinstance(audience, list) else []


def claims_view(claims):
    """The claims as shown in diffs: audience sorted, ttl as the API spells it; unset claims left out."""
    view = {}
    audience = audience_of(claims)
    if audience:
        view['audience'] = sorted(audience)
    if claims.get('ttl'):
        view['ttl'] = claims['ttl']
    return view


def plan_present(current, audience, ttl):
    """The PATCH body that brings `current` to the given claims ({} = nothing to do)."""
    body = {}
    if audience is not None and set(audience) != set(audience_of(current)):
        body['audience'] = audience
    if ttl is not None and not same_ttl(ttl, current.get('ttl')):
        body['ttl'] = ttl
    return body


def plan_absent(current, names):
    """The claims among `names` that are set now, in the API's order."""
    return [name for name in CLAIMS if name in names and claims_view(current).get(name)]


def ensure_claims(client, scope, state, audience, ttl, check_mode):
    """Bring the claims of `scope` to the wanted state. `audience` and `ttl` are checked values or
    None (not given); with state=absent, the given ones (both if neither) are reset.
    Returns (changed, claims after, diff)."""
    current = read_claims(client, scope)
    before = claims_view(current)
    if state == 'absent':
        names = [name for name, value in (('audience', audience), ('ttl', ttl)) if value is not None] or list(CLAIMS)
        to_reset = plan_absent(current, names)
        if not to_reset:
            return False, current, dict(before=before, after=before)
        predicted = dict((key, value) for key, value in current.items() if key not in to_reset)
        after = predicted if check_mode else (delete_claims(client, scope, to_reset) or predicted)
        return True, after, dict(before=before, after=claims_view(after))

    body = plan_present(current, audience, ttl)
    if not body:
        return False, current, dict(before=before, after=before)
    predicted = dict(current)
    predicted.update(body)
    after = predicted if check_mode else (patch_claims(client, scope, body) or predicted)
    return True, after, dict(before=before, after=claims_view(after))
