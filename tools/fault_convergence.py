#!/usr/bin/env python3
"""Fault convergence and concurrent runs of roles/org_config against circleci-emulator.

    python tools/fault_convergence.py [--seeds 10] [--first-seed 1] [--parallel 5]
        [--org tools/reliability/org.yml] [--faults JSON] [--concurrent-only | --no-concurrent]

Fault seeds: per seed, a fresh emulator (its own port) gets the fault mix with that seed, the
role applies the organization definition, and then
- the run succeeded, and /_emulator/state holds the desired organization: every project,
  context, restriction, variable, checkout key, webhook, schedule, setting, OIDC claim, policy,
  pipeline definition, trigger, group, URL orb allow-list entry and runner resource class, each
  once (no duplicate of any of them);
- every request the emulator refused (429 or a 5xx before processing) was sent again, and every
  request whose answer was lost (a dropped connection, or a 500 after processing) was either
  sent again (idempotent writes, reads) or, for a create, followed by a read that found the
  object: no create was processed twice (a resent create the API refused with 409 counts as
  found too).
Concurrent runs: two role runs against one emulator at the same time (with latency, so that
their reads and creates interleave), then the same state checks and no duplicates.

Prints "fault convergence: N seeds, R retries seen, D dropped answers, 0 duplicates" and
"concurrent runs: ..."; exits 1 on any failure. The faults default to the mix of issue #7
(rate_429 0.3 with Retry-After 1 s, rate_500 0.1, rate_drop 0.05) with half of the 500s
answered after the request was processed (error_after 0.5).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from circleci_emulator.server import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "tools" / "reliability" / "converge.yml"
DEFAULT_ORG = ROOT / "tools" / "reliability" / "org.yml"
# The issue #7 mix; Retry-After (on the 429s and the 5xx answers) a fifth of a second, which the
# client honours: the waits are real, only short.
DEFAULT_FAULTS = {"rate_429": 0.3, "retry_after": 0.2, "rate_500": 0.1, "rate_drop": 0.05, "error_after": 0.5,
                  "error_retry_after": 0.2}
TOKEN = os.environ.get("CIRCLECI_EMULATOR_TOKEN", "emulator-token")
# POSTs that create one object (a second one would be a duplicate), by path suffix / equality
CREATE_PATHS = ("/restrictions", "/checkout-key", "/schedule", "/project", "/pipeline-definitions", "/triggers",
                "/groups", "/url-orb-allow-list")
CREATE_EXACT = ("/context", "/webhook", "/runner/resource")


# --- role runs ------------------------------------------------------------------------------

def start_role(emulator, org_file, collections_path, log_path):
    env = dict(os.environ, CIRCLECI_API_URL=emulator.api_url, CIRCLECI_RUNNER_API_URL=emulator.base + "/api/v3",
               CIRCLECI_TOKEN=TOKEN,
               ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_NOCOLOR="1")
    for name in ("CIRCLE_TOKEN", "ANSIBLE_CONFIG"):
        env.pop(name, None)
    command = ["ansible-playbook", "-i", "localhost,", str(PLAYBOOK), "-e", "@%s" % org_file,
               "-e", "ansible_python_interpreter=%s" % sys.executable]
    log = open(log_path, "w")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT)), log


def run_role(emulator, org_file, collections_path, log_path):
    proc, log = start_role(emulator, org_file, collections_path, log_path)
    try:
        return proc.wait()
    finally:
        log.close()


# --- the desired state ----------------------------------------------------------------------

def check_state(state, org):
    """(problems, duplicates): how /_emulator/state differs from the organization definition."""
    return StateCheck(state, org).run()


class StateCheck:
    """The checks of one /_emulator/state against one organization definition, one method per kind
    of object; each adds to ``problems`` (missing or different) and ``duplicates`` (made twice)."""

    def __init__(self, state, org):
        self.state, self.org = state, org
        self.problems, self.duplicates = [], []
        self.slug = org["slug"]
        self.org_id = next(o["id"] for o in state["orgs"] if o["slug"] == self.slug)
        self.project_slug = dict((p["id"], p["slug"]) for p in state["projects"])

    def run(self):
        self.org_oidc_claims()
        self.contexts()
        projects = [(p, self.project_entry_slug(p)) for p in self.org.get("projects", [])]
        projects = [(p, pslug) for p, pslug in projects if pslug]
        for pslug in sorted(set(pslug for _, pslug in projects)):
            self.no_duplicate_names(pslug)
        for project, pslug in projects:
            self.project(project, pslug)
            self.pipeline_definitions(project, pslug)
        self.policies()
        self.groups()
        self.url_orb_allow_list()
        self.runner_resource_classes()
        return self.problems, self.duplicates

    def project_entry_slug(self, project):
        """The slug of a project entry (by slug, or by name in its organization), or None after
        noting a missing project or duplicates."""
        if "slug" in project:
            return project["slug"]
        org_slug = project.get("organization", self.slug)
        org_id = next((o["id"] for o in self.state["orgs"] if o["slug"] == org_slug or o["id"] == org_slug), None)
        found = self.once("project", [p for p in self.state["projects"] if p["org_id"] == org_id
                                      and p["name"].lower() == project["name"].lower()],
                          "%s of %s" % (project["name"], org_slug))
        return found["slug"] if found else None

    # helpers

    def once(self, kind, items, name):
        """The one item found, or None after noting a missing one or duplicates."""
        if len(items) != 1:
            (self.duplicates if len(items) > 1 else self.problems).append("%s %s: %d found" % (kind, name, len(items)))
            return None
        return items[0]

    def same(self, kind, name, got, want):
        if got != want:
            self.problems.append("%s %s: %r, wanted %r" % (kind, name, got, want))

    def claims(self, project_id):
        return next((c for c in self.state["oidc_claims"]
                     if c["org_id"] == self.org_id and c["project_id"] == project_id), None)

    # the organization

    def org_oidc_claims(self):
        if "oidc_claims" not in self.org:
            return
        found = self.claims(None) or {}
        self.same("org OIDC audience", self.slug, found.get("audience"), sorted(self.org["oidc_claims"].get("audience", [])))
        if "ttl" in self.org["oidc_claims"] and not found.get("ttl"):
            self.problems.append("org OIDC ttl not set")

    def contexts(self):
        mine = [c for c in self.state["contexts"] if c["owner"]["slug"] == self.slug or c["owner"]["id"] == self.org_id]
        for name in sorted(set(c["name"] for c in mine)):
            if sum(1 for c in mine if c["name"] == name) > 1:
                self.duplicates.append("context %s: %d found" % (name, sum(1 for c in mine if c["name"] == name)))
        for want in self.org.get("contexts", []):
            self.context(want, [c for c in mine if c["name"] == want["name"]])

    def context(self, want, found):
        if want.get("state", "present") == "absent":
            if found:
                self.problems.append("context %s still exists" % want["name"])
            return
        context = self.once("context", found, want["name"])
        if context is not None:
            self.context_restrictions(context, want)
            self.context_variables(context, want)

    def context_restrictions(self, context, want):
        got = [(r["restriction_type"], self.project_slug.get(r["restriction_value"], r["restriction_value"])
                if r["restriction_type"] == "project" else r["restriction_value"]) for r in context["restrictions"]]
        if len(got) != len(set(got)):
            self.duplicates.append("context %s: restriction listed twice: %r" % (want["name"], got))
        if "restrictions" in want:
            self.same("restrictions of context", want["name"], sorted(set(got)),
                      sorted(set((r["type"], r["value"]) for r in want["restrictions"])))

    def context_variables(self, context, want):
        wanted_vars = want.get("variables") or {}
        for key, value in wanted_vars.items():
            self.same("variable of context %s" % want["name"], key, (context["env_vars"].get(key) or {}).get("value"), value)
        if want.get("purge_variables"):
            self.same("variables of context", want["name"], sorted(context["env_vars"]), sorted(wanted_vars))

    def groups(self):
        mine = [g for g in self.state.get("groups", []) if g["org_id"] == self.org_id]
        for want in self.org.get("groups", []):
            group = self.once("group", [g for g in mine if g["name"] == want["name"]], want["name"])
            if group and "description" in want:
                self.same("group description", want["name"], group["description"], want["description"])

    def url_orb_allow_list(self):
        mine = [e for e in self.state.get("url_orb_allow_list", []) if e["org_id"] == self.org_id]
        for want in self.org.get("url_orb_allow_list", []):
            entry = self.once("allow-list entry", [e for e in mine if e["name"] == want["name"]], want["name"])
            if entry:
                self.same("allow-list prefix", want["name"], entry["prefix"], want.get("prefix", entry["prefix"]))

    def runner_resource_classes(self):
        classes = self.state.get("runner", {}).get("resource_classes", [])
        for want in self.org.get("runner_resource_classes", []):
            found = [c for c in classes if c["resource_class"] == want["resource_class"]]
            if want.get("state", "present") == "absent":
                if found:
                    self.problems.append("resource class %s still exists" % want["resource_class"])
                continue
            rc = self.once("resource class", found, want["resource_class"])
            if rc and "description" in want:
                self.same("resource class description", want["resource_class"], rc["description"], want["description"])

    def pipeline_definitions(self, project, pslug):
        mine = [d for d in self.state.get("pipeline_definitions", []) if d["project_slug"] == pslug]
        for want in project.get("pipeline_definitions", []):
            found = [d for d in mine if d["name"] == want["name"]]
            if want.get("state", "present") == "absent":
                if found:
                    self.problems.append("pipeline definition %s of %s still exists" % (want["name"], pslug))
                continue
            definition = self.once("pipeline definition", found, "%s of %s" % (want["name"], pslug))
            if definition is None:
                continue
            if "description" in want:
                self.same("definition description", want["name"], definition["description"], want["description"])
            for key, value in (want.get("config_source") or {}).items():
                self.same("definition %s config_source" % want["name"], key, definition["config_source"].get(key), value)
            for trigger in want.get("triggers", []):
                self.trigger(definition, trigger)

    def trigger(self, definition, want):
        """A trigger of the definition, found by the module's natural key."""
        if want["provider"] == "webhook":
            key = want["event_name"]
            found = [t for t in definition["triggers"] if t["provider"] == "webhook" and t["event_name"] == key]
        else:
            repo = want.get("repo_external_id", definition["checkout_source"]["repo_external_id"])
            key = "%s %s" % (repo, want["event_preset"])
            found = [t for t in definition["triggers"] if t["provider"] == want["provider"]
                     and t["repo_external_id"] == repo and t["event_preset"] == want["event_preset"]]
        if want.get("state", "present") == "absent":
            if found:
                self.problems.append("trigger %s of %s still exists" % (key, definition["name"]))
            return
        trigger = self.once("trigger", found, "%s of %s" % (key, definition["name"]))
        if trigger:
            for ref in ("checkout_ref", "config_ref"):
                if ref in want:
                    self.same("trigger %s" % key, ref, trigger[ref], want[ref])

    def policies(self):
        policies = self.org.get("policies")
        if not policies:
            return
        owner = next((p for p in self.state["policies"] if p["owner_id"] == self.org_id and p["context"] == "config"), None)
        if owner is None:
            self.problems.append("no config policy state for %s" % self.slug)
            return
        if "decision_enabled" in policies:
            self.same("policy decisions enabled", self.slug, owner["decision_settings"]["enabled"], policies["decision_enabled"])
        for name, content in (policies.get("bundle") or {}).items():
            self.same("policy", name, (owner["bundle"].get(name) or {}).get("content"), content)

    # each project

    def no_duplicate_names(self, pslug):
        """No two webhooks, and no two schedules, of one name in the project."""
        for kind, names in (("webhook", [w["name"] for w in self.state["webhooks"] if w["project_slug"] == pslug]),
                            ("schedule", [s["name"] for s in self.state["schedules"].get(pslug, [])])):
            for name in sorted(set(names)):
                if names.count(name) > 1:
                    self.duplicates.append("%s %s of %s: %d found" % (kind, name, pslug, names.count(name)))

    def project(self, project, pslug):
        project_id = next(p["id"] for p in self.state["projects"] if p["slug"] == pslug)
        self.project_variables(project, pslug)
        self.checkout_keys(project, pslug)
        self.webhooks(project, pslug)
        self.schedules(project, pslug)
        settings = self.state["project_settings"].get(pslug, {})
        for key, value in (project.get("settings") or {}).items():
            self.same("setting of %s" % pslug, key, settings.get(key), value)
        if "oidc_claims" in project:
            self.same("project OIDC audience", pslug, (self.claims(project_id) or {}).get("audience"),
                      sorted(project["oidc_claims"].get("audience", [])))

    def project_variables(self, project, pslug):
        env = self.state["project_env_vars"].get(pslug, {})
        for key, value in (project.get("variables") or {}).items():
            self.same("variable of project %s" % pslug, key, (env.get(key) or {}).get("value"), value)
        if project.get("purge_variables"):
            self.same("variables of project", pslug, sorted(env), sorted(project.get("variables") or {}))

    def checkout_keys(self, project, pslug):
        keys = self.state["checkout_keys"].get(pslug, [])
        wanted = set(k["type"] for k in project.get("checkout_keys", []) if k.get("state", "present") == "present")
        for key_type in sorted(wanted):
            self.once("checkout key", [k for k in keys if k["type"] == key_type], "%s of %s" % (key_type, pslug))

    def webhooks(self, project, pslug):
        hooks = [w for w in self.state["webhooks"] if w["project_slug"] == pslug]
        for want in project.get("webhooks", []):
            hook = self.once("webhook", [w for w in hooks if w["name"] == want["name"]], "%s of %s" % (want["name"], pslug))
            if not hook:
                continue
            self.same("webhook url", want["name"], hook["url"], want["url"])
            self.same("webhook events", want["name"], sorted(hook["events"]), sorted(want["events"]))
            if "signing_secret" in want:
                self.same("webhook signing secret", want["name"], hook["signing_secret"], want["signing_secret"])
            if "verify_tls" in want:
                self.same("webhook verify_tls", want["name"], hook["verify_tls"], want["verify_tls"])

    def schedules(self, project, pslug):
        schedules = self.state["schedules"].get(pslug, [])
        for want in project.get("schedules", []):
            sched = self.once("schedule", [s for s in schedules if s["name"] == want["name"]], "%s of %s" % (want["name"], pslug))
            if not sched:
                continue
            timetable = dict((k.replace("-", "_"), v) for k, v in sched["timetable"].items())
            for key, value in want["timetable"].items():
                self.same("schedule %s timetable" % want["name"], key, timetable.get(key), value)
            if "description" in want:
                self.same("schedule description", want["name"], sched["description"], want["description"])
            self.same("schedule attribution", want["name"], sched["attribution_actor"], want.get("attribution_actor", "current"))


