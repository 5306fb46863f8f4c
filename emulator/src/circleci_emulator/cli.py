"""circleci-emulator: serve a local CircleCI API v2 until killed."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time

from .app import create_app
from .seed import SeedError, load_seed_file
from .server import build_server


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="circleci-emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--seed", metavar="FILE", help="seed file, JSON or YAML (default: the built-in seed)")
    parser.add_argument("--page-size", type=int, default=20, help="items per page of paginated lists (default 20)")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay every API answer (default 0)")
    parser.add_argument("--pipeline-step-seconds", type=float, default=0.5, metavar="SECONDS",
                        help="how long each job of a triggered pipeline runs (default 0.5; "
                             "also settable at runtime through /_emulator/faults)")
    parser.add_argument("--strict", action=argparse.BooleanOptionalAction, default=True,
                        help="answer 400 to requests the OpenAPI spec rejects (default); "
                             "--no-strict only logs the violation")
    parser.add_argument("--validate-responses", action=argparse.BooleanOptionalAction, default=True,
                        help="check every answer against the OpenAPI spec and log the reason of one it "
                             "rejects as response_violation (default); the answer is sent as it is")
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.add_argument("--url-file", metavar="FILE",
                        help="once listening, write the base URL to FILE atomically (a script that waits "
                             "for FILE to exist never reads a partial or stale URL; remove FILE before starting)")
    args = parser.parse_args(argv)
    if args.page_size < 1:
        parser.error("--page-size must be at least 1")
    if args.latency_ms < 0:
        parser.error("--latency-ms must not be negative")
    if not 0 <= args.pipeline_step_seconds <= 3600:
        parser.error("--pipeline-step-seconds must be between 0 and 3600")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        seed = load_seed_file(args.seed) if args.seed else None
        app = create_app(seed, page_size=args.page_size, latency_ms=args.latency_ms, strict=args.strict,
                         validate_responses=args.validate_responses)
        app.extensions["circleci_emulator"].faults.set_initial(pipeline_step_seconds=args.pipeline_step_seconds)
    except (OSError, ValueError, SeedError) as exc:
        print(f"circleci-emulator: {exc}", file=sys.stderr)
        return 2
    server = build_server(app, args.host, args.port, args.access_log)
    # Serve on a thread; the main thread only waits for SIGTERM/SIGINT, whenever it comes
    # (a client may signal as soon as it has read the URL).
    # (The handlers only append to a list: no lock is taken inside a signal handler.)
    signals: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: signals.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _frame: signals.append(signum))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{server.server_port}/api/v2"
    if args.url_file:
        try:
            publish_url(args.url_file, url)
        except OSError as exc:
            print(f"circleci-emulator: --url-file: {exc}", file=sys.stderr)
            server.server_close()
            return 2
    print(url, flush=True)
    while not signals:
        time.sleep(0.1)
    server.shutdown()
    server.server_close()
    return 0


def publish_url(path: str, url: str) -> None:
    """Write `url` and a newline to `path` in one step: a temporary file beside it, renamed over it."""
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(url + "\n")
    os.replace(temp, path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
