# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_deploy_info
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = 'a0000000-0000-4000-8000-000000000001'
PROJECT_ID = 'a0000000-0000-4000-8000-000000000101'
OTHER_PROJECT_ID = 'a0000000-0000-4000-8000-000000000102'
PROD_ID = 'de000000-0000-4000-8000-000000000001'
STAGING_ID = 'de000000-0000-4000-8000-000000000002'
COMPONENT_ID = 'de000000-0000-4000-8000-000000000101'
OTHER_COMPONENT_ID = 'de000000-0000-4000-8000-000000000103'
ZERO = '00000000-0000-0000-0000-000000000000'
COLLABORATIONS = [{'id': ORG_ID, 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github'}]
PROD = {'id': PROD_ID, 'name': 'production', 'description': 'Customer-facing', 'labels': [{'key': 'tier', 'value': 'prod'}],
        'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-10T12:00:00.000Z'}
STAGING = dict(PROD, id=STAGING_ID, name='staging', labels=[])
LISTED = {'id': COMPONENT_ID, 'name': 'api', 'project_id': PROJECT_ID, 'labels': [], 'release_count': 0,
          'created_at': '2025-01-10T12:00:00.000Z', 'updated_at': '2025-01-10T12:00:00.000Z'}
COMPONENT = dict(LISTED, release_count=27)
OTHER = dict(LISTED, id=OTHER_COMPONENT_ID, project_id=OTHER_PROJECT_ID)


def version(name, live=False, environment=PROD_ID):
    return {'name': name, 'environment_id': environment, 'namespace': 'default', 'is_live': live, 'pipeline_id': ZERO,
            'workflow_id': ZERO, 'job_id': ZERO, 'last_deployed_at': '2025-01-10T12:00:00.000Z'}


def page(items, token=None):
    return {'items': list(items), 'next_page_token': token}


def environments(items, token=None, after=None):
    query = {'org-id': ORG_ID, 'page-size': '20'}
    if after is not None:
        query['page-token'] = after
    return call('GET', '/deploy/environments', query=query, body=page(items, token))


def components(items, project_id=None):
    query = {'org-id': ORG_ID, 'page-size': '20'}
    if project_id is not None:
        query['project-id'] = project_id
    return call('GET', '/deploy/components', query=query, body=page(items))


def collaborations():
    return call('GET', '/me/collaborations', body=COLLABORATIONS)


def get_component():
    return call('GET', '/deploy/components/%s' % COMPONENT_ID, body=COMPONENT)


def test_environments_every_page_with_page_size(api, run_module):
    # the org slug is resolved once; page-size is sent on every page (the spec requires it)
    api.expect(collaborations(), environments([PROD], token='next'), environments([STAGING], after='next'))
    result = run_module(circleci_deploy_info, {'organization': 'gh/acme', 'report': 'environments'})
    assert result['changed'] is False
    assert result['environments'] == [PROD, STAGING]


def test_environment_by_name_and_by_id(api, run_module):
    api.expect(environments([PROD, STAGING]))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'environment', 'environment': 'staging'})
    assert result['environment'] == STAGING
    # by id: one GET, and the organization is not resolved
    api.expect(call('GET', '/deploy/environments/%s' % PROD_ID, body=PROD))
    result = run_module(circleci_deploy_info, {'organization': 'gh/acme', 'report': 'environment',
                                               'environment': PROD_ID.upper()})
    assert result['environment'] == PROD


def test_unknown_environment_names_the_option(api, run_module):
    api.expect(environments([PROD]))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'environment', 'environment': 'qa'})
    assert result['failed'] is True
    assert result['msg'] == "environment: no environment is called 'qa' in organization %s" % ORG_ID
    api.expect(call('GET', '/deploy/environments/%s' % STAGING_ID, status=404,
                    body={'message': 'Resource not found or permission denied'}))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'environment', 'environment': STAGING_ID})
    assert result['failed'] is True
    assert result['msg'].startswith("environment: '%s' was not found, or the token may not access it" % STAGING_ID)
    assert 'Resource not found or permission denied' in result['msg']


