# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Projects: project environment variables, checkout keys, advanced settings and the reads
of circleci_project_info. Every project is named by its slug (checked before any request)."""

from __future__ import annotations

import re

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._definitions import list_definitions, normalize_definition
from ansible_collections.community.circleci.plugins.module_utils._envvars import reconcile_env_vars
from ansible_collections.community.circleci.plugins.module_utils._reconcile import settle_concurrent_create
from ansible_collections.community.circleci.plugins.module_utils._schedules import normalize_schedule
from ansible_collections.community.circleci.plugins.module_utils._triggers import list_triggers, normalize_trigger, webhook_url_of
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_choice,
    check_non_empty,
    check_project_slug,
)
from ansible_collections.community.circleci.plugins.module_utils._webhooks import list_webhooks, normalize_webhook

MASK_PREFIX = 'xxxx'

# Checkout key types as the module takes them (the create body) and as the API reads them back.
CHECKOUT_KEY_TYPES = ('deploy-key', 'user-key')
CHECKOUT_KEY_READ_TYPES = {'deploy-key': ('deploy-key',), 'user-key': ('github-user-key', 'user-key')}
MD5_FINGERPRINT_RE = re.compile(r'^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){15}$')

# The advanced settings of the spec's project_settings schema.
BOOLEAN_SETTINGS = (
    'autocancel_builds', 'build_fork_prs', 'build_prs_only', 'disable_ssh', 'forks_receive_secret_env_vars',
    'oss', 'set_github_status', 'setup_workflows', 'write_settings_requires_admin',
)
LIST_SETTINGS = ('pr_only_branch_overrides',)
ADVANCED_SETTINGS = BOOLEAN_SETTINGS + LIST_SETTINGS
READ_ONLY_SETTINGS = ('oss',)
MAX_BRANCH_OVERRIDES = 100  # the API answers 400 above this

INCLUDE_CHOICES = ('settings', 'env_vars', 'checkout_keys', 'webhooks', 'schedules', 'pipeline_definitions', 'triggers')


def project_path(slug):
    return '/project/%s' % quote_slug(slug)


def is_circleci_slug(slug):
    """GitLab, GitHub App and standalone projects (`circleci/ORG/PROJECT`)."""
    return slug.partition('/')[0].lower() == 'circleci'


def _not_found(slug, exc):
    return ValidationError('project_slug', "project '%s' was not found, or the token may not access it (%s)" % (slug, exc))


def _get_project_part(call, slug):
    """Run `call()`; a 404 becomes an error naming project_slug."""
    try:
        return call()
    except CircleCIError as exc:
        if exc.status == 404:
            raise _not_found(slug, exc) from None
        raise


# --- environment variables ---------------------------------------------------------------

def list_env_vars(client, slug):
    """The variables of a project: {name, value (masked: xxxx + last four), created-at}."""
    return _get_project_part(lambda: client.get_all(project_path(slug) + '/envvar'), slug)


def snake_case_fields(item):
    """An API object with its hyphenated field names in snake_case (created-at: created_at), as
    the collection's results name them (Jinja reads them with dot notation)."""
    return dict((key.replace('-', '_'), value) for key, value in item.items())


def write_env_var(client, slug, name, value):
    """Create or overwrite one variable (POST overwrites an existing name).

    Sending the same name and value twice gives the same end state, so after an ambiguous
    failure (lost answer, 502/503/504) the POST is simply sent again.
    """
    client.post(project_path(slug) + '/envvar', {'name': name, 'value': value}, expected=(200, 201), repeatable=True)


def delete_env_var(client, slug, name):
    client.delete('%s/envvar/%s' % (project_path(slug), quote_segment(name)), expected=(200, 404))


def mask_differs(masked, value):
    """True when a masked value (`xxxx` + the last four characters) proves that the value is not
    `value`. False means "maybe equal": a mask never proves equality."""
    if not isinstance(masked, str) or not isinstance(value, str) or len(value) < 4:
        return False
    if not masked.startswith(MASK_PREFIX) or len(masked) != len(MASK_PREFIX) + 4:
        return False
    return masked[len(MASK_PREFIX):] != value[-4:]


