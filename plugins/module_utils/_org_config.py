# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Many contexts and projects of one organization in one run (circleci_org_config, the role org_config).

One module run over one client (one `requests.Session`) converges every context (restrictions,
variables) and every project (variables, webhooks, schedules, advanced settings) of a definition:

- every input is checked before the first request; an error names the option with its place
  (`projects[3].webhooks[0].url`);
- names and slugs are resolved once for the run: the owner's contexts are listed once (all
  pages) before anything else, a project is read once (`GET /project/{slug}`) whether a webhook
  or a context restriction needs its id (SharedResolver, safe with threads);
- objects (a context, a project) are handled `concurrency` at a time (_bulk.run_bulk): their reads
  and the writes of a first converge go out in parallel; the requests of one object stay in order;
- with `create_projects`, each listed project is made sure of first (created when missing, as
  circleci_project does it), all of them `concurrency` at a time, before anything else: a context
  restriction or a webhook of the run then finds it; its read is the shared one. In check mode a
  project that only would be created is reported (`planned`) and nothing of it is read (a
  context restriction naming it is planned as added);
- each object is reconciled by the same code as its own module (ensure_context, the variable
  reconcile of _envvars, reconcile() of _reconcile.py for webhooks and schedules, ensure_settings);
  the only difference: the listing a project's webhooks (or schedules) are found in is read once
  for all of them (Listed*Resource) instead of once each;
- results and diffs are per object, in the order of the definition (purged contexts after the
  listed ones); a failed object does not stop the others, and the run then fails naming each one.

Values of variables and signing secrets reach nothing but the requests that write them.
"""

from __future__ import annotations

import threading

from ansible_collections.community.circleci.plugins.module_utils._bulk import check_concurrency, run_bulk
from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._contexts import (
    Owner,
    check_restrictions,
    delete_env_var,
    ensure_context,
    list_env_vars,
    put_env_var,
)
from ansible_collections.community.circleci.plugins.module_utils._envvars import check_env_values, reconcile_env_vars
from ansible_collections.community.circleci.plugins.module_utils._project_admin import ProjectResource, ProjectSpec
from ansible_collections.community.circleci.plugins.module_utils._projects import (
    check_advanced,
    ensure_settings,
    is_circleci_slug,
    reconcile_project_env,
)
from ansible_collections.community.circleci.plugins.module_utils._reconcile import reconcile
from ansible_collections.community.circleci.plugins.module_utils._resolve import Resolver, normalize_slug
from ansible_collections.community.circleci.plugins.module_utils._run import RunFailed
from ansible_collections.community.circleci.plugins.module_utils._schedules import ATTRIBUTION_ACTORS, ScheduleResource, ScheduleSpec, list_schedules
from ansible_collections.community.circleci.plugins.module_utils._secrets import UPDATE_MODES
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_org_slug,
    check_project_slug,
)
from ansible_collections.community.circleci.plugins.module_utils._webhooks import EVENTS, WebhookResource, WebhookSpec, list_webhooks

DEFAULT_CONCURRENCY = 10  # objects at a time: Terraform's default parallelism, which CircleCI's limits bear
STATES = ['present', 'absent']


def org_config_argument_spec():
    """The options of circleci_org_config (a fresh dict): the definition's objects as suboptions,
    so that variable values and signing secrets are no_log."""
    restriction = dict(type=dict(type='str', required=True, choices=['project', 'expression', 'group']),
                       value=dict(type='str', required=True))
    context = dict(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=STATES, default='present'),
        restrictions=dict(type='list', elements='dict', options=restriction),
        purge_restrictions=dict(type='bool', default=True),
        variables=dict(type='dict', no_log=True),
        purge_variables=dict(type='bool'),
    )
    webhook = dict(
        name=dict(type='str', required=True),
        url=dict(type='str'),
        events=dict(type='list', elements='str', choices=list(EVENTS)),
        verify_tls=dict(type='bool'),
        signing_secret=dict(type='str', no_log=True),
        state=dict(type='str', choices=STATES, default='present'),
    )
    schedule = dict(
        name=dict(type='str', required=True),
        description=dict(type='str'),
        timetable=dict(type='dict'),
        attribution_actor=dict(type='str', choices=list(ATTRIBUTION_ACTORS)),
        parameters=dict(type='dict'),
        branch=dict(type='str'),
        tag=dict(type='str'),
        state=dict(type='str', choices=STATES, default='present'),
    )
    project = dict(
        slug=dict(type='str', required=True),
        variables=dict(type='dict', no_log=True),
        purge_variables=dict(type='bool'),
        webhooks=dict(type='list', elements='dict', options=webhook, default=[]),
        schedules=dict(type='list', elements='dict', options=schedule, default=[], mutually_exclusive=[('branch', 'tag')]),
        settings=dict(type='dict'),
    )
    return dict(
        org_slug=dict(type='str', required=True),
        contexts=dict(type='list', elements='dict', options=context, default=[]),
        projects=dict(type='list', elements='dict', options=project, default=[]),
        create_projects=dict(type='bool', default=False),
        purge_variables=dict(type='bool', default=False),
        purge_contexts=dict(type='bool', default=False),
        purge_webhooks=dict(type='bool', default=False),
        purge_schedules=dict(type='bool', default=False),
        update_mode=dict(type='str', choices=list(UPDATE_MODES), default='on_create'),
        concurrency=dict(type='int', default=DEFAULT_CONCURRENCY),
    )


# --- names and slugs, once per run, from many threads ---------------------------------------

class SharedResolver(Resolver):
    """A Resolver that threads share: a project slug is read once, also when two objects ask for
    it at the same moment (the second waits for the first answer)."""

    def __init__(self, client):
        super().__init__(client)
        self._guard = threading.Lock()
        self._locks = {}

    def project(self, slug):
        key = normalize_slug(slug)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            return super().project(slug)

    def remember_project(self, slug, project):
        """A project this run created: later reads of `slug` answer it without a request."""
        with self._guard:
            self._projects[normalize_slug(slug)] = project


# --- input ------------------------------------------------------------------------------------

def _placed(where, exc):
    """A ValidationError of an object's own checks, its option placed in the definition."""
    problem = str(exc)[len(exc.option) + 2:]
    return ValidationError('%s.%s' % (where, exc.option), problem)


