#!/usr/bin/env python3
# Copyright (c) community.circleci contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Org scale: the role org_config on an organization of N projects and N/4 contexts (make bench-scale).

    python benchmarks/scale.py [--sizes 10,50,200] [--latency-ms 50] [--runs 1] [--out benchmarks/RESULTS.md]
                               [--rate-429 0.1] [--write-seed DIR]

For each N, generates an emulator seed (the default seed plus the organization gh/scale with N
projects) and an org definition: N projects with 10 variables, a webhook, a schedule and an
advanced setting each, and N/4 contexts of 20 variables, each restricted to one project. It starts
circleci-emulator with that seed and `--latency-ms`, and runs the role (`ansible-playbook`, a
private collection tree): (a) first converge, (b) unchanged rerun, (c) `--check --diff`, then (d)
the unchanged rerun again with the emulator answering 429 to a share `--rate-429` of the requests.
Each phase records wall time, requests and writes (the emulator's request log), the 429 answers
sent, peak memory (the largest RSS of the ansible-playbook run), and the emulator's own CPU time.
The floor (the reads the API forces) is computed beside each count. The table replaces the
section between the bench-scale markers of RESULTS.md. All traffic stays on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

from circleci_emulator.seed import default_seed
from circleci_emulator.server import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run import TOKEN, machine  # noqa: E402  (the benchmark next door: same token, same machine line)

ORG_NAME = 'scale'
ORG = 'gh/' + ORG_NAME
PAGE_SIZE = 20
PROJECT_VARS = 10
CONTEXT_VARS = 20
# Every variable value and signing secret of definition() starts with one of these: none may be
# in the play's output (checked after each run, --diff included).
SECRET_PREFIXES = ('ctx-v1-', 'prj-v1-', 'whsec-v1-')
BEGIN = '<!-- bench-scale: written by benchmarks/scale.py -->'
END = '<!-- /bench-scale -->'

PLAYBOOK = """- name: Converge the organization
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: community.circleci.org_config
"""


# --- the generator ------------------------------------------------------------------------------

def project_name(index):
    return 'p%04d' % index


def seed(n):
    """The default seed plus the organization gh/scale with n projects."""
    data = default_seed()
    org_id = str(uuid.uuid5(uuid.NAMESPACE_URL, 'bench-scale-org'))
    data['orgs'].append({
        'id': org_id, 'vcs_type': 'github', 'name': ORG_NAME, 'avatar_url': '',
        'projects': [{'id': str(uuid.uuid5(uuid.NAMESPACE_URL, 'bench-scale-project-%d' % i)), 'name': project_name(i),
                      'default_branch': 'main'} for i in range(n)],
    })
    return data


def definition(n, salt='v1'):
    """circleci_org for n projects and n/4 contexts."""
    contexts = [dict(name='ctx-%04d' % c,
                     restrictions=[dict(type='project', value='%s/%s' % (ORG, project_name(c)))],
                     variables=dict(('CTX_VAR_%02d' % v, 'ctx-%s-%d-%d-secret' % (salt, c, v)) for v in range(CONTEXT_VARS)))
                for c in range(n // 4)]
    projects = [dict(slug='%s/%s' % (ORG, project_name(p)),
                     variables=dict(('PROJECT_VAR_%02d' % v, 'prj-%s-%d-%d-secret' % (salt, p, v)) for v in range(PROJECT_VARS)),
                     webhooks=[dict(name='notify', url='https://hooks.example.com/circleci/%d' % p, events=['workflow-completed'],
                                    signing_secret='whsec-%s-%d-secret' % (salt, p))],
                     schedules=[dict(name='nightly', timetable=dict(per_hour=1, hours_of_day=[3], days_of_week=['MON', 'THU']),
                                     branch='main', attribution_actor='current')],
                     settings=dict(autocancel_builds=True))
                for p in range(n)]
    return dict(slug=ORG, contexts=contexts, projects=projects)


def pages(count):
    return max(1, math.ceil(count / PAGE_SIZE))


def floor(n):
    """Reads of an unchanged rerun (and of --check --diff) the API forces: the contexts listed once
    (all pages); per context its restrictions and its variables; per project GET /project/{slug}
    (the webhook listing takes the project id; the context restriction of the same project reuses
    it), its variables, webhooks and schedules listings and its settings."""
    c = n // 4
    return pages(c) + c * (1 + pages(CONTEXT_VARS)) + n * (1 + pages(PROJECT_VARS) + 1 + 1 + 1)


def write_floor(n):
    """Writes of the first converge: per context its create, restriction and variables; per project
    its variables, webhook, schedule and settings."""
    c = n // 4
    return c * (2 + CONTEXT_VARS) + n * (PROJECT_VARS + 3)


# --- running ------------------------------------------------------------------------------------

def collection_tree(workdir):
    tree = os.path.join(workdir, 'collections')
    subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'collection_tree.py'), tree], check=True,
                   stdout=subprocess.DEVNULL)
    return tree


