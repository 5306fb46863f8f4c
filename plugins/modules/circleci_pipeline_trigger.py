#!/usr/bin/python
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: circleci_pipeline_trigger
short_description: Trigger a CircleCI pipeline and optionally wait for its workflows
version_added: 0.1.0
description:
  - Trigger a new pipeline of a CircleCI project, on a branch or a tag, with pipeline parameters.
  - Without O(definition_id) or O(definition), the pipeline is triggered with the legacy endpoint
    C(POST /project/{project_slug}/pipeline), which GitHub OAuth and Bitbucket Cloud projects can use. With a pipeline
    definition (O(definition_id), or O(definition) by name), it is triggered with
    C(POST /project/{provider}/{organization}/{project}/pipeline/run), which every project but GitLab ones can use;
    C(circleci/...) projects (GitHub App, GitLab, standalone) need it. That endpoint also takes inline configuration
    (O(config.content)).
  - Triggering is not idempotent by nature; every run that triggers reports a change.
  - With O(wait=true), the module waits until every workflow of the pipeline is finished or on hold. A workflow on
    hold waits for someone to approve a job; the module then returns with the pending approval jobs in
    RV(pending_approvals) instead of waiting for them (approve them with M(community.circleci.circleci_workflow)).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.workflow.wait
  - community.circleci.attributes
  - community.circleci.attributes.actiongroup_circleci
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is written; RV(request) shows the request that would be sent. Nothing is read either,
        except the two reads that resolve O(definition) to its id.
  diff_mode:
    support: none
  idempotent:
    support: none
    details:
      - Each run triggers a new pipeline.
options:
  project_slug:
    description:
      - Slug of the project, for example V(gh/acme/api), V(bb/acme/api) or V(circleci/ORG/PROJECT).
      - The slug of a V(circleci/...) project (GitHub App, GitLab, standalone organization) is the one Project
        Settings shows, V(circleci/) and two short ids such as V(circleci/43G3lM5RtfFE7v5sa4nWAU/44n9wujWcTnVZ2b5S8Fnat);
        its segments are passed to the API as given.
    type: str
    required: true
  branch:
    description:
      - The branch to run the pipeline on. Without O(branch) and O(tag), the default branch of the project.
      - With a pipeline definition, the default of O(config.branch) and O(checkout.branch).
      - Mutually exclusive with O(tag).
    type: str
  tag:
    description:
      - The tag to run the pipeline on.
      - With a pipeline definition, the default of O(config.tag) and O(checkout.tag).
      - Mutually exclusive with O(branch).
    type: str
  parameters:
    description:
      - Pipeline parameters. Values are strings, integers or booleans.
      - At most 100 parameters, names of at most 128 characters, string values of at most 512 characters; checked
        before any request.
    type: dict
  definition_id:
    description:
      - UUID of the pipeline definition to run (Project Settings > Pipelines). Selects the pipeline run endpoint.
      - C(circleci/...) projects need a pipeline definition, given by O(definition_id) or O(definition).
      - Mutually exclusive with O(definition).
    type: str
  definition:
    description:
      - Name of the pipeline definition to run (see M(community.circleci.circleci_pipeline_definition)). It is
        resolved to its id with two reads (the project, its definitions); a name that no definition or several
        definitions have fails, naming O(definition). Selects the pipeline run endpoint.
    type: str
  config:
    description:
      - Only with a pipeline definition. The branch or tag to fetch the config file from, when it differs from
        O(branch) / O(tag), or the configuration itself.
    type: dict
    suboptions:
      branch:
        description:
          - Branch to fetch the config from. Mutually exclusive with O(config.tag).
        type: str
      tag:
        description:
          - Tag to fetch the config from.
        type: str
      content:
        description:
          - Inline configuration (the YAML text of a CircleCI config) to run instead of the definition's config file.
            The branch or tag still names the pipeline's ref.
          - For example V("{{ lookup('ansible.builtin.file', 'ci/release.yml') }}").
        type: str
  checkout:
    description:
      - Only with a pipeline definition. The branch or tag a checkout step checks out, when it differs from
        O(branch) / O(tag).
    type: dict
    suboptions:
      branch:
        description:
          - Branch to check out. Mutually exclusive with O(checkout.tag).
        type: str
      tag:
        description:
          - Tag to check out.
        type: str
  wait:
    description:
      - Wait until every workflow of the pipeline is finished (terminal) or on hold.
      - A new pipeline has no workflows for a moment; the module waits for them to appear.
      - By default the module returns as soon as the pipeline is created.
    type: bool
    default: false
  fail_on_workflow_failure:
    description:
      - With O(wait=true), fail when a workflow ends V(failed), V(error), V(canceled) or V(unauthorized), naming the
        workflows. RV(pipeline) and RV(workflows) are returned all the same.
      - When V(false), the statuses are only returned.
    type: bool
    default: true
notes:
  - The pipeline run endpoint may answer that no pipeline was created (for example when the commit asks to skip CI).
    The module then reports no change, returns the API's words in RV(message) and an empty RV(pipeline), and
    does not wait.
  - A pipeline whose config fails to compile gets no workflows; with O(wait=true) the module fails with the
    pipeline's errors.
  - A setup pipeline (dynamic configuration) is settled only once it was continued (see
    M(community.circleci.circleci_pipeline_continue)) and the continued workflows are finished or on hold.
  - The trigger request is retried after HTTP 429 (the API did not act on it), but not after a lost answer
    (dropped connection, HTTP 502, 503 or 504), because sending it again could trigger a second pipeline; the task fails instead.
  - Each poll while waiting costs one request (two while the pipeline has no workflows yet, one more per workflow on
    hold at the end); choose O(poll_interval) with the API's rate limits in mind.