# --- the request log ------------------------------------------------------------------------

def is_create(entry):
    path = entry["path"]
    return entry["method"] == "POST" and (path in CREATE_EXACT or path.endswith(CREATE_PATHS))


def same_request(a, b):
    return all(a.get(k) == b.get(k) for k in ("method", "path", "query", "body"))


def check_log(log):
    """(stats, problems): every refused request was sent again, every lost answer was recovered,
    no create was processed twice."""
    stats = dict(requests=len(log), refused=0, retries=0, lost=0, lost_creates=0, found=0, conflicts=0)
    problems = []
    for i, entry in enumerate(log):
        stage = entry.get("fault_stage")
        if stage is None:
            continue
        later = log[i + 1:]
        again = [e for e in later if same_request(e, entry)]
        if stage == "before":
            stats["refused"] += 1
            if again:
                stats["retries"] += 1
            else:
                problems.append("refused and never sent again: %s %s (%s)" % (entry["method"], entry["path"], entry["fault"]))
            continue
        stats["lost"] += 1
        if is_create(entry):
            check_lost_create(entry, later, again, stats, problems)
        elif again:
            stats["retries"] += 1
        elif entry["method"] != "GET" and entry["method"] != "POST":
            problems.append("answer lost and not sent again: %s %s" % (entry["method"], entry["path"]))
    return stats, problems