def test_components_of_a_project_by_slug(api, run_module):
    api.expect(collaborations(), call('GET', '/project/gh/acme/api', body={'id': PROJECT_ID, 'slug': 'gh/acme/api'}),
               components([LISTED], project_id=PROJECT_ID))
    result = run_module(circleci_deploy_info, {'organization': 'gh/acme', 'report': 'components',
                                               'project_slug': 'gh/acme/api'})
    assert result['components'] == [LISTED]


def test_component_by_name_is_read_with_its_own_get(api, run_module):
    # the list answers release_count 0; the single GET the true count
    api.expect(components([LISTED]), get_component())
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'component', 'component': 'api'})
    assert result['component'] == COMPONENT
    assert result['component']['release_count'] == 27


def test_component_name_shared_by_two_projects_needs_the_project(api, run_module):
    api.expect(components([LISTED, OTHER]))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'component', 'component': 'api'})
    assert result['failed'] is True
    assert result['msg'].startswith("component: 2 components are called 'api' in organization %s (projects %s, %s)"
                                    % (ORG_ID, PROJECT_ID, OTHER_PROJECT_ID))
    assert 'project_slug or project_id' in result['msg']
    api.expect(components([LISTED], project_id=PROJECT_ID), get_component())
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'component', 'component': 'api',
                                               'project_id': PROJECT_ID})
    assert result['component'] == COMPONENT


def test_component_versions_of_one_environment(api, run_module):
    versions = [version('1.24.0', live=True), version('1.23.0')]
    api.expect(get_component(), environments([PROD, STAGING]),
               call('GET', '/deploy/components/%s/versions' % COMPONENT_ID, query={'environment-id': PROD_ID},
                    body=page(versions[:1], 'n2')),
               call('GET', '/deploy/components/%s/versions' % COMPONENT_ID,
                    query={'environment-id': PROD_ID, 'page-token': 'n2'}, body=page(versions[1:])))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'component_versions',
                                               'component': COMPONENT_ID, 'environment': 'production'})
    assert result['component'] == COMPONENT
    assert result['component_versions'] == versions


def test_component_versions_of_every_environment_send_no_filter(api, run_module):
    versions = [version('1.25.0', live=True, environment=STAGING_ID), version('1.24.0', live=True)]
    api.expect(get_component(), call('GET', '/deploy/components/%s/versions' % COMPONENT_ID, body=page(versions)))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'component_versions',
                                               'component': COMPONENT_ID})
    assert result['component_versions'] == versions


def test_an_organization_the_user_is_not_in(api, run_module):
    api.expect(collaborations())
    result = run_module(circleci_deploy_info, {'organization': 'gh/other', 'report': 'components'})
    assert result['failed'] is True
    assert result['msg'] == "organization: organization 'gh/other' is not among the organizations of the token's user"


def test_check_mode_reads_all_the_same(api, run_module):
    api.expect(environments([PROD]))
    result = run_module(circleci_deploy_info, {'organization': ORG_ID, 'report': 'environments'}, check_mode=True)
    assert result['changed'] is False
    assert result['environments'] == [PROD]


def test_options_of_another_report_are_refused_before_any_request(api, run_module):
    for args, message in (
            ({'report': 'environments', 'component': 'api'}, 'component: only applies with report component or component_versions'),
            ({'report': 'components', 'environment': 'production'},
             'environment: only applies with report environment or component_versions'),
            ({'report': 'environment', 'environment': 'production', 'project_slug': 'gh/acme/api'},
             'project_slug: only applies with report components or component or component_versions')):
        result = run_module(circleci_deploy_info, dict(args, organization=ORG_ID))
        assert result['failed'] is True
        assert result['msg'] == message
    assert api.requests == []
