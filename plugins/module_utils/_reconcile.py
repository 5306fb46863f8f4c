# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The reconcile skeleton of the resources that are objects in a listing.

A webhook, a schedule, a pipeline definition, a trigger, a group, an entry of the URL orb
allow-list, a runner resource class or token: each is found by its identity among the objects
of a listing, and a module brings it to `present` or `absent`. The steps are the same for all
of them and live here once, in `reconcile(resource, state, check_mode)`:

- find: list, keep the objects whose identity is the one given (`Resource.matches`);
- absent: delete every match (nothing when there is none);
- duplicates: several matches under `present` are refused, naming the identity option
  (`Resource.pick`; override it to choose one instead);
- create: `client.create(..., find_existing)`, so that a lost answer is followed by a read, not
  by a second object; a 409 adopts the object another run created meanwhile
  (`adopt_on_conflict`); where the API lets two objects share an identity, a re-read after the
  create keeps the oldest and deletes ours if it is not that one (`settle_concurrent`);
- update: only the fields the user gave are compared (`wanted` against `compared`), and only
  when one differs is anything sent (`update_body`); a field the API cannot update
  (`immutable`, or every field with `update_method = None`) fails naming it, or with
  `recreate` deletes the object and creates it again;
- a write-only secret (`write_only`): the API never returns it, so `update_mode: always`
  writes it on every run and `on_create` only with a create. A PUT replaces the whole object,
  so an update by PUT without the secret is refused before it is sent (it would erase it);
- check mode sends no write at all; results carry the object under `result_key` and a diff
  (`before` / `after` of `diff_view`, which never shows a secret).

A new resource is a subclass of Resource that fills in its own small parts:

=====================  ==========================================================
`list()`               the raw objects of the listing (all pages)
`matches(raw)`         whether a raw object has the identity given (default: `name`)
`normalize(raw)`       the object as the module returns it (snake_case, no secret)
`compared(current)`    its fields in comparable form (default: the normalised object)
`wanted(current)`      the fields the user gave, in the same form
`create_body(current)` (POST body, predicted object for check mode); `current` is the
                       object being recreated, or None
`create_path()`        where the POST goes (or override `create`)
`update_body(...)`     (PUT or PATCH body, object after the update)
`path(current)`        the object's own path (PUT / PATCH / DELETE; or override
                       `update` / `delete`)
`diff_view(obj, ...)`  the diff's view of an object
=====================  ==========================================================

The resources the project administration issue brings fit in as follows (class attributes):

- pipeline definitions: `update_method = PATCH` (the default); `update_body` turns the differing
  fields into the API's write keys;
- triggers: PATCH with `immutable = (...)` (the fields the API cannot patch, such as the event
  source repository): a change of one fails naming its option unless the module passes
  recreate=True; `matches` compares the natural key (event name, or repository + event preset)
  and `identity_text` names it in messages; the trigger URL (a secret) stays out of `diff_view`;
- groups: `update_method = None`: a changed description fails naming it unless recreate;
- URL orb allow-list entries and runner resource classes: `update_method = None` too (their
  fields can only be set by a create: a change fails, or recreates);
- runner tokens: `wanted` returns {} (an existing token is never rewritten or recreated); the
  value of the create answer stays on the resource for the no_log result, never in `normalize`d
  objects or diffs, and the create overrides `create` because a read cannot recover a value:
  see _runner_tokens.py (built so, with _runner.py for resource classes).

Unit tests of the skeleton itself, with a resource of each kind: tests/unit/plugins/module_utils/test_reconcile.py.
"""

from __future__ import annotations

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIError, read_field
from ansible_collections.community.circleci.plugins.module_utils._secrets import HIDDEN, marker, rewrites
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError

PUT = 'PUT'
PATCH = 'PATCH'


class Resource:
    """One kind of object, as reconcile() handles it. Subclass it; see the module docstring.

    Instance attributes read by reconcile(): `client`, `identity` (the value that names the
    object, for messages), `recreate` (a change of an immutable field deletes and creates the
    object again), `secret` and `update_mode` (the write-only secret given, or None).
    """

    kind = 'object'             # the word for one object in messages: "webhook", "schedule"
    plural = None               # default: kind + 's'
    parent = 'project'          # what holds the listing, for messages
    result_key = None           # the result key of the object; default: kind
    identity_option = 'name'    # the option that names the object
    update_method = PATCH       # PUT: the body replaces the object; PATCH: it holds the changes; None: no update
    immutable = ()              # fields an update cannot change (all of them when update_method is None)
    field_options = {}          # field -> option name, where they differ (for messages)
    write_only = None           # the option of a write-only secret the update must resend (PUT)
    adopt_on_conflict = False   # a 409 answer to the create means another run created it: adopt that one
    settle_concurrent = False   # two objects may share the identity: after a create, keep the oldest
    key = 'id'                  # what tells two objects apart (settle_concurrent)
    create_expected = (200, 201)
    delete_expected = (200, 404)

    def __init__(self, client, identity, recreate=False, secret=None, update_mode='always'):
        self.client = client
        self.identity = identity
        self.recreate = recreate
        self.secret = secret
        self.update_mode = update_mode

    # --- the parts a resource fills in ---------------------------------------------------

    def list(self):
        raise NotImplementedError

    def matches(self, raw):
        return raw.get('name') == self.identity

    def normalize(self, raw):
        return dict(raw or {})

    def compared(self, current):
        return current

    def wanted(self, current):
        return {}

    def create_body(self, current=None):
        raise NotImplementedError

    def create_path(self):
        raise NotImplementedError

    def update_body(self, current, wanted, differs):
        """(body, object after the update). Default: the differing fields as they are named."""
        body = dict((field, wanted[field]) for field in differs)
        return body, dict(current, **body)

    def path(self, current):
        raise NotImplementedError

    def diff_view(self, obj, secret_marker=HIDDEN):
        return obj

    # --- requests (override where the API differs) -------------------------------------

    def create(self, body, find_existing):
        return self.client.create(self.create_path(), body, find_existing=find_existing, expected=self.create_expected)

    def update(self, current, body):
        return self.client.request(self.update_method, self.path(current), json=body)

    def delete(self, current):
        self.client.delete(self.path(current), expected=self.delete_expected)

    # --- shared helpers ----------------------------------------------------------------

    @property
    def key_name(self):
        return self.result_key or self.kind

    def identity_text(self):
        """How messages name the object's identity: "named 'nightly'"."""
        return "named '%s'" % self.identity

    def option_of(self, field):
        return self.field_options.get(field, field)

    def required(self, option, value):
        """`value`, or an error naming `option` when it is None (an option only a create needs)."""
        if value is None:
            raise ValidationError(option, "required to create %s '%s'" % (self.kind, self.identity))
        return value

    def find(self):
        return [raw for raw in self.list() if self.matches(raw)]

    def pick(self, matches):
        """The one object to bring to `present`, or None; several matches are refused."""
        if len(matches) > 1:
            raise ValidationError(self.identity_option, "%d %s of the %s are %s; the %s must identify one %s (delete the "
                                                        "duplicates, for example with state=absent)"
                                  % (len(matches), self.plural or self.kind + 's', self.parent, self.identity_text(),
                                     self.identity_option, self.kind))
        return matches[0] if matches else None

    def result(self, changed, obj, before, after, rewritten=False):
        """The module result: changed, the object under key_name, and before/after diff views."""
        return {
            'changed': changed,
            self.key_name: obj,
            'diff': dict(before=self.diff_view(before) if before else {},
                         after=self.diff_view(after, marker(rewritten)) if after else {}),
        }


