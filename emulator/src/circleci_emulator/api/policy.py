"""Config policies: the policy bundle, decision settings, decisions and their logs.

Owner = an org id the token's user belongs to; the only context is ``config``.
Errors are ``{"error": "..."}`` bodies. Decisions are deterministic (no Rego
is evaluated), see the README ("Config policies"):

- ``enable_rule["NAME"]`` (or ``enable_rule contains "NAME"``) enables NAME;
- ``hard_fail["NAME"]`` / ``hard_fail contains "NAME"`` makes NAME a hard failure;
- ``soft_fail["NAME"]`` / ``soft_fail contains "NAME"`` makes NAME a soft failure;

status HARD_FAIL if any hard failure, else SOFT_FAIL if any soft one, else PASS.
Decisions disabled (the default): ``{"status": "NOT_ENABLED"}``.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import datetime

from flask import request

from ..errors import ApiError
from ..slugs import is_uuid
from ..store import DecisionLog, Org, Policy, PolicyOwner
from .routing import Call, Routes

routes = Routes()

CONTEXTS = ("config",)
MAX_BUNDLE_BYTES = 2_621_440  # ~2.5 MiB, as the live service
POLICY_NAME = re.compile(r'^\s*policy_name\s*(?:\[\s*"([^"]+)"\s*\]|contains\s+"([^"]+)")', re.M)
PACKAGE_ORG = re.compile(r"^\s*package\s+org\s*$", re.M)
_RULE = r'^\s*{kind}\s*(?:\[\s*"([^"]+)"\s*\]|contains\s+"([^"]+)")'
RULES = {kind: re.compile(_RULE.format(kind=kind), re.M) for kind in ("enable_rule", "hard_fail", "soft_fail")}
STATUSES = ("PASS", "SOFT_FAIL", "HARD_FAIL", "ERROR", "NOT_ENABLED")

BASE = "/owner/{ownerID}/context/{context}"


def policy_error(status: int, message: str) -> ApiError:
    return ApiError(status, message, key="error")


# ---------------------------------------------------------------- helpers


def find_owner(call: Call, owner_id: str, context: str) -> PolicyOwner:
    """The owner's policy state, or 400/403."""
    if not is_uuid(owner_id):
        raise policy_error(400, "OwnerID: must be a valid UUID.")
    if context not in CONTEXTS:
        raise policy_error(400, "context: must be a valid value.")
    org: Org | None = call.visible_org(owner_id)
    if org is None:
        raise policy_error(403, "Forbidden")
    # A fresh state is only kept (``keep``) when something is written.
    return call.store.policies.get((org.id, context)) or PolicyOwner(org.id, context)


def keep(call: Call, state: PolicyOwner) -> None:
    call.store.policies.setdefault((state.owner_id, state.context), state)


def render_policy(p: Policy) -> dict:
    return {"name": p.name, "content": p.content, "created_at": p.created_at, "created_by": p.created_by}


def render_bundle(bundle: dict) -> dict:
    return {name: render_policy(bundle[name]) for name in sorted(bundle)}


def render_log(log: DecisionLog) -> dict:
    return {"id": log.id, "created_at": log.created_at, "decision": copy.deepcopy(log.decision),
            "metadata": copy.deepcopy(log.metadata), "policies": dict(log.policies),
            "time_taken_ms": log.time_taken_ms}


def policy_names(policies: dict) -> dict:
    """{name: content}: a policy is named by its ``policy_name`` rule, else by its key."""
    named: dict[str, str] = {}
    for key in sorted(policies):
        content = policies[key]
        if not isinstance(content, str):
            raise policy_error(400, f"{key}: policy content must be a string.")
        if not PACKAGE_ORG.search(content):
            raise policy_error(400, f"{key}: policies must declare 'package org'.")
        found = POLICY_NAME.search(content)
        name = (found.group(1) or found.group(2)) if found else key
        if name in named:
            raise policy_error(400, f"{key}: duplicate policy name {name!r}.")
        named[name] = content
    return named


