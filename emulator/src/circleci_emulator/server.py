"""Serving: a threaded werkzeug server (``build_server``, used by the CLI), ``Emulator`` (on a
background thread of this process, for tests) and ``EmulatorProcess`` (the CLI in a child
process, for the tools that run beside an emulator: benchmarks, fault convergence, emulator_run).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import urllib.request

from werkzeug.serving import WSGIRequestHandler, make_server

from . import state_dump
from .app import EXTENSION, Runtime, create_app
from .seed import load_seed_file


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (errors are still logged)."""

    def log_request(self, code="-", size="-"):
        pass


def build_server(app, host: str = "127.0.0.1", port: int = 0, access_log: bool = False):
    handler = WSGIRequestHandler if access_log else QuietRequestHandler
    return make_server(host, port, app, threaded=True, request_handler=handler)


class Emulator:
    """A running emulator on a background thread.

    >>> with Emulator() as emu:
    ...     requests.get(emu.url + "/me", headers={"Circle-Token": emu.token})

    ``url`` is the API base (``http://127.0.0.1:PORT/api/v2``), ``base`` the
    server root, ``app`` the Flask app and ``runtime`` its state (store,
    request log, faults).
    """

    token = "emulator-token"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, seed: dict | None = None,
                 seed_file: str | None = None, page_size: int = 20, latency_ms: int = 0,
                 strict: bool = True, validate_responses: bool = True, access_log: bool = False):
        if seed_file is not None:
            seed = load_seed_file(seed_file)
        self.app = create_app(seed, page_size=page_size, latency_ms=latency_ms, strict=strict,
                              validate_responses=validate_responses)
        self.host, self.port = host, port
        self.access_log = access_log
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def runtime(self) -> Runtime:
        return self.app.extensions[EXTENSION]

    @property
    def store(self):
        return self.runtime.store

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/api/v2"

    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        self._server = build_server(self.app, self.host, self.port, self.access_log)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="circleci-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    # conveniences for tests, same as the /_emulator/ endpoints
    def reset(self, seed: dict | None = None) -> None:
        self.runtime.reset(seed)

    def request_log(self) -> list[dict]:
        return self.runtime.log.entries()

    def state(self) -> dict:
        return state_dump.dump(self.store)

    def set_faults(self, **changes) -> dict:
        return self.runtime.faults.update(changes)

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class EmulatorStartError(RuntimeError):
    """The child process did not print the API URL as its first line."""


class EmulatorProcess:
    """``circleci-emulator`` in a child process on a free port (its own interpreter: several can
    serve at full speed beside the tool that started them).

    >>> with EmulatorProcess("--latency-ms", "50") as emu:
    ...     run_something(env={"CIRCLECI_API_URL": emu.api_url})
    ...     emu.request_log()

    ``args`` are further CLI options. ``api_url`` is the API base (``http://127.0.0.1:PORT/api/v2``),
    ``base`` the server root; ``admin()`` calls ``/_emulator/`` (JSON in, JSON out), and
    ``reset``, ``request_log``, ``clear_log``, ``state``, ``set_faults`` are the usual ones.
    ``stop()`` ends it with SIGTERM (SIGKILL after 10 s).
    """

    def __init__(self, *args: str, host: str = "127.0.0.1"):
        self.proc = subprocess.Popen([sys.executable, "-m", "circleci_emulator", "--host", host, "--port", "0", *args],
                                     stdout=subprocess.PIPE, text=True)
        self.api_url = self.proc.stdout.readline().strip()
        if not self.api_url.startswith("http://"):
            self.stop()
            raise EmulatorStartError(f"circleci-emulator did not start (first line: {self.api_url!r})")
        self.base = self.api_url.rsplit("/api/v2", 1)[0]
        # keep reading what the emulator prints, so that a full pipe never blocks it
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def admin(self, method: str, path: str, body=None, timeout: float = 60):
        """``METHOD /_emulator/PATH`` with a JSON body (if any); the JSON answer (None if empty)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base}/_emulator/{path.lstrip('/')}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.admin("POST", "reset")

    def request_log(self) -> list:
        return self.admin("GET", "requests")

    def clear_log(self) -> None:
        self.admin("DELETE", "requests")

    def state(self) -> dict:
        return self.admin("GET", "state")

    def set_faults(self, **changes) -> dict:
        return self.admin("PUT", "faults", changes)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)  # nothing happens if it has ended already
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self) -> "EmulatorProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
