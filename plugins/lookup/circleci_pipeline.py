# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: circleci_pipeline
short_description: Read the pipelines of CircleCI projects
version_added: 0.1.0
description:
  - Return the pipelines of each project given as a term, newest first, optionally only those of one branch, only the
    latest O(count), or only the pipeline with a given O(number).
  - One element per term, always of the same shape whatever is found; the list of the project's pipelines (empty
    when there is none), or with O(number) the pipeline itself.
  - Pages are read until O(count) pipelines are found, or to the last page without O(count).
  - With O(workflows=true), each pipeline gets a C(workflows) key with its workflows (every page).
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection.plugins
options:
  _terms:
    description:
      - Project slugs such as V(gh/acme/api) or V(circleci/ORG/PROJECT).
    type: list
    elements: str
    required: true
  branch:
    description:
      - Only the pipelines of this branch.
      - Mutually exclusive with O(number).
    type: str
  count:
    description:
      - Only the latest O(count) pipelines of each project (after the O(branch) filter).
      - Without it, every pipeline of the project is read, which may take many requests on a busy project.
      - Mutually exclusive with O(number).
    type: int
  number:
    description:
      - Only the pipeline with this number (one request per project; an error if it does not exist).
    type: int
  workflows:
    description:
      - Whether to add to each pipeline a C(workflows) key with the list of its workflows (one more request per
        pipeline, more for a pipeline with many workflows).
    type: bool
    default: false
seealso:
  - module: community.circleci.circleci_pipeline_info
  - module: community.circleci.circleci_pipeline_trigger
"""

EXAMPLES = r"""
- name: The latest pipeline of main, with its workflows (a list of at most one pipeline)
  ansible.builtin.debug:
    msg: "{{ (latest | first).number }}: {{ (latest | first).workflows | map(attribute='status') | list }}"
  when: latest | length > 0
  vars:
    latest: "{{ lookup('community.circleci.circleci_pipeline', 'gh/acme/api', branch='main', count=1, workflows=true) }}"

- name: Pipeline 42 of a project (the pipeline itself; an error if it does not exist)
  ansible.builtin.set_fact:
    pipeline: "{{ lookup('community.circleci.circleci_pipeline', 'gh/acme/api', number=42) }}"

- name: The latest 5 pipelines of two projects (one list per project, flattened)
  ansible.builtin.debug:
    msg: "{{ item.project_slug }} #{{ item.number }} {{ item.state }}"
  loop: "{{ query('community.circleci.circleci_pipeline', 'gh/acme/api', 'gh/acme/web', count=5) | flatten(levels=1) }}"
"""

RETURN = r"""
_raw:
  description:
    - One element per term, in the order of the terms. Without O(number), the element is the list of the project's
      pipelines as the API returns them, newest first (an empty list when none is found). With O(number), it is
      that pipeline.
    - With O(workflows=true), each pipeline has a C(workflows) key (a list of workflow objects).
    - With one term, C(lookup()) returns that element itself, so its shape never depends on how many pipelines
      were found. C(query()) returns the list of the elements.
  type: list
  elements: raw
"""

from itertools import islice

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_non_empty, check_project_slug
from ansible_collections.community.circleci.plugins.plugin_utils._lookup import CircleCILookupBase, check_terms


class LookupModule(CircleCILookupBase):

    def check(self, terms):
        slugs = [check_project_slug('_terms[%d]' % index, term) for index, term in enumerate(check_terms(terms))]
        branch, count, number = self.get_option('branch'), self.get_option('count'), self.get_option('number')
        if number is not None:
            for option, value in (('branch', branch), ('count', count)):
                if value is not None:
                    raise ValidationError(option, 'number and %s are mutually exclusive' % option)
            if number < 1:
                raise ValidationError('number', 'must be 1 or more, got %d' % number)
        if count is not None and count < 1:
            raise ValidationError('count', 'must be 1 or more, got %d' % count)
        if branch is not None:
            check_non_empty('branch', branch)
        return slugs

    def lookup(self, client, checked):
        branch, count, number = self.get_option('branch'), self.get_option('count'), self.get_option('number')
        workflows = self.get_option('workflows')
        elements = []
        for slug in checked:
            path = '/project/%s/pipeline' % quote_slug(slug)
            if number is not None:
                pipelines = [client.get('%s/%d' % (path, number))]
            else:
                # paginate() is lazy: with count, no page after the one holding the count-th pipeline is read
                found = client.paginate(path, params={'branch': branch} if branch is not None else None)
                pipelines = list(found if count is None else islice(found, count))
            if workflows:
                for pipeline in pipelines:
                    pipeline['workflows'] = client.get_all('/pipeline/%s/workflow' % quote_segment(pipeline['id']))
            elements.append(pipelines[0] if number is not None else pipelines)
        return elements