def check_lost_create(entry, later, again, stats, problems):
    """A create whose answer was lost: made once, and found again by a read (not made a second time)."""
    stats["lost_creates"] += 1
    created = 200 <= entry.get("handler_status", 0) < 300
    # a create processed again after its lost answer would be a duplicate (a 409 is the API refusing one)
    processed_again = [e for e in again if e.get("fault_stage") != "before" and 200 <= e.get("handler_status", e["status"]) < 300]
    conflicts = [e for e in again if e.get("status") == 409]
    if created and processed_again:
        problems.append("create sent again after its object was made: %s %s" % (entry["method"], entry["path"]))
    elif created:
        stats["found"] += 1
        stats["conflicts"] += len(conflicts)
        # the client read the collection after the lost answer (its find_existing)
        read_back = [e for e in later if e["method"] == "GET"]
        if not read_back:
            problems.append("lost create answer not followed by a read: %s %s" % (entry["method"], entry["path"]))


# --- runs -----------------------------------------------------------------------------------

def one_seed(seed, args, org, collections_path, workdir):
    started = time.monotonic()
    with EmulatorProcess() as emulator:
        emulator.set_faults(**dict(args.faults, seed=seed))
        log_path = workdir / ("seed-%d.log" % seed)
        rc = run_role(emulator, args.org, collections_path, log_path)
        emulator.set_faults(rate_429=0, rate_500=0, rate_drop=0)
        state = emulator.state()
        log = emulator.request_log()
    problems, duplicates = check_state(state, org)
    stats, log_problems = check_log(log)
    if rc != 0:
        problems.insert(0, "the role run failed (rc %d), see %s" % (rc, log_path))
    stats["seconds"] = time.monotonic() - started
    return seed, problems + log_problems, duplicates, stats