def rule_names(content: str, kind: str) -> list[str]:
    return [a or b for a, b in RULES[kind].findall(content)]


def evaluate(bundle: dict) -> dict:
    enabled, hard, soft = set(), set(), set()
    for name in sorted(bundle):
        content = bundle[name].content
        enabled.update(rule_names(content, "enable_rule"))
        hard.update(rule_names(content, "hard_fail"))
        soft.update(rule_names(content, "soft_fail"))
    soft -= hard
    enabled |= hard | soft
    decision: dict = {"status": "HARD_FAIL" if hard else "SOFT_FAIL" if soft else "PASS"}
    if enabled:
        decision["enabled_rules"] = sorted(enabled)
    if hard:
        decision["hard_failures"] = [{"rule": r, "reason": f"{r} failed"} for r in sorted(hard)]
    if soft:
        decision["soft_failures"] = [{"rule": r, "reason": f"{r} failed"} for r in sorted(soft)]
    return decision


def check_metadata(metadata) -> dict:
    """The spec's DecisionLog.metadata types (other keys are kept as given)."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise policy_error(400, "metadata must be an object.")
    if "project_id" in metadata and not is_uuid(metadata["project_id"]):
        raise policy_error(400, "metadata.project_id must be a UUID.")
    if "build_number" in metadata and (not isinstance(metadata["build_number"], int)
                                        or isinstance(metadata["build_number"], bool)):
        raise policy_error(400, "metadata.build_number must be an integer.")
    if "ssh_rerun" in metadata and not isinstance(metadata["ssh_rerun"], bool):
        raise policy_error(400, "metadata.ssh_rerun must be a boolean.")
    vcs = metadata.get("vcs")
    if "vcs" in metadata and not (isinstance(vcs, dict) and all(isinstance(v, str) for v in vcs.values())):
        raise policy_error(400, "metadata.vcs must be an object of strings.")
    return copy.deepcopy(metadata)


def _parse_time(value: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError):
        raise policy_error(400, f"{name} must be a date-time.") from None


def _branch(log: DecisionLog) -> str | None:
    vcs = log.metadata.get("vcs")
    if isinstance(vcs, dict) and vcs.get("branch") is not None:
        return vcs["branch"]
    return log.metadata.get("branch")


def log_filters(args) -> list:
    """One test per filter parameter given (status, after, before, branch, project_id, build_number)."""
    tests = []
    if args.get("status") is not None:
        status = args["status"].upper()
        tests.append(lambda log: log.decision.get("status", "").upper() == status)
    if args.get("after") is not None:
        after = _parse_time(args["after"], "after")
        tests.append(lambda log: _parse_time(log.created_at, "created_at") > after)
    if args.get("before") is not None:
        before = _parse_time(args["before"], "before")
        tests.append(lambda log: _parse_time(log.created_at, "created_at") < before)
    if args.get("branch") is not None:
        branch = args["branch"]
        tests.append(lambda log: _branch(log) == branch)
    if args.get("project_id") is not None:
        project_id = args["project_id"].lower()
        tests.append(lambda log: str(log.metadata.get("project_id", "")).lower() == project_id)
    if args.get("build_number") is not None:
        build_number = args["build_number"]
        tests.append(lambda log: str(log.metadata.get("build_number")) == build_number)
    return tests


def log_offset(args) -> int:
    try:
        offset = int(args.get("offset") or 0)
    except ValueError:
        raise policy_error(400, "offset must be an integer.") from None
    if offset < 0:
        raise policy_error(400, "offset must not be negative.")
    return offset


def find_log(state: PolicyOwner, decision_id: str) -> DecisionLog:
    for log in state.decisions:
        if log.id == decision_id.lower():
            return log
    raise policy_error(404, "decision log not found")


# ---------------------------------------------------------------- policy bundle


@routes.post(BASE + "/policy-bundle")
def create_policy_bundle(call, ownerID, context):
    state = find_owner(call, ownerID, context)
    if len(request.get_data()) > MAX_BUNDLE_BYTES:
        raise policy_error(413, "http: request payload too large")
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise policy_error(400, "A JSON object body is required.")
    policies = body.get("policies") or {}
    if not isinstance(policies, dict):
        raise policy_error(400, "policies must be an object of policy name to rego content.")
    wanted = policy_names(policies)
    current = state.bundle
    diff = {
        "created": sorted(n for n in wanted if n not in current),
        "deleted": sorted(n for n in current if n not in wanted),
        "modified": sorted(n for n in wanted if n in current and current[n].content != wanted[n]),
    }
    if str(call.args.get("dry", "")).lower() in ("true", "1"):
        return 200, diff
    now = call.store.now()
    state.bundle = {
        name: current[name] if name in current and current[name].content == content
        else Policy(name, content, now, call.user.id)
        for name, content in wanted.items()
    }
    keep(call, state)
    return 201, diff


@routes.get(BASE + "/policy-bundle")
def get_policy_bundle(call, ownerID, context):
    return render_bundle(find_owner(call, ownerID, context).bundle)


@routes.get(BASE + "/policy-bundle/{policyName}")
def get_policy_document(call, ownerID, context, policyName):
    policy = find_owner(call, ownerID, context).bundle.get(policyName)
    if policy is None:
        raise policy_error(404, "policy not found")
    return render_policy(policy)


# ---------------------------------------------------------------- decision settings


@routes.get(BASE + "/decision/settings")
def get_decision_settings(call, ownerID, context):
    return {"enabled": find_owner(call, ownerID, context).enabled}


@routes.patch(BASE + "/decision/settings")
def set_decision_settings(call, ownerID, context):
    state = find_owner(call, ownerID, context)
    body = call.body if call.body is not None else {}
    if not isinstance(body, dict):
        raise policy_error(400, "A JSON object body is required.")
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise policy_error(400, "enabled must be a boolean.")
        state.enabled = body["enabled"]
        keep(call, state)
    return {"enabled": state.enabled}


# ---------------------------------------------------------------- decisions


@routes.post(BASE + "/decision")
def make_decision(call, ownerID, context):
    state = find_owner(call, ownerID, context)
    body = call.body
    if not isinstance(body, dict) or not isinstance(body.get("input"), str):
        raise policy_error(400, "input is required (the config, as a YAML string).")
    metadata = check_metadata(body.get("metadata"))
    if state.enabled:
        decision = evaluate(state.bundle)
    else:
        decision = {"status": "NOT_ENABLED"}
    log = DecisionLog(
        id=call.store.new_id(), created_at=call.store.now(), decision=decision, metadata=metadata,
        policies={name: hashlib.sha512(p.content.encode()).hexdigest() for name, p in sorted(state.bundle.items())},
        bundle=dict(state.bundle), time_taken_ms=0, seq=call.store.next_seq(),
    )
    state.decisions.append(log)
    keep(call, state)
    return copy.deepcopy(decision)


@routes.get(BASE + "/decision")
def list_decision_logs(call, ownerID, context):
    state = find_owner(call, ownerID, context)
    tests = log_filters(call.args)
    offset = log_offset(call.args)
    logs = sorted(state.decisions, key=lambda log: log.seq, reverse=True)  # newest first
    logs = [log for log in logs if all(test(log) for test in tests)]
    return [render_log(log) for log in logs[offset:offset + call.page_size]]


@routes.get(BASE + "/decision/{decisionID}")
def get_decision_log(call, ownerID, context, decisionID):
    return render_log(find_log(find_owner(call, ownerID, context), decisionID))


@routes.get(BASE + "/decision/{decisionID}/policy-bundle")
def get_decision_log_bundle(call, ownerID, context, decisionID):
    return render_bundle(find_log(find_owner(call, ownerID, context), decisionID).bundle)
