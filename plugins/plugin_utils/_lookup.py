# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every lookup of the collection shares: options through get_option(), the same client as
the modules (built by the shared option adapter), and errors turned into AnsibleLookupError once."""

from __future__ import annotations

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase

from ansible_collections.community.circleci.plugins.module_utils._client import HAS_REQUESTS, CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._options import ConnectionOptions
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.plugins.plugin_utils import _compat


class CircleCILookupBase(LookupBase):
    """Subclasses implement check(terms) (validate every option and term, before any request; return
    what lookup() needs) and lookup(client, checked) -> the list of results."""

    def check(self, terms):
        return terms

    def lookup(self, client, checked):
        raise NotImplementedError

    def _templated(self, variables):
        """The variables that set options (circleci_api_token: "{{ vault_token }}") come raw: template
        them, as a task's own arguments are, before they are read as options. Only trusted templates
        render; other variables are left as they are."""
        if not variables or getattr(self, '_templar', None) is None:
            return variables
        variables = dict(variables)
        for name in _compat.plugin_variable_names(self) & set(variables):
            variables[name] = _compat.template(self, variables[name])
        return variables

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=self._templated(variables), direct=kwargs)
        if not HAS_REQUESTS:
            raise AnsibleLookupError(missing_required_lib('requests'))
        try:
            checked = self.check(terms)
            with ConnectionOptions.from_plugin(self).client() as client:
                return self.lookup(client, checked)
        except ValidationError as exc:
            # str(exc) starts with the option (or term) at fault
            raise AnsibleLookupError(str(exc)) from None
        except CircleCIError as exc:
            raise AnsibleLookupError(str(exc)) from None


def check_terms(terms):
    """Every term must be a non-empty string; at least one term."""
    if not terms:
        raise ValidationError('_terms', 'give at least one term')
    for index, term in enumerate(terms):
        if not isinstance(term, str) or not term.strip():
            raise ValidationError('_terms[%d]' % index, 'must be a non-empty string, got %r' % (term,))
    return list(terms)
