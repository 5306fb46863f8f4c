# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pipeline definitions of a project, reconciled by the skeleton of _reconcile.py (found by name).

The API (docs/dev/API-BEHAVIOUR.md, "Pipeline definitions"): a definition is read and written
under /projects/{project_id}/pipeline-definitions; the listing answers everything at once. A
PATCH may change the name, the description, config_source.file_path and the checkout source
(provider and repository) and nothing else, so the config source's provider and repository are
immutable here: a change fails naming the option, or with recreate deletes the definition
(the API deletes its triggers with it) and creates it again. A definition is also what
circleci_pipeline_trigger runs by name and what circleci_trigger hangs triggers on.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._resolve import ProjectRef, resolve_project_id
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_non_empty, check_uuid

CONFIG_PROVIDERS = ('github_app', 'circleci')
CHECKOUT_PROVIDERS = ('github_app',)
# The compared fields of the sources, named as the options that set them (messages name them).
CONFIG_PROVIDER = 'config_source.provider'
CONFIG_REPO = 'config_source.repo_external_id'
FILE_PATH = 'config_source.file_path'
CHECKOUT_PROVIDER = 'checkout_source.provider'
CHECKOUT_REPO = 'checkout_source.repo_external_id'


# --- input --------------------------------------------------------------------------------

def definition_argument_spec():
    """The options of circleci_pipeline_definition besides the project (a fresh dict)."""
    return dict(
        name=dict(type='str', required=True),
        description=dict(type='str'),
        config_source=dict(type='dict', options=dict(
            provider=dict(type='str', choices=list(CONFIG_PROVIDERS)),
            repo_external_id=dict(type='str'),
            file_path=dict(type='str'),
        )),
        checkout_source=dict(type='dict', options=dict(
            provider=dict(type='str', choices=list(CHECKOUT_PROVIDERS)),
            repo_external_id=dict(type='str'),
        )),
        recreate=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )


def _given(source, key, option):
    """A non-empty string of a source dict option, or None when not given."""
    value = (source or {}).get(key)
    return None if value is None else check_non_empty(option, value)


class DefinitionSpec(ProjectRef):
    """The checked options of circleci_pipeline_definition (everything validated before any request)."""

    def __init__(self, params):
        super().__init__(params)
        self.name = check_non_empty('name', params['name'])
        self.state = params.get('state') or 'present'
        self.recreate = bool(params.get('recreate'))
        self.description = params.get('description')
        config, checkout = params.get('config_source'), params.get('checkout_source')
        self.fields = {
            CONFIG_PROVIDER: (config or {}).get('provider'),
            CONFIG_REPO: _given(config, 'repo_external_id', CONFIG_REPO),
            FILE_PATH: _given(config, 'file_path', FILE_PATH),
            CHECKOUT_PROVIDER: (checkout or {}).get('provider'),
            CHECKOUT_REPO: _given(checkout, 'repo_external_id', CHECKOUT_REPO),
        }
        if self.fields[CONFIG_PROVIDER] == 'circleci' and self.fields[CONFIG_REPO] is not None:
            raise ValidationError(CONFIG_REPO, 'only applies with config_source.provider=github_app '
                                               '(a config kept by CircleCI has no repository)')

    def wanted(self):
        """The compared fields the user gave."""
        wanted = dict((key, value) for key, value in self.fields.items() if value is not None)
        if self.description is not None:
            wanted['description'] = self.description
        return wanted


# --- reading ----------------------------------------------------------------------------------

def definitions_path(project_id):
    return '/projects/%s/pipeline-definitions' % quote_segment(project_id)


def definition_path(project_id, definition_id):
    return '%s/%s' % (definitions_path(project_id), quote_segment(definition_id))


def normalize_definition(raw):
    """A definition as the modules return it: the API's object, `description` always a string."""
    if not raw:
        return {}
    definition = dict(raw)
    definition['description'] = raw.get('description') or ''
    return definition


def flat(definition):
    """A definition's compared fields (name, description, each source's provider and repository)."""
    config = definition.get('config_source') or {}
    checkout = definition.get('checkout_source') or {}
    return {
        'name': definition.get('name'),
        'description': definition.get('description') or '',
        CONFIG_PROVIDER: config.get('provider'),
        CONFIG_REPO: (config.get('repo') or {}).get('external_id'),
        FILE_PATH: config.get('file_path'),
        CHECKOUT_PROVIDER: checkout.get('provider'),
        CHECKOUT_REPO: (checkout.get('repo') or {}).get('external_id'),
    }


