# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The table of invalid inputs, per module, for test_bad_input.py.

Each module has `base`: options that pass every check (test_bad_input.py proves it: with them the
module does send a request), and `cases`: (case id, option the message must name, changes to
`base`). A change to DROP removes the option. Every case must fail before any request.

Options that are only needed to create (circleci_webhook url and events, a schedule's branch) are
not rows: whether they are missing depends on what exists, which needs a request.

To cover a new module, append an entry to MODULES (the test fails for a module of
plugins/modules/ without one). CONNECTION_CASES are added to every module.
"""

from __future__ import annotations

import datetime

DROP = object()

UUID = '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d11'
UUID2 = '7c4e6b7a-2f1d-4e8b-9a3c-5d6e7f8a9b0c'
SLUG = 'gh/acme/api'
# A write-only value (no_log): long enough that Ansible's masking of it cannot garble a message.
SECRET = 's3cr3t-bad-input-canary'
ORG = 'gh/acme'

# Strings that are not UUIDs: wrong length, no dashes, a non-hex digit, a slug, blank, spaces.
BAD_UUIDS = (
    ('short', '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8d1'),
    ('no-dashes', '5b0a1c449f0e4a5c9f0d2a4c5e7b8d11'),
    ('non-hex', '5b0a1c44-9f0e-4a5c-9f0d-2a4c5e7b8dzz'),
    ('slug', SLUG),
    ('empty', ''),
    ('padded', ' %s ' % UUID),
    ('trailing-newline', UUID + '\n'),
)
# Strings that are not project slugs.
BAD_PROJECT_SLUGS = (
    ('no-vcs', 'acme/api'),
    ('org-only', ORG),
    ('unknown-vcs', 'gl/acme/api'),
    ('extra-segment', 'gh/acme/api/x'),
    ('space', 'gh/acme/my api'),
    ('circleci-extra-segment', 'circleci/43G3lM5RtfFE7v5sa4nWAU/44n9wujWcTnVZ2b5S8Fnat/x'),
    ('trailing-newline', SLUG + '\n'),
    ('dot-dot', 'gh/acme/..'),
    ('dot', 'gh/./api'),
    ('empty', ''),
)
# Strings that are not organization slugs.
BAD_ORG_SLUGS = (
    ('no-vcs', 'acme'),
    ('project-slug', SLUG),
    ('unknown-vcs', 'gl/acme'),
    ('empty-org', 'gh/'),
    ('circleci-space', 'circleci/43G3lM5R tfFE7v5sa4nWAU'),
    ('trailing-newline', ORG + '\n'),
    ('dot-dot', 'gh/..'),
)
BAD_ENV_NAMES = (
    ('dash', 'DEPLOY-TOKEN'),
    ('leading-digit', '1TOKEN'),
    ('space', 'MY TOKEN'),
    ('dollar', '$TOKEN'),
    ('empty', ''),
    ('trailing-newline', 'DEPLOY_TOKEN\n'),
)
BAD_TTLS = (
    ('words', '1 hour'),
    ('no-unit', '10'),
    ('unknown-unit', '1y'),
    ('negative', '-5m'),
    ('decimal', '1.5h'),
    ('empty', ''),
    ('eight-parts', '1w1d1h1m1s1ms1s1m'),
    ('trailing-newline', '1h\n'),
)

# Given to every module: the shared connection options.
CONNECTION_CASES = [
    # api_url cases are functions of the scripted server's URL: if one passed the check, the
    # request would reach that server (and fail the test) rather than a host on the network.
    ('api_url-ftp', 'api_url', {'api_url': lambda url: 'ftp' + url[len('http'):]}),
    ('api_url-no-scheme', 'api_url', {'api_url': lambda url: url[len('http://'):]}),
    ('api_url-space', 'api_url', {'api_url': lambda url: url + '/ x'}),
    ('api_url-trailing-newline', 'api_url', {'api_url': lambda url: url + '\n'}),
    ('timeout-zero', 'timeout', {'timeout': 0}),
    ('timeout-not-int', 'timeout', {'timeout': 'soon'}),
    ('retries-negative', 'retries', {'retries': -1}),
    ('validate_certs-not-bool', 'validate_certs', {'validate_certs': 'maybe'}),
    ('no-token', 'api_token', {'api_token': DROP}),
    ('empty-token', 'api_token', {'api_token': ''}),
    ('unknown-option', 'not_an_option', {'not_an_option': 1}),
]

# The runner modules build their client from runner_api_url (api_url is accepted and unused).
RUNNER_CONNECTION_CASES = [
    (case_id.replace('api_url', 'runner_api_url'), 'runner_api_url', {'runner_api_url': changes['api_url']})
    for case_id, option, changes in CONNECTION_CASES if option == 'api_url'
] + [
    ('runner_api_url-empty', 'runner_api_url', {'runner_api_url': ''}),
] + [case for case in CONNECTION_CASES if case[1] != 'api_url']
BAD_RESOURCE_CLASSES = (
    ('no-namespace', 'linux-x64'),
    ('extra-segment', 'acme/linux/x64'),
    ('empty-name', 'acme/'),
    ('empty-namespace', '/linux-x64'),
    ('space', 'acme/linux x64'),
    ('leading-dot', 'acme/.linux'),
    ('trailing-newline', 'acme/linux-x64\n'),
    ('empty', ''),
)
RUNNER_URL = {'runner_api_url': lambda url: url}


def _each(prefix, option, values, key=None):
    """One case a value: (prefix-id, option, {key or option: value})."""
    return [('%s-%s' % (prefix, case_id), option, {key or option: value}) for case_id, value in values]


def _days_ago(days):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)).strftime('%Y-%m-%dT00:00:00Z')


def _many_parameters(count):
    return dict(('p%03d' % index, 'x') for index in range(count))


SCHEDULE_TIMETABLE = {'per_hour': 1, 'hours_of_day': [2], 'days_of_week': ['MON']}


def _timetable(**changes):
    timetable = dict(SCHEDULE_TIMETABLE)
    timetable.update(changes)
    return {'timetable': dict((key, value) for key, value in timetable.items() if value is not DROP)}


MODULES = {
    'circleci_checkout_key': dict(
        base={'project_slug': SLUG, 'type': 'deploy-key'},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_slug-circleci', 'project_slug', {'project_slug': 'circleci/%s/%s' % (UUID, UUID2)}),
            ('project_slug-missing', 'project_slug', {'project_slug': DROP}),
            ('type-unknown', 'type', {'type': 'ssh-key'}),
            ('type-missing', 'type', {'type': DROP}),
            ('state-unknown', 'state', {'state': 'gone'}),
            ('fingerprint-with-present', 'fingerprint', {'fingerprint': 'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f'}),
            ('fingerprint-empty', 'fingerprint', {'fingerprint': ' ', 'state': 'absent'}),
        ]),
    'circleci_context': dict(
        base={'name': 'deploy', 'owner_slug': ORG},
        cases=_each('owner_slug', 'owner_slug', BAD_ORG_SLUGS) + [
            ('owner_id-%s' % case_id, 'owner_id', {'owner_slug': DROP, 'owner_id': value}) for case_id, value in BAD_UUIDS] + [
            ('owner-both', 'owner_slug', {'owner_id': UUID}),
            ('owner-none', 'owner_slug', {'owner_slug': DROP}),
            ('owner_type-unknown', 'owner_type', {'owner_type': 'team'}),
            ('owner_slug-with-account', 'owner_slug', {'owner_type': 'account'}),
            ('name-empty', 'name', {'name': ''}),
            ('name-blank', 'name', {'name': '   '}),
            ('name-missing', 'name', {'name': DROP}),
            ('state-unknown', 'state', {'state': 'gone'}),
            ('restriction-type-unknown', 'restrictions', {'restrictions': [{'type': 'user', 'value': 'x'}]}),
            ('restriction-value-missing', 'restrictions', {'restrictions': [{'type': 'expression'}]}),
            ('restriction-value-empty', 'restrictions', {'restrictions': [{'type': 'expression', 'value': ''}]}),
            ('restriction-project-not-slug', 'restrictions[0].value', {'restrictions': [{'type': 'project', 'value': 'acme/api'}]}),
            ('restriction-group-not-uuid', 'restrictions[1].value', {'restrictions': [
                {'type': 'expression', 'value': 'pipeline.git.branch == "main"'}, {'type': 'group', 'value': 'admins'}]}),
            ('restriction-unknown-key', 'restrictions', {'restrictions': [{'type': 'group', 'value': UUID, 'scope': 'x'}]}),
            ('purge_restrictions-not-bool', 'purge_restrictions', {'purge_restrictions': 'sometimes'}),
        ]),
    'circleci_context_env': dict(
        base={'context': 'deploy', 'owner_slug': ORG, 'name': 'DEPLOY_TOKEN', 'value': SECRET},
        cases=_each('name', 'name', BAD_ENV_NAMES) + _each('owner_slug', 'owner_slug', BAD_ORG_SLUGS) + [
            ('context_id-%s' % case_id, 'context_id', {'context': DROP, 'owner_slug': DROP, 'context_id': value})
            for case_id, value in BAD_UUIDS] + [
            ('owner_id-bad', 'owner_id', {'owner_slug': DROP, 'owner_id': 'acme'}),
            ('context-empty', 'context', {'context': ''}),
            ('context-and-context_id', 'context', {'context_id': UUID}),
            ('context_id-and-owner_slug', 'context_id', {'context': DROP, 'context_id': UUID}),
            ('owner-both', 'owner_slug', {'owner_id': UUID}),
            ('name-and-variables', 'name', {'variables': {'A': 'x'}}),
            ('name-without-value', 'value', {'value': DROP}),
            ('value-without-name', 'name', {'name': DROP}),
            ('variables-bad-name', 'variables', {'name': DROP, 'value': DROP, 'variables': {'GOOD': 'x', 'BAD-NAME': 'y'}}),
            ('variables-dict-value', 'variables', {'name': DROP, 'value': DROP, 'variables': {'A': {'nested': 1}}}),
            ('variables-list-value', 'variables', {'name': DROP, 'value': DROP, 'variables': {'A': ['x']}}),
            ('purge-with-name', 'purge', {'purge': True}),
            ('update_mode-unknown', 'update_mode', {'update_mode': 'sometimes'}),
            ('state-unknown', 'state', {'state': 'gone'}),
            ('concurrency-zero', 'concurrency', {'concurrency': 0}),
            ('concurrency-huge', 'concurrency', {'concurrency': 1000}),
        ]),
    'circleci_context_info': dict(
        base={'owner_slug': ORG},
        cases=_each('owner_slug', 'owner_slug', BAD_ORG_SLUGS) + [
            ('owner_id-%s' % case_id, 'owner_id', {'owner_slug': DROP, 'owner_id': value}) for case_id, value in BAD_UUIDS] + [
            ('context_id-%s' % case_id, 'context_id', {'owner_slug': DROP, 'context_id': value}) for case_id, value in BAD_UUIDS] + [
            ('owner-none', 'owner_slug', {'owner_slug': DROP}),
            ('owner-and-context_id', 'context_id', {'context_id': UUID}),
            ('name-and-context_id', 'context_id', {'owner_slug': DROP, 'context_id': UUID, 'name': 'deploy'}),
            ('name-empty', 'name', {'name': ''}),
            ('include-unknown', 'include', {'include': ['secrets']}),
            ('owner_type-unknown', 'owner_type', {'owner_type': 'team'}),
        ]),
    'circleci_oidc_claims': dict(
        base={'org_id': UUID, 'audience': ['sts.amazonaws.com'], 'ttl': '1h'},
        cases=_each('ttl', 'ttl', BAD_TTLS) + _each('org_id', 'org_id', BAD_UUIDS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'org_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('project_id-%s' % case_id, 'project_id', {'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project_slug-%s' % case_id, 'project_slug', {'org_id': DROP, 'project_slug': value}) for case_id, value in BAD_PROJECT_SLUGS] + [
            ('org-both', 'org_id', {'org_slug': ORG}),
            ('project-both', 'project_id', {'project_id': UUID2, 'project_slug': SLUG}),
            ('org-none', 'org_id', {'org_id': DROP}),
            # AnsibleModule's required_one_of names the options that would do instead
            ('project_id-without-org', 'org_id', {'org_id': DROP, 'project_id': UUID2, 'project_slug': DROP}),
            ('audience-empty-list', 'audience', {'audience': []}),
            ('audience-empty-item', 'audience', {'audience': ['sts.amazonaws.com', '']}),
            ('present-without-claims', 'audience', {'audience': DROP, 'ttl': DROP}),
            ('state-unknown', 'state', {'state': 'reset'}),
        ]),
    'circleci_oidc_claims_info': dict(
        base={'org_id': UUID},
        cases=_each('org_id', 'org_id', BAD_UUIDS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'org_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('project_id-%s' % case_id, 'project_id', {'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project_slug-%s' % case_id, 'project_slug', {'org_id': DROP, 'project_slug': value}) for case_id, value in BAD_PROJECT_SLUGS] + [
            ('org-both', 'org_id', {'org_slug': ORG}),
            ('org-none', 'org_id', {'org_id': DROP}),
            ('project_id-without-org', 'org_id', {'org_id': DROP, 'project_id': UUID2}),
        ]),
    'circleci_policy_bundle': dict(
        base={'owner_id': UUID, 'policies': {'deny_all': 'package org\n'}},
        cases=_each('owner_id', 'owner_id', BAD_UUIDS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'owner_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('owner-both', 'owner_id', {'org_slug': ORG}),
            ('owner-none', 'owner_id', {'owner_id': DROP}),
            ('context-unknown', 'context', {'context': 'deploy'}),
            ('policies-empty-name', 'policies', {'policies': {'': 'package org\n'}}),
            ('policies-not-text', 'policies', {'policies': {'deny_all': ['package org']}}),
            ('policies-and-src', 'policies', {'src': '/nonexistent'}),
            ('src-not-a-directory', 'src', {'policies': DROP, 'src': '/nonexistent/policies'}),
            ('present-without-policies', 'policies', {'policies': DROP}),
            ('decision_enabled-not-bool', 'decision_enabled', {'decision_enabled': 'on-ish'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_policy_decision': dict(
        base={'owner_id': UUID, 'config': 'version: 2.1\n'},
        cases=_each('owner_id', 'owner_id', BAD_UUIDS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'owner_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('owner-both', 'owner_id', {'org_slug': ORG}),
            ('owner-none', 'owner_id', {'owner_id': DROP}),
            ('context-unknown', 'context', {'context': 'deploy'}),
            ('config-empty', 'config', {'config': ''}),
            ('config-and-src', 'config', {'src': '/nonexistent'}),
            ('config-none', 'config', {'config': DROP}),
            ('src-missing-file', 'src', {'config': DROP, 'src': '/nonexistent/config.yml'}),
            ('fail_on-unknown', 'fail_on', {'fail_on': 'always'}),
            ('metadata-not-dict', 'metadata', {'metadata': ['branch', 'main']}),
        ]),
    'circleci_policy_info': dict(
        base={'owner_id': UUID},
        cases=_each('owner_id', 'owner_id', BAD_UUIDS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'owner_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('owner-both', 'owner_id', {'org_slug': ORG}),
            ('owner-none', 'owner_id', {'owner_id': DROP}),
            ('what-unknown', 'what', {'what': 'all'}),
            ('context-unknown', 'context', {'context': 'deploy'}),
            ('policy-without-name', 'policy_name', {'what': 'policy'}),
            ('policy-empty-name', 'policy_name', {'what': 'policy', 'policy_name': ''}),
            ('decision-without-id', 'decision_id', {'what': 'decision'}),
            ('decision_id-with-bundle', 'decision_id', {'decision_id': UUID2}),
            ('include_bundle-with-bundle', 'include_bundle', {'include_bundle': True}),
            ('filter-with-bundle', 'branch', {'branch': 'main'}),
            ('after-not-date', 'after', {'what': 'decisions', 'after': 'yesterday'}),
            ('before-date-only', 'before', {'what': 'decisions', 'before': '2025-01-31'}),
            ('after-trailing-newline', 'after', {'what': 'decisions', 'after': '2025-01-31T00:00:00Z\n'}),
            ('project_id-not-uuid', 'project_id', {'what': 'decisions', 'project_id': SLUG}),
        ]),
    'circleci_project_env': dict(
        base={'project_slug': SLUG, 'name': 'DEPLOY_TOKEN', 'value': SECRET},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + _each('name', 'name', BAD_ENV_NAMES) + [
            ('project_slug-missing', 'project_slug', {'project_slug': DROP}),
            ('name-and-variables', 'name', {'variables': {'A': 'x'}}),
            ('name-without-value', 'value', {'value': DROP}),
            ('value-without-name', 'name', {'name': DROP}),
            ('variables-bad-name', 'variables', {'name': DROP, 'value': DROP, 'variables': {'1ST': 'x'}}),
            ('variables-dict-value', 'variables', {'name': DROP, 'value': DROP, 'variables': {'A': {'nested': 1}}}),
            ('purge-with-name', 'purge', {'purge': True}),
            ('update_mode-unknown', 'update_mode', {'update_mode': 'sometimes'}),
            ('state-unknown', 'state', {'state': 'gone'}),
            ('concurrency-zero', 'concurrency', {'concurrency': 0}),
        ]),
    'circleci_project_info': dict(
        base={'project_slug': SLUG},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_slug-missing', 'project_slug', {'project_slug': DROP}),
            ('include-unknown', 'include', {'include': ['secrets']}),
        ]),
    'circleci_project_settings': dict(
        base={'project_slug': SLUG, 'advanced': {'autocancel_builds': True}},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('advanced-empty', 'advanced', {'advanced': {}}),
            ('advanced-missing', 'advanced', {'advanced': DROP}),
            ('advanced-oss', 'advanced.oss', {'advanced': {'oss': True}}),
            ('advanced-unknown', 'advanced.build_everything', {'advanced': {'build_everything': True}}),
            ('advanced-not-bool', 'advanced.autocancel_builds', {'advanced': {'autocancel_builds': 'maybe'}}),
            ('advanced-null', 'advanced.disable_ssh', {'advanced': {'disable_ssh': None}}),
            ('advanced-branches-string', 'advanced.pr_only_branch_overrides', {'advanced': {'pr_only_branch_overrides': 'main'}}),
            ('advanced-branches-empty-name', 'advanced.pr_only_branch_overrides[1]',
             {'advanced': {'pr_only_branch_overrides': ['main', '']}}),
            ('advanced-branches-too-many', 'advanced.pr_only_branch_overrides',
             {'advanced': {'pr_only_branch_overrides': ['b%d' % index for index in range(101)]}}),
        ]),
    'circleci_schedule': dict(
        base=dict({'project_slug': SLUG, 'name': 'nightly', 'branch': 'main'}, **_timetable()),
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_slug-circleci', 'project_slug', {'project_slug': 'circleci/%s/%s' % (UUID, UUID2)}),
            ('name-empty', 'name', {'name': ''}),
            ('name-missing', 'name', {'name': DROP}),
            ('per_hour-zero', 'timetable.per_hour', _timetable(per_hour=0)),
            ('per_hour-61', 'timetable.per_hour', _timetable(per_hour=61)),
            ('per_hour-text', 'per_hour', _timetable(per_hour='hourly')),
            ('hours_of_day-24', 'timetable.hours_of_day[1]', _timetable(hours_of_day=[2, 24])),
            ('hours_of_day-negative', 'timetable.hours_of_day[0]', _timetable(hours_of_day=[-1])),
            ('hours_of_day-empty', 'timetable.hours_of_day', _timetable(hours_of_day=[])),
            ('days_of_week-unknown', 'timetable.days_of_week[0]', _timetable(days_of_week=['FUNDAY'])),
            ('days_of_week-empty', 'timetable.days_of_week', _timetable(days_of_week=[])),
            ('days_of_month-zero', 'timetable.days_of_month[0]', _timetable(days_of_week=DROP, days_of_month=[0])),
            ('days_of_month-32', 'timetable.days_of_month[1]', _timetable(days_of_week=DROP, days_of_month=[1, 32])),
            ('days-both', 'days_of_week', _timetable(days_of_month=[1])),
            ('months-unknown', 'timetable.months[0]', _timetable(months=['JANUARY'])),
            ('timetable-unknown-key', 'timetable', {'timetable': dict(SCHEDULE_TIMETABLE, every='day')}),
            ('attribution_actor-unknown', 'attribution_actor', {'attribution_actor': 'robot'}),
            ('branch-and-tag', 'branch', {'tag': 'v1'}),
            ('branch-empty', 'branch', {'branch': ''}),
            ('parameters-without-ref', 'parameters', {'branch': DROP, 'parameters': {'deploy': True}}),
            ('parameters-branch-and-tag', 'parameters', {'branch': DROP, 'parameters': {'branch': 'main', 'tag': 'v1'}}),
            ('parameters-contradict-branch', 'branch', {'parameters': {'branch': 'dev'}}),
            ('parameters-101', 'parameters', {'parameters': _many_parameters(101)}),
            ('parameters-key-129', 'parameters', {'parameters': {'k' * 129: 'x'}}),
            ('parameters-value-513', 'parameters.deploy_to', {'parameters': {'deploy_to': 'v' * 513}}),
            ('parameters-value-dict', 'parameters.deploy_to', {'parameters': {'deploy_to': {'env': 'prod'}}}),
            ('parameters-value-float', 'parameters.ratio', {'parameters': {'ratio': 0.5}}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_schedule_info': dict(
        base={'project_slug': SLUG},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_slug-circleci', 'project_slug', {'project_slug': 'circleci/%s/%s' % (UUID, UUID2)}),
            ('project_slug-missing', 'project_slug', {'project_slug': DROP}),
            ('name-empty', 'name', {'name': ''}),
        ]),
    'circleci_webhook': dict(
        base={'project_slug': SLUG, 'name': 'deploys', 'url': 'https://hooks.example.com/circleci',
              'events': ['workflow-completed']},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_id-%s' % case_id, 'project_id', {'project_slug': DROP, 'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('url-http', 'url', {'url': 'http://hooks.example.com/circleci'}),
            ('url-no-scheme', 'url', {'url': 'hooks.example.com/circleci'}),
            ('url-ftp', 'url', {'url': 'ftp://hooks.example.com/circleci'}),
            ('url-no-host', 'url', {'url': 'https:///circleci'}),
            ('url-space', 'url', {'url': 'https://hooks.example.com/a b'}),
            ('url-empty', 'url', {'url': ''}),
            ('url-trailing-newline', 'url', {'url': 'https://hooks.example.com/circleci\n'}),
            ('events-unknown', 'events', {'events': ['push']}),
            ('events-empty', 'events', {'events': []}),
            ('project-both', 'project_slug', {'project_id': UUID}),
            ('project-none', 'project_slug', {'project_slug': DROP}),
            ('name-empty', 'name', {'name': ''}),
            ('name-blank', 'name', {'name': '  '}),
            ('name-missing', 'name', {'name': DROP}),
            ('verify_tls-not-bool', 'verify_tls', {'verify_tls': 'maybe'}),
            ('update_mode-unknown', 'update_mode', {'update_mode': 'sometimes'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_pipeline_definition': dict(
        base={'project_id': UUID, 'name': 'deploy', 'description': 'Deploys main',
              'config_source': {'provider': 'github_app', 'repo_external_id': '123', 'file_path': '.circleci/deploy.yml'}},
        cases=[('project_slug-%s' % case_id, 'project_slug', {'project_id': DROP, 'project_slug': value})
               for case_id, value in BAD_PROJECT_SLUGS] + [
            ('project_id-%s' % case_id, 'project_id', {'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project-both', 'project_slug', {'project_slug': SLUG}),
            ('project-none', 'project_slug', {'project_id': DROP}),
            ('name-empty', 'name', {'name': ''}),
            ('name-missing', 'name', {'name': DROP}),
            ('config-provider-unknown', 'config_source', {'config_source': {'provider': 'gitlab'}}),
            ('config-repo-with-circleci', 'config_source.repo_external_id',
             {'config_source': {'provider': 'circleci', 'repo_external_id': '123', 'file_path': 'x.yml'}}),
            ('config-file_path-blank', 'config_source.file_path', {'config_source': {'file_path': ' '}}),
            ('config-unknown-key', 'config_source', {'config_source': {'branch': 'main'}}),
            ('checkout-provider-unknown', 'checkout_source', {'checkout_source': {'provider': 'circleci'}}),
            ('checkout-repo-empty', 'checkout_source.repo_external_id', {'checkout_source': {'repo_external_id': ''}}),
            ('recreate-not-bool', 'recreate', {'recreate': 'maybe'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_trigger': dict(
        base={'project_id': UUID, 'pipeline_definition': 'deploy', 'provider': 'webhook', 'event_name': 'chatops',
              'checkout_ref': 'main', 'config_ref': 'main'},
        cases=[('project_slug-%s' % case_id, 'project_slug', {'project_id': DROP, 'project_slug': value})
               for case_id, value in BAD_PROJECT_SLUGS] + [
            ('project_id-%s' % case_id, 'project_id', {'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('pipeline_definition_id-%s' % case_id, 'pipeline_definition_id',
             {'pipeline_definition': DROP, 'pipeline_definition_id': value}) for case_id, value in BAD_UUIDS] + [
            ('trigger_id-%s' % case_id, 'trigger_id', {'trigger_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project-both', 'project_slug', {'project_slug': SLUG}),
            ('project-none', 'project_slug', {'project_id': DROP}),
            ('definition-both', 'pipeline_definition', {'pipeline_definition_id': UUID2}),
            ('definition-none', 'pipeline_definition', {'pipeline_definition': DROP}),
            ('definition-blank', 'pipeline_definition', {'pipeline_definition': ' '}),
            ('provider-unknown', 'provider', {'provider': 'gitlab'}),
            ('provider-none', 'provider', {'provider': DROP}),
            ('webhook-no-refs', 'checkout_ref', {'checkout_ref': DROP, 'config_ref': DROP}),
            ('webhook-no-config_ref', 'config_ref', {'config_ref': DROP}),
            ('webhook-ref-blank', 'checkout_ref', {'checkout_ref': ''}),
            ('webhook-no-event_name', 'event_name', {'event_name': DROP}),
            ('webhook-event_preset', 'event_preset', {'event_preset': 'all-pushes'}),
            ('webhook-repo', 'repo_external_id', {'repo_external_id': '123'}),
            ('repo-event_name', 'event_name', {'provider': 'github_app', 'event_preset': 'all-pushes'}),
            ('repo-no-preset', 'event_preset',
             {'provider': 'github_app', 'event_name': DROP, 'checkout_ref': DROP, 'config_ref': DROP}),
            ('repo-disabled', 'disabled',
             {'provider': 'github_app', 'event_name': DROP, 'event_preset': 'all-pushes', 'disabled': True}),
            ('repo-sender', 'webhook_sender',
             {'provider': 'github_oauth', 'event_name': DROP, 'event_preset': 'all-pushes', 'webhook_sender': 'slack'}),
            ('event_preset-unknown', 'event_preset', {'provider': 'github_app', 'event_name': DROP, 'event_preset': 'every-push'}),
            ('disabled-not-bool', 'disabled', {'disabled': 'maybe'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_webhook_info': dict(
        base={'project_slug': SLUG},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_id-%s' % case_id, 'project_id', {'project_slug': DROP, 'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project-both', 'project_slug', {'project_id': UUID}),
            ('project-none', 'project_slug', {'project_slug': DROP}),
            ('name-empty', 'name', {'name': ''}),
        ]),
    # --- the self-hosted runner API (issue #18) ---
    'circleci_runner_resource_class': dict(
        base=dict(RUNNER_URL, resource_class='acme/linux-x64', description='Linux machines'),
        connection_cases=RUNNER_CONNECTION_CASES,
        cases=_each('resource_class', 'resource_class', BAD_RESOURCE_CLASSES) + [
            ('resource_class-missing', 'resource_class', {'resource_class': DROP}),
            ('state-unknown', 'state', {'state': 'gone'}),
            ('force-not-bool', 'force', {'force': 'maybe'}),
            ('recreate-not-bool', 'recreate', {'recreate': 'maybe'}),
        ]),
    'circleci_runner_token': dict(
        base=dict(RUNNER_URL, resource_class='acme/linux-x64', nickname='build-01'),
        connection_cases=RUNNER_CONNECTION_CASES,
        cases=_each('resource_class', 'resource_class', BAD_RESOURCE_CLASSES) + [
            ('nickname-empty', 'nickname', {'nickname': ''}),
            ('nickname-blank', 'nickname', {'nickname': '  '}),
            ('nickname-missing', 'nickname', {'nickname': DROP}),
            ('dest-no-directory', 'dest', {'dest': '/nonexistent-circleci-dir/build-01.token'}),
            ('dest-a-directory', 'dest', {'dest': '/'}),
            ('dest-with-absent', 'dest', {'dest': '/tmp/build-01.token', 'state': 'absent'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_runner_info': dict(
        base=dict(RUNNER_URL, namespace='acme'),
        connection_cases=RUNNER_CONNECTION_CASES,
        cases=[('resource_class-%s' % case_id, 'resource_class', {'namespace': DROP, 'resource_class': value})
               for case_id, value in BAD_RESOURCE_CLASSES] + [
            ('namespace-with-slash', 'namespace', {'namespace': 'acme/linux'}),
            ('namespace-empty', 'namespace', {'namespace': ''}),
            ('namespace-space', 'namespace', {'namespace': 'ac me'}),
            ('namespace-and-resource_class', 'namespace', {'resource_class': 'acme/linux-x64'}),
            ('neither', 'namespace', {'namespace': DROP}),
            ('include-unknown', 'include', {'include': ['agents']}),
        ]),
    # --- modules added with issue #5/#6 (pipelines, workflows, jobs, users, usage, insights) ---
    'circleci_pipeline_trigger': dict(
        base={'project_slug': SLUG, 'branch': 'main'},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_slug-missing', 'project_slug', {'project_slug': DROP}),
            ('branch-and-tag', 'branch', {'tag': 'v1'}),
            ('definition_id-not-uuid', 'definition_id', {'definition_id': 'main-pipeline'}),
            ('config-branch-and-tag', 'config', {'definition_id': UUID, 'config': {'branch': 'main', 'tag': 'v1'}}),
            ('checkout-unknown-key', 'checkout', {'definition_id': UUID, 'checkout': {'commit': 'abc'}}),
            ('config-without-definition_id', 'config', {'config': {'branch': 'main'}}),
            ('content-without-definition', 'config', {'config': {'content': 'version: 2.1'}}),
            ('content-empty', 'config.content', {'definition_id': UUID, 'config': {'content': ''}}),
            ('definition-and-definition_id', 'definition', {'definition_id': UUID, 'definition': 'deploy'}),
            ('definition-blank', 'definition', {'definition': '  '}),
            ('parameters-101', 'parameters', {'parameters': _many_parameters(101)}),
            ('parameters-key-129', 'parameters', {'parameters': {'k' * 129: 'x'}}),
            ('parameters-value-513', 'parameters.deploy_to', {'parameters': {'deploy_to': 'v' * 513}}),
            ('parameters-value-dict', 'parameters.deploy_to', {'parameters': {'deploy_to': {'env': 'prod'}}}),
            ('wait-not-bool', 'wait', {'wait': 'maybe'}),
            ('wait_timeout-not-int', 'wait_timeout', {'wait_timeout': 'long'}),
        ]),
    'circleci_pipeline_continue': dict(
        base={'continuation_key': SECRET, 'configuration': 'version: 2.1\n'},
        cases=[
            ('configuration-and-src', 'configuration', {'src': '/nonexistent/config.yml'}),
            ('configuration-none', 'configuration', {'configuration': DROP}),
            ('src-missing-file', 'src', {'configuration': DROP, 'src': '/nonexistent/config.yml'}),
            ('continuation_key-missing', 'continuation_key', {'continuation_key': DROP}),
            ('parameters-101', 'parameters', {'parameters': _many_parameters(101)}),
            ('parameters-key-129', 'parameters', {'parameters': {'k' * 129: 'x'}}),
            ('parameters-value-513', 'parameters.deploy_to', {'parameters': {'deploy_to': 'v' * 513}}),
        ]),
    'circleci_pipeline_info': dict(
        base={'pipeline_id': UUID},
        cases=_each('pipeline_id', 'pipeline_id', BAD_UUIDS) + [
            ('project_slug-%s' % case_id, 'project_slug', {'pipeline_id': DROP, 'project_slug': value})
            for case_id, value in BAD_PROJECT_SLUGS] + [
            ('org_slug-%s' % case_id, 'org_slug', {'pipeline_id': DROP, 'org_slug': value}) for case_id, value in BAD_ORG_SLUGS] + [
            ('pipeline_id-and-project_slug', 'pipeline_id', {'project_slug': SLUG}),
            ('none', 'pipeline_id', {'pipeline_id': DROP}),
            ('include-unknown', 'include', {'include': ['jobs']}),
            ('number-not-int', 'number', {'pipeline_id': DROP, 'project_slug': SLUG, 'number': 'latest'}),
            ('number-with-pipeline_id', 'number', {'number': 3}),
            ('mine-with-pipeline_id', 'mine', {'mine': True}),
            ('number-and-branch', 'branch', {'pipeline_id': DROP, 'project_slug': SLUG, 'number': 3, 'branch': 'main'}),
        ]),
    'circleci_workflow': dict(
        base={'workflow_id': UUID, 'action': 'cancel'},
        cases=_each('workflow_id', 'workflow_id', BAD_UUIDS) + [
            ('workflow_id-missing', 'workflow_id', {'workflow_id': DROP}),
            ('action-unknown', 'action', {'action': 'restart'}),
            ('action-missing', 'action', {'action': DROP}),
            ('job_name-and-approval_request_id', 'job_name', {'action': 'approve', 'job_name': 'hold', 'approval_request_id': UUID2}),
            ('jobs-not-list', 'jobs', {'action': 'rerun', 'jobs': {'a': 1}}),
            ('from_failed-not-bool', 'from_failed', {'action': 'rerun', 'from_failed': 'maybe'}),
            ('approve-without-job', 'job_name', {'action': 'approve'}),
            ('job_name-with-cancel', 'job_name', {'job_name': 'hold'}),
            ('sparse_tree-without-jobs', 'jobs', {'action': 'rerun', 'sparse_tree': True}),
            ('from_failed-and-jobs', 'from_failed', {'action': 'rerun', 'from_failed': True, 'jobs': ['build']}),
        ]),
    'circleci_workflow_info': dict(
        base={'workflow_id': UUID},
        cases=_each('workflow_id', 'workflow_id', BAD_UUIDS) + [
            ('workflow_id-missing', 'workflow_id', {'workflow_id': DROP}),
        ]),
    'circleci_job': dict(
        base={'job_id': UUID},
        cases=_each('job_id', 'job_id', BAD_UUIDS) + [
            ('job_id-and-project_slug', 'job_id', {'project_slug': SLUG, 'job_number': 12}),
            ('project_slug-without-job_number', 'project_slug', {'job_id': DROP, 'project_slug': SLUG}),
            ('none', 'job_id', {'job_id': DROP}),
            ('job_number-not-int', 'job_number', {'job_id': DROP, 'project_slug': SLUG, 'job_number': 'last'}),
            ('workflow_id-without-job_id', 'workflow_id', {'job_id': DROP, 'project_slug': SLUG, 'job_number': 12, 'workflow_id': UUID2}),
            ('action-unknown', 'action', {'action': 'retry'}),
        ] + [('project_slug-%s' % case_id, 'project_slug', {'job_id': DROP, 'project_slug': value, 'job_number': 12})
             for case_id, value in BAD_PROJECT_SLUGS]),
    'circleci_job_info': dict(
        # the API reads a job by id only within its workflow
        base={'job_id': UUID, 'workflow_id': UUID2},
        cases=_each('job_id', 'job_id', BAD_UUIDS) + _each('workflow_id', 'workflow_id', BAD_UUIDS) + [
            ('job_id-and-project_slug', 'job_id', {'workflow_id': DROP, 'project_slug': SLUG, 'job_number': 12}),
            ('project_slug-without-job_number', 'project_slug', {'job_id': DROP, 'workflow_id': DROP, 'project_slug': SLUG}),
            ('none', 'job_id', {'job_id': DROP, 'workflow_id': DROP}),
            ('include-unknown', 'include', {'include': ['logs']}),
            ('job_id-without-workflow_id', 'workflow_id', {'workflow_id': DROP}),
        ] + [('project_slug-%s' % case_id, 'project_slug', {'job_id': DROP, 'workflow_id': DROP, 'project_slug': value, 'job_number': 12})
             for case_id, value in BAD_PROJECT_SLUGS]),
    'circleci_user_info': dict(
        base={},
        cases=_each('user_id', 'user_id', BAD_UUIDS) + [
            ('collaborations-not-bool', 'collaborations', {'collaborations': 'maybe'}),
            ('user_id-list', 'user_id', {'user_id': {'id': UUID}}),
        ]),
    'circleci_usage_export': dict(
        # the API takes data of the last year only: dates relative to today
        base={'org_id': UUID, 'start': _days_ago(30), 'end': _days_ago(1)},
        cases=_each('org_id', 'org_id', BAD_UUIDS) + [
            ('usage_export_job_id-%s' % case_id, 'usage_export_job_id', {'start': DROP, 'end': DROP, 'usage_export_job_id': value})
            for case_id, value in BAD_UUIDS] + [
            ('org_id-missing', 'org_id', {'org_id': DROP}),
            ('usage_export_job_id-and-start', 'usage_export_job_id', {'usage_export_job_id': UUID2}),
            ('end-without-start', 'start', {'start': DROP}),
            ('wait_timeout-zero', 'wait_timeout', {'wait_timeout': 0}),
            ('poll_interval-zero', 'poll_interval', {'poll_interval': 0}),
            ('dest-without-wait', 'dest', {'dest': '/tmp'}),
            ('start-not-date', 'start', {'start': 'last month'}),
            ('start-trailing-newline', 'start', {'start': _days_ago(30) + '\n'}),
            ('end-before-start', 'end', {'start': _days_ago(1), 'end': _days_ago(30)}),
            ('shared_org_ids-not-uuid', 'shared_org_ids', {'shared_org_ids': [UUID2, 'acme']}),
            ('dest-not-a-directory', 'dest', {'wait': True, 'dest': '/nonexistent/exports'}),
        ]),
    'circleci_insights_info': dict(
        base={'project_slug': SLUG, 'report': 'workflows'},
        cases=_each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('org_slug-%s' % case_id, 'org_slug', {'project_slug': DROP, 'report': 'summary', 'org_slug': value})
            for case_id, value in BAD_ORG_SLUGS] + [
            ('report-unknown', 'report', {'report': 'everything'}),
            ('report-missing', 'report', {'report': DROP}),
            ('project-and-org', 'project_slug', {'org_slug': ORG}),
            ('none', 'project_slug', {'project_slug': DROP}),
            ('org_slug-with-project-report', 'project_slug', {'project_slug': DROP, 'org_slug': ORG}),
            ('branch-and-all_branches', 'branch', {'branch': 'main', 'all_branches': True}),
            ('reporting_window-unknown', 'reporting_window', {'reporting_window': 'last-year'}),
            ('start_date-not-date', 'start_date', {'report': 'workflow_runs', 'workflow_name': 'build', 'start_date': 'yesterday'}),
            ('start_date-trailing-newline', 'start_date', {'report': 'workflow_runs', 'workflow_name': 'build', 'start_date': _days_ago(5) + '\n'}),
            ('granularity-unknown', 'granularity', {'report': 'job_timeseries', 'workflow_name': 'build', 'granularity': 'weekly'}),
        ]),
    # --- modules added with issue #14 (deploys and rollback) ---
    'circleci_deploy_info': dict(
        base={'organization': ORG, 'report': 'components', 'project_slug': SLUG},
        cases=_each('organization', 'organization', BAD_ORG_SLUGS) + _each('project_slug', 'project_slug', BAD_PROJECT_SLUGS) + [
            ('project_id-%s' % case_id, 'project_id', {'project_slug': DROP, 'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('organization-missing', 'organization', {'organization': DROP}),
            ('report-unknown', 'report', {'report': 'deploys'}),
            ('report-missing', 'report', {'report': DROP}),
            ('project-both', 'project_slug', {'project_id': UUID}),
            ('component-missing', 'component', {'report': 'component'}),
            ('component-versions-without-component', 'component', {'report': 'component_versions'}),
            ('component-empty', 'component', {'report': 'component', 'component': ' '}),
            ('environment-missing', 'environment', {'report': 'environment', 'project_slug': DROP}),
            ('environment-empty', 'environment', {'report': 'component_versions', 'component': 'api', 'environment': ''}),
            ('component-with-environments', 'component', {'report': 'environments', 'project_slug': DROP, 'component': 'api'}),
            ('environment-with-components', 'environment', {'environment': 'production'}),
            ('project_slug-with-environments', 'project_slug', {'report': 'environments'}),
        ]),
    'circleci_rollback': dict(
        base={'project_id': UUID, 'environment_name': 'production', 'component_name': 'api', 'current_version': '1.24.0',
              'target_version': '1.23.0'},
        cases=[
            ('project_slug-%s' % case_id, 'project_slug', {'project_id': DROP, 'project_slug': value})
            for case_id, value in BAD_PROJECT_SLUGS] + [
            ('project_id-%s' % case_id, 'project_id', {'project_id': value}) for case_id, value in BAD_UUIDS] + [
            ('project-both', 'project_slug', {'project_slug': SLUG}),
            ('project-none', 'project_slug', {'project_id': DROP}),
        ] + [('%s-missing' % option, option, {option: DROP})
             for option in ('environment_name', 'component_name', 'current_version', 'target_version')] + [
            ('%s-blank' % option, option, {option: ' '})
            for option in ('environment_name', 'component_name', 'current_version', 'target_version')] + [
            ('namespace-empty', 'namespace', {'namespace': ''}),
            ('parameters-101', 'parameters', {'parameters': _many_parameters(101)}),
            ('parameters-value-513', 'parameters.notes', {'parameters': {'notes': 'v' * 513}}),
            ('parameters-value-list', 'parameters.hosts', {'parameters': {'hosts': ['a', 'b']}}),
            ('wait_timeout-zero', 'wait_timeout', {'wait_timeout': 0}),
            ('poll_interval-negative', 'poll_interval', {'poll_interval': -1}),
            ('wait-not-bool', 'wait', {'wait': 'sometimes'}),
        ]),
    'circleci_organization': dict(
        base={'name': 'platform-team', 'vcs_type': 'circleci'},
        cases=[
            ('organization-%s' % case_id, 'organization', {'name': DROP, 'vcs_type': DROP, 'organization': value})
            for case_id, value in BAD_ORG_SLUGS] + [
            ('name-empty', 'name', {'name': ''}),
            ('name-blank', 'name', {'name': '   '}),
            ('name-without-vcs_type', 'vcs_type', {'vcs_type': DROP}),
            ('vcs_type-without-name', 'name', {'name': DROP}),
            ('vcs_type-unknown', 'vcs_type', {'vcs_type': 'gitlab'}),
            ('github-name-slash', 'name', {'name': 'acme/api', 'vcs_type': 'github'}),
            ('bitbucket-name-space', 'name', {'name': 'my team', 'vcs_type': 'bitbucket'}),
            ('name-and-organization', 'organization', {'organization': ORG}),
            ('none', 'name', {'name': DROP, 'vcs_type': DROP}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_organization_info': dict(
        base={'organization': ORG},
        cases=_each('organization', 'organization', BAD_ORG_SLUGS) + [
            ('organization-missing', 'organization', {'organization': DROP}),
            ('include-unknown', 'include', {'include': ['members']}),
            ('include-not-list', 'include', {'include': {'groups': True}}),
        ]),
    'circleci_org_config': dict(
        base={'org_slug': ORG, 'contexts': [{'name': 'deploy', 'variables': {'TOKEN': SECRET}}],
              'projects': [{'slug': SLUG, 'variables': {'TOKEN': SECRET}}]},
        cases=_each('org_slug', 'org_slug', BAD_ORG_SLUGS) + [
            ('project-slug-%s' % case_id, 'projects[0].slug', {'projects': [{'slug': value}]})
            for case_id, value in BAD_PROJECT_SLUGS] + [
            ('org_slug-missing', 'org_slug', {'org_slug': DROP}),
            ('context-name-empty', 'contexts[0].name', {'contexts': [{'name': ''}]}),
            ('context-twice', 'contexts[1]', {'contexts': [{'name': 'a'}, {'name': 'a'}]}),
            ('project-twice', 'projects[1]', {'projects': [{'slug': SLUG}, {'slug': 'github/acme/API'}]}),
            ('context-variables-bad-name', 'contexts[0].variables', {'contexts': [{'name': 'a', 'variables': {'BAD-NAME': SECRET}}]}),
            ('project-variables-dict-value', 'projects[0].variables', {'projects': [{'slug': SLUG, 'variables': {'A': {'x': 1}}}]}),
            ('restriction-group-not-uuid', 'contexts[0].restrictions[0].value',
             {'contexts': [{'name': 'a', 'restrictions': [{'type': 'group', 'value': 'admins'}]}]}),
            ('restriction-type-unknown', 'type', {'contexts': [{'name': 'a', 'restrictions': [{'type': 'branch', 'value': 'x'}]}]}),
            ('webhook-url-http', 'projects[0].webhooks[0].url',
             {'projects': [{'slug': SLUG, 'webhooks': [{'name': 'n', 'url': 'http://plain.example.com'}]}]}),
            ('webhook-twice', 'projects[0].webhooks[1]', {'projects': [{'slug': SLUG, 'webhooks': [{'name': 'n'}, {'name': 'n'}]}]}),
            ('schedule-per_hour-zero', 'projects[0].schedules[0].timetable.per_hour',
             {'projects': [{'slug': SLUG, 'schedules': [{'name': 'n', 'timetable': {'per_hour': 0}}]}]}),
            ('settings-unknown', 'projects[0].settings.bogus', {'projects': [{'slug': SLUG, 'settings': {'bogus': True}}]}),
            ('concurrency-zero', 'concurrency', {'concurrency': 0}),
            ('update_mode-unknown', 'update_mode', {'update_mode': 'sometimes'}),
        ]),
    'circleci_project': dict(
        base={'organization': ORG, 'name': 'billing'},
        cases=_each('organization', 'organization', BAD_ORG_SLUGS) + [
            ('project_slug-%s' % case_id, 'project_slug', {'organization': DROP, 'name': DROP, 'project_slug': value})
            for case_id, value in BAD_PROJECT_SLUGS] + [
            ('name-empty', 'name', {'name': ''}),
            ('name-slash', 'name', {'name': 'a/b'}),
            ('name-padded', 'name', {'name': ' billing '}),
            ('name-space-in-github-org', 'name', {'name': 'my repo'}),
            ('name-without-organization', 'organization', {'organization': DROP}),
            ('organization-without-name', 'name', {'name': DROP}),
            ('name-and-project_slug', 'name', {'organization': DROP, 'project_slug': SLUG}),
            ('organization-and-project_slug', 'organization', {'name': DROP, 'project_slug': SLUG}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_group': dict(
        base={'organization': UUID, 'name': 'release-managers', 'description': 'ship'},
        cases=_each('organization', 'organization', BAD_ORG_SLUGS) + [
            ('organization-missing', 'organization', {'organization': DROP}),
            ('name-empty', 'name', {'name': ''}),
            ('name-blank', 'name', {'name': '  '}),
            ('name-missing', 'name', {'name': DROP}),
            ('recreate-not-bool', 'recreate', {'recreate': 'maybe'}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
    'circleci_url_orb_allow_list': dict(
        base={'organization': ORG, 'name': 'public', 'prefix': 'https://orbs.example.com/', 'auth': 'none'},
        cases=_each('organization', 'organization', BAD_ORG_SLUGS) + [
            ('prefix-http', 'prefix', {'prefix': 'http://orbs.example.com/'}),
            ('prefix-no-trailing-slash', 'prefix', {'prefix': 'https://orbs.example.com/ci'}),
            ('prefix-no-scheme', 'prefix', {'prefix': 'orbs.example.com/'}),
            ('prefix-no-host', 'prefix', {'prefix': 'https:///'}),
            ('prefix-space', 'prefix', {'prefix': 'https://orbs.example.com/a b/'}),
            ('prefix-empty', 'prefix', {'prefix': ''}),
            ('prefix-trailing-newline', 'prefix', {'prefix': 'https://orbs.example.com/\n'}),
            ('auth-unknown', 'auth', {'auth': 'token'}),
            ('name-empty', 'name', {'name': ''}),
            ('name-and-entries', 'entries', {'entries': [{'name': 'x', 'prefix': 'https://x.example.com/'}]}),
            ('none', 'entries', {'name': DROP, 'prefix': DROP, 'auth': DROP}),
            ('purge-without-entries', 'purge', {'purge': True}),
            ('entries-prefix-bad', 'entries[1].prefix', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'entries': [
                {'name': 'a', 'prefix': 'https://a.example.com/'}, {'name': 'b', 'prefix': 'http://b.example.com/'}]}),
            ('entries-name-twice', 'entries[1].name', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'entries': [
                {'name': 'a'}, {'name': 'a', 'prefix': 'https://a.example.com/'}]}),
            ('entries-name-missing', 'entries', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'entries': [
                {'prefix': 'https://a.example.com/'}]}),
            ('entries-auth-unknown', 'entries', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'entries': [
                {'name': 'a', 'auth': 'token'}]}),
            ('entries-unknown-key', 'entries', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'entries': [
                {'name': 'a', 'url': 'https://a.example.com/'}]}),
            ('purge-with-absent', 'purge', {'name': DROP, 'prefix': DROP, 'auth': DROP, 'purge': True, 'state': 'absent',
                                            'entries': [{'name': 'a'}]}),
            ('state-unknown', 'state', {'state': 'gone'}),
        ]),
}


def apply_changes(base, changes):
    """`base` with `changes`; a dropped option becomes None (the run_module fixture leaves it out,
    and a connection option then gets no default from the test either)."""
    args = dict(base)
    for key, value in changes.items():
        args[key] = None if value is DROP else value
    return args


def rows():
    """(module name, case id, option, args) for every case, connection cases included."""
    table = []
    for module, entry in MODULES.items():
        for case_id, option, changes in list(entry['cases']) + entry.get('connection_cases', CONNECTION_CASES):
            table.append((module, case_id, option, apply_changes(entry['base'], changes)))
    return table