def _unique(where, names, what):
    seen = set()
    for index, name in enumerate(names):
        if name in seen:
            raise ValidationError('%s[%d]' % (where, index), "%s '%s' is listed twice" % (what, name))
        seen.add(name)


class ContextDef:
    """One checked entry of `contexts`."""

    def __init__(self, index, raw, purge_variables):
        where = 'contexts[%d]' % index
        self.name = check_non_empty(where + '.name', raw.get('name'))
        self.state = raw.get('state') or 'present'
        self.restrictions = raw.get('restrictions')
        if self.state == 'present' and self.restrictions is not None:
            check_restrictions(self.restrictions, option=where + '.restrictions')
        self.purge_restrictions = raw.get('purge_restrictions', True) is not False
        self.values = None
        if self.state == 'present' and raw.get('variables') is not None:
            self.values = check_env_values(where + '.variables', raw['variables'])
        purge = raw.get('purge_variables')
        self.purge_variables = purge_variables if purge is None else bool(purge)
        self.purged = False  # a context of the owner the definition does not list (purge_contexts)


class ProjectDef:
    """One checked entry of `projects`: its webhooks and schedules as the specs of their modules."""

    def __init__(self, index, raw, purge_variables, update_mode):
        where = self.where = 'projects[%d]' % index
        self.update_mode = update_mode
        self.slug = check_project_slug(where + '.slug', raw.get('slug'))
        self.values = None
        if raw.get('variables') is not None:
            self.values = check_env_values(where + '.variables', raw['variables'])
        purge = raw.get('purge_variables')
        self.purge_variables = purge_variables if purge is None else bool(purge)
        self.webhooks = [self._spec(WebhookSpec, '%s.webhooks[%d]' % (where, n), hook) for n, hook in enumerate(raw.get('webhooks') or [])]
        _unique(where + '.webhooks', [spec.name for spec in self.webhooks], 'webhook')
        self.schedules = [self._spec(ScheduleSpec, '%s.schedules[%d]' % (where, n), item)
                          for n, item in enumerate(raw.get('schedules') or [])]
        _unique(where + '.schedules', [spec.name for spec in self.schedules], 'schedule')
        self.settings = None
        if raw.get('settings') is not None:
            self.settings = check_advanced(raw['settings'], option=where + '.settings')

    def _spec(self, spec_class, where, raw):
        params = dict(raw, project_slug=self.slug, update_mode=self.update_mode)
        try:
            return spec_class(params)
        except ValidationError as exc:
            raise _placed(where, exc) from None


