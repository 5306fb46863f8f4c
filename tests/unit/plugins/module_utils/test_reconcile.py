# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The reconcile skeleton itself, over scripted HTTP, with small resources of each kind it serves:
PATCH (a definition), PUT with a write-only secret (a hook), no update at all (a group: recreate or
fail), some fields not patchable (a trigger), create-only with a value returned once (a token)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIClient, CircleCIError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._reconcile import PUT, Resource, reconcile
from ansible_collections.community.circleci.plugins.module_utils._validate import ValidationError
from ansible_collections.community.circleci.tests.unit.plugins.module_utils._scripted_http import call

ORG = 'o0000000-0000-4000-8000-000000000001'
ID = 'a0000000-0000-4000-8000-000000000001'
ID2 = 'a0000000-0000-4000-8000-000000000002'
LIST = '/organizations/%s/things' % ORG
SECRET = 'whsec-reconcile-canary'


@pytest.fixture
def client(api):
    client = CircleCIClient('tok-reconcile', api_url=api.url)
    client.delays = []
    client.sleep = client.delays.append
    yield client
    client.close()


class Thing(Resource):
    """A PATCH resource found by name: fields description and size, created under LIST."""

    kind = 'thing'
    parent = 'organization'
    adopt_on_conflict = True

    def __init__(self, client, name='alpha', recreate=False, secret=None, update_mode='always', **given):
        super().__init__(client, name, recreate=recreate, secret=secret, update_mode=update_mode)
        self.given = given

    def list(self):
        return self.client.get_all(LIST)

    def wanted(self, current):
        return dict(self.given)

    def create_body(self, current=None):
        body = dict(name=self.identity, description=self.required('description', self.given.get('description')))
        body.update(self.given)
        return body, body

    def create_path(self):
        return LIST

    def path(self, current):
        return '%s/%s' % (LIST, quote_segment(current['id']))


class Hook(Thing):
    """PUT replaces the whole object, whose write-only `secret` reads back masked."""

    kind = 'hook'
    update_method = PUT
    write_only = 'secret'
    settle_concurrent = True
    adopt_on_conflict = False

    def normalize(self, raw):
        return dict((key, value) for key, value in (raw or {}).items() if key != 'secret')

    def create_body(self, current=None):
        body = dict(name=self.identity, url=self.required('url', self.given.get('url')), secret=self.required('secret', self.secret))
        return body, dict(name=self.identity, url=body['url'])

    def update_body(self, current, wanted, differs):
        after = dict(current, **wanted)
        return dict(name=self.identity, url=after['url'], secret=self.secret), after

    def diff_view(self, obj, secret_marker=None):
        return dict(obj, secret=secret_marker)


class Group(Thing):
    """The API has no update: a change fails naming the field, or recreate deletes and creates."""

    kind = 'group'
    update_method = None
    field_options = {'description': 'group_description'}


class Trigger(Thing):
    """PATCH, except `repo`, which the API cannot change; identified by event name."""

    kind = 'trigger'
    immutable = ('repo',)
    identity_option = 'event_name'

    def matches(self, raw):
        return raw.get('event_name') == self.identity

    def identity_text(self):
        return "for event '%s'" % self.identity

    def create_body(self, current=None):
        body = dict(event_name=self.identity, repo=(current or {}).get('repo'), disabled=False)
        body.update(self.given)
        return body, body


class Token(Thing):
    """Create-only: nothing to compare; the value exists only in the create answer."""

    kind = 'token'
    update_method = None

    def create_body(self, current=None):
        return dict(nickname=self.identity), dict(nickname=self.identity)

    def matches(self, raw):
        return raw.get('nickname') == self.identity

    def diff_view(self, obj, secret_marker=None):
        return dict((key, value) for key, value in obj.items() if key != 'token')


def thing(**overrides):
    return dict(dict(id=ID, name='alpha', description='first', size=1, created_at='2025-01-10T12:00:00Z'), **overrides)


def listing(*items):
    return call('GET', LIST, body={'items': list(items), 'next_page_token': None})


def one(object_id=ID):
    return '%s/%s' % (LIST, object_id)


DELETE = call('DELETE', one(), body={'message': 'ok'})


# --- find, absent, duplicates -----------------------------------------------------------------

def test_absent_deletes_every_match_and_nothing_else(api, client):
    api.expect(listing(thing(), thing(id=ID2), thing(id='other', name='beta')),
               call('DELETE', one(), body={}), call('DELETE', one(ID2), body={}))
    result = reconcile(Thing(client), 'absent', check_mode=False)
    assert result == {'changed': True, 'thing': {}, 'diff': {'before': thing(), 'after': {}}}


def test_absent_without_a_match_is_no_change(api, client):
    api.expect(listing(thing(name='beta')))
    assert reconcile(Thing(client), 'absent', check_mode=False)['changed'] is False


