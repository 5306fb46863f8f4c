# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Triggers of a pipeline definition, reconciled by the skeleton of _reconcile.py.

The API (docs/dev/API-BEHAVIOUR.md, "Triggers"): triggers are listed per definition
(/projects/{project_id}/pipeline-definitions/{id}/triggers, all at once) and read, patched and
deleted under /projects/{project_id}/triggers/{id}. A trigger has no name, so the module finds
it by a natural key: a webhook trigger by its event_name, a repository trigger (github_app,
github_oauth) by its repository and event_preset, or any trigger by trigger_id.

- checkout_ref and config_ref are required for a webhook trigger (checked before any request),
  and for a repository trigger only when its repository differs from the definition's checkout
  (config) repository; they must be omitted otherwise (checked once the definition is read,
  before any write). The API answers them as "" when unset.
- event_name, disabled and the webhook sender only apply to webhook triggers; event_preset and
  the repository only to repository triggers.
- A PATCH cannot change the event source (the API answers 400 "Unexpected field
  'event_source.repo'"): the provider and the repository are immutable, a change fails naming
  the option or, with recreate, deletes the trigger and creates it again (a new id, and for a
  webhook trigger a new URL).
- A webhook trigger's URL embeds a secret. It never appears in `trigger` nor in the diff; it is
  returned under `webhook_url` alone (the module's NO_LOG_RESULT_KEYS: the action plugin censors the
  displayed result, the registered variable keeps it), and hidden in every error message.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._definitions import (
    CHECKOUT_REPO,
    CONFIG_REPO,
    definition_path,
    find_definition,
    flat,
)
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._resolve import (
    PROJECT_REF_RULES,
    ProjectRef,
    project_ref_argument_spec,
    resolve_project_id,
)
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_only_with,
    check_uuid,
    exactly_one_of,
    spec_rules,
)

PROVIDERS = ('github_app', 'github_oauth', 'webhook')
REPO_PROVIDERS = ('github_app', 'github_oauth')
EVENT_PRESETS = ('all-pushes', 'only-tags', 'default-branch-pushes', 'only-build-prs', 'only-open-prs',
                 'only-labeled-prs', 'only-merged-prs', 'only-ready-for-review-prs', 'only-branch-delete',
                 'only-build-pushes-to-non-draft-prs', 'only-merged-or-closed-prs')
WEBHOOK_OPTIONS = ('event_name', 'webhook_sender', 'disabled')
REPO_OPTIONS = ('repo_external_id', 'event_preset')
REFS = ('checkout_ref', 'config_ref')
# The compared fields (option names); the first two only a create can set.
COMPARED = ('provider', 'repo_external_id', 'event_preset', 'event_name', 'webhook_sender', 'checkout_ref',
            'config_ref', 'disabled')
PATCH_KEYS = ('event_preset', 'event_name', 'checkout_ref', 'config_ref', 'disabled')


# --- input --------------------------------------------------------------------------------