def concurrent_runs(args, org, collections_path, workdir, runs=2):
    """Two role runs at once against one emulator; then the same state checks."""
    with EmulatorProcess() as emulator:
        # latency widens the window between a run's read ("absent") and its create (the emulator
        # serialises its handlers, but sleeps the latency before taking its lock)
        emulator.set_faults(**args.concurrent_faults)
        procs = [start_role(emulator, args.org, collections_path, workdir / ("concurrent-%d.log" % n))
                 for n in range(runs)]
        codes = []
        for proc, log in procs:
            codes.append(proc.wait())
            log.close()
        emulator.set_faults(latency_ms=0, rate_429=0, rate_500=0, rate_drop=0)
        state = emulator.state()
        log = emulator.request_log()
    problems, duplicates = check_state(state, org)
    for n, code in enumerate(codes):
        if code != 0:
            problems.insert(0, "concurrent run %d failed (rc %d), see %s" % (n, code, workdir / ("concurrent-%d.log" % n)))
    conflicts = sum(1 for e in log if e["status"] == 409)
    # a run that found its webhook / checkout key duplicated by the other run deletes its own
    settled = sum(1 for e in log if e["method"] == "DELETE" and ("/webhook/" in e["path"] or "/checkout-key/" in e["path"]))
    return problems, duplicates, dict(requests=len(log), conflicts=conflicts, settled=settled)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="how many fault seeds (default 10)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=10, help="seeds run at once, each with its own emulator (default 10)")
    parser.add_argument("--org", default=str(DEFAULT_ORG), help="organization definition (YAML with circleci_org)")
    parser.add_argument("--faults", type=json.loads, default=DEFAULT_FAULTS, help="fault mix (JSON, without seed)")
    parser.add_argument("--concurrent-faults", type=json.loads, default={"latency_ms": 200},
                        help="emulator settings of the concurrent runs (default: 200 ms latency, no fault)")
    parser.add_argument("--concurrent-only", action="store_true")
    parser.add_argument("--no-concurrent", action="store_true")
    parser.add_argument("--workdir", help="where the run logs go (default: a temporary directory, kept on failure)")
    return parser.parse_args()


