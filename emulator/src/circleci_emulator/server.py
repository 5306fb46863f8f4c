"""Serving: a threaded werkzeug server (build_server, used by the CLI) and Emulator, on a background thread."""

from __future__ import annotations

import threading

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
                 strict: bool = True, access_log: bool = False):
        if seed_file is not None:
            seed = load_seed_file(seed_file)
        self.app = create_app(seed, page_size=page_size, latency_ms=latency_ms, strict=strict)
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