class OrgDefinition:
    """The checked options of circleci_org_config (everything validated before any request)."""

    def __init__(self, params):
        self.org_slug = check_org_slug('org_slug', params['org_slug'])
        self.owner = Owner(owner_slug=self.org_slug)
        purge_variables = bool(params.get('purge_variables'))
        self.contexts = [ContextDef(index, raw, purge_variables) for index, raw in enumerate(params.get('contexts') or [])]
        _unique('contexts', [ctx.name for ctx in self.contexts], 'context')
        self.update_mode = params.get('update_mode') or 'on_create'
        self.projects = [ProjectDef(index, raw, purge_variables, self.update_mode) for index, raw in enumerate(params.get('projects') or [])]
        _unique('projects', [normalize_slug(project.slug).lower() for project in self.projects], 'project')
        self.create_projects = bool(params.get('create_projects'))
        self.purge_contexts = bool(params.get('purge_contexts'))
        self.purge_webhooks = bool(params.get('purge_webhooks'))
        self.purge_schedules = bool(params.get('purge_schedules'))
        concurrency = params.get('concurrency')
        self.concurrency = check_concurrency(DEFAULT_CONCURRENCY if concurrency is None else concurrency)


# --- a listing read once for every object found in it ------------------------------------------

class _FromListing:
    """A resource whose first list() is the listing already read for every object of its project
    (webhooks, schedules). Later reads (after a lost answer, to settle a concurrent create) are real
    listings."""

    _listing = None

    def list(self):
        listing, self._listing = self._listing, None
        return listing if listing is not None else super().list()


class ListedWebhook(_FromListing, WebhookResource):
    def __init__(self, client, resolver, spec, listing):
        super().__init__(client, resolver, spec)
        self._listing = listing


class ListedSchedule(_FromListing, ScheduleResource):
    def __init__(self, client, spec, listing):
        super().__init__(client, spec)
        self._listing = listing


class SharedProject(ProjectResource):
    """A listed project made sure of (create_projects): reconciled as circleci_project does it by
    project_slug, but read through the run's SharedResolver, whose answer a webhook or a context
    restriction of the same project then reuses."""

    def __init__(self, client, resolver, slug):
        super().__init__(client, ProjectSpec(dict(project_slug=slug)))
        self.resolver = resolver

    def read(self, slug):
        return self.resolver.project(slug)


# --- one run ------------------------------------------------------------------------------------

def _diff(kind, label, diff):
    """One object's diff, headed by its kind and name (Ansible shows a list of them one by one)."""
    header = '%s %s' % (kind, label)
    return dict(before_header=header, after_header=header, before=diff.get('before') or {}, after=diff.get('after') or {})


