# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Config policies: policy bundles, decision settings, decisions and decision logs.

A bundle POST replaces the whole bundle; with `dry=true` it changes nothing and answers the
diff {created, deleted, modified}. That answer decides `changed` and is the whole check mode.
"""

from __future__ import annotations

import json
import os
import re

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_only_with,
    exactly_one_of,
    check_org_slug,
    check_uuid,
)

CONTEXTS = ('config',)
DIFF_KEYS = ('created', 'deleted', 'modified')
FAIL_ON = ('hard', 'soft', 'never')
BUNDLE_LIMIT = int(2.5 * 1024 * 1024)  # about 2.5 MiB (413 above)
DATE_TIME_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})\Z')


def policy_scope_argument_spec():
    """The options that name the policy scope (a fresh dict); POLICY_SCOPE_RULES are their rules."""
    return dict(owner_id=dict(type='str'), org_slug=dict(type='str'),
                context=dict(type='str', choices=list(CONTEXTS), default='config'))


POLICY_SCOPE_RULES = exactly_one_of(('owner_id', 'org_slug'))


class PolicyScope:
    """Owner (organization id) and policy context of the policy endpoints."""

    def __init__(self, owner_id, context='config'):
        self.owner_id = owner_id
        self.context = context

    @staticmethod
    def check_params(params):
        """Checked owner_id / org_slug / context, before any request."""
        owner_id, org_slug = params.get('owner_id'), params.get('org_slug')
        if owner_id is not None and org_slug is not None:
            raise ValidationError('owner_id', 'give owner_id or org_slug, not both')
        if owner_id is None and org_slug is None:
            raise ValidationError('owner_id', 'owner_id or org_slug is required')
        context = params.get('context') or 'config'
        if context not in CONTEXTS:
            raise ValidationError('context', "'%s' is not a policy context the API accepts (%s)" % (context, ', '.join(CONTEXTS)))
        return dict(
            owner_id=None if owner_id is None else check_uuid('owner_id', owner_id),
            org_slug=None if org_slug is None else check_org_slug('org_slug', org_slug),
            context=context,
        )

    @classmethod
    def resolve(cls, resolver, checked):
        owner_id = checked['owner_id'] or resolver.org_id(checked['org_slug']).lower()
        return cls(owner_id, checked['context'])

    @property
    def path(self):
        return '/owner/%s/context/%s' % (quote_segment(self.owner_id), quote_segment(self.context))


# --- bundles ---------------------------------------------------------------------------------

def check_policies(option, policies):
    """{name: rego}: names non-empty, contents strings."""
    if not isinstance(policies, dict):
        raise ValidationError(option, 'must be a dict of policy name to Rego source')
    checked = {}
    for name, content in policies.items():
        check_non_empty('%s (a policy name)' % option, name)
        if not isinstance(content, str):
            raise ValidationError(option, "the content of '%s' must be a string of Rego source" % name)
        checked[name] = content
    return checked


def read_policy_dir(option, path):
    """{file stem: content} of the .rego files directly in directory `path`."""
    if not os.path.isdir(path):
        raise ValidationError(option, "'%s' is not a directory" % path)
    policies = {}
    for filename in sorted(os.listdir(path)):
        full = os.path.join(path, filename)
        if filename.endswith('.rego') and os.path.isfile(full):
            try:
                with open(full, 'rb') as handle:
                    policies[filename[:-len('.rego')]] = handle.read().decode('utf-8')
            except (OSError, UnicodeDecodeError) as exc:
                raise ValidationError(option, "cannot read '%s': %s" % (full, getattr(exc, 'strerror', None) or exc)) from None
    if not policies:
        raise ValidationError(option, "no .rego files in '%s' (to empty the bundle, use state=absent)" % path)
    return policies


# `policy_name["x"]` or `policy_name contains "x"` at the start of a line of Rego.
POLICY_NAME_RE = re.compile(r'^\s*policy_name\s*(?:\[\s*"([^"]+)"\s*\]|contains\s+"([^"]+)")', re.M)


def api_named(policies):
    """{name: rego} keyed as the API names the policies: by the policy_name rule of the Rego source,
    else by the key given. The diff's before (read from the API) and after then name a policy alike,
    as its created / deleted / modified lists do."""
    named = {}
    for key, content in policies.items():
        match = POLICY_NAME_RE.search(content or '')
        named[(match.group(1) or match.group(2)) if match else key] = content
    return named


def bundle_size(policies):
    return len(json.dumps({'policies': policies}).encode('utf-8'))


def normalize_diff(answer):
    """{created, deleted, modified} as sorted lists, whatever the answer left out."""
    answer = answer if isinstance(answer, dict) else {}
    return dict((key, sorted(answer.get(key) or [])) for key in DIFF_KEYS)


def post_bundle(client, scope, policies, dry):
    """POST the bundle (dry=true: only the diff). A 413 becomes an error about the size."""
    path = scope.path + '/policy-bundle'
    params = {'dry': 'true'} if dry else None
    try:
        # the bundle replaces the whole bundle (and a dry run changes nothing): safe to resend
        answer = client.post(path, json={'policies': policies}, params=params, expected=(200, 201), repeatable=True)
    except CircleCIError as exc:
        if exc.status == 413:
            raise CircleCIError(exc.method, exc.path, exc.status,
                                'the policy bundle is too large: %d bytes sent, the API accepts about 2.5 MiB (%d bytes) (%s)'
                                % (bundle_size(policies), BUNDLE_LIMIT, exc.message)) from None
        raise
    return normalize_diff(answer)


def policy_content(entry):
    """The Rego source of one bundle entry: the API answers {name: [Policy]} (a Policy or text accepted too)."""
    if isinstance(entry, list):
        entry = entry[-1] if entry else {}
    if isinstance(entry, dict):
        return entry.get('content')
    return entry


def get_bundle(client, scope):
    """The bundle as the API answers it ({name: [Policy]})."""
    return client.get(scope.path + '/policy-bundle') or {}


def bundle_policies(bundle):
    """{name: rego} of a bundle answer."""
    return dict((name, policy_content(entry)) for name, entry in sorted(bundle.items()))


def get_policy(client, scope, name):
    """One policy document, or None if the API answers 404."""
    try:
        return client.get('%s/policy-bundle/%s' % (scope.path, quote_segment(name)))
    except CircleCIError as exc:
        if exc.status == 404:
            return None
        raise


# --- decision settings -----------------------------------------------------------------------

def get_settings(client, scope):
    return client.get(scope.path + '/decision/settings') or {}


def ensure_settings(client, scope, enabled, check_mode):
    """(changed, settings after) for decision logging `enabled`."""
    current = get_settings(client, scope)
    if bool(current.get('enabled')) == enabled and 'enabled' in current:
        return False, current
    predicted = dict(current, enabled=enabled)
    if check_mode:
        return True, predicted
    return True, client.patch(scope.path + '/decision/settings', json={'enabled': enabled}) or predicted


def ensure_bundle(client, scope, policies, decision_enabled, check_mode, want_diff):
    """Make the bundle of `scope` exactly `policies` ({} = empty bundle) and, unless None, decision
    logging `decision_enabled`. Changed is decided by the service's dry run.
    Returns a result dict (changed, diff with created/deleted/modified [+ before/after], settings)."""
    before_policies = bundle_policies(get_bundle(client, scope)) if want_diff else None
    plan = post_bundle(client, scope, policies, dry=True)
    changed = any(plan[key] for key in DIFF_KEYS)
    diff = plan
    if changed and not check_mode:
        diff = post_bundle(client, scope, policies, dry=False)
        if not any(diff[key] for key in DIFF_KEYS):
            diff = plan  # an answer without the diff: report the planned one
    result = dict(changed=changed, diff=dict(diff))
    if want_diff:
        result['diff']['before'] = dict(policies=before_policies)
        result['diff']['after'] = dict(policies=dict(sorted(api_named(policies).items())))
    if decision_enabled is not None:
        settings_changed, settings = ensure_settings(client, scope, decision_enabled, check_mode)
        result['changed'] = result['changed'] or settings_changed
        result['settings'] = settings
        if want_diff:
            before_settings = dict(settings, enabled=not decision_enabled) if settings_changed else settings
            result['diff']['before']['settings'] = before_settings
            result['diff']['after']['settings'] = settings
    return result


# --- decisions -------------------------------------------------------------------------------

def check_date_time(option, value):
    if value is not None and not (isinstance(value, str) and DATE_TIME_RE.match(value)):
        raise ValidationError(option, "'%s' is not an RFC 3339 date-time such as 2025-01-31T00:00:00Z" % (value,))
    return value


def list_decisions(client, scope, filters):
    """Every decision log matching `filters` (query parameters), all pages: the list is paged by
    `offset` and ends with an empty page."""
    decisions = []
    query = dict((key, value) for key, value in filters.items() if value is not None)
    while True:
        if decisions:
            query['offset'] = len(decisions)
        page = client.get(scope.path + '/decision', params=query) or []
        if not isinstance(page, list) or not page:
            return decisions
        decisions.extend(page)


def get_decision(client, scope, decision_id, include_bundle=False):
    """One decision log (None if the API answers 404), with the bundle it used if asked."""
    path = '%s/decision/%s' % (scope.path, quote_segment(decision_id))
    try:
        decision = client.get(path)
    except CircleCIError as exc:
        if exc.status == 404:
            return None
        raise
    if include_bundle and decision is not None:
        decision['policy_bundle'] = bundle_policies(client.get(path + '/policy-bundle') or {})
    return decision


def make_decision(client, scope, config, metadata):
    """Evaluate `config` (YAML text) against the bundle; the decision {status, reason, hard_failures, ...}."""
    body = {'input': config}
    if metadata:
        body['metadata'] = metadata
    # an evaluation changes nothing but the decision log: resending it after a lost answer is safe
    return client.post(scope.path + '/decision', json=body, expected=(200,), repeatable=True) or {}


def decision_failures(decision, fail_on):
    """The violations that fail the task under `fail_on`, as 'rule: reason' strings; an ERROR
    status without violations counts as one failure (under hard and soft)."""
    if fail_on == 'never':
        return []
    failures = list(decision.get('hard_failures') or [])
    if fail_on == 'soft':
        failures += list(decision.get('soft_failures') or [])
    messages = ['%s: %s' % (item.get('rule'), item.get('reason')) if isinstance(item, dict) else str(item) for item in failures]
    status = str(decision.get('status') or '').upper()
    if not messages and (status == 'ERROR' or status == 'HARD_FAIL' or (fail_on == 'soft' and status == 'SOFT_FAIL')):
        messages.append('status %s%s' % (status, ': %s' % decision['reason'] if decision.get('reason') else ''))
    return messages


# --- circleci_policy_info ---------------------------------------------------------------------

INFO_WHAT = ('bundle', 'policy', 'settings', 'decisions', 'decision')
DECISION_FILTERS = ('status', 'after', 'before', 'branch', 'project_id', 'build_number')
# Options that only mean something for one value of `what`.
ONLY_FOR = dict(policy=('policy_name',), decision=('decision_id', 'include_bundle'), decisions=DECISION_FILTERS)


def check_info_params(params):
    identity = PolicyScope.check_params(params)
    what = params['what']
    for used_with, options in ONLY_FOR.items():
        check_only_with(params, options, 'what', used_with)
    if what == 'policy':
        check_non_empty('policy_name', params['policy_name'])
    if what == 'decision':
        check_non_empty('decision_id', params['decision_id'])
    if what == 'decisions':
        check_date_time('after', params['after'])
        check_date_time('before', params['before'])
        if params['project_id'] is not None:
            check_uuid('project_id', params['project_id'])
    return identity


def read_policy_info(client, params):
    """Run circleci_policy_info: read what `what` names."""
    scope = PolicyScope.resolve(Resolver(client), check_info_params(params))
    what = params['what']
    if what == 'bundle':
        bundle = get_bundle(client, scope)
        return dict(changed=False, bundle=bundle, policies=bundle_policies(bundle))
    if what == 'policy':
        return dict(changed=False, policy=get_policy(client, scope, params['policy_name']) or {})
    if what == 'settings':
        return dict(changed=False, settings=get_settings(client, scope))
    if what == 'decision':
        return dict(changed=False, decision=get_decision(client, scope, params['decision_id'], params['include_bundle']) or {})
    filters = dict((name, params[name]) for name in DECISION_FILTERS)
    return dict(changed=False, decisions=list_decisions(client, scope, filters))