def run_seeds(args, org, collections_path, workdir):
    """One role run per fault seed, each against its own emulator; (passed, failed) seeds."""
    started = time.monotonic()
    passed = failed = 0
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    totals = dict(requests=0, refused=0, retries=0, lost=0, lost_creates=0, found=0, conflicts=0)
    duplicates_total = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        futures = [pool.submit(one_seed, seed, args, org, collections_path, workdir) for seed in seeds]
        for future in concurrent.futures.as_completed(futures):
            seed, problems, duplicates, stats = future.result()
            for key in totals:
                totals[key] += stats[key]
            duplicates_total += len(duplicates)
            print("seed %d: %d requests, %d refused and resent, %d answers lost (%d on creates, %d found again), "
                  "%.0f s%s" % (seed, stats["requests"], stats["refused"], stats["lost"], stats["lost_creates"],
                                stats["found"], stats["seconds"], "" if not (problems or duplicates) else ": FAILED"),
                  flush=True)
            for problem in problems + duplicates:
                print("  - %s" % problem, flush=True)
            if problems or duplicates:
                failed += 1
            else:
                passed += 1
    print("fault convergence: %d seeds, %d retries seen, %d dropped answers, %d duplicates "
          "(faults %s; %d requests, %d lost create answers all found again without a second create; %.0f s)"
          % (len(seeds), totals["retries"], totals["lost"], duplicates_total, json.dumps(args.faults),
             totals["requests"], totals["found"], time.monotonic() - started), flush=True)
    return passed, failed


