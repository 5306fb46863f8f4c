"""Run a command beside a fresh circleci-emulator, then stop the emulator.

    python tools/emulator_run.py [--faults JSON] [--emulator-arg ARG]... [--] COMMAND...

The emulator listens on 127.0.0.1 on a free port. The command gets
CIRCLECI_API_URL (the /api/v2 base), CIRCLECI_RUNNER_API_URL (the runner API's /api/v3 base),
CIRCLECI_EMULATOR_URL (the admin base) and CIRCLECI_TOKEN (the default seed's token) in its
environment. Exits with the command's status.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from circleci_emulator.server import EmulatorProcess, EmulatorStartError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", help="JSON object sent to PUT /_emulator/faults before the command")
    parser.add_argument("--emulator-arg", action="append", default=[], help="extra argument for circleci-emulator")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    try:
        emulator = EmulatorProcess(*args.emulator_arg)
    except EmulatorStartError as exc:
        print(exc, file=sys.stderr)
        return 1
    with emulator:
        if args.faults:
            emulator.admin("PUT", "faults", json.loads(args.faults), timeout=10)
        env = dict(os.environ, CIRCLECI_API_URL=emulator.api_url, CIRCLECI_EMULATOR_URL=emulator.base,
                   CIRCLECI_RUNNER_API_URL=emulator.base + "/api/v3",
                   CIRCLECI_TOKEN=os.environ.get("CIRCLECI_EMULATOR_TOKEN", "emulator-token"))
        print(f"circleci-emulator at {emulator.api_url}", file=sys.stderr, flush=True)
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
