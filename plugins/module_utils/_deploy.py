# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deploys: the reads of circleci_deploy_info (environments, components and their versions of an
organization) and circleci_rollback (POST /projects/{project_id}/rollback, then the pipeline it
started). What the service answers: docs/dev/API-BEHAVIOUR.md, "Deploy and rollback"."""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._pipelines import check_wait_options, follow_pipeline
from ansible_collections.community.circleci.plugins.module_utils._resolve import ProjectRef, Resolver
from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_non_empty,
    check_org_slug,
    check_parameters,
    check_project_slug,
    check_uuid,
    is_uuid,
)

REPORTS = ('components', 'component', 'component_versions', 'environments', 'environment')
# The spec requires page-size on the two organization lists (the service answers without it too);
# 20 is the page size of the API's other lists.
PAGE_SIZE = 20
# Which report takes which of the optional identities.
APPLIES = {
    'component': ('component', 'component_versions'),
    'environment': ('environment', 'component_versions'),
    'project_slug': ('components', 'component', 'component_versions'),
    'project_id': ('components', 'component', 'component_versions'),
}
ROLLBACK_FIELDS = ('environment_name', 'component_name', 'current_version', 'target_version')
PIPELINE_ROLLBACK = 'PIPELINE'


def _not_found(option, value, exc):
    return ValidationError(option, "'%s' was not found, or the token may not access it (%s)" % (value, exc))


def _project_id(resolver, slug):
    """The UUID of the project `slug` (GET /project/{slug}, once); a 404 names project_slug."""
    try:
        return resolver.project_id(slug)
    except CircleCIError as exc:
        if exc.status == 404:
            raise _not_found('project_slug', slug, exc) from None
        raise


def _get(client, path, option, value):
    """GET `path`; a 404 becomes an error naming `option`."""
    try:
        return client.get(path)
    except CircleCIError as exc:
        if exc.status == 404:
            raise _not_found(option, value, exc) from None
        raise


# --- circleci_deploy_info ---------------------------------------------------------------

class DeployQuery:
    """The checked options of circleci_deploy_info (the argument spec requires what each report
    needs and keeps project_slug and project_id apart); ids resolved once, on demand."""

    def __init__(self, client, params):
        self.client = client
        self.resolver = Resolver(client)
        self.report = params['report']
        for option, reports in APPLIES.items():
            if params.get(option) is not None and self.report not in reports:
                raise ValidationError(option, 'only applies with report %s' % ' or '.join(reports))
        organization = check_non_empty('organization', params['organization'])
        self.organization = organization.lower() if is_uuid(organization) else check_org_slug('organization', organization)
        self.project_slug = params.get('project_slug')
        self.project_id = params.get('project_id')
        if self.project_slug is not None:
            check_project_slug('project_slug', self.project_slug)
        elif self.project_id is not None:
            self.project_id = check_uuid('project_id', self.project_id)
        self.component = params.get('component')
        self.environment = params.get('environment')
        for option in ('component', 'environment'):
            if params.get(option) is not None:
                check_non_empty(option, params[option])
        self._org_id = None

    def org_id(self):
        """The organization's UUID: as given, or resolved from its slug (once)."""
        if self._org_id is None:
            self._org_id = self.organization if is_uuid(self.organization) else \
                self.resolver.org_id(self.organization, option='organization')
        return self._org_id

    def project(self):
        """The UUID of the project filter, or None."""
        if self.project_slug is None:
            return self.project_id
        return _project_id(self.resolver, self.project_slug)

    # lists of the organization (every page)
    def environments(self):
        return self.client.get_all('/deploy/environments', {'org-id': self.org_id(), 'page-size': PAGE_SIZE})

    def components(self):
        query = {'org-id': self.org_id(), 'page-size': PAGE_SIZE}
        project_id = self.project()
        if project_id is not None:
            query['project-id'] = project_id
        return self.client.get_all('/deploy/components', query)

    # one object, by id or by name
    def get_environment(self):
        if is_uuid(self.environment):
            return _get(self.client, '/deploy/environments/%s' % quote_segment(self.environment.lower()),
                        'environment', self.environment)
        return self._by_name(self.environments(), 'environment', self.environment)

    def get_component(self):
        """The component (always the single GET: the list answers release_count 0)."""
        component_id = self.component.lower() if is_uuid(self.component) else \
            self._by_name(self.components(), 'component', self.component)['id']
        return _get(self.client, '/deploy/components/%s' % quote_segment(component_id), 'component', self.component)

    def _by_name(self, items, option, name):
        matches = [item for item in items if item.get('name') == name]
        where = 'organization %s' % self.organization
        if self.project_slug is not None or self.project_id is not None:
            where = 'project %s' % (self.project_slug or self.project_id)
        if not matches:
            raise ValidationError(option, "no %s is called '%s' in %s" % (option, name, where))
        if len(matches) > 1:  # components of several projects can share a name
            projects = ', '.join(sorted(str(item.get('project_id')) for item in matches))
            raise ValidationError(option, "%d %ss are called '%s' in %s (projects %s): name the project "
                                          "(project_slug or project_id) or give the %s's id"
                                  % (len(matches), option, name, where, projects, option))
        return matches[0]

    def versions(self, component):
        query = {}
        if self.environment is not None:
            query['environment-id'] = self.get_environment()['id']
        return self.client.get_all('/deploy/components/%s/versions' % quote_segment(component['id']), query)