def trigger_argument_spec():
    """The options of circleci_trigger (a fresh dict); TRIGGER_RULES are their rules."""
    spec = project_ref_argument_spec()
    spec.update(
        pipeline_definition=dict(type='str'),
        pipeline_definition_id=dict(type='str'),
        trigger_id=dict(type='str'),
        provider=dict(type='str', choices=list(PROVIDERS)),
        repo_external_id=dict(type='str'),
        event_preset=dict(type='str', choices=list(EVENT_PRESETS)),
        event_name=dict(type='str'),
        webhook_sender=dict(type='str'),
        checkout_ref=dict(type='str'),
        config_ref=dict(type='str'),
        disabled=dict(type='bool'),
        recreate=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    return spec


TRIGGER_RULES = spec_rules(PROJECT_REF_RULES, exactly_one_of(('pipeline_definition', 'pipeline_definition_id')))


def check_webhook_refs(refs):
    """A webhook trigger needs both refs: an error naming the missing ones, else nothing."""
    missing = [ref for ref in REFS if refs.get(ref) is None]
    if len(missing) == 2:
        raise ValidationError('checkout_ref', 'required for a webhook trigger, as is config_ref: the ref its pipelines '
                                              'check out and the ref they read their config from')
    if missing:
        raise ValidationError(missing[0], 'required for a webhook trigger (the ref its pipelines %s)'
                              % ('check out' if missing[0] == 'checkout_ref' else 'read their config from'))


def check_provider_options(params, provider):
    """The options that apply to one kind of trigger only."""
    if provider is None:  # a trigger given by id: checked once it is read
        return
    check_only_with(dict(params, provider=provider), WEBHOOK_OPTIONS, 'provider', 'webhook')
    if provider == 'webhook':
        for option in REPO_OPTIONS:
            if params.get(option) is not None:
                raise ValidationError(option, 'only applies with provider=%s' % ' or '.join(REPO_PROVIDERS))


class TriggerSpec(ProjectRef):
    """The checked options of circleci_trigger (everything validated before any request; the
    argument spec declares the choices and which options name the project and the definition)."""

    def __init__(self, params):
        super().__init__(params)
        self.state = params.get('state') or 'present'
        self.recreate = bool(params.get('recreate'))
        self.definition_name = params.get('pipeline_definition')
        if self.definition_name is not None:
            check_non_empty('pipeline_definition', self.definition_name)
        self.definition_id = params.get('pipeline_definition_id')
        if self.definition_id is not None:
            self.definition_id = check_uuid('pipeline_definition_id', self.definition_id)
        self.trigger_id = params.get('trigger_id')
        if self.trigger_id is not None:
            self.trigger_id = check_uuid('trigger_id', self.trigger_id)
        self.provider = params.get('provider')
        if self.provider is None and self.trigger_id is None:
            raise ValidationError('provider', 'required unless trigger_id is given (it decides what identifies the trigger)')
        check_provider_options(params, self.provider)
        self.given = {}
        for option in COMPARED:
            value = params.get(option)
            if isinstance(value, str):
                value = check_non_empty(option, value)
            if value is not None:
                self.given[option] = value
        self._check_key()
        if self.state == 'present' and self.provider == 'webhook':
            check_webhook_refs(self.given)

    def _check_key(self):
        """Without trigger_id, the natural key must be complete."""
        if self.trigger_id is not None:
            return
        if self.provider == 'webhook' and 'event_name' not in self.given:
            raise ValidationError('event_name', 'required for a webhook trigger: it identifies the trigger '
                                                '(or give trigger_id)')
        if self.provider in REPO_PROVIDERS and 'event_preset' not in self.given:
            raise ValidationError('event_preset', 'required for a %s trigger: with the repository it identifies the '
                                                  'trigger (or give trigger_id)' % self.provider)

    @property
    def definition_option(self):
        return 'pipeline_definition' if self.definition_name is not None else 'pipeline_definition_id'


# --- reading ----------------------------------------------------------------------------------

def triggers_path(project_id, definition_id):
    return '%s/triggers' % definition_path(project_id, definition_id)


def trigger_path(project_id, trigger_id):
    return '/projects/%s/triggers/%s' % (quote_segment(project_id), quote_segment(trigger_id))


def webhook_url_of(raw):
    """The URL of a webhook trigger (it embeds a secret), or None."""
    return (((raw or {}).get('event_source') or {}).get('webhook') or {}).get('url')


def normalize_trigger(raw):
    """A trigger as the modules return it: the API's object without the webhook URL (a secret),
    `checkout_ref` and `config_ref` always strings."""
    if not raw:
        return {}
    trigger = dict(raw, checkout_ref=raw.get('checkout_ref') or '', config_ref=raw.get('config_ref') or '')
    source = dict(raw.get('event_source') or {})
    if 'webhook' in source:
        source['webhook'] = dict((key, value) for key, value in (source['webhook'] or {}).items() if key != 'url')
    trigger['event_source'] = source
    return trigger


def trigger_fields(trigger):
    """A trigger's compared fields, by option name."""
    source = trigger.get('event_source') or {}
    return dict(
        provider=source.get('provider'),
        repo_external_id=(source.get('repo') or {}).get('external_id'),
        event_preset=trigger.get('event_preset'),
        event_name=trigger.get('event_name') or None,
        webhook_sender=(source.get('webhook') or {}).get('sender') or None,
        checkout_ref=trigger.get('checkout_ref') or None,
        config_ref=trigger.get('config_ref') or None,
        disabled=bool(trigger.get('disabled')),
    )


def list_triggers(client, project_id, definition_id):
    """Every trigger of a definition (raw; webhook URLs included: hide them before any message)."""
    return client.get_all(triggers_path(project_id, definition_id))


# --- writing ----------------------------------------------------------------------------------

class TriggerResource(Resource):
    """A trigger of a pipeline definition, found by trigger_id or its natural key."""

    kind = 'trigger'
    parent = 'pipeline definition'
    immutable = ('provider', 'repo_external_id')
    settle_concurrent = True  # nothing stops two triggers with the same key: two runs creating at once keep one

    def __init__(self, client, resolver, spec):
        super().__init__(client, spec.trigger_id or spec.given.get('event_name') or spec.given.get('event_preset'),
                         recreate=spec.recreate)
        self.resolver = resolver
        self.spec = spec
        self.identity_option = 'trigger_id' if spec.trigger_id else ('event_name' if spec.provider == 'webhook' else 'event_preset')
        self.urls = {}  # trigger id -> webhook URL, from every answer read
        self._project_id = None
        self._definition = None

    # --- what the trigger hangs on: project and definition (reads only) --------------------

    def project_id(self):
        if self._project_id is None:
            self._project_id = resolve_project_id(self.resolver, self.spec)
        return self._project_id

    def definition(self):
        if self._definition is None:
            spec = self.spec
            raw = find_definition(self.client, self.project_id(), spec.definition_name, spec.definition_id,
                                  spec.definition_option)
            self._definition = dict(flat(raw), id=raw.get('id') or spec.definition_id)
        return self._definition

    def event_repo(self, current=None):
        """The repository a repository trigger listens to: given, current, else the definition's checkout repository."""
        given = self.spec.given.get('repo_external_id') or (current or {}).get('repo_external_id')
        return given or self.definition()[CHECKOUT_REPO]

    # --- the skeleton's parts ---------------------------------------------------------------

    def identity_text(self):
        spec = self.spec
        if spec.trigger_id:
            return "with id '%s'" % spec.trigger_id
        if spec.provider == 'webhook':
            return "with event_name '%s'" % spec.given['event_name']
        return "for repository '%s' with event_preset '%s'" % (self.event_repo(), spec.given['event_preset'])

    def list(self):
        definition = self.definition()
        raws = list_triggers(self.client, self.project_id(), definition['id'])
        self.client.hide([url for url in (webhook_url_of(raw) for raw in raws) if url])
        return raws

    def matches(self, raw):
        spec = self.spec
        fields = trigger_fields(raw)
        if spec.trigger_id:
            return str(raw.get('id') or '').lower() == spec.trigger_id
        if fields['provider'] != spec.provider:
            return False
        if spec.provider == 'webhook':
            return fields['event_name'] == spec.given['event_name']
        return fields['repo_external_id'] == self.event_repo() and fields['event_preset'] == spec.given['event_preset']

    def normalize(self, raw):
        url = webhook_url_of(raw)
        if url and raw.get('id'):
            self.client.hide([url])
            self.urls[raw['id']] = url
        return normalize_trigger(raw)

    def compared(self, current):
        return trigger_fields(current)

    def wanted(self, current):
        """The given fields; the provider-specific options checked against the trigger's provider,
        and a ref the definition makes pointless refused before any write."""
        provider = self.spec.provider or trigger_fields(current)['provider']
        check_provider_options(self.spec.given, provider)
        wanted = dict(self.spec.given)
        if provider in REPO_PROVIDERS and not self.spec.trigger_id:
            wanted['repo_external_id'] = self.event_repo(trigger_fields(current))
        self.check_repo_refs(provider, wanted.get('repo_external_id') or trigger_fields(current)['repo_external_id'], wanted)
        return wanted

    def check_repo_refs(self, provider, repo, refs, creating=False):
        """A repository trigger's refs: each required when its repository differs from the
        definition's repository of that kind (only checked for a create), refused when it is the same."""
        if provider not in REPO_PROVIDERS:
            return
        definition = self.definition()
        for ref, source_repo, kind in (('checkout_ref', definition[CHECKOUT_REPO], 'checkout'),
                                       ('config_ref', definition[CONFIG_REPO], 'config')):
            if source_repo is None:  # a config kept by CircleCI: no repository to compare with
                continue
            if repo == source_repo and refs.get(ref) is not None:
                raise ValidationError(ref, "must be omitted: the trigger's repository '%s' is the %s repository of "
                                           "pipeline definition '%s'" % (repo, kind, definition['name']))
            if creating and repo != source_repo and refs.get(ref) is None:
                raise ValidationError(ref, "required: the trigger's repository '%s' differs from the %s repository "
                                           "'%s' of pipeline definition '%s'" % (repo, kind, source_repo, definition['name']))

    def create_body(self, current=None):
        """The create body (POST), and the trigger it predicts; `current` is the trigger being recreated."""
        spec = self.spec
        if current is None and spec.trigger_id:
            raise ValidationError('trigger_id', "pipeline definition '%s' has no trigger with id '%s'; omit trigger_id "
                                                "to create one" % (self.definition()['name'], spec.trigger_id))
        fields = dict(spec.given)
        if current is not None:  # recreated: what is not given stays as it was
            fields = dict((key, value) for key, value in trigger_fields(current).items() if value is not None)
            fields.update(self.wanted(current))
        provider = fields['provider'] = spec.provider or fields.get('provider')
        if provider == 'webhook':
            check_webhook_refs(fields)
            source = dict(provider=provider)
            if fields.get('webhook_sender'):
                source['webhook'] = dict(sender=fields['webhook_sender'])
        else:
            repo = fields['repo_external_id'] = self.event_repo(fields)
            self.check_repo_refs(provider, repo, fields, creating=True)
            source = dict(provider=provider, repo=dict(external_id=repo))
        body = dict(event_source=source)
        for key in PATCH_KEYS:
            if fields.get(key) is not None and (key != 'disabled' or provider == 'webhook'):
                body[key] = fields[key]
        predicted = dict(body, checkout_ref=body.get('checkout_ref', ''), config_ref=body.get('config_ref', ''))
        return body, predicted

    def create_path(self):
        return triggers_path(self.project_id(), self.definition()['id'])

    def update_body(self, current, wanted, differs):
        body, after = {}, dict(current)
        for field in differs:
            if field == 'webhook_sender':
                body['event_source'] = dict(webhook=dict(sender=wanted[field]))
                source = dict(current.get('event_source') or {})
                source['webhook'] = dict(source.get('webhook') or {}, sender=wanted[field])
                after['event_source'] = source
            else:
                body[field] = after[field] = wanted[field]
        return body, after

    def path(self, current):
        return trigger_path(self.project_id(), current['id'])

    def diff_view(self, obj, secret_marker=None):
        view = dict((key, obj[key]) for key in ('id', 'event_source', 'event_preset', 'event_name', 'checkout_ref',
                                                'config_ref', 'disabled') if key in obj)
        source = view.get('event_source')
        if source and 'webhook' in source:  # never the URL, whatever the object holds
            view['event_source'] = dict(source, webhook=dict((k, v) for k, v in (source['webhook'] or {}).items() if k != 'url'))
        return view


def ensure_trigger(client, resolver, spec, check_mode):
    """Bring the trigger spec identifies to spec: the module result (changed, trigger, diff, and for
    a webhook trigger that exists the secret `webhook_url`)."""
    resource = TriggerResource(client, resolver, spec)
    result = reconcile(resource, spec.state, check_mode)
    url = resource.urls.get((result.get('trigger') or {}).get('id'))
    if spec.state == 'present' and url:
        result['webhook_url'] = url
    return result
