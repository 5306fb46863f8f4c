import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

URL_LINE = re.compile(r"^http://127\.0\.0\.1:(\d+)/api/v2$")


def start(*args):
    proc = subprocess.Popen([sys.executable, "-m", "circleci_emulator", "--host", "127.0.0.1", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    return proc, line


def stop(proc, sig=signal.SIGTERM):
    proc.send_signal(sig)
    try:
        code = proc.wait(timeout=10)
        if code != 0:
            print(proc.stderr.read())
        return code
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_first_line_is_the_url_and_signals_stop_cleanly(sig):
    proc, line = start()
    try:
        match = URL_LINE.match(line)
        assert match, line
        assert int(match.group(1)) > 0
        r = requests.get(line + "/me", headers={"Circle-Token": "emulator-token"}, timeout=10)
        assert r.json()["login"] == "emulator-user"
    finally:
        assert stop(proc, sig) == 0


def test_options(tmp_path):
    seed = tmp_path / "seed.yml"
    seed.write_text("users: [{id: 10000000-0000-4000-8000-000000000001, login: cli, tokens: [cli-token]}]\n"
                    "orgs: [{id: 20000000-0000-4000-8000-000000000001, vcs_type: github, name: org}]\n")
    proc, url = start("--seed", str(seed), "--page-size", "2", "--latency-ms", "1", "--no-strict")
    try:
        session = requests.Session()
        session.headers["Circle-Token"] = "cli-token"
        assert session.get(url + "/me").json()["login"] == "cli"
        ctx = session.post(url + "/context", json={"name": "c", "owner": {"slug": "gh/org"}}).json()
        for name in ("A", "B", "C"):
            # extra property: a violation, served anyway with --no-strict
            r = session.put(f"{url}/context/{ctx['id']}/environment-variable/{name}", json={"value": "v", "x": 1})
            assert r.status_code == 200
        page = session.get(f"{url}/context/{ctx['id']}/environment-variable").json()
        assert len(page["items"]) == 2 and page["next_page_token"]
        base = url[: -len("/api/v2")]
        assert requests.get(base + "/_emulator/faults").json()["latency_ms"] == 1
        assert sum("violation" in e for e in requests.get(base + "/_emulator/requests").json()) == 3
    finally:
        assert stop(proc) == 0


def test_bad_seed_file_exits_2(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"orgs": [{"id": "x"}]}')
    proc = subprocess.run([sys.executable, "-m", "circleci_emulator", "--seed", str(seed)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "circleci-emulator:" in proc.stderr


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "circleci-emulator"
    if not script.exists():
        script = shutil.which("circleci-emulator")
    assert script, "the circleci-emulator console script is not installed"
    proc = subprocess.Popen([str(script), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    try:
        assert URL_LINE.match(proc.stdout.readline().strip())
    finally:
        assert stop(proc) == 0  # signalled at once: the handler is installed before the URL is printed
