"""Run a command beside a fresh circleci-emulator, then stop the emulator.

    python tools/emulator_run.py [--faults JSON] [-- emulator args] -- COMMAND...

The emulator listens on 127.0.0.1 on a free port. The command gets
CIRCLECI_API_URL (the /api/v2 base), CIRCLECI_EMULATOR_URL (the admin base) and
CIRCLECI_TOKEN (the default seed's token) in its environment. Exits with the command's status.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", help="JSON object sent to PUT /_emulator/faults before the command")
    parser.add_argument("--emulator-arg", action="append", default=[], help="extra argument for circleci-emulator")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    exe = shutil.which("circleci-emulator") or os.path.join(os.path.dirname(sys.executable), "circleci-emulator")
    emulator = subprocess.Popen(
        [exe, "--host", "127.0.0.1", "--port", "0", *args.emulator_arg],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        api_url = emulator.stdout.readline().strip()
        if not api_url.startswith("http://"):
            print(f"circleci-emulator did not start (first line: {api_url!r})", file=sys.stderr)
            return 1
        base = api_url.rsplit("/api/v2", 1)[0]
        # keep reading what the emulator prints so that a full pipe never blocks it
        threading.Thread(target=emulator.stdout.read, daemon=True).start()
        if args.faults:
            req = urllib.request.Request(base + "/_emulator/faults", data=args.faults.encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
            json.loads(args.faults)
            urllib.request.urlopen(req, timeout=10).read()
        env = dict(os.environ, CIRCLECI_API_URL=api_url, CIRCLECI_EMULATOR_URL=base,
                   CIRCLECI_TOKEN=os.environ.get("CIRCLECI_EMULATOR_TOKEN", "emulator-token"))
        print(f"circleci-emulator at {api_url}", file=sys.stderr, flush=True)
        return subprocess.call(command, env=env)
    finally:
        emulator.send_signal(signal.SIGTERM)
        try:
            emulator.wait(timeout=10)
        except subprocess.TimeoutExpired:
            emulator.kill()


if __name__ == "__main__":
    sys.exit(main())
