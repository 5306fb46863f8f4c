"""The playbook of docs/docsite/rst/guide_github_app_projects.rst, run as it stands in the guide.

The guide's first YAML block is run with ansible-playbook against an emulator (a copy of the
collection made by tools/collection_tree.py), with the standalone organization of the seed and
test values for the secrets given as extra variables: the first run creates the project, its
definition, both triggers, the variables, the restricted context and the first pipeline, and
hands the webhook URL to its file without showing it; the second run, given the slug the first
one printed (as the guide says), changes nothing and sends no write.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import requests

from circleci_emulator import Emulator
from circleci_emulator.seed import STANDALONE_ORG_ID

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_github_app_projects.rst"
SECRETS = {"billing_db_url": "postgres://billing:db-secret-1@db/billing", "stripe_key": "sk_test_stripe-secret-2",
           "deploy_token": "deploy-secret-3"}


def guide_playbook() -> str:
    section = GUIDE.read_text().split("The playbook\n------------", 1)[1]
    block = re.search(r"\.\. code-block:: yaml\n\n((?:    .*\n|\n)+)", section).group(1)
    return textwrap.dedent(block)


def _bin(name: str) -> str:
    return os.path.join(os.path.dirname(sys.executable), name)


@pytest.fixture(scope="module")
def collections(tmp_path_factory):
    base = tmp_path_factory.mktemp("collections")
    subprocess.run([sys.executable, str(REPO / "tools" / "collection_tree.py"), str(base)], check=True,
                   capture_output=True)
    return base


def _play(playbook, collections, emu, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), CIRCLECI_TOKEN=emu.token,
               CIRCLECI_API_URL=emu.url, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    env.pop("CIRCLECI_RUNNER_API_URL", None)
    done = subprocess.run([_bin("ansible-playbook"), str(playbook), *extra], env=env, capture_output=True,
                          text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def _recap(output):
    return dict((key, int(value)) for key, value in re.findall(r"(ok|changed|failed)=(\d+)", output.split("PLAY RECAP")[1]))


def test_the_guide_playbook_bootstraps_a_project_and_a_rerun_changes_nothing(tmp_path, collections):
    playbook = tmp_path / "bootstrap-billing.yml"
    playbook.write_text(guide_playbook())
    url_file = tmp_path / "chatops-url"
    extra = ["-e", "organization=circleci/%s" % STANDALONE_ORG_ID, "-e", "repository_id=314159265",
             "-e", "webhook_url_file=%s" % url_file]
    for name, value in SECRETS.items():
        extra += ["-e", "%s=%s" % (name, value)]
    with Emulator() as emu:
        rc, out = _play(playbook, collections, emu, *extra)
        assert rc == 0, out
        state = requests.get(emu.base + "/_emulator/state", timeout=30).json()
        project = [p for p in state["projects"] if p["name"] == "billing"]
        assert len(project) == 1
        slug = re.search(r'"msg": "billing_project_slug: (circleci/\S+)"', out).group(1)
        definition = [d for d in state["pipeline_definitions"] if d["project_id"] == project[0]["id"]]
        assert [d["name"] for d in definition] == ["build-and-deploy"]
        triggers = definition[0]["triggers"]
        assert sorted(t["provider"] for t in triggers) == ["github_app", "webhook"]
        webhook_url = [t for t in triggers if t["provider"] == "webhook"][0]["webhook_url"]
        assert url_file.read_text() == webhook_url and oct(url_file.stat().st_mode & 0o777) == "0o600"
        context = [c for c in state["contexts"] if c["name"] == "billing-production"][0]
        assert [(r["restriction_type"], r["restriction_value"]) for r in context["restrictions"]] == [
            ("project", project[0]["id"])]
        runs = [p for p in state["pipelines"] if p["project_slug"] == project[0]["slug"]]
        assert [p["definition_id"] for p in runs] == [definition[0]["id"]]
        assert sorted(state["project_env_vars"][project[0]["slug"]]) == ["BILLING_DB_URL", "STRIPE_KEY"]
        for secret in [webhook_url.split("secret=")[-1], *SECRETS.values()]:
            assert secret not in out
        before = len(requests.get(emu.base + "/_emulator/requests", timeout=30).json())

        rc, again = _play(playbook, collections, emu, *extra, "-e", "billing_project_slug=" + slug)
        assert rc == 0, again
        assert _recap(again)["changed"] == 0, again
        log = requests.get(emu.base + "/_emulator/requests", timeout=30).json()
        assert [e for e in log[before:] if e["method"] != "GET"] == []
        assert [e for e in log if "violation" in e or "response_violation" in e] == []
