# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property-based tests of the input validators: valid inputs are accepted (and normalised as
documented), mutated inputs are refused with a ValidationError naming the option, and no input
raises anything else.

Deterministic and quick: derandomize=True (the same examples on every run), no example database
(nothing written into the repository), a modest number of examples per property.
"""

from __future__ import annotations

import collections
import datetime
import string

import pytest

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansible_collections.community.circleci.plugins.module_utils._bulk import MAX_CONCURRENCY, check_concurrency
from ansible_collections.community.circleci.plugins.module_utils._oidc import check_audience, check_ttl, parse_duration
from ansible_collections.community.circleci.plugins.module_utils._policy import check_date_time
from ansible_collections.community.circleci.plugins.module_utils._schedules import DAYS_OF_WEEK, MONTHS, check_timetable
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    MAX_PARAMETER_NAME,
    MAX_PARAMETER_VALUE,
    MAX_PARAMETERS,
    ValidationError,
    check_env_var_name,
    check_http_url,
    check_non_empty,
    check_org_slug,
    check_parameters,
    check_project_slug,
    check_project_slug_or_uuid,
    check_uuid,
)
from ansible_collections.community.circleci.plugins.module_utils._webhooks import check_https_url
from ansible_collections.community.circleci.tests.unit.plugins.reliability._report import record

PROFILE = settings(derandomize=True, database=None, max_examples=120, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])
OPTION = 'the_option'
EXAMPLES = collections.Counter()


@pytest.fixture(scope='module', autouse=True)
def report_examples():
    """Count the examples each property ran (for tools/reliability_inputs.py)."""
    yield
    for name, count in sorted(EXAMPLES.items()):
        record('hypothesis', property=name, examples=count)


def seen(name):
    EXAMPLES[name] += 1


def refused(validator, value, option=OPTION):
    """Whether validator(option, value) refuses value with a ValidationError naming the option
    (any other exception fails the test)."""
    try:
        validator(option, value)
    except ValidationError as exc:
        assert str(exc).startswith(option + ': ') and exc.option == option, str(exc)
        return True
    return False


# --- strategies ------------------------------------------------------------------------------

UUIDS = st.uuids().map(str)
# Case as the user may type it; the validator lower-cases.
ANY_CASE_UUIDS = st.tuples(UUIDS, st.booleans()).map(lambda pair: pair[0].upper() if pair[1] else pair[0])
NAME_CHARS = string.ascii_letters + string.digits + '-_.'
ORG_OR_REPO = st.text(NAME_CHARS, min_size=1, max_size=30).filter(lambda name: name not in ('.', '..'))
VCS = st.sampled_from(['gh', 'github', 'bb', 'bitbucket'])
# circleci/... segments: the opaque short ids CircleCI shows (base58-like), or the UUIDs.
OPAQUE_IDS = st.text('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', min_size=16, max_size=22)
CIRCLECI_SEGMENTS = st.one_of(UUIDS, OPAQUE_IDS)
PROJECT_SLUGS = st.one_of(
    st.builds(lambda vcs, org, repo: '%s/%s/%s' % (vcs, org, repo), VCS, ORG_OR_REPO, ORG_OR_REPO),
    st.builds(lambda org, project: 'circleci/%s/%s' % (org, project), CIRCLECI_SEGMENTS, CIRCLECI_SEGMENTS),
)
ORG_SLUGS = st.one_of(
    st.builds(lambda vcs, org: '%s/%s' % (vcs, org), VCS, ORG_OR_REPO),
    CIRCLECI_SEGMENTS.map(lambda org: 'circleci/' + org),
)
ENV_NAMES = st.from_regex(r'[A-Za-z_][A-Za-z0-9_]{0,40}', fullmatch=True)
WHITESPACE = st.sampled_from([' ', '\t', '\n', '\r', '\x0b', '\x0c', '\u00a0', '\u2003'])
# Anything a playbook can hand a string option, and then some.
ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=60),
                     st.binary(max_size=20), st.lists(st.text(max_size=5), max_size=3),
                     st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
TTL_UNITS = ('ms', 's', 'm', 'h', 'd', 'w')
MS_PER_UNIT = dict(ms=1, s=1000, m=60000, h=3600000, d=86400000, w=604800000)
TTL_PARTS = st.lists(st.tuples(st.integers(0, 10 ** 6), st.sampled_from(TTL_UNITS)), min_size=1, max_size=7)
HOSTS = st.from_regex(r'[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){0,3}(:[0-9]{1,5})?', fullmatch=True)
URL_PATHS = st.from_regex(r'(/[A-Za-z0-9._~%!$&\'()*+,;=:@-]{0,15}){0,4}', fullmatch=True)


def insert(text, position, piece):
    position = position % (len(text) + 1)
    return text[:position] + piece + text[position:]


# --- UUIDs -----------------------------------------------------------------------------------

@PROFILE
@given(ANY_CASE_UUIDS)
def test_uuids_are_accepted_and_lower_cased(value):
    seen('uuid accepted')
    assert check_uuid(OPTION, value) == value.lower()
    assert check_project_slug_or_uuid(OPTION, value) == value.lower()


@PROFILE
@given(UUIDS, st.integers(0, 36), st.sampled_from(['delete', 'insert', 'non-hex', 'space', 'newline']),
       st.characters())
def test_mutated_uuids_are_refused(value, position, mutation, char):
    seen('uuid mutated')
    position %= len(value)
    if mutation == 'delete':
        bad = value[:position] + value[position + 1:]
    elif mutation == 'insert':
        bad = insert(value, position, char)
    elif mutation == 'non-hex':
        position += 1 if value[position] == '-' else 0
        bad = value[:position] + 'g' + value[position + 1:]
    elif mutation == 'space':
        bad = insert(value, position, ' ')
    else:
        bad = value + '\n'
    assert refused(check_uuid, bad)


# --- slugs -----------------------------------------------------------------------------------

@PROFILE
@given(PROJECT_SLUGS)
def test_project_slugs_are_accepted_unchanged(slug):
    seen('project slug accepted')
    assert check_project_slug(OPTION, slug) == slug
    assert check_project_slug_or_uuid(OPTION, slug) == slug
    assert refused(check_org_slug, slug), 'a project slug passed as an organization slug'


@PROFILE
@given(PROJECT_SLUGS, st.integers(0, 200), WHITESPACE,
       st.sampled_from(['whitespace', 'slash', 'drop-segment', 'dot', 'dot-dot', 'vcs', 'trailing-newline']))
def test_mutated_project_slugs_are_refused(slug, position, space, mutation):
    seen('project slug mutated')
    parts = slug.split('/')
    if mutation == 'whitespace':
        bad = insert(slug, position, space)
    elif mutation == 'slash':
        bad = insert(slug, position, '/')
    elif mutation == 'drop-segment':
        del parts[position % 3]
        bad = '/'.join(parts)
    elif mutation in ('dot', 'dot-dot'):
        parts[1 + position % 2] = '.' if mutation == 'dot' else '..'
        bad = '/'.join(parts)
    elif mutation == 'vcs':
        bad = '/'.join(['gitlab'] + parts[1:])
    else:
        bad = slug + '\n'
    assert refused(check_project_slug, bad)
    assert refused(check_project_slug_or_uuid, bad)


@PROFILE
@given(ORG_SLUGS)
def test_org_slugs_are_accepted_unchanged(slug):
    seen('org slug accepted')
    assert check_org_slug(OPTION, slug) == slug
    assert refused(check_project_slug, slug), 'an organization slug passed as a project slug'


@PROFILE
@given(ORG_SLUGS, st.integers(0, 100), WHITESPACE, st.sampled_from(['whitespace', 'slash', 'dot-dot', 'vcs', 'trailing-newline']))
def test_mutated_org_slugs_are_refused(slug, position, space, mutation):
    seen('org slug mutated')
    vcs, org = slug.split('/')
    if mutation == 'whitespace':
        bad = insert(slug, position, space)
    elif mutation == 'slash':
        bad = insert(slug, position, '/')
    elif mutation == 'dot-dot':
        bad = vcs + '/..'
    elif mutation == 'vcs':
        bad = 'gitlab/' + org
    else:
        bad = slug + '\n'
    assert refused(check_org_slug, bad)


# --- environment variable names ----------------------------------------------------------------

@PROFILE
@given(ENV_NAMES)
def test_env_var_names_are_accepted(name):
    seen('env var name accepted')
    assert check_env_var_name(OPTION, name) == name


@PROFILE
@given(ENV_NAMES, st.integers(0, 50), st.text(min_size=1, max_size=1).filter(lambda c: not (c.isascii() and (c.isalnum() or c == '_'))),
       st.sampled_from('0123456789'))
def test_mutated_env_var_names_are_refused(name, position, char, digit):
    seen('env var name mutated')
    assert refused(check_env_var_name, insert(name, position, char))
    assert refused(check_env_var_name, digit + name)
    assert refused(check_env_var_name, name + '\n')


# --- ttl ---------------------------------------------------------------------------------------

@PROFILE
@given(TTL_PARTS)
def test_ttls_are_accepted_and_parse_to_their_duration(parts):
    seen('ttl accepted')
    ttl = ''.join('%d%s' % part for part in parts)
    assert check_ttl(OPTION, ttl) == ttl
    assert parse_duration(ttl) == sum(count * MS_PER_UNIT[unit] for count, unit in parts)


@PROFILE
@given(TTL_PARTS, st.integers(0, 100), WHITESPACE, st.sampled_from(['y', 'M', 'sec', 'ns', 'H', 'S']),
       st.sampled_from(['whitespace', 'unit', 'too-many', 'sign', 'decimal']))
def test_mutated_ttls_are_refused(parts, position, space, unit, mutation):
    seen('ttl mutated')
    ttl = ''.join('%d%s' % part for part in parts)
    if mutation == 'whitespace':
        bad = insert(ttl, position, space)
    elif mutation == 'unit':
        index = position % len(parts)
        bad = ''.join('%d%s' % (count, unit if i == index else u) for i, (count, u) in enumerate(parts))
    elif mutation == 'too-many':
        bad = ttl + ''.join('1%s' % TTL_UNITS[i % 6] for i in range(8 - len(parts)))
    elif mutation == 'sign':
        bad = '-' + ttl
    else:
        bad = '%d.5%s' % parts[0] + ttl[len('%d%s' % parts[0]):]
    assert refused(check_ttl, bad)


# --- URLs --------------------------------------------------------------------------------------

@PROFILE
@given(st.sampled_from(['http', 'https', 'HTTPS']), HOSTS, URL_PATHS)
def test_urls_are_accepted(scheme, host, path):
    seen('url accepted')
    url = '%s://%s%s' % (scheme, host, path)
    assert check_http_url(OPTION, url) == url
    assert (not refused(check_https_url, url)) == scheme.lower().startswith('https')


@PROFILE
@given(st.sampled_from(['http', 'https']), HOSTS, URL_PATHS, st.integers(0, 100), WHITESPACE,
       st.sampled_from(['whitespace', 'scheme', 'no-host', 'trailing-newline', 'ftp']))
def test_mutated_urls_are_refused(scheme, host, path, position, space, mutation):
    seen('url mutated')
    url = '%s://%s%s' % (scheme, host, path)
    if mutation == 'whitespace':
        bad = insert(url, position, space)
    elif mutation == 'scheme':
        bad = url[len(scheme) + 3:]
    elif mutation == 'no-host':
        bad = '%s://%s' % (scheme, path or '/')
    elif mutation == 'trailing-newline':
        bad = url + '\n'
    else:
        bad = 'ftp' + url[len(scheme):]
    assert refused(check_http_url, bad)
    assert refused(check_https_url, bad)
    assert refused(check_https_url, 'http' + url[len(scheme):])


# --- timetables ----------------------------------------------------------------------------------

def any_case(names):
    return st.sampled_from(names).flatmap(lambda name: st.sampled_from([name, name.lower(), name.title()]))


TIMETABLES = st.fixed_dictionaries({}, optional={
    'per_hour': st.integers(1, 60),
    'hours_of_day': st.lists(st.integers(0, 23), min_size=1, max_size=30),
    'days_of_week': st.lists(any_case(DAYS_OF_WEEK), min_size=1, max_size=10),
    'months': st.lists(any_case(MONTHS), max_size=14),
}) | st.fixed_dictionaries({'days_of_month': st.lists(st.integers(1, 31), min_size=1, max_size=40)}, optional={
    'per_hour': st.integers(1, 60),
    'hours_of_day': st.lists(st.integers(0, 23), min_size=1, max_size=30),
})


@PROFILE
@given(TIMETABLES)
def test_timetables_are_accepted_and_canonical(timetable):
    seen('timetable accepted')
    checked = check_timetable(timetable)
    assert set(checked) == set(timetable)
    for key, value in checked.items():
        if key == 'per_hour':
            assert value == timetable[key]
        else:
            wanted = set(item.upper() if isinstance(item, str) else item for item in timetable[key])
            assert set(value) == wanted and len(value) == len(wanted)
    # canonical is a fixed point
    assert check_timetable(dict((key, list(value) if isinstance(value, tuple) else value) for key, value in checked.items())) == checked


OUT_OF_RANGE = {
    'per_hour': (1, 60),
    'hours_of_day': (0, 23),
    'days_of_month': (1, 31),
}


@PROFILE
@given(st.sampled_from(sorted(OUT_OF_RANGE)), st.integers(-10 ** 6, 10 ** 6), st.lists(st.integers(0, 23), max_size=3))
def test_timetable_values_out_of_range_are_refused(key, value, others):
    seen('timetable out of range')
    low, high = OUT_OF_RANGE[key]
    assume(not low <= value <= high)
    timetable = {key: value} if key == 'per_hour' else {key: [min(max(item, low), high) for item in others] + [value]}
    with pytest.raises(ValidationError) as error:
        check_timetable(timetable)
    assert str(error.value).startswith('timetable.%s' % key)


@PROFILE
@given(st.sampled_from(['days_of_week', 'months']), st.text(max_size=12))
def test_timetable_names_must_be_known(key, name):
    seen('timetable names')
    known = DAYS_OF_WEEK if key == 'days_of_week' else MONTHS
    if name.upper() in known:
        assert check_timetable({key: [name]})[key] == (name.upper(),)
    else:
        with pytest.raises(ValidationError) as error:
            check_timetable({key: [name]})
        assert str(error.value).startswith('timetable.%s[0]: ' % key)


# --- pipeline parameters ------------------------------------------------------------------------

PARAMETER_VALUES = st.one_of(st.text(max_size=MAX_PARAMETER_VALUE), st.integers(), st.booleans())
PARAMETERS = st.dictionaries(st.text(min_size=1, max_size=MAX_PARAMETER_NAME), PARAMETER_VALUES, max_size=MAX_PARAMETERS)


@PROFILE
@given(PARAMETERS)
def test_parameters_within_the_limits_are_accepted(parameters):
    seen('parameters accepted')
    assert check_parameters(parameters) == parameters


@PROFILE
@given(PARAMETERS, st.sampled_from(['too-many', 'long-key', 'long-value', 'empty-key', 'float', 'null', 'list']),
       st.integers(1, 50))
def test_parameters_beyond_the_limits_are_refused(parameters, mutation, extra):
    seen('parameters mutated')
    bad = dict(parameters)
    if mutation == 'too-many':
        for index in range(MAX_PARAMETERS + extra - len(bad)):
            bad['extra_%d' % index] = 'x'
        assume(len(bad) > MAX_PARAMETERS)
    elif mutation == 'long-key':
        bad['k' * (MAX_PARAMETER_NAME + extra)] = 'x'
    elif mutation == 'long-value':
        bad['key'] = 'v' * (MAX_PARAMETER_VALUE + extra)
    elif mutation == 'empty-key':
        bad[''] = 'x'
    else:
        bad['key'] = {'float': 0.5, 'null': None, 'list': ['x']}[mutation]
    with pytest.raises(ValidationError) as error:
        check_parameters(bad)
    assert str(error.value).startswith('parameters')


# --- small validators -------------------------------------------------------------------------

@PROFILE
@given(st.text(max_size=40))
def test_non_empty_means_some_non_blank_character(value):
    seen('non-empty')
    assert refused(check_non_empty, value) == (value.strip() == '')


@PROFILE
@given(st.integers(-100, 100) | st.booleans() | st.none())
def test_concurrency_range(value):
    seen('concurrency')
    ok = value is None or (not isinstance(value, bool) and 1 <= value <= MAX_CONCURRENCY)
    try:
        check_concurrency(value)
    except ValidationError as exc:
        assert exc.option == 'concurrency' and not ok
    else:
        assert ok


@PROFILE
@given(st.datetimes(min_value=datetime.datetime(1000, 1, 1), max_value=datetime.datetime(9999, 12, 31)),
       st.sampled_from(['Z', '+02:00', '-0530']),
       st.sampled_from(['', ' ', '\n', 'x']))
def test_date_times(moment, zone, suffix):
    seen('date-time')
    text = moment.strftime('%Y-%m-%dT%H:%M:%S') + zone
    assert check_date_time(OPTION, text) == text
    assert refused(check_date_time, text + suffix) == bool(suffix)
    assert refused(check_date_time, moment.strftime('%Y-%m-%d'))


@PROFILE
@given(st.lists(st.text(max_size=10), max_size=5))
def test_audience_is_a_list_of_non_empty_strings(audience):
    seen('audience')
    ok = bool(audience) and all(item.strip() for item in audience)
    try:
        checked = check_audience('audience', audience)
    except ValidationError as exc:
        assert exc.option.startswith('audience') and not ok
    else:
        assert ok and checked == list(dict.fromkeys(audience))


VALIDATORS = [check_uuid, check_project_slug, check_project_slug_or_uuid, check_org_slug, check_env_var_name,
              check_non_empty, check_http_url, check_https_url, check_ttl, check_date_time]


@PROFILE
@given(st.sampled_from(VALIDATORS), ANYTHING)
def test_validators_raise_only_validation_errors(validator, value):
    seen('only ValidationError')
    if not refused(validator, value):
        # accepted values are strings (check_date_time also lets None through: not given)
        assert isinstance(value, str) or (validator is check_date_time and value is None)
