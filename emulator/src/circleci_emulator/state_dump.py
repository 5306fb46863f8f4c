"""The state dump (``GET /_emulator/state``, ``Emulator.state()``): everything, secrets included.

It sits above both the store (the facts it lists) and the engine (the statuses
of pipelines, workflows, jobs and usage exports, computed as of now), and
below the admin API that serves it. The store itself knows nothing of it.
"""

from __future__ import annotations

from . import engine, runner_state
from .store import Policy, Store


def dump(store: Store) -> dict:
    """Everything the emulator holds, for tests (the dump's keys in a fixed order)."""
    with store.lock:
        return {
            **_identities(store),
            **_org_resources(store),
            "contexts": _contexts(store),
            **_project_resources(store),
            **_oidc_and_policies(store),
            **_pipelines(store),
            "deploy": _deploy(store),
            "runner": runner_state.dump(store.runner),
        }


def _identities(store: Store) -> dict:
    return {
        "users": [
            {"id": u.id, "login": u.login, "name": u.name, "avatar_url": u.avatar_url,
             "tokens": list(u.tokens), "orgs": list(u.org_ids)}
            for u in store.users.values()
        ],
        "orgs": [
            {"id": o.id, "slug": o.slug, "vcs_type": o.vcs_type, "name": o.name, "avatar_url": o.avatar_url}
            for o in store.orgs.values()
        ],
        "projects": [
            {"id": p.id, "slug": p.slug, "name": p.name, "org_id": p.org.id,
             "default_branch": p.default_branch, "vcs_url": p.vcs_url}
            for p in store.projects.values()
        ],
    }


def _org_resources(store: Store) -> dict:
    """Groups and URL orb allow-list entries, in creation order, each with its organization's id."""
    return {
        "groups": [
            {"id": g.id, "org_id": g.org_id, "name": g.name, "description": g.description}
            for g in sorted(store.groups.values(), key=lambda g: g.seq)
        ],
        "url_orb_allow_list": [
            {"id": e.id, "org_id": e.org_id, "name": e.name, "prefix": e.prefix, "auth": e.auth}
            for e in sorted(store.url_orb_allow_list.values(), key=lambda e: e.seq)
        ],
    }


def _contexts(store: Store) -> list:
    return [
        {
            "id": c.id, "name": c.name, "created_at": c.created_at,
            "owner": {"id": c.owner.id, "slug": c.owner.slug, "type": c.owner_type},
            "env_vars": {
                v.name: {"value": v.value, "created_at": v.created_at, "updated_at": v.updated_at}
                for v in c.variables.values()
            },
            "restrictions": [
                {"id": r.id, "restriction_type": r.type, "restriction_value": r.value,
                 "name": r.name, "project_id": r.project_id}
                for r in c.restrictions
            ],
        }
        for c in store.contexts.values()
    ]


# ---------------------------------------------------------------- project resources


def _by_project(items) -> dict:
    """{project id: [items in creation order]}."""
    grouped: dict = {}
    for item in sorted(items, key=lambda x: x.seq):
        grouped.setdefault(item.project_id, []).append(item)
    return grouped


def _project_resources(store: Store) -> dict:
    """Project env vars, checkout keys, schedules, settings (keyed by project slug) and webhooks."""
    projects = sorted(store.projects.values(), key=lambda p: p.slug)
    return {
        "project_env_vars": _project_env_vars(store, projects),
        "checkout_keys": _checkout_keys(store, projects),
        "schedules": _schedules(store, projects),
        "project_settings": {p.slug: store.project_settings_of(p) for p in projects},
        "webhooks": _webhooks(store),
        "pipeline_definitions": _definitions(store),
    }


def _project_env_vars(store: Store, projects: list) -> dict:
    return {
        p.slug: {v.name: {"value": v.value, "created_at": v.created_at}
                 for v in sorted(store.project_env_vars[p.id].values(), key=lambda v: v.seq)}
        for p in projects if store.project_env_vars.get(p.id)
    }


def _checkout_keys(store: Store, projects: list) -> dict:
    keys = _by_project(store.checkout_keys.values())
    preferred = {p.id: store.preferred_checkout_key(p.id) for p in projects}
    return {
        p.slug: [
            {"type": k.type, "public_key": k.public_key, "fingerprint_md5": k.md5,
             "fingerprint_sha256": k.sha256, "preferred": k is preferred[p.id], "created_at": k.created_at}
            for k in keys[p.id]
        ]
        for p in projects if p.id in keys
    }


def _schedules(store: Store, projects: list) -> dict:
    schedules = _by_project(store.schedules.values())
    return {
        p.slug: [
            {"id": x.id, "name": x.name, "description": x.description,
             "attribution_actor": x.attribution_actor, "actor_id": x.actor_id,
             "parameters": x.parameters, "timetable": x.timetable,
             "created_at": x.created_at, "updated_at": x.updated_at}
            for x in schedules[p.id]
        ]
        for p in projects if p.id in schedules
    }


def _webhooks(store: Store) -> list:
    return [
        {"id": w.id, "scope": {"id": w.project_id, "type": "project"},
         "project_slug": store.projects[w.project_id].slug if w.project_id in store.projects else None,
         "name": w.name, "url": w.url, "events": list(w.events), "verify_tls": w.verify_tls,
         "signing_secret": w.signing_secret, "created_at": w.created_at, "updated_at": w.updated_at}
        for w in sorted(store.webhooks.values(), key=lambda w: w.seq)
    ]


