# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Input checks run before any request. Each error message starts with the option it is about,
for example ``restrictions[1].value: 'x' is not a project slug or UUID``."""

from __future__ import annotations

import difflib
import re

# The patterns end in \Z, not $: `$` also matches before a trailing newline, which a YAML block
# scalar easily adds ("TOKEN\n" would pass, and then name another object in the request path).
UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
# One organization or repository name of a slug: no slash or whitespace, and not . or .. (which
# would move the request to another path once the slug is put into the URL unescaped).
_NAME = r'(?!\.\.?(?:/|\Z))[^/\s]+'
# gh|github|bb|bitbucket/ORG/REPO, or circleci/ORG/PROJECT (GitLab, GitHub App, standalone), whose
# segments CircleCI shows as short opaque ids (circleci/43G3lM5RtfFE7v5sa4nWAU/44n9wujWcTnVZ2b5S8Fnat);
# the organization and project UUIDs are taken there too. A segment is never read as a UUID unless it
# is one (circleci_uuid_segments).
PROJECT_SLUG_RE = re.compile(r'^(?:gh|github|bb|bitbucket|circleci)/%s/%s\Z' % (_NAME, _NAME))
ORG_SLUG_RE = re.compile(r'^(?:gh|github|bb|bitbucket|circleci)/%s\Z' % _NAME)
ENV_VAR_NAME_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*\Z')
# http(s)://HOST[/PATH]: no whitespace, query or fragment (paths are appended to it).
HTTP_URL_RE = re.compile(r'^https?://[^/\s?#]+[^\s?#]*\Z', re.IGNORECASE)
# Pipeline parameters (triggers, schedules, continuations): the API's limits.
MAX_PARAMETERS = 100
MAX_PARAMETER_NAME = 128
MAX_PARAMETER_VALUE = 512


class ValidationError(ValueError):
    """Invalid input: a malformed option (found before any request) or a name that resolves to
    nothing. str() starts with the option."""

    def __init__(self, option, problem):
        super().__init__('%s: %s' % (option, problem))
        self.option = option


def is_uuid(value):
    return isinstance(value, str) and bool(UUID_RE.match(value))


def is_project_slug(value):
    return isinstance(value, str) and bool(PROJECT_SLUG_RE.match(value))


def circleci_uuid_segments(slug):
    """The segments after `circleci/` of a circleci/... slug, each lower-cased if it is a UUID and
    None if it is not (an opaque id, which only the API can resolve); None for any other slug."""
    vcs, _sep, rest = slug.partition('/')
    if vcs.lower() != 'circleci':
        return None
    return [segment.lower() if is_uuid(segment) else None for segment in rest.split('/')]


def check_non_empty(option, value):
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(option, 'must be a non-empty string')
    return value


def check_uuid(option, value):
    if not is_uuid(value):
        raise ValidationError(option, "'%s' is not a UUID" % (value,))
    return value.lower()


def check_project_slug(option, value):
    if not is_project_slug(value):
        raise ValidationError(option, "'%s' is not a project slug (gh/ORG/REPO, bb/ORG/REPO or circleci/ORG/PROJECT)" % (value,))
    return value


def check_project_slug_or_uuid(option, value):
    if is_uuid(value):
        return value.lower()
    if is_project_slug(value):
        return value
    raise ValidationError(option, "'%s' is not a project slug or UUID" % (value,))


def check_org_slug(option, value):
    if not isinstance(value, str) or not ORG_SLUG_RE.match(value):
        raise ValidationError(option, "'%s' is not an organization slug (gh/ORG, bb/ORG or circleci/ORG)" % (value,))
    return value


def check_env_var_name(option, value):
    if not isinstance(value, str) or not ENV_VAR_NAME_RE.match(value):
        raise ValidationError(option, "'%s' is not a valid environment variable name (letters, digits and _, not starting with a digit)" % (value,))
    return value


def check_choice(option, value, choices):
    if value not in choices:
        raise ValidationError(option, "'%s' is not one of %s" % (value, ', '.join(choices)))
    return value


def check_http_url(option, value):
    if not isinstance(value, str) or not HTTP_URL_RE.match(value):
        raise ValidationError(option, "'%s' is not an http(s) URL (http(s)://HOST/PATH, without spaces, query or fragment)" % (value,))
    return value


def check_parameters(parameters, option='parameters'):
    """Pipeline parameters within the API's limits (values: string, integer or boolean)."""
    if len(parameters) > MAX_PARAMETERS:
        raise ValidationError(option, 'at most %d parameters are allowed, got %d' % (MAX_PARAMETERS, len(parameters)))
    for name, value in parameters.items():
        if not isinstance(name, str) or not name or len(name) > MAX_PARAMETER_NAME:
            raise ValidationError(option, "parameter name '%s' must be 1 to %d characters" % (name, MAX_PARAMETER_NAME))
        if isinstance(value, str):
            if len(value) > MAX_PARAMETER_VALUE:
                raise ValidationError('%s.%s' % (option, name), 'longer than %d characters' % MAX_PARAMETER_VALUE)
        elif not isinstance(value, (bool, int)):
            raise ValidationError('%s.%s' % (option, name), 'must be a string, an integer or a boolean, got %s' % type(value).__name__)
    return dict(parameters)


def exactly_one_of(*groups):
    """AnsibleModule's rules for "exactly one of these options", for each group of option names
    (mutually_exclusive and required_one_of); combine them with spec_rules."""
    return dict(mutually_exclusive=list(groups), required_one_of=list(groups))


def spec_rules(*parts, **extra):
    """AnsibleModule's cross-option rules (mutually_exclusive, required_one_of, required_if, ...)
    of several parts, e.g. the rules of an identity shared by modules and a module's own, concatenated
    per kind (the dicts of required_by merged). Pass the result to run_module as keyword arguments."""
    merged = {}
    for part in parts + (extra,):
        for kind, rules in part.items():
            if isinstance(rules, dict):
                merged[kind] = dict(merged.get(kind, {}), **rules)
            else:
                merged[kind] = list(merged.get(kind, [])) + list(rules)
    return merged


def check_only_with(params, options, key, value):
    """Refuse each of `options` that is set (neither None nor false) unless params[key] == value:
    the rule AnsibleModule's argument spec cannot declare (it can require an option, not refuse
    one). Message: ``job_name: only applies with action=approve``."""
    for option in options:
        if params.get(option) is not None and params.get(option) is not False and params.get(key) != value:
            raise ValidationError(option, 'only applies with %s=%s' % (key, value))


def text_or_src(params, option, src_option='src'):
    """The text of `option`, or of the UTF-8 file named by `src_option` (read on the host the
    module runs on); one of them is required and the text must not be empty."""
    src = params.get(src_option)
    if src is not None:
        try:
            with open(src, 'rb') as handle:
                text = handle.read().decode('utf-8')
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(src_option, "cannot read '%s': %s" % (src, getattr(exc, 'strerror', None) or exc)) from None
        return check_non_empty(src_option, text)
    if params.get(option) is None:
        raise ValidationError(option, '%s or %s is required' % (option, src_option))
    return check_non_empty(option, params[option])


def not_found_hint(name, candidates):
    """" (did you mean 'x'?)" when a name that exists is close to `name` (a misspelling), else "".
    For the messages of a removal that finds nothing to remove."""
    close = difflib.get_close_matches(name, [c for c in candidates if isinstance(c, str)], n=1, cutoff=0.75)
    return " (did you mean '%s'?)" % close[0] if close else ''