def reconcile_project_env(client, slug, values, state='present', update_mode='always', purge=False,
                          check_mode=False, warn=None, concurrency=1, diff=True):
    """Reconcile the variables of a project (the generic names-only reconcile of _envvars).

    With update_mode `on_create`, an existing variable is never written again, even when its
    masked value proves that it differs from the given one: `warn` is then called with the names.
    """
    slug = check_project_slug('project_slug', slug)
    existing = dict((item['name'], item.get('value')) for item in list_env_vars(client, slug))
    if state == 'present' and update_mode == 'on_create' and warn is not None:
        differing = sorted(name for name, value in values.items() if name in existing and mask_differs(existing[name], value))
        if differing:
            warn('the value of %s differs from the one given (the masked value ends differently); not rewritten '
                 'because update_mode=on_create' % ', '.join(differing))
    return reconcile_env_vars(
        existing, values,
        write=lambda name, value: write_env_var(client, slug, name, value),
        delete=lambda name: delete_env_var(client, slug, name),
        state=state, update_mode=update_mode, purge=purge,
        check_mode=check_mode, diff_extra=dict(project_slug=slug), concurrency=concurrency, diff=diff,
        warn=warn, where="project '%s'" % slug)


# --- checkout keys ---------------------------------------------------------------------------

def check_checkout_key_slug(option, slug):
    slug = check_project_slug(option, slug)
    if is_circleci_slug(slug):
        raise ValidationError(option, "checkout keys are not available for '%s': circleci/... projects (GitLab, "
                                      "GitHub App, standalone) have no checkout keys" % slug)
    return slug


def fingerprint_digest(fingerprint):
    """`md5` for a `c9:0b:...` fingerprint, else `sha256`."""
    return 'md5' if MD5_FINGERPRINT_RE.match(fingerprint) else 'sha256'


def list_checkout_keys(client, slug, digest=None):
    params = {'digest': digest} if digest == 'sha256' else None  # md5 is the API's default
    return _get_project_part(lambda: client.get_all(project_path(slug) + '/checkout-key', params), slug)


def keys_of_type(keys, key_type):
    return [key for key in keys if key.get('type') in CHECKOUT_KEY_READ_TYPES[key_type]]


def create_checkout_key(client, slug, key_type):
    """Create a key; after a lost answer, a key of that type found in a new listing is taken
    as the one created instead of creating a second one."""
    def find_existing():
        found = keys_of_type(list_checkout_keys(client, slug), key_type)
        return found[0] if found else None
    created = client.create(project_path(slug) + '/checkout-key', {'type': key_type}, find_existing=find_existing,
                            expected=(200, 201))
    # another run may have created one too (both read "none"): one of the two is kept
    return settle_concurrent_create(created, keys_of_type(list_checkout_keys(client, slug), key_type), 'fingerprint',
                                    lambda key: delete_checkout_key(client, slug, key['fingerprint']))


def delete_checkout_key(client, slug, fingerprint):
    client.delete('%s/checkout-key/%s' % (project_path(slug), quote_segment(fingerprint)), expected=(200, 404))


def _key_view(keys):
    return sorted(key.get('fingerprint') for key in keys)


