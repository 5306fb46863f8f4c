"""The state dump and reset for project resources (env vars, checkout keys, webhooks, schedules, settings)."""

from circleci_emulator import seed

SCHEDULE = {"name": "nightly", "attribution-actor": "system", "parameters": {"branch": "main"},
            "timetable": {"per-hour": 1, "hours-of-day": [3], "days-of-week": ["MON"]}}
WEBHOOK = {"name": "n", "events": ["job-completed"], "url": "https://h.example.com", "verify-tls": False,
           "signing-secret": "whsec", "scope": {"id": seed.ACME_API_PROJECT_ID, "type": "project"}}


def populate(api):
    assert api.post("/project/gh/acme/api/envvar", json={"name": "TOKEN", "value": "s3cr3t"}).status_code == 201
    key = api.post("/project/gh/acme/api/checkout-key", json={"type": "deploy-key"}).json()
    schedule = api.post("/project/gh/acme/api/schedule", json=SCHEDULE).json()
    hook = api.post("/webhook", json=WEBHOOK).json()
    api.request("PATCH", "/project/gh/acme/api/settings", json={"advanced": {"disable_ssh": True}})
    return key, schedule, hook


def test_state_dump_shapes(api):
    key, schedule, hook = populate(api)
    state = api.state()
    assert set(state["project_env_vars"]) == {"gh/acme/api"}
    env = state["project_env_vars"]["gh/acme/api"]["TOKEN"]
    assert env["value"] == "s3cr3t" and set(env) == {"value", "created_at"}
    (k,) = state["checkout_keys"]["gh/acme/api"]
    assert set(k) == {"type", "public_key", "fingerprint_md5", "fingerprint_sha256", "preferred", "created_at"}
    assert k["fingerprint_md5"] == key["fingerprint"] and k["preferred"] is True
    (s,) = state["schedules"]["gh/acme/api"]
    assert s == {"id": schedule["id"], "name": "nightly", "description": None, "attribution_actor": "system",
                 "actor_id": seed.SYSTEM_ACTOR_ID, "parameters": {"branch": "main"},
                 "timetable": schedule["timetable"], "created_at": schedule["created-at"],
                 "updated_at": schedule["updated-at"]}
    (w,) = state["webhooks"]
    assert w == {"id": hook["id"], "scope": WEBHOOK["scope"], "project_slug": "gh/acme/api", "name": "n",
                 "url": "https://h.example.com", "events": ["job-completed"], "verify_tls": False,
                 "signing_secret": "whsec", "created_at": hook["created-at"], "updated_at": hook["updated-at"]}
    assert state["project_settings"]["gh/acme/api"]["disable_ssh"] is True
    assert state["project_settings"]["gh/acme/web"]["disable_ssh"] is False


def test_reset_clears_them(api):
    populate(api)
    assert api.admin("POST", "/reset").status_code == 200
    state = api.state()
    assert state["project_env_vars"] == {} and state["checkout_keys"] == {} and state["schedules"] == {}
    assert state["webhooks"] == []
    assert state["project_settings"]["gh/acme/api"]["disable_ssh"] is False
    assert api.get("/project/gh/acme/api/envvar").json()["items"] == []
