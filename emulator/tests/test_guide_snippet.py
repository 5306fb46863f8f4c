"""The CI snippet of docs/docsite/rst/guide_emulator_ci.rst, run as it stands in the guide.

A stale emulator.url from an earlier run must not reach the playbooks: they must see the URL of
the emulator the snippet started (the stub ansible-playbook below checks it with a request)."""

import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "docsite" / "rst" / "guide_emulator_ci.rst"

STUB = textwrap.dedent("""\
    #!/usr/bin/env python3
    import os, sys, urllib.request
    url = os.environ.get("CIRCLECI_API_URL", "")
    if not url.startswith("http://127.0.0.1:"):
        sys.exit("ansible-playbook stub: CIRCLECI_API_URL is %r" % url)
    request = urllib.request.Request(url + "/me", headers={"Circle-Token": os.environ["CIRCLECI_TOKEN"]})
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
    with open("runs.log", "a") as log:
        log.write(url + "\\n")
    print("localhost : ok=1 changed=0 unreachable=0 failed=0")
    """)


def ci_job_snippet() -> str:
    text = GUIDE.read_text()
    section = text.split("A CI job\n--------", 1)[1]
    block = re.search(r"\.\. code-block:: bash\n\n((?:    .*\n|\n)+)", section).group(1)
    return textwrap.dedent(block)


def test_the_ci_snippet_starts_the_emulator_and_ignores_a_stale_url_file(tmp_path):
    snippet = ci_job_snippet()
    assert "--url-file emulator.url" in snippet and "rm -f emulator.url" in snippet
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "seed.yml").write_text(
        "users: [{id: 10000000-0000-4000-8000-000000000001, login: ci, tokens: [emulator-token]}]\n")
    (tmp_path / "emulator.url").write_text("http://127.0.0.1:9/api/v2\n")  # left over by an earlier run
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "ansible-playbook"
    stub.write_text(STUB)
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "site.yml").write_text("---\n")
    env = dict(os.environ, PATH=os.pathsep.join([str(bin_dir), os.path.dirname(sys.executable), "/usr/bin", "/bin"]))
    env.pop("CIRCLECI_API_URL", None)
    done = subprocess.run(["bash", "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    runs = (tmp_path / "runs.log").read_text().split()
    assert len(runs) == 2 and runs[0] == runs[1] and runs[0] != "http://127.0.0.1:9/api/v2"
