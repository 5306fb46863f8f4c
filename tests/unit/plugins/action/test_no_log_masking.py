# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""mask_no_log_values gives what ansible-core's remove_values gives (AnsibleModule's masking of a
result), on results shaped like those of the bulk modules and on the awkward cases."""

from __future__ import annotations

import random

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.community.circleci.plugins.plugin_utils._action import mask_no_log_values


def org_result(values):
    """A result like circleci_org_config's: the values in invocation, names, slugs and URLs elsewhere."""
    names = sorted(values)
    return {
        'changed': True,
        'projects': [{'slug': 'gh/acme/p%d' % n, 'variables': {'added': names[:3], 'updated': [], 'removed': []},
                      'msg': 'POST /project/gh/acme/p%d/envvar -> 500: echo %s' % (n, values[names[n % len(names)]] if n == 3 else 'x'),
                      'count': 12345, 'ratio': 0.5, 'none': None, 'flag': False} for n in range(20)],
        'invocation': {'module_args': {'projects': [{'slug': 'gh/acme/p%d' % n, 'variables': dict(values),
                                                     'tags': ('a', values[names[0]]), 'kinds': {'x', 'y'}} for n in range(5)],
                                       'api_token': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'}},
        'diff': [{'before_header': 'project gh/acme/p1', 'before': {'v': '<hidden>'}, 'after': {}}],
    }


def test_same_as_remove_values_on_a_bulk_result():
    rng = random.Random(7)
    values = dict(('VAR_%03d' % n, 'secret-%d-%s' % (n, ''.join(rng.choice('abcdef0123456789') for unused in range(rng.randint(4, 30)))))
                  for n in range(200))
    values['PORT'] = '345'  # inside the number 12345: remove_values masks the whole number
    result = org_result(values)
    expected = remove_values(result, set(values.values()))
    assert mask_no_log_values(result, set(values.values())) == expected
    assert expected['projects'][0]['count'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert '********' in expected['projects'][3]['msg']


def test_awkward_values_take_remove_values_over_everything():
    values = set('value-%02d' % n for n in range(20))
    for odd in ('a*b', 'LOG', '', 'x'):
        given = values | {odd}  # one set: with '' among them, remove_values' outcome follows its order
        assert mask_no_log_values(org_result(dict(V=odd, W='value-01')), given) \
            == remove_values(org_result(dict(V=odd, W='value-01')), given)


def _texts(data):
    """Every string value of data, as text (keys are kept as they are, by remove_values too)."""
    if isinstance(data, dict):
        return [t for value in data.values() for t in _texts(value)]
    if isinstance(data, (list, tuple, set)):
        return [t for item in data for t in _texts(item)]
    return [data.decode() if isinstance(data, bytes) else str(data)]


def test_few_values_and_overlapping_ones():
    """With values inside one another (abc, abcd), remove_values' own outcome depends on the order it
    takes them in, a set's order, which changes from one Python process to the next ('xxabcdxx' becomes
    'xx********xx' or 'xx********dxx'). Whatever the order, no value remains and the rest is kept."""
    values = set(['abc', 'abcd', 'zzzz'] + ['pad-%02d-value' % n for n in range(20)])
    data = {'a': 'xxabcdxx', 'b': ['abc', 'zzzzz', b'abcd', b'-abcd-', b'plain'], 'c': {'abcd': 'pad-01-value!'}}
    masked = mask_no_log_values(data, values)
    assert not [(text, value) for text in _texts(masked) for value in values if value in text]
    assert masked['a'] in ('xx********xx', 'xx********dxx')
    assert masked['b'][0] == masked['b'][2] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert masked['b'][1] == '********z' and masked['b'][4] == b'plain'
    assert masked['c'] == remove_values(data, values)['c'] == {'abcd': '********!'}


def test_thousands_of_values():
    """Same outcome with an organization's worth of values (its time is measured by make bench-scale)."""
    values = dict(('VAR_%04d' % n, 'value-%d-of-a-large-organization' % n) for n in range(3000))
    result = org_result(values)
    assert mask_no_log_values(result, set(values.values())) == remove_values(result, set(values.values()))


def test_values_that_are_the_text_of_a_boolean_or_none():
    """Values that are the text of True or None: the same outcome as remove_values, which masks them
    inside strings and, up to ansible-core 2.16, also masks the booleans and None themselves."""
    values = set('value-%02d' % n for n in range(20)) | {'True', 'None'}
    data = {'changed': True, 'nested': {'flag': True, 'other': False, 'nothing': None, 'text': 'is True'}}
    assert mask_no_log_values(data, values) == remove_values(data, values)
    assert mask_no_log_values(data, values)['nested']['text'] == 'is ********'