def _definitions(store: Store) -> list:
    """Every pipeline definition with its triggers (webhook URLs, secrets included)."""
    triggers = {}
    for t in sorted(store.triggers.values(), key=lambda t: t.seq):
        triggers.setdefault(t.definition_id, []).append({
            "id": t.id, "provider": t.provider, "repo_external_id": t.repo, "webhook_url": t.webhook_url,
            "webhook_sender": t.webhook_sender, "event_preset": t.event_preset, "event_name": t.event_name,
            "checkout_ref": t.checkout_ref, "config_ref": t.config_ref, "disabled": t.disabled,
            "name": t.name, "description": t.description, "parameters": t.parameters, "created_at": t.created_at,
        })
    return [
        {"id": d.id, "project_id": d.project_id,
         "project_slug": store.projects[d.project_id].slug if d.project_id in store.projects else None,
         "name": d.name, "description": d.description, "created_at": d.created_at,
         "config_source": {"provider": d.config_provider, "repo_external_id": d.config_repo, "file_path": d.file_path},
         "checkout_source": {"provider": d.checkout_provider, "repo_external_id": d.checkout_repo},
         "triggers": triggers.get(d.id, [])}
        for d in sorted(store.pipeline_definitions.values(), key=lambda d: d.seq)
    ]


# ---------------------------------------------------------------- OIDC and policies


def _policy(p: Policy) -> dict:
    return {"name": p.name, "content": p.content, "created_at": p.created_at, "created_by": p.created_by}


def _oidc_and_policies(store: Store) -> dict:
    return {
        "oidc_claims": [
            {"org_id": org_id, "project_id": project_id,
             "audience": sorted(c.audience) if c.audience is not None else None,
             "audience_updated_at": c.audience_updated_at, "ttl": c.ttl, "ttl_updated_at": c.ttl_updated_at}
            for (org_id, project_id), c in store.oidc_claims.items()
        ],
        "policies": [
            {
                "owner_id": s.owner_id, "context": s.context, "decision_settings": {"enabled": s.enabled},
                "bundle": {name: _policy(p) for name, p in sorted(s.bundle.items())},
                "decisions": [
                    {"id": d.id, "created_at": d.created_at, "decision": d.decision, "metadata": d.metadata,
                     "policies": d.policies, "time_taken_ms": d.time_taken_ms}
                    for d in s.decisions
                ],
            }
            for s in store.policies.values()
        ],
    }


# ---------------------------------------------------------------- what the engine computes


def _pipelines(store: Store) -> dict:
    """Compact pipelines/workflows/jobs and usage exports, statuses as of now."""
    engine.settle(store)
    at = engine.now_ts()
    return {
        "pipelines": [_pipeline(store, p, at) for p in sorted(store.pipelines.values(), key=lambda x: x.seq)
                      if _changed_here(store, p)],
        "usage_exports": [
            {"id": e.id, "org_id": e.org_id, "start": e.start, "end": e.end, "state": engine.export_state(e),
             "created_at": e.created_at}
            for e in sorted(store.usage_exports.values(), key=lambda e: e.seq)
        ],
    }


def _changed_here(store: Store, p) -> bool:
    """Triggered in the emulator, or a pipeline of the seeded history in which a workflow was rerun
    (the history itself is the same in every emulator, and appears only once something reads it)."""
    return not p.seeded or any(not store.workflows[w].seeded for w in p.workflow_ids)


def _pipeline(store: Store, p, at: float) -> dict:
    return {
        "id": p.id, "project_slug": store.projects[p.project_id].slug, "number": p.number,
        "state": engine.pipeline_state(p), "branch": p.branch, "tag": p.tag, "parameters": p.parameters,
        "created_at": p.created_at, "definition_id": p.definition_id,
        "continuation_key_used": p.continued_at is not None if p.setup_config is not None else None,
        "workflows": [_workflow(store, store.workflows[wf_id], at) for wf_id in p.workflow_ids],
    }


def _workflow(store: Store, wf, at: float) -> dict:
    view = engine.workflow_view(store, wf, at)
    return {
        "id": wf.id, "name": wf.name, "status": view.status, "rerun_of": wf.rerun_of,
        "recorded": wf.recorded,
        "jobs": [{"id": j, "name": store.jobs[j].name, "type": store.jobs[j].type,
                  "number": store.jobs[j].number, "status": view.jobs[j]["status"]}
                 for j in wf.job_ids],
    }


def _deploy(store: Store) -> dict:
    """Environments, components with their versions as of now, rollback pipeline definitions and rollbacks."""
    at = engine.now_ts()
    return {
        "environments": [
            {"id": e.id, "org_id": e.org_id, "name": e.name, "description": e.description, "labels": e.labels}
            for e in sorted(store.deploy_environments.values(), key=lambda e: e.seq)
        ],
        "components": [
            {"id": c.id, "org_id": c.org_id, "project_id": c.project_id, "name": c.name, "labels": c.labels,
             "versions": [
                 {"name": v.name, "environment_id": v.environment_id, "namespace": v.namespace, "is_live": v.is_live,
                  "last_deployed_at": engine.iso_of(v.deployed_at), "pipeline_id": v.pipeline_id}
                 for v in engine.component_versions(store, c.id, at)
             ]}
            for c in sorted(store.deploy_components.values(), key=lambda c: c.seq)
        ],
        "rollback_pipeline_definitions": {
            store.projects[project_id].slug: definition_id
            for project_id, definition_id in store.rollback_definitions.items()
        },
        "rollbacks": [
            {"pipeline_id": r.pipeline_id, "project_id": r.project_id, "component_id": r.component_id,
             "environment_id": r.environment_id, "namespace": r.namespace, "current_version": r.current_version,
             "target_version": r.target_version, "reason": r.reason, "created_at": r.created_at,
             "deployed": engine.rollback_deploy(store, r, at) is not None}
            for r in sorted(store.rollbacks.values(), key=lambda r: r.seq)
        ],
    }
