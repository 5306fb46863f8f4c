#!/usr/bin/env python3
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark community.circleci against plain ansible.builtin.uri playbooks, on circleci-emulator.

    python benchmarks/run.py [--runs 3] [--latency-ms 50] [--out benchmarks/RESULTS.md] [--quick]

Starts circleci-emulator on 127.0.0.1 (a free port, `--latency-ms`), builds a private collection
tree, and measures wall time (ansible-playbook start to end) and request count (the emulator's
request log) of each scenario; the median of `--runs` runs is reported. Prints a table and writes
it, with the machine and the date, to RESULTS.md. All traffic goes to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from circleci_emulator.server import EmulatorProcess, EmulatorStartError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOKEN = 'emulator-token'
ORG = 'gh/acme'
PROJECTS = ['gh/acme/api', 'gh/acme/web']

# --- playbooks ----------------------------------------------------------------------------------

HEADER = """- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    api: "{{ lookup('env', 'CIRCLECI_API_URL') }}"
    headers:
      Circle-Token: "{{ lookup('env', 'CIRCLECI_TOKEN') }}"
      Content-Type: application/json
"""

# The collection: one task per resource kind, a loop over contexts / projects, bulk `variables:`.
COLLECTION_PLAYBOOK = HEADER + """  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ lookup('env', 'CIRCLECI_TOKEN') }}"
      api_url: "{{ api }}"
  tasks:
    - name: Contexts
      community.circleci.circleci_context:
        name: "{{ item }}"
        owner_slug: %(org)s
      loop: "{{ org_data.contexts | list }}"

    - name: Context variables
      community.circleci.circleci_context_env:
        context: "{{ item.key }}"
        owner_slug: %(org)s
        variables: "{{ item.value }}"
        update_mode: "{{ update_mode }}"
      loop: "{{ org_data.contexts | dict2items }}"
      loop_control:
        label: "{{ item.key }}"
      no_log: true

    - name: Project variables
      community.circleci.circleci_project_env:
        project_slug: "{{ item.key }}"
        variables: "{{ item.value }}"
        update_mode: "{{ update_mode }}"
      loop: "{{ org_data.projects | dict2items }}"
      loop_control:
        label: "{{ item.key }}"
      no_log: true
""" % dict(org=ORG)

# All pages of one listing, the way it is done with uri: a task file that includes itself while
# the answer has a next_page_token (list_all.yml starts it). Adds the items' `key` field to `collected[name]`.
PAGES_TASKS = """- name: One page
  ansible.builtin.uri:
    url: "{{ page_url }}{{ ('?page-token=' ~ page_tokens[-1]) if page_tokens[-1] else '' }}"
    headers: "{{ headers }}"
  register: page

- name: Collect
  ansible.builtin.set_fact:
    collected: "{{ collected | combine({collect_as: (collected[collect_as] | default([])) + (page.json['items'] | map(attribute=item_key) | list)}) }}"
    page_tokens: "{{ page_tokens + [page.json.next_page_token] }}"

- name: Next page
  ansible.builtin.include_tasks: pages.yml
  when: page_tokens[-1] is truthy
"""

LIST_ALL_TASKS = """- name: Start a listing
  ansible.builtin.set_fact:
    page_tokens: ['']

- name: Pages
  ansible.builtin.include_tasks: pages.yml
"""

