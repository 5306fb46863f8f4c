# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scheduled pipelines of a project (legacy schedule API): check, normalise, plan, write.

Timetables are compared as sets (the service does not keep the order of its lists); the
`system` attribution actor reads back as a fixed actor UUID, not the word `system`.
Writes use the API's hyphenated keys; reads are accepted hyphenated or snake_case.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment, quote_slug, read_field
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
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
MAX_PARAMETERS = 100
MAX_PARAMETER_NAME = 128
MAX_PARAMETER_VALUE = 512
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
    if 'days_of_week' in given and 'days_of_month' in given:
        raise ValidationError(option + '.days_of_week', 'days_of_week and days_of_month are mutually exclusive')
    if 'days_of_week' in given:
        checked['days_of_week'] = _name_set(option + '.days_of_week', given['days_of_week'], DAYS_OF_WEEK)
    if 'days_of_month' in given:
        checked['days_of_month'] = _int_set(option + '.days_of_month', given['days_of_month'], 1, 31)
    if 'months' in given:
        checked['months'] = _name_set(option + '.months', given['months'], MONTHS, allow_empty=True)
    return checked


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
    """The checked options of circleci_schedule (everything validated before any request)."""

    def __init__(self, params):
        self.project_slug = check_schedules_slug('project_slug', params['project_slug'])
        self.name = check_non_empty('name', params['name'])
        self.state = params.get('state') or 'present'
        self.description = params.get('description')
        self.attribution_actor = params.get('attribution_actor')
        if self.attribution_actor is not None and self.attribution_actor not in ATTRIBUTION_ACTORS:
            raise ValidationError('attribution_actor', "'%s' is not one of %s" % (self.attribution_actor, ', '.join(ATTRIBUTION_ACTORS)))
        self.timetable = check_timetable(params.get('timetable')) if params.get('timetable') is not None else None
        self.parameters = None
        self.ref = None  # (key, value) given by the branch or tag option
        branch, tag = params.get('branch'), params.get('tag')
        if branch is not None and tag is not None:
            raise ValidationError('branch', 'branch and tag are mutually exclusive')
        if branch is not None:
            self.ref = ('branch', check_non_empty('branch', branch))
        elif tag is not None:
            self.ref = ('tag', check_non_empty('tag', tag))
        if params.get('parameters') is not None:
            parameters = check_parameters(params['parameters'])
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
            self.parameters = parameters

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


def find_by_name(schedules, name):
    return [schedule for schedule in schedules if schedule.get('name') == name]


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


def create_schedule(client, project_slug, body, name):
    def find_existing():
        found = find_by_name(list_schedules(client, project_slug), name)
        return found[0] if found else None

    try:
        return client.create(schedules_path(project_slug), body, find_existing=find_existing, expected=(200, 201))
    except CircleCIError as exc:
        # 409: a schedule of that name exists (another run created it since it was read as absent)
        found = find_existing() if exc.status == 409 else None
        if found is None:
            raise
        return found


def update_schedule(client, schedule_id, body):
    return client.patch(schedule_path(schedule_id), json=body)


def delete_schedule(client, schedule_id):
    client.delete(schedule_path(schedule_id), expected=(200, 404))


# --- the ensure logic ---------------------------------------------------------------------

def _diff_view(schedule):
    return dict((key, schedule[key]) for key in ('id', 'name', 'description', 'timetable', 'attribution_actor', 'parameters')
                if key in schedule)


def _plan_create(spec):
    """The POST body for a new schedule; missing required options are errors naming them."""
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
    body = {
        'name': spec.name,
        'timetable': timetable_body(canonical, months_given),
        'attribution-actor': spec.attribution_actor or 'current',
        'parameters': parameters,
    }
    if spec.description is not None:
        body['description'] = spec.description
    return body, timetable_out(canonical, months_given)


def _plan_update(spec, current):
    """(PATCH body with only what differs, after-view of the schedule)."""
    body = {}
    after = dict(current)
    if spec.description is not None and spec.description != (current.get('description') or ''):
        body['description'] = spec.description
        after['description'] = spec.description
    if spec.attribution_actor is not None and spec.attribution_actor != current['attribution_actor']:
        body['attribution-actor'] = spec.attribution_actor
        after['attribution_actor'] = spec.attribution_actor
    if spec.timetable:
        existing = canonical_timetable(current.get('timetable') or {})
        merged = dict(existing)
        for key, value in spec.timetable.items():
            merged[key] = value
        if 'days_of_week' in spec.timetable:
            merged.pop('days_of_month', None)
        if 'days_of_month' in spec.timetable:
            merged.pop('days_of_week', None)
        merged = canonical_timetable(merged)
        if merged != existing:
            # The whole timetable is sent: months are spelt out unless the schedule runs every month.
            months_given = merged['months'] != MONTHS or existing['months'] != MONTHS
            body['timetable'] = timetable_body(merged, months_given)
            after['timetable'] = timetable_out(merged, months_given)
    parameters = spec.desired_parameters(current.get('parameters'))
    if parameters is not None and parameters != (current.get('parameters') or {}):
        body['parameters'] = parameters
        after['parameters'] = parameters
    return body, after


def ensure_schedule(client, spec, check_mode):
    """Bring the schedule named spec.name to spec; returns the module result (changed, schedule, diff)."""
    matches = find_by_name(list_schedules(client, spec.project_slug), spec.name)

    if spec.state == 'absent':
        if not matches:
            return dict(changed=False, schedule={}, diff=dict(before={}, after={}))
        if not check_mode:
            for schedule in matches:
                delete_schedule(client, schedule['id'])
        return dict(changed=True, schedule={}, diff=dict(before=_diff_view(normalize_schedule(matches[0])), after={}))

    if len(matches) > 1:
        raise ValidationError('name', "%d schedules of the project are named '%s'; a name must identify one schedule "
                                      "(delete the duplicates, for example with state=absent)" % (len(matches), spec.name))

    if not matches:
        body, timetable = _plan_create(spec)
        if check_mode:
            schedule = dict(name=spec.name, description=spec.description, project_slug=spec.project_slug,
                            timetable=timetable, attribution_actor=body['attribution-actor'], parameters=body['parameters'])
        else:
            schedule = normalize_schedule(create_schedule(client, spec.project_slug, body, spec.name))
        return dict(changed=True, schedule=schedule, diff=dict(before={}, after=_diff_view(schedule)))

    current = normalize_schedule(matches[0])
    body, after = _plan_update(spec, current)
    if not body:
        return dict(changed=False, schedule=current, diff=dict(before=_diff_view(current), after=_diff_view(current)))
    if not check_mode:
        after = normalize_schedule(update_schedule(client, current['id'], body)) or after
    return dict(changed=True, schedule=after, diff=dict(before=_diff_view(current), after=_diff_view(after)))
