# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runner tokens: one per resource class and nickname, whose value is seen once.

The API shows a token's value only in the answer to its create (lists never do), so:

- a token that exists is never rewritten or recreated (`wanted` is empty): a rerun reads the
  list and sends nothing, and the file given as `dest` is left as the create wrote it;
- the create cannot be made safe by reading back after a lost answer, as other creates are
  (`find_existing` would find a token whose value nobody saw). After an ambiguous failure
  (5xx, lost connection), `delete_unseen` deletes the tokens of that nickname the lost request
  may have made, and the create is sent again: the run ends with one token, whose value it
  holds. When the client gives up, the same clean-up runs before the error is raised;
- two runs creating the same nickname at once both succeed (the API lets nicknames repeat):
  each lists again after its create, the oldest token stays, and a run whose token is not the
  oldest deletes its own and fails (its value would belong to no agent);
- the value goes to the result only (the module declares it no_log: its action plugin hides
  the whole result from the output) and, with `dest`, to a file of mode 0600 written
  atomically; if that file cannot be written, the new token is deleted again.
"""

from __future__ import annotations

import os
import tempfile

from ansible_collections.community.circleci.plugins.module_utils._client import RETRY_STATUSES, CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._reconcile import Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._runner import check_resource_class, items, normalize_token
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError, check_non_empty, check_only_with

TOKEN_MODE = 0o600


def check_dest(option, path):
    """A file the module can create or replace: its directory exists and is writable."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ValidationError(option, "'%s' is a directory; give the path of the file to write the token to" % path)
    if not os.path.isdir(directory):
        raise ValidationError(option, "the directory '%s' does not exist" % directory)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ValidationError(option, "cannot write in the directory '%s'" % directory)
    return path


class TokenSpec:
    """The checked options of circleci_runner_token."""

    def __init__(self, params):
        self.resource_class = params['resource_class']
        check_resource_class('resource_class', self.resource_class)
        self.nickname = check_non_empty('nickname', params['nickname'])
        self.state = params.get('state') or 'present'
        check_only_with(params, ('dest',), 'state', 'present')
        self.dest = params.get('dest')
        if self.dest is not None:
            check_dest('dest', self.dest)


def write_secret_file(path, value):
    """Write `value` to `path` with mode 0600: a temporary file in the same directory, renamed over it."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        os.fchmod(handle, TOKEN_MODE)
        with os.fdopen(handle, 'w') as stream:
            stream.write(value)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _age(raw):
    return (str(raw.get('created_at') or ''), str(raw.get('id')))


class RunnerTokenResource(Resource):
    """A token of a resource class, found by nickname in the class's token list."""

    kind = 'token'
    parent = 'resource class'
    result_key = 'runner_token'
    identity_option = 'nickname'
    update_method = None

    def __init__(self, client, spec):
        super().__init__(client, spec.nickname)
        self.spec = spec
        self.value = None  # the value of the token this run created

    def list(self):
        try:
            return items(self.client.get('/runner/token', params={'resource-class': self.spec.resource_class}))
        except CircleCIError as exc:
            if exc.status != 404:
                raise
            if self.spec.state == 'absent':
                return []  # no class, no token
            raise self.class_not_found(exc) from None

    def class_not_found(self, exc):
        return ValidationError('resource_class', "resource class '%s' was not found (%s)" % (self.spec.resource_class, exc))

    def matches(self, raw):
        return raw.get('nickname') == self.identity

    def identity_text(self):
        return "nicknamed '%s'" % self.identity

    def normalize(self, raw):
        return normalize_token(raw) if raw else {}

    def create_body(self, current=None):
        body = dict(resource_class=self.spec.resource_class, nickname=self.identity)
        return body, dict(body)

    def path(self, current):
        return '/runner/token/%s' % quote_segment(current['id'])

    def diff_view(self, obj, secret_marker=None):
        return dict((key, obj[key]) for key in ('resource_class', 'nickname') if key in obj)

    # --- the create, safe after a lost answer --------------------------------------------------

    def create(self, body, find_existing):
        try:
            answer = self.client.create('/runner/token', body, find_existing=self.delete_unseen, expected=(200, 201))
        except CircleCIError as exc:
            if exc.status == 404:
                raise self.class_not_found(exc) from None
            if exc.status is None or exc.status in RETRY_STATUSES:
                self.clean_up_after(exc)
            raise
        value = (answer or {}).get('token') if isinstance(answer, dict) else None
        if not value:
            raise CircleCIError('POST', '/runner/token', 200, 'the answer to the create holds no token value')
        self.client.hide([value])
        self.value = value
        return self.settle(answer)

    def delete_unseen(self):
        """After an ambiguous failure of the create: delete the tokens of this nickname it may have
        made (their value was never seen), and return None, so that the client posts again."""
        for raw in self.find():
            self.delete(self.normalize(raw))
        return None

    def clean_up_after(self, error):
        """The client gave up after a lost answer: leave no token whose value nobody has."""
        try:
            self.delete_unseen()
        except CircleCIError:
            error.message += (" (a token nicknamed '%s' may have been created; deleting it failed too: check the "
                              "tokens of '%s')" % (self.identity, self.spec.resource_class))

    def settle(self, answer):
        """Another run may have created the same nickname meanwhile: the oldest token stays."""
        same = self.find()
        if len(same) < 2:
            return answer
        keeper = min(same, key=_age)
        if keeper.get('id') == answer.get('id') or not any(raw.get('id') == answer.get('id') for raw in same):
            return answer
        self.delete(self.normalize(answer))
        self.value = None
        raise ValidationError('nickname', "another run created a token nicknamed '%s' for '%s' at the same time: it "
                                          "keeps its token, and this run deleted its own" % (self.identity, self.spec.resource_class))


def ensure_token(client, spec, check_mode):
    """Bring the token to spec.state: (module result, warnings). A token created by this run has its
    value under `token` (and in spec.dest); one that existed has none, and its file is left alone."""
    resource = RunnerTokenResource(client, spec)
    result = reconcile(resource, spec.state, check_mode)
    warnings = []
    if resource.value is not None:
        if spec.dest is not None:
            try:
                write_secret_file(spec.dest, resource.value)
            except OSError as exc:
                resource.delete(result['runner_token'])
                raise ValidationError('dest', "cannot write '%s' (%s): the new token was deleted again"
                                      % (spec.dest, exc.strerror or exc)) from None
            result['dest'] = spec.dest
        result['token'] = resource.value
    elif spec.dest is not None and not result['changed'] and not os.path.exists(spec.dest):
        warnings.append("token '%s' of '%s' exists, so dest '%s' was not written: the API shows a token's value only "
                        "when it is created. To get a new one, delete the token (state=absent) or use another nickname."
                        % (spec.nickname, spec.resource_class, spec.dest))
    return result, warnings
