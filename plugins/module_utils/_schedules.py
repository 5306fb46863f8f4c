# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scheduled pipelines of a project (legacy schedule API), reconciled by the skeleton of _reconcile.py.

Timetables are compared as sets (the service does not keep the order of its lists); the
`system` attribution actor reads back as a fixed actor UUID, not the word `system`.
Writes use the API's hyphenated keys; reads are accepted hyphenated or snake_case.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment, quote_slug, read_field
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_parameters,
    check_project_slug,
)

DAYS_OF_WEEK = ('SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT')
MONTHS = ('JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC')
ATTRIBUTION_ACTORS = ('current', 'system')
# A schedule attributed to `system` reads back with a fixed actor instead of the word: on the
# live service the actor d9b3fcaa-... (as the Terraform providers know it), in circleci-emulator
# its own 5c4ed01e-... UUID; both carry the login `system-actor`.
SYSTEM_ACTOR_ID = 'd9b3fcaa-6032-405a-8c75-40079ce33c3e'
EMULATOR_SYSTEM_ACTOR_ID = '5c4ed01e-0000-4000-8000-000000000001'
SYSTEM_ACTOR_IDS = frozenset((SYSTEM_ACTOR_ID, EMULATOR_SYSTEM_ACTOR_ID))
SYSTEM_ACTOR_LOGIN = 'system-actor'
REF_KEYS = ('branch', 'tag')
TIMETABLE_KEYS = ('per_hour', 'hours_of_day', 'days_of_week', 'days_of_month', 'months')


# --- input --------------------------------------------------------------------------------

def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _int_set(option, values, low, high):
    if not values:
        raise ValidationError(option, 'must list at least one value between %d and %d' % (low, high))
    for index, value in enumerate(values):
        if not _is_int(value) or not low <= value <= high:
            raise ValidationError('%s[%d]' % (option, index), "'%s' is not an integer between %d and %d" % (value, low, high))
    return tuple(sorted(set(values)))


def _name_set(option, values, names, allow_empty=False):
    if not values and not allow_empty:
        raise ValidationError(option, 'must list at least one of %s' % ', '.join(names))
    for index, value in enumerate(values):
        if not isinstance(value, str) or value.upper() not in names:
            raise ValidationError('%s[%d]' % (option, index), "'%s' is not one of %s" % (value, ', '.join(names)))
    wanted = set(value.upper() for value in values)
    return tuple(name for name in names if name in wanted)


def check_timetable(timetable, option='timetable'):
    """The given timetable fields, checked and canonical ({key: int or sorted tuple}); months () = every month."""
    checked = {}
    given = dict((key, value) for key, value in (timetable or {}).items() if value is not None)
    unknown = sorted(set(given) - set(TIMETABLE_KEYS))
    if unknown:
        raise ValidationError(option, 'unknown keys %s (known: %s)' % (', '.join(unknown), ', '.join(TIMETABLE_KEYS)))
    if 'per_hour' in given:
        value = given['per_hour']
        if not _is_int(value) or not 1 <= value <= 60:
            raise ValidationError(option + '.per_hour', "'%s' is not an integer between 1 and 60" % (value,))
        checked['per_hour'] = value
    if 'hours_of_day' in given:
        checked['hours_of_day'] = _int_set(option + '.hours_of_day', given['hours_of_day'], 0, 23)
    if 'days_of_week' in given:
        checked['days_of_week'] = _name_set(option + '.days_of_week', given['days_of_week'], DAYS_OF_WEEK)
    if 'days_of_month' in given:
        checked['days_of_month'] = _int_set(option + '.days_of_month', given['days_of_month'], 1, 31)
    if 'months' in given:
        checked['months'] = _name_set(option + '.months', given['months'], MONTHS, allow_empty=True)
    return checked


def check_schedules_slug(option, slug):
    """A project slug that can have schedules: not a circleci/... one (those use pipeline triggers)."""
    check_project_slug(option, slug)
    if slug.split('/', 1)[0].lower() == 'circleci':
        raise ValidationError(option, "'%s' is a circleci/... project (GitLab, GitHub App or standalone): scheduled "
                                      "pipelines only exist for GitHub OAuth and Bitbucket Cloud projects; use pipeline "
                                      "triggers instead" % slug)
    return slug


def _refs(parameters):
    return [key for key in REF_KEYS if key in parameters]