# Without the collection: one uri task per API call kind, looping over items; listings paged
# with include_tasks; `on_create` done by skipping names already listed.
URI_PLAYBOOK = HEADER + """  tasks:
    - name: List contexts
      ansible.builtin.uri:
        url: "{{ api }}/context?owner-slug=%(org)s"
        headers: "{{ headers }}"
      register: listed

    - name: Create missing contexts
      ansible.builtin.uri:
        url: "{{ api }}/context"
        method: POST
        headers: "{{ headers }}"
        body_format: json
        body: {name: "{{ item }}", owner: {slug: %(org)s, type: organization}}
      loop: "{{ org_data.contexts | list }}"
      when: item not in (listed.json['items'] | map(attribute='name'))
      register: created

    - name: List contexts again (ids of those created)
      ansible.builtin.uri:
        url: "{{ api }}/context?owner-slug=%(org)s"
        headers: "{{ headers }}"
      register: relisted
      when: created is not skipped

    - name: Context ids
      ansible.builtin.set_fact:
        context_ids: "{{ ((listed if created is skipped else relisted).json['items']) | items2dict(key_name='name', value_name='id') }}"
        collected: {}

    - name: List the variables of each context (all pages)
      ansible.builtin.include_tasks: list_all.yml
      vars:
        page_url: "{{ api }}/context/{{ context_ids[ctx] }}/environment-variable"
        collect_as: "{{ ctx }}"
        item_key: variable
      loop: "{{ org_data.contexts | list }}"
      loop_control:
        loop_var: ctx
      when: update_mode == 'on_create'

    - name: Write context variables
      ansible.builtin.uri:
        url: "{{ api }}/context/{{ context_ids[item.context] }}/environment-variable/{{ item.name }}"
        method: PUT
        headers: "{{ headers }}"
        body_format: json
        body: {value: "{{ item.value }}"}
      loop: "{{ context_pairs }}"
      loop_control:
        label: "{{ item.context }} {{ item.name }}"
      when: update_mode == 'always' or item.name not in (collected[item.context] | default([]))
      no_log: true

    - name: List the variables of each project (all pages)
      ansible.builtin.include_tasks: list_all.yml
      vars:
        page_url: "{{ api }}/project/{{ proj }}/envvar"
        collect_as: "{{ proj }}"
        item_key: name
      loop: "{{ org_data.projects | list }}"
      loop_control:
        loop_var: proj
      when: update_mode == 'on_create'

    - name: Write project variables
      ansible.builtin.uri:
        url: "{{ api }}/project/{{ item.project }}/envvar"
        method: POST
        headers: "{{ headers }}"
        body_format: json
        body: {name: "{{ item.name }}", value: "{{ item.value }}"}
        status_code: [200, 201]
      loop: "{{ project_pairs }}"
      loop_control:
        label: "{{ item.project }} {{ item.name }}"
      when: update_mode == 'always' or item.name not in (collected[item.project] | default([]))
      no_log: true
""" % dict(org=ORG)

def startup_playbook(kind, count):
    tasks = []
    for index in range(count):
        if kind == 'collection':
            tasks.append("""    - name: Info %d
      community.circleci.circleci_context_info:
        api_token: "{{ lookup('env', 'CIRCLECI_TOKEN') }}"
        api_url: "{{ api }}"
        owner_slug: %s
""" % (index, ORG))
        else:
            tasks.append("""    - name: GET %d
      ansible.builtin.uri:
        url: "{{ api }}/context?owner-slug=%s"
        headers: "{{ headers }}"
""" % (index, ORG))
    return HEADER + '  tasks:\n' + ''.join(tasks)


# --- emulator -----------------------------------------------------------------------------------

def start_emulator(latency_ms):
    try:
        return EmulatorProcess('--latency-ms', str(latency_ms))
    except EmulatorStartError as exc:
        raise SystemExit(str(exc))


# --- running ------------------------------------------------------------------------------------

class Runner:
    def __init__(self, emulator, workdir, collections):
        self.emulator = emulator
        self.workdir = workdir
        self.env = dict(os.environ, CIRCLECI_API_URL=emulator.api_url, CIRCLECI_TOKEN=TOKEN,
                        ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                        ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                        ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='false')
        self.write('pages.yml', PAGES_TASKS)
        self.write('list_all.yml', LIST_ALL_TASKS)
        self.write('collection.yml', COLLECTION_PLAYBOOK)
        self.write('uri.yml', URI_PLAYBOOK)
        self.write('startup_collection.yml', startup_playbook('collection', 50))
        self.write('startup_uri.yml', startup_playbook('uri', 50))

    def write(self, name, text):
        with open(os.path.join(self.workdir, name), 'w') as handle:
            handle.write(text)

    def playbook(self, name, extra_vars=None, options=()):
        """(seconds, requests, 429s) of one ansible-playbook run; fails loudly if the play fails."""
        self.emulator.clear_log()
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', name] + list(options)
        if extra_vars is not None:
            path = os.path.join(self.workdir, 'vars.json')
            with open(path, 'w') as handle:
                json.dump(extra_vars, handle)
            command += ['-e', '@' + path]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=self.workdir, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-2000:])
            raise SystemExit('%s failed (exit %d)' % (name, done.returncode))
        log = self.emulator.request_log()
        return seconds, len(log), sum(1 for entry in log if entry.get('status') == 429)