def reconcile(resource, state, check_mode):
    """Bring the object `resource` identifies to `state` (present / absent); the module result."""
    matches = resource.find()
    if state == 'absent':
        return remove(resource, matches, check_mode)
    current = resource.pick(matches)
    if current is None:
        return create(resource, None, check_mode)
    return update(resource, resource.normalize(current), check_mode)


def remove(resource, matches, check_mode):
    if not matches:
        return resource.result(False, {}, {}, {})
    if not check_mode:
        for raw in matches:
            resource.delete(resource.normalize(raw))
    return resource.result(True, {}, resource.normalize(matches[0]), {})


def create(resource, current, check_mode):
    """Create the object (again, when `current` is the one being recreated)."""
    body, predicted = resource.create_body(current)
    if check_mode:
        return resource.result(True, predicted, current, predicted)
    if current is not None:
        resource.delete(current)
    created = resource.normalize(send_create(resource, body)) or predicted
    return resource.result(True, created, current, created)


def update(resource, current, check_mode):
    wanted = resource.wanted(current)
    compared = resource.compared(current)
    differs = [field for field in wanted if wanted[field] != compared.get(field)]
    rewritten = rewrites(resource.secret, resource.update_mode)
    if not differs and not rewritten:
        return resource.result(False, current, current, current)
    fixed = [field for field in differs if resource.update_method is None or field in resource.immutable]
    if fixed:
        if not resource.recreate:
            raise ValidationError(resource.option_of(fixed[0]), "%s '%s' exists with another %s, which the API cannot change; "
                                                                "recreate=true deletes the %s and creates it again"
                                  % (resource.kind, resource.identity, fixed[0], resource.kind))
        return create(resource, current, check_mode)
    if resource.update_method == PUT and resource.write_only and resource.secret is None:
        # The stored secret cannot be read back: a PUT without it would remove it.
        raise ValidationError(resource.write_only, "required to update %s '%s' (to change: %s): the update replaces the "
                                                   "whole %s and the stored secret cannot be read back, so it must be "
                                                   "sent again" % (resource.kind, resource.identity, ', '.join(differs), resource.kind))
    body, after = resource.update_body(current, wanted, differs)
    if not check_mode:
        after = resource.normalize(resource.update(current, body)) or after
    return resource.result(True, after, current, after, rewritten)


def send_create(resource, body):
    """POST the create; a lost answer is followed by a read (no duplicate), a 409 adopts the
    object another run created (adopt_on_conflict), and concurrent twins are settled
    (settle_concurrent). Returns the raw object."""
    def find_existing():
        found = resource.find()
        return found[0] if found else None

    try:
        created = resource.create(body, find_existing)
    except CircleCIError as exc:
        found = find_existing() if exc.status == 409 and resource.adopt_on_conflict else None
        if found is None:
            raise
        return found
    if resource.settle_concurrent:
        created = settle_concurrent_create(created, resource.find(), resource.key,
                                           lambda raw: resource.delete(resource.normalize(raw)))
    return created


def settle_concurrent_create(created, same, key, delete):
    """After creating an object that the API lets exist twice (a webhook name, a checkout key
    type), `same` lists the objects it must not be duplicated with, read after the create. If
    another run created one at the same time (both had read "absent"), every run keeps the
    oldest (created-at, then `key`) and deletes its own if it is not that one: both end with one.
    Returns the object kept."""
    if not isinstance(created, dict) or created.get(key) is None or len(same) < 2:
        return created

    def age(item):
        return (str(read_field(item, 'created-at') or ''), str(item.get(key)))

    keeper = min(same, key=age)
    if keeper.get(key) == created.get(key) or not any(item.get(key) == created.get(key) for item in same):
        return created
    delete(created)
    return keeper