def ensure_checkout_key(client, slug, key_type, state='present', fingerprint=None, check_mode=False):
    """present: a key of `key_type` exists (one is created if none does).
    absent: the key with `fingerprint` is gone, or without it every key of `key_type`.
    Returns the module result: changed, checkout_keys (the keys of `key_type` afterwards, field
    names in snake_case), diff."""
    slug = check_checkout_key_slug('project_slug', slug)
    key_type = check_choice('type', key_type, CHECKOUT_KEY_TYPES)
    if fingerprint is not None:
        fingerprint = check_non_empty('fingerprint', fingerprint).strip()
        if state != 'absent':
            raise ValidationError('fingerprint', 'only used with state=absent (a key cannot be created with a chosen fingerprint)')
    digest = fingerprint_digest(fingerprint) if fingerprint else None

    all_keys = list_checkout_keys(client, slug, digest)
    keys = keys_of_type(all_keys, key_type)
    before = dict(project_slug=slug, type=key_type, fingerprints=_key_view(keys))
    if state == 'present':
        if keys:
            return dict(changed=False, checkout_keys=[snake_case_fields(key) for key in keys], diff=dict(before=before, after=before))
        created = {'type': key_type} if check_mode else create_checkout_key(client, slug, key_type)
        after = dict(before, fingerprints=[created.get('fingerprint', '(new key)')])
        return dict(changed=True, checkout_keys=[snake_case_fields(created)], diff=dict(before=before, after=after))

    doomed = _doomed_keys(all_keys, keys, key_type, fingerprint, digest)
    if not check_mode:
        for key in doomed:
            delete_checkout_key(client, slug, key['fingerprint'])
    remaining = [key for key in keys if key not in doomed]
    after = dict(before, fingerprints=_key_view(remaining))
    return dict(changed=bool(doomed), checkout_keys=[snake_case_fields(key) for key in remaining],
                diff=dict(before=before, after=after))


def _doomed_keys(all_keys, keys, key_type, fingerprint, digest):
    """The keys of `key_type` to delete: the one with `fingerprint`, or without it all of them. A
    fingerprint of a key of another type is refused, naming the type it has."""
    if fingerprint is None:
        return list(keys)
    wanted = fingerprint.lower() if digest == 'md5' else fingerprint
    other = [key for key in all_keys if key not in keys and _same_fingerprint(key, wanted, digest)]
    if other:
        raise ValidationError('fingerprint', "'%s' is a key of type %s, not %s" % (fingerprint, other[0].get('type'), key_type))
    return [key for key in keys if _same_fingerprint(key, wanted, digest)]


def _same_fingerprint(key, wanted, digest):
    value = key.get('fingerprint') or ''
    return (value.lower() if digest == 'md5' else value) == wanted


# --- advanced settings -------------------------------------------------------------------------

def settings_path(slug):
    return project_path(slug) + '/settings'


def check_advanced(advanced, option='advanced'):
    """The wanted advanced settings, checked and normalised before any request."""
    if not isinstance(advanced, dict) or not advanced:
        raise ValidationError(option, 'must be a non-empty dict of advanced settings')
    checked = {}
    for key, value in advanced.items():
        where = '%s.%s' % (option, key)
        if key in READ_ONLY_SETTINGS:
            raise ValidationError(where, "is read-only: the API refuses a change that contains '%s' (it is set by "
                                         "CircleCI for open source projects); remove it" % key)
        if key not in ADVANCED_SETTINGS:
            raise ValidationError(where, 'is not an advanced setting; known: %s'
                                  % ', '.join(k for k in ADVANCED_SETTINGS if k not in READ_ONLY_SETTINGS))
        if key in BOOLEAN_SETTINGS:
            if value is None:
                raise ValidationError(where, 'must be true or false')
            try:
                checked[key] = boolean(value, strict=True)
            except TypeError:
                raise ValidationError(where, "'%s' is not a boolean" % (value,)) from None
        else:
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise ValidationError(where, 'must be a list of branch names')
            branches = []
            for index, branch in enumerate(value):
                branch = check_non_empty('%s[%d]' % (where, index), branch)
                if branch not in branches:
                    branches.append(branch)
            if len(branches) > MAX_BRANCH_OVERRIDES:
                raise ValidationError(where, 'at most %d branches, got %d' % (MAX_BRANCH_OVERRIDES, len(branches)))
            checked[key] = branches
    return checked


def _setting_equal(key, current, wanted):
    if key in LIST_SETTINGS:
        return isinstance(current, list) and set(current) == set(wanted)  # the API does not keep the order
    return current == wanted