def test_absent_in_check_mode_deletes_nothing(api, client):
    api.expect(listing(thing()))
    assert reconcile(Thing(client), 'absent', check_mode=True)['changed'] is True


def test_duplicates_are_refused_naming_the_identity_option(api, client):
    api.expect(listing(thing(), thing(id=ID2)))
    with pytest.raises(ValidationError, match="^name: 2 things of the organization are named 'alpha'"):
        reconcile(Thing(client, description='x'), 'present', check_mode=False)


def test_duplicate_message_uses_the_resource_identity(api, client):
    api.expect(listing(dict(id=ID, event_name='push'), dict(id=ID2, event_name='push')))
    with pytest.raises(ValidationError, match="^event_name: 2 triggers of the organization are for event 'push'"):
        reconcile(Trigger(client, 'push'), 'present', check_mode=False)


# --- create ---------------------------------------------------------------------------------------

def test_create_posts_the_body_and_returns_the_answer(api, client):
    api.expect(listing(), call('POST', LIST, json={'name': 'alpha', 'description': 'first'}, status=201, body=thing()))
    result = reconcile(Thing(client, description='first'), 'present', check_mode=False)
    assert result == {'changed': True, 'thing': thing(), 'diff': {'before': {}, 'after': thing()}}


def test_create_in_check_mode_sends_nothing_and_predicts_the_object(api, client):
    api.expect(listing())
    result = reconcile(Thing(client, description='first'), 'present', check_mode=True)
    assert result['thing'] == {'name': 'alpha', 'description': 'first'}
    assert [request.method for request in api.requests] == ['GET']


def test_an_option_only_a_create_needs_is_an_error_naming_it(api, client):
    api.expect(listing())
    with pytest.raises(ValidationError, match="^description: required to create thing 'alpha'$"):
        reconcile(Thing(client), 'present', check_mode=False)


def test_a_lost_create_answer_is_followed_by_a_read_not_a_second_post(api, client):
    api.expect(listing(), call('POST', LIST, drop=True), listing(thing()))
    result = reconcile(Thing(client, description='first'), 'present', check_mode=False)
    assert result['thing']['id'] == ID
    assert len(client.delays) == 1


def test_a_409_adopts_the_object_another_run_created(api, client):
    api.expect(listing(), call('POST', LIST, status=409, body={'message': 'exists'}), listing(thing()))
    assert reconcile(Thing(client, description='first'), 'present', check_mode=False)['thing']['id'] == ID


def test_a_409_without_the_object_is_an_error(api, client):
    api.expect(listing(), call('POST', LIST, status=409, body={'message': 'exists'}), listing())
    with pytest.raises(CircleCIError) as error:
        reconcile(Thing(client, description='first'), 'present', check_mode=False)
    assert error.value.status == 409


def test_a_409_is_an_error_where_the_resource_does_not_adopt(api, client):
    api.expect(listing(), call('POST', LIST, status=409, body={'message': 'exists'}))
    with pytest.raises(CircleCIError):
        reconcile(Hook(client, secret=SECRET, url='https://x.example'), 'present', check_mode=False)


def test_a_concurrent_twin_is_settled_keeping_the_oldest(api, client):
    theirs = dict(id=ID2, name='alpha', url='https://x.example', created_at='2025-01-10T11:00:00Z')
    ours = dict(id=ID, name='alpha', url='https://x.example', created_at='2025-01-10T12:00:00Z')
    api.expect(listing(), call('POST', LIST, status=201, body=ours), listing(ours, theirs), call('DELETE', one(), body={}))
    result = reconcile(Hook(client, secret=SECRET, url='https://x.example'), 'present', check_mode=False)
    assert result['hook']['id'] == ID2


# --- update (PATCH) ---------------------------------------------------------------------------

def test_only_the_differing_fields_are_patched(api, client):
    api.expect(listing(thing()), call('PATCH', one(), json={'size': 2}, body=thing(size=2)))
    result = reconcile(Thing(client, description='first', size=2), 'present', check_mode=False)
    assert result['changed'] is True
    assert result['diff'] == {'before': thing(), 'after': thing(size=2)}


def test_fields_not_given_are_not_compared(api, client):
    api.expect(listing(thing(size=7)))
    result = reconcile(Thing(client, description='first'), 'present', check_mode=False)
    assert result == {'changed': False, 'thing': thing(size=7), 'diff': {'before': thing(size=7), 'after': thing(size=7)}}


def test_update_in_check_mode_sends_no_write(api, client):
    api.expect(listing(thing()))
    result = reconcile(Thing(client, size=3), 'present', check_mode=True)
    assert (result['changed'], result['thing']['size']) == (True, 3)


# --- update (PUT) with a write-only secret ------------------------------------------------------

HOOK = dict(id=ID, name='alpha', url='https://x.example', secret='****')


