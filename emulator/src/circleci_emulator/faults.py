"""Fault injection for /api/v2 requests (never for /_emulator/).

Each request draws one number from ``random.Random(seed)`` (under a lock, so
a given sequence of requests meets the same faults every run):
``r < rate_429`` -> 429 with Retry-After; ``< rate_429 + rate_500`` -> an
``error_status`` answer (default 500); ``< ... + rate_drop`` -> the request is
processed, then its connection is closed without an answer. ``queue`` lists
faults for the next requests, one each, before any draw ("429", "drop", or a
5xx status such as "503"). ``latency_ms`` delays every answer.
"""

from __future__ import annotations

import random
import threading

RATE_KEYS = ("rate_429", "rate_500", "rate_drop")
DEFAULTS = {
    "latency_ms": 0,
    "rate_429": 0.0,
    "retry_after": 1,
    "rate_500": 0.0,
    "error_status": 500,
    "rate_drop": 0.0,
    "seed": 0,
    "queue": [],
}


class FaultError(ValueError):
    pass


def _check_fault(item: object) -> str:
    text = str(item)
    if text in ("429", "drop") or (text.isdigit() and 500 <= int(text) <= 599):
        return text
    raise FaultError(f"queue: {item!r} is not one of 429, drop or a 5xx status")


class Faults:
    def __init__(self, latency_ms: int = 0):
        self._lock = threading.Lock()
        self._initial = dict(DEFAULTS, latency_ms=latency_ms, queue=[])
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._config = dict(self._initial, queue=[])
            self._rng = random.Random(self._config["seed"])

    def get(self) -> dict:
        with self._lock:
            return dict(self._config, queue=list(self._config["queue"]))

    def update(self, changes: dict) -> dict:
        """Apply a partial update; raises FaultError (nothing applied) when invalid."""
        if not isinstance(changes, dict):
            raise FaultError("expected a JSON object")
        unknown = set(changes) - set(DEFAULTS)
        if unknown:
            raise FaultError(f"unknown keys: {', '.join(sorted(unknown))}")
        with self._lock:
            new = dict(self._config)
            for key, value in changes.items():
                if key in RATE_KEYS:
                    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                        raise FaultError(f"{key} must be a number between 0 and 1")
                    new[key] = float(value)
                elif key == "queue":
                    if not isinstance(value, list):
                        raise FaultError("queue must be a list")
                    new[key] = [_check_fault(item) for item in value]
                elif key == "error_status":
                    if isinstance(value, bool) or not isinstance(value, int) or not 500 <= value <= 599:
                        raise FaultError("error_status must be a 5xx status code")
                    new[key] = value
                else:  # latency_ms, retry_after, seed
                    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                        raise FaultError(f"{key} must be a non-negative integer")
                    new[key] = value
            if sum(new[k] for k in RATE_KEYS) > 1:
                raise FaultError("rate_429 + rate_500 + rate_drop must not exceed 1")
            self._config = new
            if "seed" in changes:
                self._rng = random.Random(new["seed"])
            return dict(new, queue=list(new["queue"]))

    def draw(self) -> tuple[str | None, dict]:
        """The fault for the next request (None, "429", "5xx" status, "drop") and the config."""
        with self._lock:
            config = self._config
            r = self._rng.random()
            if config["queue"]:
                return config["queue"].pop(0), dict(config)
            if r < config["rate_429"]:
                return "429", dict(config)
            if r < config["rate_429"] + config["rate_500"]:
                return str(config["error_status"]), dict(config)
            if r < config["rate_429"] + config["rate_500"] + config["rate_drop"]:
                return "drop", dict(config)
            return None, dict(config)