def org_data(contexts, context_vars, projects, project_vars, salt):
    """Extra vars of both playbooks: the same data as dicts (collection) and as flat lists (uri loops)."""
    data = dict(
        contexts=dict(('bench-%d' % c, dict(('VAR_%04d' % v, 'value-%s-%d-%d' % (salt, c, v)) for v in range(context_vars)))
                      for c in range(contexts)),
        projects=dict((slug, dict(('PVAR_%04d' % v, 'value-%s-%d' % (salt, v)) for v in range(project_vars)))
                      for slug in projects),
    )
    return data


def playbook_vars(data, update_mode):
    return dict(
        org_data=data, update_mode=update_mode,
        context_pairs=[dict(context=ctx, name=name, value=value)
                       for ctx, variables in data['contexts'].items() for name, value in variables.items()],
        project_pairs=[dict(project=slug, name=name, value=value)
                       for slug, variables in data['projects'].items() for name, value in variables.items()],
    )


def median(values):
    return statistics.median(values)


def measure_org(runner, kind, runs, data):
    """{phase: [(seconds, requests, 429s)]} for (a) first convergence, (b) on_create rerun, (c) always rerun."""
    phases = dict(a=[], b=[], c=[])
    book = '%s.yml' % kind
    for run in range(runs):
        runner.emulator.reset()
        phases['a'].append(runner.playbook(book, playbook_vars(data, 'on_create')))
        phases['b'].append(runner.playbook(book, playbook_vars(data, 'on_create')))
        phases['c'].append(runner.playbook(book, playbook_vars(data, 'always')))
        print('  %s run %d: %s' % (kind, run + 1, ', '.join('%s %.1fs/%d req' % (p, phases[p][-1][0], phases[p][-1][1]) for p in 'abc')),
              flush=True)
    return phases


def summary(samples):
    return median([s[0] for s in samples]), median([s[1] for s in samples]), max(s[2] for s in samples)


def pages(count, page_size):
    return max(1, -(-count // page_size))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--page-size', type=int, default=20, help="the emulator's page size (its default)")
    parser.add_argument('--out', default=os.path.join(HERE, 'RESULTS.md'))
    parser.add_argument('--collections', help='an ANSIBLE_COLLECTIONS_PATH holding community.circleci (default: a fresh private tree)')
    parser.add_argument('--scale', default='10,100,1000')
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='circleci-bench-')
    collections = args.collections
    if not collections:
        collections = os.path.join(workdir, 'collections')
        subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'collection_tree.py'), collections],
                       check=True, stdout=subprocess.DEVNULL)
    emulator = start_emulator(args.latency_ms)
    rows = []
    try:
        runner = Runner(emulator, workdir, collections)
        data = org_data(4, 50, PROJECTS, 25, 'x')
        print('org: 4 contexts x 50 variables, 2 projects x 25 variables; latency %d ms; median of %d'
              % (args.latency_ms, args.runs), flush=True)
        ours = measure_org(runner, 'collection', args.runs, data)
        uri = measure_org(runner, 'uri', args.runs, data)
        # (b) floor with one module run per context / project (each run is its own process):
        # circleci_context: 1 GET /context each; circleci_context_env: 1 GET /context + the env listing pages;
        # circleci_project_env: the env listing pages.
        env_pages = pages(50, args.page_size)
        floor_b = 4 * 1 + 4 * (1 + env_pages) + 2 * pages(25, args.page_size)
        labels = dict(a='(a) first convergence', b='(b) rerun, update_mode on_create', c='(c) rerun, update_mode always')
        for phase in 'abc':
            o, u = summary(ours[phase]), summary(uri[phase])
            note = ''
            if phase == 'b':
                note = 'floor %d = 4 x 1 (circleci_context) + 4 x (1 + %d) (circleci_context_env) + 2 x %d (circleci_project_env)' % (
                    floor_b, env_pages, pages(25, args.page_size))
            rows.append((labels[phase], o, u, note))

        scale = []
        for count in [int(n) for n in args.scale.split(',') if n]:
            one = org_data(1, count, [], 0, 's')
            emulator.reset()
            runner.playbook('collection.yml', playbook_vars(one, 'on_create'))
            samples = [runner.playbook('collection.yml', playbook_vars(one, 'on_create')) for _ in range(args.runs)]
            scale.append((count, summary(samples), 2 + pages(count, args.page_size)))
            print('  scale %d: %.2fs, %d requests' % (count, scale[-1][1][0], scale[-1][1][1]), flush=True)

        emulator.reset()
        startup = {}
        # the collection's tasks as they run by default (in the controller), as module processes
        # (circleci_run_in_controller: false: what the module's own imports cost), and uri
        for kind, book, options in (('collection', 'startup_collection.yml', ()),
                                    ('process', 'startup_collection.yml', ('-e', 'circleci_run_in_controller=false')),
                                    ('uri', 'startup_uri.yml', ())):
            startup[kind] = summary([runner.playbook(book, options=options) for _ in range(args.runs)])
            print('  start-up %s: %.2fs' % (kind, startup[kind][0]), flush=True)
    finally:
        emulator.stop()

    text = report(args, rows, scale, startup)
    args.out_previous = open(args.out).read() if os.path.exists(args.out) else ''
    print(text)
    with open(args.out, 'w') as handle:
        handle.write(text + kept_scale_section(args.out_previous))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def kept_scale_section(previous):
    """The section benchmarks/scale.py (make bench-scale) wrote into RESULTS.md, kept as it was."""
    begin, end = '<!-- bench-scale:', '<!-- /bench-scale -->'
    if begin not in previous or end not in previous:
        return ''
    start = previous.index(begin)
    return '\n' + previous[start:previous.index(end, start) + len(end)] + '\n'


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import ansible
        ansible_version = ansible.__version__
    except ImportError:
        ansible_version = '?'
    return '%s, %d CPUs, %s; Python %s; ansible-core %s' % (
        cpu, os.cpu_count() or 0, platform.platform(), platform.python_version(), ansible_version)