def test_always_resends_the_secret_though_nothing_else_differs(api, client):
    api.expect(listing(HOOK), call('PUT', one(), json={'name': 'alpha', 'url': 'https://x.example', 'secret': SECRET}, body=HOOK))
    result = reconcile(Hook(client, secret=SECRET, url='https://x.example'), 'present', check_mode=False)
    assert result['changed'] is True
    assert result['diff']['after']['secret'] == '<hidden> (rewritten)'
    assert SECRET not in json.dumps(result)


def test_on_create_writes_nothing_when_nothing_differs(api, client):
    api.expect(listing(HOOK))
    result = reconcile(Hook(client, secret=SECRET, update_mode='on_create', url='https://x.example'), 'present', check_mode=False)
    assert result['changed'] is False


def test_on_create_still_resends_the_secret_with_a_put(api, client):
    api.expect(listing(HOOK), call('PUT', one(), json={'name': 'alpha', 'url': 'https://y.example', 'secret': SECRET},
                                   body=dict(HOOK, url='https://y.example')))
    result = reconcile(Hook(client, secret=SECRET, update_mode='on_create', url='https://y.example'), 'present', check_mode=False)
    assert result['diff']['after'] == {'id': ID, 'name': 'alpha', 'url': 'https://y.example', 'secret': '<hidden>'}


def test_a_put_without_the_secret_is_refused_before_it_is_sent(api, client):
    api.expect(listing(HOOK))
    with pytest.raises(ValidationError, match=r"^secret: required to update hook 'alpha' \(to change: url\)"):
        reconcile(Hook(client, url='https://y.example'), 'present', check_mode=False)


# --- no update at all: fail naming the field, or recreate ---------------------------------------

def test_a_change_the_api_cannot_make_fails_naming_the_option(api, client):
    api.expect(listing(thing()))
    with pytest.raises(ValidationError, match="^group_description: group 'alpha' exists with another description, "
                                              "which the API cannot change; recreate=true"):
        reconcile(Group(client, description='second'), 'present', check_mode=False)


def test_recreate_deletes_and_creates_again(api, client):
    created = thing(id=ID2, description='second')
    api.expect(listing(thing()), DELETE, call('POST', LIST, json={'name': 'alpha', 'description': 'second'}, status=201, body=created))
    result = reconcile(Group(client, recreate=True, description='second'), 'present', check_mode=False)
    assert result == {'changed': True, 'group': created, 'diff': {'before': thing(), 'after': created}}


def test_recreate_in_check_mode_sends_no_write(api, client):
    api.expect(listing(thing()))
    result = reconcile(Group(client, recreate=True, description='second'), 'present', check_mode=True)
    assert (result['changed'], result['group']) == (True, {'name': 'alpha', 'description': 'second'})


def test_no_difference_needs_no_update_and_no_recreate(api, client):
    api.expect(listing(thing()))
    assert reconcile(Group(client, recreate=True, description='first'), 'present', check_mode=False)['changed'] is False


# --- some fields not patchable ----------------------------------------------------------------

TRIGGER = dict(id=ID, event_name='push', repo='r1', disabled=False)


def test_a_patchable_field_is_patched(api, client):
    api.expect(listing(TRIGGER), call('PATCH', one(), json={'disabled': True}, body=dict(TRIGGER, disabled=True)))
    assert reconcile(Trigger(client, 'push', disabled=True), 'present', check_mode=False)['trigger']['disabled'] is True


def test_an_immutable_field_fails_even_beside_a_patchable_one(api, client):
    api.expect(listing(TRIGGER))
    with pytest.raises(ValidationError, match="^repo: trigger 'push' exists with another repo"):
        reconcile(Trigger(client, 'push', disabled=True, repo='r2'), 'present', check_mode=False)


def test_an_immutable_field_with_recreate_keeps_the_other_fields(api, client):
    created = dict(TRIGGER, id=ID2, repo='r2')
    api.expect(listing(TRIGGER), DELETE,
               call('POST', LIST, json={'event_name': 'push', 'repo': 'r2', 'disabled': False}, status=201, body=created))
    assert reconcile(Trigger(client, 'push', recreate=True, repo='r2'), 'present', check_mode=False)['trigger'] == created


# --- create-only, value returned once -----------------------------------------------------------

def test_an_existing_token_is_never_rewritten_or_recreated(api, client):
    api.expect(listing(dict(id=ID, nickname='ci')))
    result = reconcile(Token(client, 'ci', recreate=True), 'present', check_mode=False)
    assert result['changed'] is False


def test_a_created_token_is_returned_but_never_in_the_diff(api, client):
    api.expect(listing(), call('POST', LIST, json={'nickname': 'ci'}, status=201, body=dict(id=ID, nickname='ci', token=SECRET)))
    result = reconcile(Token(client, 'ci'), 'present', check_mode=False)
    assert result['token']['token'] == SECRET
    assert SECRET not in json.dumps(result['diff'])