def cpu_seconds(pid):
    """utime + stime of a process (Linux /proc), in seconds."""
    with open('/proc/%d/stat' % pid) as handle:
        fields = handle.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def run_playbook(emulator, workdir, env, options=()):
    """One ansible-playbook run: dict of seconds, requests, writes, 429s, peak RSS (MiB), emulator CPU."""
    emulator.clear_log()
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', 'play.yml',
               '-e', '@org.json'] + list(options)
    cpu_before = cpu_seconds(emulator.proc.pid)
    start = time.perf_counter()
    with open(os.path.join(workdir, 'last.log'), 'w') as log:
        proc = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        with open(os.path.join(workdir, 'last.log')) as log:
            sys.stderr.write(log.read()[-6000:])
        raise SystemExit('the play failed (exit %d)' % proc.returncode)
    with open(os.path.join(workdir, 'last.log')) as log:
        output = log.read()
    leaked = [prefix for prefix in SECRET_PREFIXES if prefix in output]
    if leaked:
        raise SystemExit('a secret value of the definition is in the output of the play (%s)' % ', '.join(leaked))
    entries = emulator.request_log()
    return dict(seconds=seconds, requests=len(entries),
                writes=sum(1 for entry in entries if entry.get('method') != 'GET'),
                rate_limited=sum(1 for entry in entries if entry.get('status') == 429),
                rss_mib=usage.ru_maxrss / 1024.0, emulator_cpu=cpu_seconds(emulator.proc.pid) - cpu_before)


def best(samples):
    """The fastest run of several (the table's numbers come from one run each)."""
    return min(samples, key=lambda sample: sample['seconds'])


def measure(n, args, workdir, collections):
    seed_path = os.path.join(workdir, 'seed-%d.json' % n)
    with open(seed_path, 'w') as handle:
        json.dump(seed(n), handle)
    with open(os.path.join(workdir, 'org.json'), 'w') as handle:
        json.dump(dict(circleci_org=definition(n)), handle)
    emulator = EmulatorProcess('--latency-ms', str(args.latency_ms), '--seed', seed_path, '--page-size', str(PAGE_SIZE))
    env = dict(os.environ, CIRCLECI_API_URL=emulator.api_url, CIRCLECI_TOKEN=TOKEN, ANSIBLE_COLLECTIONS_PATH=collections,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='false')
    phases = dict(first=[], rerun=[], check=[], faults=[])
    try:
        for run in range(args.runs):
            emulator.reset()
            phases['first'].append(run_playbook(emulator, workdir, env))
            phases['rerun'].append(run_playbook(emulator, workdir, env))
            phases['check'].append(run_playbook(emulator, workdir, env, ('--check', '--diff')))
            emulator.set_faults(rate_429=args.rate_429, retry_after=args.retry_after, seed=run)
            phases['faults'].append(run_playbook(emulator, workdir, env))
            emulator.set_faults(rate_429=0.0)
            done = ', '.join('%s %.1f s / %d req' % (name, samples[-1]['seconds'], samples[-1]['requests'])
                             for name, samples in phases.items())
            print('  N=%d run %d: %s' % (n, run + 1, done), flush=True)
    finally:
        emulator.stop()
    return dict((name, best(samples)) for name, samples in phases.items())


# --- the report ---------------------------------------------------------------------------------