def list_definitions(client, project_id, option='project_id'):
    """Every definition of a project (raw); an unknown project is an error naming `option`."""
    try:
        return client.get_all(definitions_path(project_id))
    except CircleCIError as exc:
        if exc.status == 404:
            raise ValidationError(option, "project '%s' was not found, or the token may not access it (%s)"
                                  % (project_id, exc)) from None
        raise


def find_definition(client, project_id, name=None, definition_id=None, option='definition'):
    """One definition of a project, by name (a listing) or by id (a GET); an error naming `option`
    when there is none, or when several have the name."""
    if definition_id is not None:
        definition_id = check_uuid(option, definition_id)
        try:
            return client.get(definition_path(project_id, definition_id))
        except CircleCIError as exc:
            if exc.status == 404:
                raise ValidationError(option, "pipeline definition '%s' was not found in project %s (%s)"
                                      % (definition_id, project_id, exc)) from None
            raise
    found = [raw for raw in list_definitions(client, project_id) if raw.get('name') == name]
    if not found:
        raise ValidationError(option, "project %s has no pipeline definition named '%s'" % (project_id, name))
    if len(found) > 1:
        raise ValidationError(option, "%d pipeline definitions of project %s are named '%s'; give the id instead"
                              % (len(found), project_id, name))
    return found[0]


# --- writing ----------------------------------------------------------------------------------

def _source(provider, repo, file_path=None):
    source = dict(provider=provider)
    if repo is not None:
        source['repo'] = dict(external_id=repo)
    if file_path is not None:
        source['file_path'] = file_path
    return source


class DefinitionResource(Resource):
    """A pipeline definition of a project, found by name."""

    kind = 'pipeline definition'
    result_key = 'pipeline_definition'
    immutable = (CONFIG_PROVIDER, CONFIG_REPO)
    settle_concurrent = True  # the API lets two definitions share a name: two runs creating at once keep one

    def __init__(self, client, resolver, spec):
        super().__init__(client, spec.name, recreate=spec.recreate)
        self.resolver = resolver
        self.spec = spec
        self._project_id = None

    def project_id(self):
        if self._project_id is None:
            self._project_id = resolve_project_id(self.resolver, self.spec)
        return self._project_id

    def list(self):
        return list_definitions(self.client, self.project_id())

    def normalize(self, raw):
        return normalize_definition(raw)

    def compared(self, current):
        return flat(current)

    def wanted(self, current):
        return self.spec.wanted()

    def create_body(self, current=None):
        """The create body; sources default to those of the definition being recreated, the
        checkout repository to the config repository, the providers to github_app."""
        fields = dict(flat(current or {}))
        fields.update(self.spec.wanted())
        provider = fields.get(CONFIG_PROVIDER) or 'github_app'
        config_repo = self.required(CONFIG_REPO, fields.get(CONFIG_REPO)) if provider == 'github_app' else None
        config = _source(provider, config_repo, self.required(FILE_PATH, fields.get(FILE_PATH)))
        checkout_repo = self.required(CHECKOUT_REPO, fields.get(CHECKOUT_REPO) or config_repo)
        body = dict(name=self.spec.name, config_source=config,
                    checkout_source=_source(fields.get(CHECKOUT_PROVIDER) or 'github_app', checkout_repo))
        if fields.get('description'):
            body['description'] = fields['description']
        return body, dict(body, description=body.get('description', ''))

    def create_path(self):
        return definitions_path(self.project_id())

    def update_body(self, current, wanted, differs):
        """The PATCH of the differing fields: the checkout source is sent whole (provider and repository)."""
        body = {}
        if 'description' in differs:
            body['description'] = wanted['description']
        if FILE_PATH in differs:
            body['config_source'] = dict(file_path=wanted[FILE_PATH])
        if CHECKOUT_PROVIDER in differs or CHECKOUT_REPO in differs:
            fields = dict(flat(current))
            fields.update(wanted)
            body['checkout_source'] = _source(fields[CHECKOUT_PROVIDER] or 'github_app', fields[CHECKOUT_REPO])
        after = dict(current, description=wanted.get('description', current.get('description')))
        if 'config_source' in body:
            after['config_source'] = dict(current.get('config_source') or {}, file_path=wanted[FILE_PATH])
        if 'checkout_source' in body:
            after['checkout_source'] = body['checkout_source']
        return body, after

    def path(self, current):
        return definition_path(self.project_id(), current['id'])

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ('id', 'name', 'description', 'config_source', 'checkout_source') if key in obj)


def ensure_definition(client, resolver, spec, check_mode):
    """Bring the definition named spec.name to spec; the module result (changed, pipeline_definition, diff)."""
    return reconcile(DefinitionResource(client, resolver, spec), spec.state, check_mode)