class OrgRun:
    """Converge an OrgDefinition through `client`; result() is the module result."""

    def __init__(self, client, definition, check_mode, diff=False):
        self.client = client
        self.definition = definition
        self.check_mode = check_mode
        self.want_diff = diff
        self.resolver = SharedResolver(client)

    # --- contexts -------------------------------------------------------------------------------

    def context(self, ctx, outcome):
        definition = self.definition
        params = dict(name=ctx.name, owner_slug=definition.org_slug, owner_id=None, owner_type='organization',
                      state=ctx.state, restrictions=ctx.restrictions, purge_restrictions=ctx.purge_restrictions)
        result = ensure_context(self.client, params, self.check_mode, warn=outcome['warnings'].append, resolver=self.resolver)
        outcome['changed'] = outcome['context_changed'] = result['changed']
        if result['changed']:
            outcome['diffs'].append(_diff('context', ctx.name, result['diff']))
        if ctx.values is None:
            return
        context_id = result['context'].get('id')
        existing = []
        if context_id is not None and result['diff']['before']:  # a context just created has no variables
            existing = [item['variable'] for item in list_env_vars(self.client, context_id, option='contexts', label=ctx.name)]
        env = reconcile_env_vars(
            existing, ctx.values,
            write=lambda name, value: put_env_var(self.client, context_id, name, value),
            delete=lambda name: delete_env_var(self.client, context_id, name),
            update_mode=definition.update_mode, purge=ctx.purge_variables, check_mode=self.check_mode,
            diff_extra=dict(context=ctx.name), diff=self.want_diff)
        outcome['variables'] = dict((key, env[key]) for key in ('added', 'updated', 'removed'))
        if env['changed']:
            outcome['changed'] = True
            if self.want_diff:
                outcome['diffs'].append(_diff('variables of context', ctx.name, env['diff']))

    # --- projects -------------------------------------------------------------------------------

    def exists(self, project, outcome):
        """Make sure the project exists (create_projects): RV projects[].project, created, planned."""
        resource = SharedProject(self.client, self.resolver, project.slug)
        try:
            result = reconcile(resource, 'present', self.check_mode)
        except ValidationError as exc:  # a circleci/ slug that is not found cannot be created by slug
            raise ValidationError(project.where + '.slug', str(exc)[len(exc.option) + 2:]) from None
        found = result['project']
        outcome['project'] = resource.diff_view(found)
        outcome['created'] = result['changed']
        outcome['planned'] = result['changed'] and self.check_mode
        self._changed(outcome, result, 'project', project.slug)
        if outcome['planned']:
            # check mode: a context restriction naming it is planned as an addition (its value is
            # shown as the slug written; the id it will have is unknown, and matches no restriction)
            self.resolver.remember_project(project.slug, dict(found, id='planned project %s' % project.slug))
        elif result['changed'] and found.get('id') and found.get('organization_id'):
            self.resolver.remember_project(project.slug, found)

    def project(self, project, outcome):
        definition = self.definition
        if project.values is not None:
            env = reconcile_project_env(
                self.client, project.slug, project.values, update_mode=definition.update_mode,
                purge=project.purge_variables, check_mode=self.check_mode, warn=outcome['warnings'].append,
                diff=self.want_diff)
            outcome['variables'] = dict((key, env[key]) for key in ('added', 'updated', 'removed'))
            self._changed(outcome, env, 'variables of project', project.slug)
        if project.webhooks or definition.purge_webhooks:
            outcome['webhooks'] = self.webhooks(project, outcome)
        # a circleci/... project has no (legacy) schedules, and its listing is refused: nothing to purge
        if project.schedules or (definition.purge_schedules and not is_circleci_slug(project.slug)):
            outcome['schedules'] = self.schedules(project, outcome)
        if project.settings is not None:
            settings = ensure_settings(self.client, project.slug, project.settings, check_mode=self.check_mode)
            outcome['settings'] = dict(changed=settings['changed'])
            self._changed(outcome, settings, 'settings of project', project.slug)

    def _changed(self, outcome, result, kind, label):
        if result['changed']:
            outcome['changed'] = True
            if self.want_diff and 'diff' in result:
                outcome['diffs'].append(_diff(kind, label, result['diff']))

    def webhooks(self, project, outcome):
        project_id = self.resolver.project_scope(project.slug, option='projects')[1]
        return self._listed(project, outcome, 'webhook', project.webhooks, list_webhooks(self.client, project_id),
                            self.definition.purge_webhooks, WebhookSpec,
                            lambda spec, listing: ListedWebhook(self.client, self.resolver, spec, listing))

    def schedules(self, project, outcome):
        return self._listed(project, outcome, 'schedule', project.schedules,
                            list_schedules(self.client, project.slug, option='projects'),
                            self.definition.purge_schedules, ScheduleSpec,
                            lambda spec, listing: ListedSchedule(self.client, spec, listing))

    def _listed(self, project, outcome, kind, wanted, listing, purge, spec_class, resource):
        """Reconcile a project's webhooks (or schedules), all found in one listing; with purge, the
        listed ones the definition does not name are deleted."""
        specs = list(wanted)
        if purge:
            named = set(spec.name for spec in specs)
            for name in sorted(set(raw.get('name') for raw in listing) - named):
                specs.append(spec_class(dict(name=name, project_slug=project.slug, state='absent')))
        done = []
        for spec in specs:
            result = reconcile(resource(spec, listing), spec.state, self.check_mode)
            done.append(dict(name=spec.name, state=spec.state, changed=result['changed'], purged=spec not in wanted))
            self._changed(outcome, result, '%s of %s:' % (kind, project.slug), spec.name)
        return done

    # --- the run --------------------------------------------------------------------------------

    def units(self):
        """[(kind, object, outcome)] in the order of the results: listed contexts, purged contexts, projects."""
        definition = self.definition
        contexts = list(definition.contexts)
        if contexts or definition.purge_contexts:
            listed = self.resolver.contexts(definition.owner)  # once, every page, before any thread starts
            if definition.purge_contexts:
                named = set(ctx.name for ctx in contexts)
                for name in sorted(set(item.get('name') for item in listed) - named):
                    purged = ContextDef(0, dict(name=name, state='absent'), False)
                    purged.purged = True
                    contexts.append(purged)
        units = []
        for ctx in contexts:
            units.append(('context', ctx, dict(name=ctx.name, state=ctx.state, purged=ctx.purged, changed=False,
                                               context_changed=False, warnings=[], diffs=[])))
        for project in definition.projects:
            units.append(('project', project, dict(slug=project.slug, changed=False, warnings=[], diffs=[])))
        return units

    def run(self, warn):
        units = self.units()
        errors = {}  # id(outcome) of a failed unit -> its error

        def step(units, func):
            done = run_bulk(units, func, concurrency=self.definition.concurrency, catch=(CircleCIError, ValidationError))
            errors.update((id(unit[2]), exc) for unit, exc in done if exc is not None)

        if self.definition.create_projects:  # every project exists before a restriction or a webhook needs it
            step([unit for unit in units if unit[0] == 'project'], lambda unit: self.exists(unit[1], unit[2]))
        # a project that failed, or only would be created (check mode: nothing of it can be read yet), stops there
        step([unit for unit in units if id(unit[2]) not in errors and not unit[2].get('planned')],
             lambda unit: (self.context if unit[0] == 'context' else self.project)(unit[1], unit[2]))
        result = dict(changed=False, contexts=[], projects=[])
        diffs, failures = [], []
        for kind, obj, outcome in units:
            exc = errors.get(id(outcome))
            for message in outcome.pop('warnings'):
                warn(message)
            diffs.extend(outcome.pop('diffs'))
            if exc is not None:
                outcome.update(failed=True, msg=str(exc))
                failures.append("%s '%s': %s" % (kind, obj.name if kind == 'context' else obj.slug, exc))
            result['changed'] = result['changed'] or outcome['changed']
            result['contexts' if kind == 'context' else 'projects'].append(outcome)
        if self.want_diff:
            result['diff'] = diffs
        if failures:
            raise RunFailed('%d of %d objects failed: %s' % (len(failures), len(units), '; '.join(failures)), result)
        return result


def ensure_org_config(client, params, check_mode, diff=False, warn=None):
    """Run circleci_org_config: the module result (raises RunFailed naming each failed object)."""
    definition = OrgDefinition(params)
    return OrgRun(client, definition, check_mode, diff).run(warn or (lambda message: None))
