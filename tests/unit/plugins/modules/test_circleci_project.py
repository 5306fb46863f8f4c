# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.circleci.plugins.modules import circleci_project
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG_ID = '6a0c87a0-5a6f-4b8e-9f11-2b0f6a51a5d1'
PROJECT_ID = '405d8375-3514-403b-8c43-83ae74cfe0e9'
ORG_SLUG = 'circleci/%s' % ORG_ID
STANDALONE_SLUG = '%s/%s' % (ORG_SLUG, PROJECT_ID)
ACME_ID = 'a0000000-0000-4000-8000-000000000001'


def project(slug='gh/acme/billing', name='billing', org_slug='gh/acme', org_id=ACME_ID, provider='GitHub'):
    return {'id': PROJECT_ID, 'slug': slug, 'name': name, 'organization_name': org_slug.split('/')[1],
            'organization_slug': org_slug, 'organization_id': org_id,
            'vcs_info': {'vcs_url': 'https://github.com/acme/billing', 'provider': provider, 'default_branch': 'main'}}


STANDALONE = project(STANDALONE_SLUG, org_slug=ORG_SLUG, org_id=ORG_ID, provider='CircleCI')


def get(slug, answer=None):
    if answer is None:
        return call('GET', '/project/%s' % slug, status=404, body={'message': 'Project not found'})
    return call('GET', '/project/%s' % slug, body=answer)


def summary(org_slug, *names):
    return call('GET', '/insights/%s/summary' % org_slug,
                body={'org_data': {}, 'org_project_data': [], 'all_projects': list(names)})


def create(org_ref, answer, name='billing', **kwargs):
    return call('POST', '/organization/%s/project' % org_ref, json={'name': name}, body=answer, **kwargs)


# --- GitHub / Bitbucket organizations: found by their computed slug ------------------------------

def test_create_in_a_github_org(api, run_module):
    api.expect(get('gh/acme/billing'), create('gh/acme', project()))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing'}, diff=True)
    assert (result['changed'], result['project']) == (True, project())
    assert result['diff'] == {'before': {}, 'after': {'id': PROJECT_ID, 'slug': 'gh/acme/billing', 'name': 'billing',
                                                      'organization_slug': 'gh/acme'}}


def test_rerun_in_a_github_org_reads_once(api, run_module):
    api.expect(get('github/acme/billing', project()))
    result = run_module(circleci_project, {'organization': 'github/acme', 'name': 'billing'})
    assert (result['changed'], result['project']) == (False, project())
    assert [r.method for r in api.requests] == ['GET']


def test_check_mode_create_predicts_the_vcs_slug(api, run_module):
    api.expect(get('bb/team/app'))
    result = run_module(circleci_project, {'organization': 'bb/team', 'name': 'app'}, check_mode=True)
    assert result['changed'] is True
    assert result['project'] == {'name': 'app', 'slug': 'bb/team/app', 'organization_slug': 'bb/team'}
    assert [r.method for r in api.requests] == ['GET']


def test_an_org_id_is_typed_through_the_collaborations(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ACME_ID, 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github'}]),
               get('gh/acme/billing'), create(ACME_ID, project()))
    result = run_module(circleci_project, {'organization': ACME_ID, 'name': 'billing'})
    assert result['project']['slug'] == 'gh/acme/billing'


def test_a_409_adopts_the_project_another_run_created(api, run_module):
    api.expect(get('gh/acme/billing'),
               create('gh/acme', {'message': 'A project with this name already exists in the organization.'}, status=409),
               get('gh/acme/billing', project()))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing'})
    assert (result['changed'], result['project']['id']) == (True, PROJECT_ID)


def test_a_lost_create_answer_is_not_sent_again(api, run_module, sleeps):
    api.expect(get('gh/acme/billing'), call('POST', '/organization/gh/acme/project', drop=True),
               get('gh/acme/billing', project()))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing'})
    assert result['project']['id'] == PROJECT_ID
    assert [r.method for r in api.requests] == ['GET', 'POST', 'GET']


def test_a_missing_vcs_project_slug_is_created_in_its_org(api, run_module):
    api.expect(get('gh/acme/billing'), create('gh/acme', project()))
    assert run_module(circleci_project, {'project_slug': 'gh/acme/billing'})['changed'] is True


def test_delete_then_again(api, run_module):
    api.expect(get('gh/acme/billing', project()),
               call('DELETE', '/project/gh/acme/billing', body={'message': 'Project deleted.'}))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing', 'state': 'absent'}, diff=True)
    assert (result['changed'], result['project'], result['diff']['before']['id']) == (True, {}, PROJECT_ID)
    api.expect(get('gh/acme/billing'))
    assert run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing', 'state': 'absent'})['changed'] is False


def test_delete_in_check_mode_sends_no_write(api, run_module):
    api.expect(get(STANDALONE_SLUG, STANDALONE))
    result = run_module(circleci_project, {'project_slug': STANDALONE_SLUG, 'state': 'absent'}, check_mode=True)
    assert result['changed'] is True
    assert [r.method for r in api.requests] == ['GET']


# --- standalone organizations: the name among the organization's project names ---------------------

