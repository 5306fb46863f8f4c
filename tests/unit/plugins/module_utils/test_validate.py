# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.community.circleci.plugins.module_utils._validate import (
    ValidationError,
    check_choice,
    check_env_var_name,
    check_http_url,
    check_non_empty,
    check_org_slug,
    check_project_slug,
    check_project_slug_or_uuid,
    check_uuid,
    circleci_uuid_segments,
)

UUID = '405d8375-3514-403b-8c43-83ae74cfe0e9'


@pytest.mark.parametrize('slug', ['gh/acme/api', 'github/acme/api', 'bb/acme/api', 'bitbucket/acme/my-repo.js',
                                  'circleci/%s/%s' % (UUID, UUID),
                                  # the opaque form CircleCI shows (the spec's own example)
                                  'circleci/43G3lM5RtfFE7v5sa4nWAU/44n9wujWcTnVZ2b5S8Fnat',
                                  'circleci/Qi81Dp4C8a8LZcjYGWFbAH/%s' % UUID])
def test_project_slugs_accepted(slug):
    assert check_project_slug('project_slug', slug) == slug


@pytest.mark.parametrize('slug', ['gh/acme', 'gl/acme/api', 'gh/acme/api/extra', 'circleci/acme', 'circleci/a/b/c', '',
                                  'gh//api', 'gh/ac me/api', 'circleci/../api', 'circleci/a b/c'])
def test_project_slugs_refused_naming_the_option(slug):
    with pytest.raises(ValidationError) as error:
        check_project_slug('project_slug', slug)
    assert str(error.value).startswith("project_slug: '%s' is not a project slug" % slug)


def test_project_slug_or_uuid_message():
    assert check_project_slug_or_uuid('v', UUID.upper()) == UUID
    with pytest.raises(ValidationError, match=r"^restrictions\[1\]\.value: 'x' is not a project slug or UUID$"):
        check_project_slug_or_uuid('restrictions[1].value', 'x')


def test_uuid_is_lower_cased():
    assert check_uuid('owner_id', UUID.upper()) == UUID
    with pytest.raises(ValidationError, match="^owner_id: 'acme' is not a UUID$"):
        check_uuid('owner_id', 'acme')


@pytest.mark.parametrize('slug, ok', [('gh/acme', True), ('bitbucket/acme', True), ('circleci/%s' % UUID, True),
                                      ('circleci/43G3lM5RtfFE7v5sa4nWAU', True), ('acme', False),
                                      ('gh/acme/api', False), ('circleci/a/b', False), ('circleci/..', False)])
def test_org_slugs(slug, ok):
    if ok:
        assert check_org_slug('owner_slug', slug) == slug
    else:
        with pytest.raises(ValidationError, match='^owner_slug: '):
            check_org_slug('owner_slug', slug)


@pytest.mark.parametrize('name, ok', [('A', True), ('_A1', True), ('aws_region', True),
                                      ('1A', False), ('A-B', False), ('A B', False), ('', False), ('É', False)])
def test_env_var_names(name, ok):
    if ok:
        assert check_env_var_name('name', name) == name
    else:
        with pytest.raises(ValidationError, match='^name: '):
            check_env_var_name('name', name)


def test_non_empty_choice_and_url():
    with pytest.raises(ValidationError, match='^name: must be a non-empty string$'):
        check_non_empty('name', '  ')
    with pytest.raises(ValidationError, match="^restrictions.0..type: 'branch' is not one of project, expression, group$"):
        check_choice('restrictions[0].type', 'branch', ('project', 'expression', 'group'))
    assert check_http_url('api_url', 'http://127.0.0.1:8080/api/v2')
    with pytest.raises(ValidationError, match='^api_url: '):
        check_http_url('api_url', 'ftp://x')


def test_only_uuid_segments_of_circleci_slugs_are_read_as_uuids():
    assert circleci_uuid_segments('circleci/%s/%s' % (UUID.upper(), UUID)) == [UUID, UUID]
    assert circleci_uuid_segments('circleci/43G3lM5RtfFE7v5sa4nWAU/%s' % UUID) == [None, UUID]
    assert circleci_uuid_segments('CircleCI/43G3lM5RtfFE7v5sa4nWAU') == [None]
    assert circleci_uuid_segments('gh/acme/api') is None