seealso:
  - module: community.circleci.circleci_workflow
  - module: community.circleci.circleci_pipeline_info
  - name: Trigger a pipeline
    description: The API endpoint.
    link: https://circleci.com/docs/api/v2/index.html#operation/triggerPipelineRun
"""

EXAMPLES = r"""
- name: Trigger a pipeline on main and wait for its workflows
  community.circleci.circleci_pipeline_trigger:
    project_slug: gh/acme/api
    branch: main
    parameters:
      run_integration: true
    wait: true
    wait_timeout: 3600
    api_token: "{{ circleci_token }}"
  register: run

- name: Show the workflow statuses
  ansible.builtin.debug:
    msg: "{{ run.workflows | map(attribute='status') | list }}"

- name: Trigger through a pipeline definition (GitHub App project)
  community.circleci.circleci_pipeline_trigger:
    # the slug as Project Settings shows it: circleci/ and two short ids
    project_slug: circleci/43G3lM5RtfFE7v5sa4nWAU/44n9wujWcTnVZ2b5S8Fnat
    definition_id: 2338d0ae-5541-4bbf-88a2-55e9f7281f80
    branch: release
    checkout:
      tag: v2.1.0
    api_token: "{{ circleci_token }}"

- name: Run the pipeline definition named deploy with an inline configuration
  community.circleci.circleci_pipeline_trigger:
    project_slug: circleci/a1b2c3d4-0000-4000-8000-000000000001/b1c2d3e4-0000-4000-8000-000000000002
    definition: deploy
    branch: main
    config:
      content: "{{ lookup('ansible.builtin.file', 'ci/release.yml') }}"
    api_token: "{{ circleci_token }}"

- name: Deploy, stopping at the approval job
  community.circleci.circleci_pipeline_trigger:
    project_slug: gh/acme/api
    branch: main
    wait: true
    fail_on_workflow_failure: true
    api_token: "{{ circleci_token }}"
  register: deploy

- name: Approve what waits for approval
  community.circleci.circleci_workflow:
    workflow_id: "{{ item.workflow_id }}"
    action: approve
    approval_request_id: "{{ item.approval_request_id }}"
    api_token: "{{ circleci_token }}"
  loop: "{{ deploy.pending_approvals }}"
"""

RETURN = r"""
pipeline:
  description:
    - The pipeline as read after triggering it (after the wait, with O(wait=true)), as the API returns it.
    - Empty in check mode and when no pipeline was created.
  returned: always
  type: dict
  contains:
    id:
      description: UUID of the pipeline.
      type: str
      returned: success
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    number:
      description: Number of the pipeline in its project.
      type: int
      returned: success
      sample: 25
    state:
      description: State of the pipeline (V(created), V(errored), V(setup-pending), V(setup), V(pending)).
      type: str
      returned: success
      sample: created
    project_slug:
      description: Slug of the project.
      type: str
      returned: success
      sample: gh/acme/api
    created_at:
      description: When the pipeline was created.
      type: str
      returned: success
workflows:
  description:
    - The workflows of the pipeline as last read, as the API returns them (C(id), C(name), C(status), ...).
    - Empty without O(wait=true).
  returned: always
  type: list
  elements: dict
  sample: [{id: 9a0f1f37-1a4b-4c8e-9fd5-0e8c3b1d2a11, name: build, status: success}]
pending_approvals:
  description:
    - With O(wait=true), the approval jobs waiting for someone, one entry per job.
  returned: always
  type: list
  elements: dict
  contains:
    workflow_id:
      description: UUID of the workflow on hold.
      type: str
      returned: success
    workflow_name:
      description: Name of the workflow on hold.
      type: str
      returned: success
      sample: build
    job_name:
      description: Name of the approval job.
      type: str
      returned: success
      sample: hold
    job_id:
      description: UUID of the approval job.
      type: str
      returned: success
    approval_request_id:
      description: The id to approve the job with (O(community.circleci.circleci_workflow#module:approval_request_id)).
      type: str
      returned: success
failed_workflows:
  description: With O(wait=true), the names of the workflows that ended V(failed), V(error), V(canceled) or V(unauthorized).
  returned: always
  type: list
  elements: str
  sample: [build]
request:
  description: The request sent (in check mode, the one that would be sent).
  returned: always
  type: dict
  sample: {method: POST, path: /project/gh/acme/api/pipeline, body: {branch: main, parameters: {deploy: true}}}
message:
  description: The API's message when it created no pipeline.
  returned: when the API created no pipeline
  type: str
  sample: Ignoring pipeline due to CI skip in the commit
"""

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import trigger, wait_argument_spec
from ansible_collections.community.circleci.plugins.module_utils._run import action_run


def main():
    ref_options = dict(branch=dict(type='str'), tag=dict(type='str'))
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        branch=dict(type='str'),
        tag=dict(type='str'),
        parameters=dict(type='dict'),
        definition_id=dict(type='str'),
        definition=dict(type='str'),
        config=dict(type='dict', options=dict(ref_options, content=dict(type='str')), mutually_exclusive=[('branch', 'tag')]),
        checkout=dict(type='dict', options=ref_options, mutually_exclusive=[('branch', 'tag')]),
    )
    argument_spec.update(wait_argument_spec())
    run_module(argument_spec, action_run(trigger), mutually_exclusive=[('branch', 'tag'), ('definition_id', 'definition')])


if __name__ == '__main__':
    main()
