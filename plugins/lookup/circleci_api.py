# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: circleci_api
short_description: Read any CircleCI API v2 endpoint (GET)
version_added: 0.1.0
description:
  - Send a GET request for each term, a path relative to O(api_url), and return the decoded answer.
  - When the answer is a page of a paginated list (it has C(items) and C(next_page_token)), every page is read and the
    items of all pages are returned, unless O(paginate=false).
  - For what no module or lookup of the collection covers. It only reads; there is no way to send anything but GET.
author:
  - community.circleci contributors (@ansible-collections)
extends_documentation_fragment:
  - community.circleci.connection.plugins
options:
  _terms:
    description:
      - Paths relative to O(api_url), such as V(/me) or V(/project/gh/acme/api/pipeline). The leading C(/) may be
        left out. A path is sent as given, so a project slug keeps its slashes.
      - An absolute URL is accepted only when it starts with O(api_url) (it is then read as the path that follows);
        a URL of any other host is refused, so the token is never sent elsewhere.
      - Query parameters go in O(params), not in the path.
    type: list
    elements: str
    required: true
  params:
    description:
      - Query parameters sent with every term. A list value is sent as a repeated parameter.
    type: dict
    default: {}
  paginate:
    description:
      - Whether to follow C(next_page_token) and return the items of every page when the answer is a paginated list.
      - With V(false), the first answer is returned as it is (with its C(items) and C(next_page_token)).
    type: bool
    default: true
seealso:
  - plugin: community.circleci.circleci_pipeline
    plugin_type: lookup
  - plugin: community.circleci.circleci_insights
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: The user of the token
  ansible.builtin.debug:
    msg: "{{ lookup('community.circleci.circleci_api', '/me').login }}"

- name: Every pipeline of the main branch (all pages)
  ansible.builtin.debug:
    msg: "{{ item.number }} {{ item.state }}"
  loop: "{{ lookup('community.circleci.circleci_api', '/project/gh/acme/api/pipeline', params={'branch': 'main'}) }}"

- name: Only the first page, with its next_page_token
  ansible.builtin.set_fact:
    first_page: "{{ lookup('community.circleci.circleci_api', 'pipeline', params={'org-slug': 'gh/acme'}, paginate=false) }}"

- name: Two reads at once; query() always gives a list with one element per term
  ansible.builtin.set_fact:
    me_and_orgs: "{{ query('community.circleci.circleci_api', '/me', '/me/collaborations') }}"
"""

RETURN = r"""
_raw:
  description:
    - One element per term, in the order of the terms. Each is the decoded JSON answer, or for a paginated list (with
      O(paginate=true)) the list of the items of every page.
    - With one term, C(lookup()) returns that element itself (use C(query()) for a list of one element).
  type: list
  elements: raw
"""

from urllib.parse import urlsplit

from ansible_collections.community.circleci.plugins.module_utils._client import DEFAULT_API_URL, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.plugins.plugin_utils._lookup import CircleCILookupBase, check_terms


def relative_path(term, option, api_url):
    """The path of `term` relative to `api_url`, refusing other hosts, query strings and '..'."""
    if '://' in term or term.startswith('//'):
        base = api_url.rstrip('/')
        if not term.startswith(base + '/'):
            raise ValidationError(option, "'%s' is not under api_url %s: only paths of the CircleCI API are read "
                                          "(the token is never sent to another host)" % (term, base))
        term = term[len(base):]
    if not term.startswith('/'):
        term = '/' + term
    if '?' in term or '#' in term:
        raise ValidationError(option, "'%s' contains a query string: give query parameters in params" % (term,))
    if '..' in term.split('/'):
        raise ValidationError(option, "'%s' contains a '..' segment" % (term,))
    if urlsplit(term).netloc:
        raise ValidationError(option, "'%s' is not a path" % (term,))
    return term


class LookupModule(CircleCILookupBase):

    def check(self, terms):
        api_url = self.get_option('api_url') or DEFAULT_API_URL
        params = self.get_option('params') or {}
        for name, value in params.items():
            if isinstance(value, dict):
                raise ValidationError('params.%s' % name, 'must be a string, number, boolean or list, not a dict')
        params = dict((name, _query_value(value)) for name, value in params.items())
        paths = [relative_path(term.strip(), '_terms[%d]' % index, api_url) for index, term in enumerate(check_terms(terms))]
        return paths, params

    def lookup(self, client, checked):
        paths, params = checked
        results = []
        for path in paths:
            answer = client.get(path, params=params)
            if self.get_option('paginate') and _is_page(answer):
                answer = _all_items(client, path, params, answer)
            results.append(answer)
        return results


def _all_items(client, path, params, page):
    """The items of `page` and of every page after it (the first page is not read again)."""
    items = list(page.get('items') or ())
    seen = set()
    token = page.get('next_page_token')
    while token:
        if token in seen:
            raise CircleCIError('GET', path, 200, 'the API answered the same next_page_token twice')
        seen.add(token)
        page = client.get(path, params=dict(params, **{'page-token': token})) or {}
        items.extend(page.get('items') or ())
        token = page.get('next_page_token')
    return items


def _is_page(answer):
    return isinstance(answer, dict) and 'items' in answer and 'next_page_token' in answer


def _query_value(value):
    """Booleans as the API spells them (true/false); lists stay lists (repeated parameters)."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return [_query_value(item) for item in value]
    return value