def report(args, rows, scale, startup):
    lines = [
        '# Benchmark results',
        '',
        'Written by `benchmarks/run.py` (`make bench`); see `benchmarks/README.md` for what is measured.',
        '',
        '- Date: %s' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        '- Machine: %s' % machine(),
        '- circleci-emulator on 127.0.0.1, latency %d ms per request, page size %d; median of %d runs; '
        'wall time of the whole `ansible-playbook` run.' % (args.latency_ms, args.page_size, args.runs),
        '',
        '## Org: 4 contexts x 50 variables, 2 projects x 25 variables',
        '',
        '| scenario | collection: time | requests | uri: time | requests | speed-up | 429s | note |',
        '|---|---:|---:|---:|---:|---:|---:|---|',
    ]
    for label, (ot, oreq, o429), (ut, ureq, u429), note in rows:
        lines.append('| %s | %.2f s | %d | %.2f s | %d | %.1fx | %d / %d | %s |' % (label, ot, oreq, ut, ureq, ut / ot, o429, u429, note))
    lines += ['', '## Scale: (b) rerun of one context, update_mode on_create', '',
              '| variables | time | requests | floor (circleci_context: 1 GET /context; circleci_context_env: 1 GET /context + env listing pages) |', '|---:|---:|---:|---:|']
    for count, (t, req, _), floor in scale:
        lines.append('| %d | %.2f s | %d | %d |' % (count, t, req, floor))
    ct, pt, ut = startup['collection'][0], startup['process'][0], startup['uri'][0]
    lines += ['', '## Module start-up: 50 tasks, one GET each', '',
              'The collection\'s tasks run in the controller process by default (connection local); with',
              '`circleci_run_in_controller: false` each one starts a module process, as `ansible.builtin.uri` does.', '',
              '| 50 x community.circleci.circleci_context_info | the same as module processes | 50 x ansible.builtin.uri GET '
              '| ratio (controller / uri) | ratio (module processes / uri) |', '|---:|---:|---:|---:|---:|',
              '| %.2f s | %.2f s | %.2f s | %.2f | %.2f |' % (ct, pt, ut, ct / ut, pt / ut), '']
    return '\n'.join(lines)


if __name__ == '__main__':
    sys.exit(main())
