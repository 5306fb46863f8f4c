#!/usr/bin/env python3
"""Fault convergence and concurrent runs of roles/org_config against circleci-emulator.

    python tools/fault_convergence.py [--seeds 10] [--first-seed 1] [--parallel 5]
        [--org tools/reliability/org.yml] [--faults JSON] [--retries 15] [--concurrent-only | --no-concurrent]

Fault seeds: per seed, a fresh emulator (its own port) gets the fault mix with that seed, the
role applies the organization definition, and then
- the run succeeded, and /_emulator/state holds the desired organization: every context,
  restriction, variable, checkout key, webhook, schedule, setting, OIDC claim and policy,
  each once (no duplicate context, restriction, checkout key, webhook or schedule);
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
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PLAYBOOK = ROOT / "tools" / "reliability" / "converge.yml"
DEFAULT_ORG = ROOT / "tools" / "reliability" / "org.yml"
DEFAULT_FAULTS = {"rate_429": 0.3, "retry_after": 1, "rate_500": 0.1, "rate_drop": 0.05, "error_after": 0.5}
TOKEN = os.environ.get("CIRCLECI_EMULATOR_TOKEN", "emulator-token")
# POSTs that create one object (a second one would be a duplicate), by path suffix / equality
CREATE_PATHS = ("/restrictions", "/checkout-key", "/schedule")
CREATE_EXACT = ("/context", "/webhook")


# --- emulator -------------------------------------------------------------------------------

class Emulator:
    def __init__(self):
        exe = shutil.which("circleci-emulator") or os.path.join(os.path.dirname(sys.executable), "circleci-emulator")
        self.proc = subprocess.Popen([exe, "--host", "127.0.0.1", "--port", "0"], stdout=subprocess.PIPE, text=True)
        self.api_url = self.proc.stdout.readline().strip()
        if not self.api_url.startswith("http://"):
            self.stop()
            raise RuntimeError("circleci-emulator did not start (first line: %r)" % self.api_url)
        self.base = self.api_url.rsplit("/api/v2", 1)[0]
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + "/_emulator" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- role runs ------------------------------------------------------------------------------

def start_role(emulator, org_file, collections_path, retries, log_path):
    env = dict(os.environ, CIRCLECI_API_URL=emulator.api_url, CIRCLECI_TOKEN=TOKEN,
               ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_NOCOLOR="1")
    for name in ("CIRCLE_TOKEN", "ANSIBLE_CONFIG"):
        env.pop(name, None)
    command = ["ansible-playbook", "-i", "localhost,", str(PLAYBOOK), "-e", "@%s" % org_file,
               "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "reliability_retries=%d" % retries]
    log = open(log_path, "w")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT)), log


def run_role(emulator, org_file, collections_path, retries, log_path):
    proc, log = start_role(emulator, org_file, collections_path, retries, log_path)
    try:
        return proc.wait()
    finally:
        log.close()


# --- the desired state ----------------------------------------------------------------------

def check_state(state, org):
    """(problems, duplicates): how /_emulator/state differs from the organization definition."""
    problems, duplicates = [], []
    slug = org["slug"]
    org_id = next(o["id"] for o in state["orgs"] if o["slug"] == slug)
    project_slug = dict((p["id"], p["slug"]) for p in state["projects"])

    def once(kind, items, name):
        if len(items) != 1:
            (duplicates if len(items) > 1 else problems).append("%s %s: %d found" % (kind, name, len(items)))
            return None
        return items[0]

    def same(kind, name, got, want):
        if got != want:
            problems.append("%s %s: %r, wanted %r" % (kind, name, got, want))

    def claims(project_id):
        return next((c for c in state["oidc_claims"] if c["org_id"] == org_id and c["project_id"] == project_id), None)

    if "oidc_claims" in org:
        found = claims(None) or {}
        same("org OIDC audience", slug, found.get("audience"), sorted(org["oidc_claims"].get("audience", [])))
        if "ttl" in org["oidc_claims"] and not found.get("ttl"):
            problems.append("org OIDC ttl not set")

    mine = [c for c in state["contexts"] if c["owner"]["slug"] == slug or c["owner"]["id"] == org_id]
    for name in sorted(set(c["name"] for c in mine)):
        if sum(1 for c in mine if c["name"] == name) > 1:
            duplicates.append("context %s: %d found" % (name, sum(1 for c in mine if c["name"] == name)))
    for want in org.get("contexts", []):
        if want.get("state", "present") == "absent":
            if any(c["name"] == want["name"] for c in mine):
                problems.append("context %s still exists" % want["name"])
            continue
        context = once("context", [c for c in mine if c["name"] == want["name"]], want["name"])
        if context is None:
            continue
        got = [(r["restriction_type"], project_slug.get(r["restriction_value"], r["restriction_value"])
                if r["restriction_type"] == "project" else r["restriction_value"]) for r in context["restrictions"]]
        if len(got) != len(set(got)):
            duplicates.append("context %s: restriction listed twice: %r" % (want["name"], got))
        if "restrictions" in want:
            same("restrictions of context", want["name"], sorted(set(got)),
                 sorted(set((r["type"], r["value"]) for r in want["restrictions"])))
        wanted_vars = want.get("variables") or {}
        for key, value in wanted_vars.items():
            same("variable of context %s" % want["name"], key, (context["env_vars"].get(key) or {}).get("value"), value)
        if want.get("purge_variables"):
            same("variables of context", want["name"], sorted(context["env_vars"]), sorted(wanted_vars))

    slugs = set(p["slug"] for p in org.get("projects", []))
    for webhook_project in slugs:
        names = [w["name"] for w in state["webhooks"] if w["project_slug"] == webhook_project]
        for name in sorted(set(names)):
            if names.count(name) > 1:
                duplicates.append("webhook %s of %s: %d found" % (name, webhook_project, names.count(name)))
        names = [s["name"] for s in state["schedules"].get(webhook_project, [])]
        for name in sorted(set(names)):
            if names.count(name) > 1:
                duplicates.append("schedule %s of %s: %d found" % (name, webhook_project, names.count(name)))

    for project in org.get("projects", []):
        pslug = project["slug"]
        project_id = next(p["id"] for p in state["projects"] if p["slug"] == pslug)
        env = state["project_env_vars"].get(pslug, {})
        for key, value in (project.get("variables") or {}).items():
            same("variable of project %s" % pslug, key, (env.get(key) or {}).get("value"), value)
        if project.get("purge_variables"):
            same("variables of project", pslug, sorted(env), sorted(project.get("variables") or {}))
        keys = state["checkout_keys"].get(pslug, [])
        for key_type in sorted(set(k["type"] for k in project.get("checkout_keys", []) if k.get("state", "present") == "present")):
            found = [k for k in keys if k["type"] == key_type]
            once("checkout key", found, "%s of %s" % (key_type, pslug))
        hooks = [w for w in state["webhooks"] if w["project_slug"] == pslug]
        for want in project.get("webhooks", []):
            hook = once("webhook", [w for w in hooks if w["name"] == want["name"]], "%s of %s" % (want["name"], pslug))
            if hook:
                same("webhook url", want["name"], hook["url"], want["url"])
                same("webhook events", want["name"], sorted(hook["events"]), sorted(want["events"]))
                if "signing_secret" in want:
                    same("webhook signing secret", want["name"], hook["signing_secret"], want["signing_secret"])
                if "verify_tls" in want:
                    same("webhook verify_tls", want["name"], hook["verify_tls"], want["verify_tls"])
        schedules = state["schedules"].get(pslug, [])
        for want in project.get("schedules", []):
            sched = once("schedule", [s for s in schedules if s["name"] == want["name"]], "%s of %s" % (want["name"], pslug))
            if sched:
                timetable = dict((k.replace("-", "_"), v) for k, v in sched["timetable"].items())
                for key, value in want["timetable"].items():
                    same("schedule %s timetable" % want["name"], key, timetable.get(key), value)
                if "description" in want:
                    same("schedule description", want["name"], sched["description"], want["description"])
                same("schedule attribution", want["name"], sched["attribution_actor"], want.get("attribution_actor", "current"))
        settings = state["project_settings"].get(pslug, {})
        for key, value in (project.get("settings") or {}).items():
            same("setting of %s" % pslug, key, settings.get(key), value)
        if "oidc_claims" in project:
            same("project OIDC audience", pslug, (claims(project_id) or {}).get("audience"),
                 sorted(project["oidc_claims"].get("audience", [])))

    policies = org.get("policies")
    if policies:
        owner = next((p for p in state["policies"] if p["owner_id"] == org_id and p["context"] == "config"), None)
        if owner is None:
            problems.append("no config policy state for %s" % slug)
        else:
            if "decision_enabled" in policies:
                same("policy decisions enabled", slug, owner["decision_settings"]["enabled"], policies["decision_enabled"])
            for name, content in (policies.get("bundle") or {}).items():
                same("policy", name, (owner["bundle"].get(name) or {}).get("content"), content)
    return problems, duplicates


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
        if not is_create(entry):
            if again:
                stats["retries"] += 1
            elif entry["method"] != "GET" and entry["method"] != "POST":
                problems.append("answer lost and not sent again: %s %s" % (entry["method"], entry["path"]))
            continue
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
    return stats, problems


# --- runs -----------------------------------------------------------------------------------

def one_seed(seed, args, org, collections_path, workdir):
    started = time.monotonic()
    emulator = Emulator()
    try:
        emulator.admin("PUT", "/faults", dict(args.faults, seed=seed))
        log_path = workdir / ("seed-%d.log" % seed)
        rc = run_role(emulator, args.org, collections_path, args.retries, log_path)
        emulator.admin("PUT", "/faults", {"rate_429": 0, "rate_500": 0, "rate_drop": 0})
        state = emulator.admin("GET", "/state")
        log = emulator.admin("GET", "/requests")
    finally:
        emulator.stop()
    problems, duplicates = check_state(state, org)
    stats, log_problems = check_log(log)
    if rc != 0:
        problems.insert(0, "the role run failed (rc %d), see %s" % (rc, log_path))
    stats["seconds"] = time.monotonic() - started
    return seed, problems + log_problems, duplicates, stats


def concurrent_runs(args, org, collections_path, workdir, runs=2):
    """Two role runs at once against one emulator; then the same state checks."""
    emulator = Emulator()
    try:
        # latency widens the window between a run's read ("absent") and its create (the emulator
        # serialises its handlers, but sleeps the latency before taking its lock)
        emulator.admin("PUT", "/faults", dict(args.concurrent_faults))
        procs = [start_role(emulator, args.org, collections_path, args.retries, workdir / ("concurrent-%d.log" % n))
                 for n in range(runs)]
        codes = []
        for proc, log in procs:
            codes.append(proc.wait())
            log.close()
        emulator.admin("PUT", "/faults", {"latency_ms": 0, "rate_429": 0, "rate_500": 0, "rate_drop": 0})
        state = emulator.admin("GET", "/state")
        log = emulator.admin("GET", "/requests")
    finally:
        emulator.stop()
    problems, duplicates = check_state(state, org)
    for n, code in enumerate(codes):
        if code != 0:
            problems.insert(0, "concurrent run %d failed (rc %d), see %s" % (n, code, workdir / ("concurrent-%d.log" % n)))
    conflicts = sum(1 for e in log if e["status"] == 409)
    # a run that found its webhook / checkout key duplicated by the other run deletes its own
    settled = sum(1 for e in log if e["method"] == "DELETE" and ("/webhook/" in e["path"] or "/checkout-key/" in e["path"]))
    return problems, duplicates, dict(requests=len(log), conflicts=conflicts, settled=settled)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="how many fault seeds (default 10)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=10, help="seeds run at once, each with its own emulator (default 10)")
    parser.add_argument("--org", default=str(DEFAULT_ORG), help="organization definition (YAML with circleci_org)")
    parser.add_argument("--faults", type=json.loads, default=DEFAULT_FAULTS, help="fault mix (JSON, without seed)")
    parser.add_argument("--retries", type=int, default=15,
                        help="the modules' retries option for the runs (default 15: at a 45%% fault rate the "
                             "default 5 would give up on about 1 request in 120)")
    parser.add_argument("--concurrent-faults", type=json.loads, default={"latency_ms": 200},
                        help="emulator settings of the concurrent runs (default: 200 ms latency, no fault)")
    parser.add_argument("--concurrent-only", action="store_true")
    parser.add_argument("--no-concurrent", action="store_true")
    parser.add_argument("--workdir", help="where the run logs go (default: a temporary directory, kept on failure)")
    args = parser.parse_args()
    args.org = str(Path(args.org).resolve())
    org = yaml.safe_load(Path(args.org).read_text())["circleci_org"]

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="fault-convergence-"))
    workdir.mkdir(parents=True, exist_ok=True)
    tree = subprocess.run([sys.executable, str(ROOT / "tools" / "collection_tree.py"), str(workdir / "tree")],
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    collections_path = str(Path(tree).parents[2])
    failed = False
    passed_checks = failed_checks = 0  # one per seed, one for the concurrent runs
    started = time.monotonic()

    if not args.concurrent_only:
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
                failed = failed or bool(problems or duplicates)
                if problems or duplicates:
                    failed_checks += 1
                else:
                    passed_checks += 1
        print("fault convergence: %d seeds, %d retries seen, %d dropped answers, %d duplicates "
              "(faults %s; %d requests, %d lost create answers all found again without a second create; %.0f s)"
              % (len(seeds), totals["retries"], totals["lost"], duplicates_total, json.dumps(args.faults),
                 totals["requests"], totals["found"], time.monotonic() - started), flush=True)

    if not args.no_concurrent:
        began = time.monotonic()
        problems, duplicates, stats = concurrent_runs(args, org, collections_path, workdir)
        for problem in problems + duplicates:
            print("  - %s" % problem, flush=True)
        print("concurrent runs: 2 role runs at once, %s, %d duplicates (%d requests; races met: %d creates answered "
              "409 and the object adopted, %d duplicate webhooks/checkout keys deleted by the run that made them; %.0f s)"
              % ("consistent" if not problems else "INCONSISTENT", len(duplicates), stats["requests"],
                 stats["conflicts"], stats["settled"], time.monotonic() - began), flush=True)
        failed = failed or bool(problems or duplicates)
        if problems or duplicates:
            failed_checks += 1
        else:
            passed_checks += 1

    # the closing line tools/test_summary.py counts
    print("fault-convergence: %d passed, %d failed" % (passed_checks, failed_checks))
    if failed:
        print("run logs kept in %s" % workdir, file=sys.stderr)
        return 1
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