def get_settings(client, slug):
    """The project settings object {advanced: {...}}."""
    return _get_project_part(lambda: client.get(settings_path(slug)), slug) or {}


def ensure_settings(client, slug, advanced, check_mode=False):
    """PATCH only the advanced settings that differ. Returns changed, settings, diff."""
    slug = check_project_slug('project_slug', slug)
    wanted = check_advanced(advanced)
    settings = get_settings(client, slug)
    current = dict(settings.get('advanced') or {})
    changes = dict((key, value) for key, value in wanted.items() if not _setting_equal(key, current.get(key), value))
    if changes and not check_mode:
        settings = client.patch(settings_path(slug), json={'advanced': changes}) or {}
    elif changes:
        settings = dict(settings, advanced=dict(current, **changes))
    after = dict(settings.get('advanced') or {})
    diff = dict(before=dict(project_slug=slug, advanced=_sorted_lists(current)),
                after=dict(project_slug=slug, advanced=_sorted_lists(after)))
    return dict(changed=bool(changes), settings=settings, diff=diff)


def _sorted_lists(advanced):
    return dict((key, sorted(value) if isinstance(value, list) else value) for key, value in advanced.items())


# --- project_info ------------------------------------------------------------------------------

def project_info(client, resolver, slug, include=()):
    """`project` (GET /project/{slug}) plus the parts named in `include`, each fetched only when asked.

    A project that is not found (404) gives `project: {}` and empty parts, with no further request.
    Checkout keys of a circleci/... project are [] without a request (the API has none for them).
    """
    slug = check_project_slug('project_slug', slug)
    for index, part in enumerate(include):
        check_choice('include[%d]' % index, part, INCLUDE_CHOICES)
    try:
        project = resolver.project(slug)
    except CircleCIError as exc:
        if exc.status != 404:
            raise
        project = None
    result = dict(changed=False, project=project or {})
    parts = ProjectParts(client, slug, project)
    for part in INCLUDE_CHOICES:
        if part in include:
            result[part] = parts.read(part)
    return result


class ProjectParts:
    """The parts of a project circleci_project_info reads, one method each; those of a project
    that was not found are empty, with no request."""

    EMPTY = dict(settings={}, env_vars=[], checkout_keys=[], webhooks=[], schedules=[], pipeline_definitions=[],
                 triggers=[])

    def __init__(self, client, slug, project):
        self.client = client
        self.slug = slug
        self.project = project
        self._definitions = None

    def read(self, part):
        if self.project is None:
            return self.EMPTY[part]
        return getattr(self, part)()

    def settings(self):
        return get_settings(self.client, self.slug)

    def env_vars(self):
        return [snake_case_fields(var) for var in list_env_vars(self.client, self.slug)]

    def checkout_keys(self):
        return [] if is_circleci_slug(self.slug) else [snake_case_fields(key) for key in list_checkout_keys(self.client, self.slug)]

    def webhooks(self):
        # the same shape as circleci_webhook(_info) returns: snake_case keys, no secret
        return [normalize_webhook(hook) for hook in list_webhooks(self.client, self.project['id'])]

    def schedules(self):
        raw = _get_project_part(lambda: self.client.get_all(project_path(self.slug) + '/schedule'), self.slug)
        return [normalize_schedule(schedule) for schedule in raw]

    def pipeline_definitions(self):
        if self._definitions is None:
            self._definitions = [normalize_definition(raw) for raw in list_definitions(self.client, self.project['id'])]
        return self._definitions

    def triggers(self):
        """Every trigger of every definition, with its `pipeline_definition_id`; never a webhook URL
        (a secret: circleci_trigger returns it under no_log)."""
        triggers = []
        for definition in self.pipeline_definitions():
            for raw in list_triggers(self.client, self.project['id'], definition['id']):
                url = webhook_url_of(raw)
                if url:
                    self.client.hide([url])
                triggers.append(dict(normalize_trigger(raw), pipeline_definition_id=definition['id']))
        return triggers