class ScheduleSpec:
    """The checked options of circleci_schedule (everything validated before any request; the
    argument spec declares the choices and that branch and tag exclude each other)."""

    def __init__(self, params):
        self.project_slug = check_schedules_slug('project_slug', params['project_slug'])
        self.name = check_non_empty('name', params['name'])
        self.state = params.get('state') or 'present'
        self.description = params.get('description')
        self.attribution_actor = params.get('attribution_actor')
        self.timetable = check_timetable(params.get('timetable')) if params.get('timetable') is not None else None
        self.ref = None  # (key, value) given by the branch or tag option
        for key in REF_KEYS:
            if params.get(key) is not None:
                self.ref = (key, check_non_empty(key, params[key]))
        self.parameters = None
        if params.get('parameters') is not None:
            self.parameters = self._with_ref(check_parameters(params['parameters']))

    def _with_ref(self, parameters):
        """`parameters` with the branch or tag option put in; exactly one of branch and tag."""
        if self.ref is not None:
            key, value = self.ref
            if key in parameters and parameters[key] != value:
                raise ValidationError(key, "'%s' contradicts parameters.%s '%s'" % (value, key, parameters[key]))
            other = 'tag' if key == 'branch' else 'branch'
            if other in parameters:
                raise ValidationError(key, 'parameters already name a %s; a schedule runs on a branch or a tag, not both' % other)
            parameters[key] = value
        refs = _refs(parameters)
        if not refs:
            raise ValidationError('parameters', 'must contain branch or tag (or use the branch or tag option)')
        if len(refs) > 1:
            raise ValidationError('parameters', 'must contain branch or tag, not both')
        return parameters

    def desired_parameters(self, current):
        """The parameters the schedule should have, given its current ones (None = not compared)."""
        if self.parameters is not None:
            return self.parameters
        if self.ref is None:
            return None
        parameters = dict((key, value) for key, value in (current or {}).items() if key not in REF_KEYS)
        parameters[self.ref[0]] = self.ref[1]
        return parameters


# --- reading ----------------------------------------------------------------------------------

def timetable_view(raw):
    """An API timetable with snake_case keys (the API's values and order kept)."""
    view = {}
    for key in TIMETABLE_KEYS:
        value = read_field(raw or {}, key.replace('_', '-'))
        if value is not None:
            view[key] = value
    return view


def canonical_timetable(view):
    """A snake_case timetable in comparable form: lists as sorted tuples, missing/empty months = every month."""
    canonical = {}
    for key, value in view.items():
        if key == 'per_hour':
            canonical[key] = value
        elif key == 'days_of_week':
            canonical[key] = tuple(day for day in DAYS_OF_WEEK if day in set(str(v).upper() for v in value))
        elif key == 'months':
            canonical[key] = tuple(month for month in MONTHS if month in set(str(v).upper() for v in value))
        else:
            canonical[key] = tuple(sorted(set(value)))
    if not canonical.get('months'):
        canonical['months'] = MONTHS
    return canonical


def actor_kind(raw):
    """`system` when the schedule is attributed to the scheduling system, else `current`."""
    value = read_field(raw, 'attribution-actor')
    if value in ATTRIBUTION_ACTORS:
        return value
    actor = raw.get('actor') or {}
    if str(actor.get('id') or '').lower() in SYSTEM_ACTOR_IDS or actor.get('login') == SYSTEM_ACTOR_LOGIN:
        return 'system'
    return 'current'


def normalize_schedule(raw):
    """An API schedule as the modules return it: snake_case keys, plus `attribution_actor`."""
    if not raw:
        return {}
    schedule = dict(
        id=raw.get('id'),
        name=raw.get('name'),
        description=raw.get('description'),
        project_slug=read_field(raw, 'project-slug'),
        timetable=timetable_view(raw.get('timetable')),
        attribution_actor=actor_kind(raw),
        actor=raw.get('actor'),
        parameters=raw.get('parameters') or {},
        created_at=read_field(raw, 'created-at'),
        updated_at=read_field(raw, 'updated-at'),
    )
    return dict((key, value) for key, value in schedule.items() if value is not None or key == 'description')


def schedules_path(project_slug):
    return '/project/%s/schedule' % quote_slug(project_slug)


def schedule_path(schedule_id):
    return '/schedule/%s' % quote_segment(schedule_id)


def list_schedules(client, project_slug, option='project_slug'):
    """Every schedule of a project (raw API objects, all pages); an unknown project is an error naming `option`."""
    try:
        return client.get_all(schedules_path(project_slug))
    except CircleCIError as exc:
        if exc.status == 404:
            raise ValidationError(option, "project '%s' was not found (%s)" % (project_slug, exc)) from None
        raise