def run_concurrent(args, org, collections_path, workdir):
    """Two role runs at once against one emulator; (1, 0) when consistent, else (0, 1)."""
    began = time.monotonic()
    problems, duplicates, stats = concurrent_runs(args, org, collections_path, workdir)
    for problem in problems + duplicates:
        print("  - %s" % problem, flush=True)
    print("concurrent runs: 2 role runs at once, %s, %d duplicates (%d requests; races met: %d creates answered "
          "409 and the object adopted, %d duplicate webhooks/checkout keys deleted by the run that made them; %.0f s)"
          % ("consistent" if not problems else "INCONSISTENT", len(duplicates), stats["requests"],
             stats["conflicts"], stats["settled"], time.monotonic() - began), flush=True)
    return (0, 1) if problems or duplicates else (1, 0)


def main():
    args = parse_args()
    args.org = str(Path(args.org).resolve())
    org = yaml.safe_load(Path(args.org).read_text())["circleci_org"]

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="fault-convergence-"))
    workdir.mkdir(parents=True, exist_ok=True)
    tree = subprocess.run([sys.executable, str(ROOT / "tools" / "collection_tree.py"), str(workdir / "tree")],
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    collections_path = str(Path(tree).parents[2])
    passed_checks = failed_checks = 0  # one per seed, one for the concurrent runs
    stages = [] if args.concurrent_only else [run_seeds]
    if not args.no_concurrent:
        stages.append(run_concurrent)
    for stage in stages:
        passed, failed = stage(args, org, collections_path, workdir)
        passed_checks += passed
        failed_checks += failed

    # the closing line tools/test_summary.py counts
    print("fault-convergence: %d passed, %d failed" % (passed_checks, failed_checks))
    if failed_checks:
        print("run logs kept in %s" % workdir, file=sys.stderr)
        return 1
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