def report(args, results):
    lines = [
        BEGIN,
        '## Org scale (`make bench-scale`)',
        '',
        '- Date: %s' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        '- Machine: %s' % machine(),
        '- The role `org_config` on gh/scale: N projects (%d variables, a webhook, a schedule, one advanced setting '
        'each) and N/4 contexts (%d variables, one project restriction each); circleci-emulator on 127.0.0.1, '
        'latency %d ms per request, page size %d; best of %d run(s); wall time of the whole `ansible-playbook` run; '
        'role defaults (`org_config_concurrency` 10).' % (PROJECT_VARS, CONTEXT_VARS, args.latency_ms, PAGE_SIZE, args.runs),
        '- Floor: the reads the API forces (see `benchmarks/README.md`); for the first converge, the writes.',
        '- 429 run: the unchanged rerun again, the emulator answering 429 (Retry-After %g s) to %d%% of the requests; '
        '"429s" is how many it sent, all absorbed by the client\'s retries (the play succeeded).'
        % (args.retry_after, round(args.rate_429 * 100)),
        '- Peak RSS: the largest resident set of the run\'s processes; emulator CPU: its user + system time during the run.',
        '- Load average (1 min) of the machine, shared with other work: %.1f at the start, %.1f at the end.' % args.load,
        '',
        '| N | phase | wall time | requests | floor | writes | 429s | peak RSS | emulator CPU |',
        '|---|---|---|---|---|---|---|---|---|',
    ]
    for n, phases in results:
        for name, label in (('first', 'first converge'), ('rerun', 'unchanged rerun'), ('check', '`--check --diff`'),
                            ('faults', 'rerun, 429 faults')):
            sample = phases[name]
            shown_floor = '%d writes' % write_floor(n) if name == 'first' else str(floor(n))
            lines.append('| %d | %s | %.1f s | %d | %s | %d | %d | %.0f MiB | %.1f s |' % (
                n, label, sample['seconds'], sample['requests'], shown_floor, sample['writes'], sample['rate_limited'],
                sample['rss_mib'], sample['emulator_cpu']))
    if len(results) > 1:
        lines += ['', 'Rerun time per project: %s.' % ', '.join(
            'N=%d %.0f ms' % (n, 1000 * phases['rerun']['seconds'] / n) for n, phases in results)]
    lines.append(END)
    return '\n'.join(lines) + '\n'


def write_section(path, section):
    text = open(path).read() if os.path.exists(path) else '# Benchmark results\n'
    pattern = re.compile(re.escape(BEGIN) + '.*?' + re.escape(END) + '\n?', re.S)
    if pattern.search(text):
        text = pattern.sub(lambda match: section, text)
    else:
        text = text.rstrip('\n') + '\n\n' + section
    with open(path, 'w') as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--sizes', default='10,50,200', help='comma-separated N (default 10,50,200)')
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--runs', type=int, default=1)
    parser.add_argument('--rate-429', type=float, default=0.1)
    parser.add_argument('--retry-after', type=float, default=1.0, help='Retry-After of the 429 answers (default 1 s)')
    parser.add_argument('--out', default=os.path.join(HERE, 'RESULTS.md'))
    parser.add_argument('--write-seed', metavar='DIR', help='only write seed-N.json and org-N.json into DIR')
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(',')]
    if args.write_seed:
        os.makedirs(args.write_seed, exist_ok=True)
        for n in sizes:
            with open(os.path.join(args.write_seed, 'seed-%d.json' % n), 'w') as handle:
                json.dump(seed(n), handle)
            with open(os.path.join(args.write_seed, 'org-%d.json' % n), 'w') as handle:
                json.dump(dict(circleci_org=definition(n)), handle, indent=1)
        return 0
    results = []
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix='bench-scale-') as workdir:
        with open(os.path.join(workdir, 'play.yml'), 'w') as handle:
            handle.write(PLAYBOOK)
        collections = collection_tree(workdir)
        for n in sizes:
            results.append((n, measure(n, args, workdir, collections)))
    args.load = (load_at_start, os.getloadavg()[0])
    section = report(args, results)
    sys.stdout.write(section)
    write_section(args.out, section)
    return 0


if __name__ == '__main__':
    sys.exit(main())
