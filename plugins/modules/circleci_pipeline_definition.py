#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_pipeline_definition
short_description: Manage pipeline definitions of a CircleCI project
version_added: 0.1.0
description:
  - Create, update and delete the pipeline definitions of a CircleCI project. A pipeline definition says where
    a pipeline's configuration file is and which repository a C(checkout) step checks out; triggers
    (M(community.circleci.circleci_trigger)) start pipelines from it, and
    M(community.circleci.circleci_pipeline_trigger) runs it by name.
  - Projects of GitHub App and standalone organizations (C(circleci/...) slugs) run every pipeline through
    pipeline definitions.
  - A definition is identified by its O(name) within the project.
  - Only the options that are set are compared; an update sends one PATCH with only the fields that differ.
  - The API cannot change the provider or the repository of the config source. A change of one fails, naming
    the option, unless O(recreate=true) deletes the definition and creates it again (with a new id; the API
    deletes the definition's triggers with it).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
options:
  project_slug:
    description:
      - Slug of the project, for example V(circleci/ORG_ID/PROJECT_ID) or V(gh/acme/api). It is resolved to
        the project's id with one request.
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - UUID of the project. Saves the request that resolves O(project_slug).
    type: str
  name:
    description:
      - Name of the pipeline definition. It identifies the definition within the project.
      - If several definitions of the project have this name, O(state=present) fails and O(state=absent) deletes
        them all.
    type: str
    required: true
  description:
    description:
      - Description of the definition. When not set, the description is not compared.
    type: str
  config_source:
    description:
      - Where the configuration file of the pipelines is.
      - Required to create the definition, with O(config_source.file_path) (and O(config_source.repo_external_id)
        for V(github_app)). For an existing definition, only the keys that are set are compared.
    type: dict
    suboptions:
      provider:
        description:
          - V(github_app) for a file in a repository the CircleCI GitHub App can read, V(circleci) for a
            configuration kept by CircleCI (no repository).
          - Default for a new definition V(github_app).
          - The API cannot change it (see O(recreate)).
        type: str
        choices: [github_app, circleci]
      repo_external_id:
        description:
          - The repository's id at the VCS provider, GitHub's numeric repository id as a string (for example
            V("123456789")).
          - Required to create a V(github_app) definition; only applies with V(github_app).
          - The API cannot change it (see O(recreate)).
        type: str
      file_path:
        description:
          - Path of the configuration file, for example V(.circleci/config.yml).
        type: str
  checkout_source:
    description:
      - The repository a C(checkout) step checks out. For an existing definition, only the keys that are set
        are compared; a change sends the whole checkout source.
    type: dict
    suboptions:
      provider:
        description:
          - Where the repository is. V(github_app) is the only value the API takes (the default).
        type: str
        choices: [github_app]
      repo_external_id:
        description:
          - The repository's id at the VCS provider.
          - Default for a new definition O(config_source.repo_external_id); required when the config source is
            V(circleci).
        type: str
  recreate:
    description:
      - When the config source's provider or repository differs from the existing definition's, delete the
        definition and create it again. The new definition has a new id, and the API deletes the old definition's
        triggers with it (create them again with M(community.circleci.circleci_trigger)).
      - When V(false), such a change fails, naming the option.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the definition, V(absent) deletes it (the API deletes its triggers with it).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The API lets two definitions of a project share a name. Two runs that create the same definition at the same
    time each keep the oldest one and delete their own, so that one remains.
seealso:
  - module: community.circleci.circleci_trigger
  - module: community.circleci.circleci_pipeline_trigger
  - module: community.circleci.circleci_project_info
  - name: Pipelines and triggers
    description: CircleCI's overview of pipeline definitions and triggers.
    link: https://circleci.com/docs/pipelines/
"""

EXAMPLES = r"""
- name: Manage pipeline definitions
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ circleci_token }}"
  block:
    - name: A definition that reads .circleci/deploy.yml of the service's repository
      community.circleci.circleci_pipeline_definition:
        project_slug: circleci/a1b2c3d4-0000-4000-8000-000000000001/b1c2d3e4-0000-4000-8000-000000000002
        name: deploy
        description: Deploys main to production
        config_source:
          provider: github_app
          repo_external_id: "123456789"
          file_path: .circleci/deploy.yml
      register: deploy_definition

    - name: Check out another repository than the one holding the config
      community.circleci.circleci_pipeline_definition:
        project_id: b1c2d3e4-0000-4000-8000-000000000002
        name: integration
        config_source:
          repo_external_id: "123456789"
          file_path: .circleci/integration.yml
        checkout_source:
          repo_external_id: "987654321"

    - name: Move the config to another repository (a new definition, without the old one's triggers)
      community.circleci.circleci_pipeline_definition:
        project_id: b1c2d3e4-0000-4000-8000-000000000002
        name: deploy
        config_source:
          repo_external_id: "555555555"
          file_path: .circleci/deploy.yml
        recreate: true

    - name: Delete a definition and its triggers
      community.circleci.circleci_pipeline_definition:
        project_id: b1c2d3e4-0000-4000-8000-000000000002
        name: integration
        state: absent
"""

RETURN = r"""
pipeline_definition:
  description:
    - The definition after the run, as the API returns it. Empty when O(state=absent).
    - In check mode, a definition that would be created has no RV(pipeline_definition.id) and its repositories
      no C(full_name).
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the definition.
      type: str
      returned: when the definition exists
      sample: 2338d0ae-5541-4bbf-88a2-55e9f7281f80
    name:
      description: Name of the definition.
      type: str
      returned: success
      sample: deploy
    description:
      description: Description of the definition (V("") when none).
      type: str
      returned: success
      sample: Deploys main to production
    created_at:
      description: When the definition was created.
      type: str
      returned: when the definition exists
      sample: "2025-01-10T12:00:00.000Z"
    config_source:
      description: Where the configuration file is.
      type: dict
      returned: success
      sample: {provider: github_app, repo: {external_id: "123456789", full_name: acme/api}, file_path: .circleci/deploy.yml}
      contains:
        provider:
          description: V(github_app) or V(circleci).
          type: str
          returned: success
        repo:
          description: The repository (C(external_id), and C(full_name) as the API resolves it). Absent for V(circleci).
          type: dict
          returned: for V(github_app)
        file_path:
          description: Path of the configuration file.
          type: str
          returned: success
    checkout_source:
      description: The repository a C(checkout) step checks out (C(provider), C(repo)).
      type: dict
      returned: success
      sample: {provider: github_app, repo: {external_id: "123456789", full_name: acme/api}}
"""

from ansible_collections.community.circleci.plugins.module_utils._definitions import (
    DefinitionSpec,
    definition_argument_spec,
    ensure_definition,
)
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import PROJECT_REF_RULES, Resolver, project_ref_argument_spec


def run(module, client):
    return ensure_definition(client, Resolver(client), DefinitionSpec(module.params), module.check_mode)


def main():
    argument_spec = project_ref_argument_spec()
    argument_spec.update(definition_argument_spec())
    run_module(argument_spec, run, **PROJECT_REF_RULES)


if __name__ == '__main__':
    main()