def test_create_in_a_standalone_org(api, run_module):
    api.expect(summary(ORG_SLUG, 'platform'), create(ORG_SLUG, STANDALONE))
    result = run_module(circleci_project, {'organization': ORG_SLUG, 'name': 'billing'})
    assert (result['changed'], result['project']) == (True, STANDALONE)


def test_rerun_in_a_standalone_org_reads_once(api, run_module):
    api.expect(summary(ORG_SLUG, 'platform', 'Billing'))
    result = run_module(circleci_project, {'organization': ORG_SLUG, 'name': 'billing'})
    assert result['changed'] is False
    assert result['project'] == {'name': 'Billing', 'organization_slug': ORG_SLUG}
    assert [r.method for r in api.requests] == ['GET']


def test_a_standalone_org_by_id(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ORG_ID, 'slug': ORG_SLUG, 'name': 'team', 'vcs-type': 'circleci'}]),
               call('GET', '/insights/%s/summary' % ORG_SLUG, body={'all_projects': None}),
               create(ORG_ID, STANDALONE, name='has spaces ok'))
    result = run_module(circleci_project, {'organization': ORG_ID, 'name': 'has spaces ok'})
    assert result['changed'] is True


def test_a_standalone_project_found_by_name_is_not_deleted_by_name(api, run_module):
    api.expect(summary(ORG_SLUG, 'billing'))
    result = run_module(circleci_project, {'organization': ORG_SLUG, 'name': 'billing', 'state': 'absent'}, check_mode=True)
    assert result['failed'] is True
    assert result['option'] == 'project_slug'
    assert "API v2 cannot give its slug from its name" in result['msg']
    api.expect(summary(ORG_SLUG))
    assert run_module(circleci_project, {'organization': ORG_SLUG, 'name': 'billing', 'state': 'absent'})['changed'] is False


def test_a_missing_standalone_project_slug_cannot_be_created(api, run_module):
    api.expect(get(STANDALONE_SLUG))
    result = run_module(circleci_project, {'project_slug': STANDALONE_SLUG})
    assert result['failed'] is True
    assert result['msg'].startswith("project_slug: project '%s' was not found; a project of a standalone organization is "
                                    "created with organization and name" % STANDALONE_SLUG)


def test_delete_a_standalone_project_by_slug(api, run_module):
    api.expect(get(STANDALONE_SLUG, STANDALONE), call('DELETE', '/project/%s' % STANDALONE_SLUG, body={'message': 'ok'}))
    assert run_module(circleci_project, {'project_slug': STANDALONE_SLUG, 'state': 'absent'})['changed'] is True


def test_a_repository_name_with_a_space_is_refused_once_the_org_type_is_known(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ACME_ID, 'slug': 'gh/acme', 'name': 'acme', 'vcs-type': 'github'}]))
    result = run_module(circleci_project, {'organization': ACME_ID, 'name': 'my repo'})
    assert result['failed'] is True
    assert result['msg'] == "name: 'my repo' is not the name of a repository of a github organization"


# --- legacy_create: the deprecated POST /project/{provider}/{organization}/{project} -------------

def legacy_create(slug, **kwargs):
    return call('POST', '/project/%s' % slug, json=None, body={'advanced': {'build_prs_only': False}}, status=201,
                **kwargs)


def test_legacy_create_posts_the_deprecated_endpoint_and_reads_the_project(api, run_module):
    api.expect(get('gh/acme/billing'), legacy_create('gh/acme/billing'), get('gh/acme/billing', project()))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing', 'legacy_create': True})
    assert (result['changed'], result['project']) == (True, project())
    assert [(r.method, r.path) for r in api.requests][1] == ('POST', '/project/gh/acme/billing')


def test_legacy_create_rerun_sends_no_write(api, run_module):
    api.expect(get('gh/acme/billing', project()))
    result = run_module(circleci_project, {'project_slug': 'gh/acme/billing', 'legacy_create': True})
    assert result['changed'] is False
    assert [r.method for r in api.requests] == ['GET']


def test_legacy_create_sends_again_after_a_lost_answer(api, run_module, sleeps):
    api.expect(get('gh/acme/billing'), call('POST', '/project/gh/acme/billing', drop=True),
               legacy_create('gh/acme/billing'), get('gh/acme/billing', project()))
    result = run_module(circleci_project, {'organization': 'gh/acme', 'name': 'billing', 'legacy_create': True})
    assert result['project']['id'] == PROJECT_ID


def test_legacy_create_refuses_a_standalone_org_before_any_request(api, run_module):
    result = run_module(circleci_project, {'organization': ORG_SLUG, 'name': 'billing', 'legacy_create': True})
    assert result['failed'] is True
    assert result['msg'] == ("legacy_create: the deprecated create only makes GitHub OAuth or Bitbucket projects; "
                             "'%s' is a circleci organization's" % ORG_SLUG)
    assert api.requests == []


def test_legacy_create_refuses_an_org_id_of_a_standalone_org_before_any_write(api, run_module):
    api.expect(call('GET', '/me/collaborations', body=[{'id': ORG_ID, 'slug': ORG_SLUG, 'name': 'billing-org',
                                                        'vcs-type': 'circleci'}]))
    result = run_module(circleci_project, {'organization': ORG_ID, 'name': 'billing', 'legacy_create': True})
    assert result['failed'] is True
    assert result['msg'].startswith('legacy_create: ')
    assert [r.method for r in api.requests] == ['GET']