# --- writing ----------------------------------------------------------------------------------

def timetable_body(canonical, months_given=True):
    """A canonical timetable as the API's hyphenated write form."""
    body = {'per-hour': canonical['per_hour'], 'hours-of-day': list(canonical['hours_of_day'])}
    if 'days_of_week' in canonical:
        body['days-of-week'] = list(canonical['days_of_week'])
    else:
        body['days-of-month'] = list(canonical['days_of_month'])
    if months_given:
        body['months'] = list(canonical['months'])
    return body


def timetable_out(canonical, months_given=True):
    """A canonical timetable as a snake_case view (for check mode results and diffs)."""
    view = dict((key.replace('-', '_'), value) for key, value in timetable_body(canonical, months_given).items())
    return view


class ScheduleResource(Resource):
    """A schedule of a project, found by name (the API answers 409 to a second one of a name)."""

    kind = 'schedule'
    adopt_on_conflict = True
    # snake_case field -> write key (PATCH); the timetable is written whole (timetable_body)
    WRITE_KEYS = {'description': 'description', 'attribution_actor': 'attribution-actor', 'parameters': 'parameters'}

    def __init__(self, client, spec):
        super().__init__(client, spec.name)
        self.spec = spec

    def list(self):
        return list_schedules(self.client, self.spec.project_slug)

    def normalize(self, raw):
        return normalize_schedule(raw)

    def compared(self, current):
        return dict(current, description=current.get('description') or '', parameters=current.get('parameters') or {},
                    timetable=canonical_timetable(current.get('timetable') or {}))

    def wanted(self, current):
        spec = self.spec
        wanted = dict((key, getattr(spec, key)) for key in ('description', 'attribution_actor') if getattr(spec, key) is not None)
        if spec.timetable:
            merged = canonical_timetable(current.get('timetable') or {})
            if 'days_of_week' in spec.timetable:
                merged.pop('days_of_month', None)
            if 'days_of_month' in spec.timetable:
                merged.pop('days_of_week', None)
            merged.update(spec.timetable)
            wanted['timetable'] = canonical_timetable(merged)
        parameters = spec.desired_parameters(current.get('parameters'))
        if parameters is not None:
            wanted['parameters'] = parameters
        return wanted

    def create_body(self, current=None):
        spec = self.spec
        timetable = spec.timetable or {}
        for key in ('per_hour', 'hours_of_day'):
            if key not in timetable:
                raise ValidationError('timetable.%s' % key, "required to create schedule '%s'" % spec.name)
        if 'days_of_week' not in timetable and 'days_of_month' not in timetable:
            raise ValidationError('timetable.days_of_week', "days_of_week or days_of_month is required to create schedule '%s'" % spec.name)
        parameters = spec.desired_parameters({})
        if parameters is None:
            raise ValidationError('branch', "branch, tag or parameters is required to create schedule '%s'" % spec.name)
        months_given = bool(timetable.get('months'))
        canonical = canonical_timetable(dict(timetable))
        body = {'name': spec.name, 'timetable': timetable_body(canonical, months_given),
                'attribution-actor': spec.attribution_actor or 'current', 'parameters': parameters}
        if spec.description is not None:
            body['description'] = spec.description
        return body, dict(name=spec.name, description=spec.description, project_slug=spec.project_slug,
                          timetable=timetable_out(canonical, months_given), attribution_actor=body['attribution-actor'],
                          parameters=parameters)

    def create_path(self):
        return schedules_path(self.spec.project_slug)

    def update_body(self, current, wanted, differs):
        body, after = {}, dict(current)
        for field in differs:
            value = wanted[field]
            if field == 'timetable':
                # The whole timetable is sent: months are spelt out unless the schedule runs every month.
                months_given = value['months'] != MONTHS or self.compared(current)['timetable']['months'] != MONTHS
                body['timetable'] = timetable_body(value, months_given)
                value = timetable_out(value, months_given)
            else:
                body[self.WRITE_KEYS[field]] = value
            after[field] = value
        return body, after

    def path(self, current):
        return schedule_path(current['id'])

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ('id', 'name', 'description', 'timetable', 'attribution_actor', 'parameters')
                    if key in obj)


def ensure_schedule(client, spec, check_mode):
    """Bring the schedule named spec.name to spec; returns the module result (changed, schedule, diff)."""
    return reconcile(ScheduleResource(client, spec), spec.state, check_mode)