def deploy_info(client, params):
    """Run circleci_deploy_info: the report named by `report`, under a key of the same name."""
    query = DeployQuery(client, params)
    report = query.report
    if report == 'environments':
        return dict(changed=False, environments=query.environments())
    if report == 'environment':
        return dict(changed=False, environment=query.get_environment())
    if report == 'components':
        return dict(changed=False, components=query.components())
    component = query.get_component()
    if report == 'component':
        return dict(changed=False, component=component)
    return dict(changed=False, component=component, component_versions=query.versions(component))


# --- circleci_rollback ----------------------------------------------------------------------

class RollbackRequest(ProjectRef):
    """The checked options of circleci_rollback, turned into the one POST it sends."""

    def __init__(self, params):
        super().__init__(params)
        body = dict((option, check_non_empty(option, params[option])) for option in ROLLBACK_FIELDS)
        if params.get('namespace') is not None:
            body['namespace'] = check_non_empty('namespace', params['namespace'])
        if params.get('reason') is not None:
            body['reason'] = params['reason']
        if params.get('parameters') is not None:
            body['parameters'] = check_parameters(params['parameters'])
        self.body = body

    def path(self, project_id):
        return '/projects/%s/rollback' % quote_segment(project_id)

    def describe(self):
        # without a read (check mode), a project given by slug has no id yet: the path names the slug
        path = self.path(self.project_id) if self.project_id else '/projects/<id of %s>/rollback' % self.project_slug
        return {'method': 'POST', 'path': path, 'body': self.body}


def rollback(client, params, check_mode):
    """Run circleci_rollback: the module result. Raises RunFailed with the result to fail with."""
    request = RollbackRequest(params)
    timeout, interval = check_wait_options(params)
    result = dict(changed=True, rollback={}, pipeline={}, workflows=[], pending_approvals=[], failed_workflows=[],
                  request=request.describe())
    if check_mode:
        return result
    if request.project_id is None:
        request.project_id = _project_id(Resolver(client), request.project_slug)
    result['request'] = request.describe()
    # not repeatable: after a lost answer the rollback may have started, so it is not sent again
    answer = client.post(request.path(request.project_id), json=request.body, expected=(200, 202)) or {}
    result['rollback'] = answer
    if str(answer.get('rollback_type') or '').upper() != PIPELINE_ROLLBACK or not answer.get('id'):
        return dict(result, message='the API answered rollback_type %s, not a pipeline: nothing was read or '
                                    'waited for' % answer.get('rollback_type'))
    return follow_pipeline(client, answer['id'], params, result, timeout, interval)
