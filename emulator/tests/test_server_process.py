"""EmulatorProcess: the start-up helper of benchmarks/run.py, tools/fault_convergence.py and tools/emulator_run.py."""

import re

import pytest
import requests

from circleci_emulator import EmulatorProcess
from circleci_emulator.server import EmulatorStartError

URL_LINE = re.compile(r"^http://127\.0\.0\.1:(\d+)/api/v2$")


def test_serves_beside_a_tool_and_stops():
    with EmulatorProcess("--latency-ms", "1") as emu:
        assert URL_LINE.match(emu.api_url) and emu.api_url == emu.base + "/api/v2"
        me = requests.get(emu.api_url + "/me", headers={"Circle-Token": "emulator-token"}, timeout=10)
        assert me.json()["login"] == "emulator-user"
        assert [(e["method"], e["path"]) for e in emu.request_log()] == [("GET", "/me")]
        emu.clear_log()
        assert emu.request_log() == []
        assert emu.set_faults(rate_429=0.5)["rate_429"] == 0.5 and emu.admin("GET", "/faults")["latency_ms"] == 1
        emu.reset()
        assert emu.admin("GET", "faults")["rate_429"] == 0.0 and emu.state()["users"][0]["login"] == "emulator-user"
    assert emu.proc.returncode == 0  # SIGTERM: a clean exit


def test_one_that_does_not_start_is_an_error():
    with pytest.raises(EmulatorStartError, match=r"did not start \(first line: ''\)"):
        EmulatorProcess("--page-size", "0")  # the CLI refuses it: exit 2, no URL line
