"""Fault injection for /api/v2 requests (never for /_emulator/).

Each request draws one number from ``random.Random(seed)`` (under a lock, so
a given sequence of requests meets the same faults every run):
``r < rate_429`` -> 429 with Retry-After; ``< rate_429 + rate_500`` -> an
``error_status`` answer (default 500); ``< ... + rate_drop`` -> the request is
processed, then its connection is closed without an answer. ``queue`` lists
faults for the next requests, one each, before any draw ("429", "drop", a
5xx status such as "503", or "none": that request is served as it is, so that
a fault can be aimed at the second request of a task). ``latency_ms`` delays every answer.

``error_after`` (0 to 1, default 0) is the share of injected 5xx answers that
come *after* the request was processed (a write that happened although the
client got an error, as a real 500 can); the others refuse the request before
any processing, like a 429. Only when it is above 0 does a 5xx draw a second
number, so the fault sequence of a seed does not change otherwise. A queued
5xx may say its stage: "500" (before) or "500+after". Drops always come after
processing: the answer to a processed request is lost.

``rate_limit_for`` (seconds) models a real rate limit rather than a random one: from the moment
it is set, every request is answered 429 for that long, each with the remaining wait as its
Retry-After (whole seconds, rounded up), then requests pass again. It is consumed (reads back
as the seconds left) and does not draw from the seeded sequence. ``retry_after`` may be a
fraction of a second, so that test runs honour Retry-After without spending whole seconds.
``error_retry_after`` (seconds, default None: no header) adds a Retry-After to the injected 5xx
answers, as a 503 may carry one.

``pipeline_step_seconds`` is not a fault but a pace: how long each job of a
triggered pipeline runs (engine.py), settable at runtime like the latency.
"""

from __future__ import annotations

import math
import random
import threading
import time

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
    "pipeline_step_seconds": 0.5,
    "error_after": 0.0,
    "rate_limit_for": 0,
    "error_retry_after": None,
}


class FaultError(ValueError):
    pass


def _check_fault(item: object) -> str:
    text = str(item)
    status = text[:-len("+after")] if text.endswith("+after") else text
    if text in ("429", "drop", "none") or (status.isdigit() and 500 <= int(status) <= 599):
        return text
    raise FaultError(f"queue: {item!r} is not one of 429, drop, none, a 5xx status or a 5xx status+after")


def _number(key: str, value: object, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise FaultError(f"{key} must be {what}")
    return value


def _rate(key, value):
    return float(_number(key, value, 0, 1, "a number between 0 and 1"))


def _seconds(key, value):
    return _number(key, value, 0, 86400, "a number of seconds between 0 and 86400")


def _optional_seconds(key, value):
    return None if value is None else _seconds(key, value)


def _step_seconds(key, value):
    return _number(key, value, 0, 3600, "a number between 0 and 3600")


def _count(key, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FaultError(f"{key} must be a non-negative integer")
    return value


def _status(key, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 500 <= value <= 599:
        raise FaultError(f"{key} must be a 5xx status code")
    return value


def _queue(key, value):
    if not isinstance(value, list):
        raise FaultError(f"{key} must be a list")
    return [_check_fault(item) for item in value]


# How each setting is checked (and normalised) by Faults.update.
CHECKS = {
    "latency_ms": _count, "seed": _count,
    "rate_429": _rate, "rate_500": _rate, "rate_drop": _rate, "error_after": _rate,
    "retry_after": _seconds, "rate_limit_for": _seconds, "error_retry_after": _optional_seconds,
    "pipeline_step_seconds": _step_seconds, "error_status": _status, "queue": _queue,
}


class Faults:
    def __init__(self, latency_ms: int = 0, pipeline_step_seconds: float = DEFAULTS["pipeline_step_seconds"]):
        self._lock = threading.Lock()
        self._initial = dict(DEFAULTS, latency_ms=latency_ms, queue=[], pipeline_step_seconds=pipeline_step_seconds)
        self.reset()

    def set_initial(self, **values) -> None:
        """Change what a reset returns to (the CLI's --pipeline-step-seconds), and the current value."""
        current = self.update(values)
        with self._lock:
            self._initial.update({key: current[key] for key in values})

    def reset(self) -> None:
        with self._lock:
            self._config = dict(self._initial, queue=[])
            self._rng = random.Random(self._config["seed"])
            self._limited_until = 0.0

    def get(self) -> dict:
        with self._lock:
            return self._snapshot()

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
                new[key] = CHECKS[key](key, value)
            if sum(new[k] for k in RATE_KEYS) > 1:
                raise FaultError("rate_429 + rate_500 + rate_drop must not exceed 1")
            self._config = new
            if "seed" in changes:
                self._rng = random.Random(new["seed"])
            if "rate_limit_for" in changes:
                self._limited_until = time.monotonic() + new["rate_limit_for"]
            return self._snapshot()

    def _snapshot(self) -> dict:
        left = max(0.0, self._limited_until - time.monotonic())
        return dict(self._config, queue=list(self._config["queue"]), rate_limit_for=round(left, 3))

    def rate_limited(self) -> int | None:
        """The whole seconds left of a rate_limit_for period (at least 1), or None outside one."""
        with self._lock:
            left = self._limited_until - time.monotonic()
        return max(1, math.ceil(left)) if left > 0 else None

    def draw(self) -> tuple[str | None, dict]:
        """The fault for the next request (None, "429", "5xx" status, "drop") and the config."""
        fault, _stage, config = self.draw_stage()
        return fault, config

    def draw_stage(self) -> tuple[str | None, str | None, dict]:
        """(fault, stage, config): stage "before" (the request is refused unprocessed), "after"
        (processed, then its answer is lost or replaced by the 5xx) or None (no fault)."""
        with self._lock:
            config = self._config
            r = self._rng.random()
            if config["queue"]:
                fault = config["queue"].pop(0)
                if fault == "none":
                    return None, None, dict(config)
                if fault == "drop" or fault.endswith("+after"):
                    return fault.replace("+after", ""), "after", dict(config)
                return fault, "before", dict(config)
            if r < config["rate_429"]:
                return "429", "before", dict(config)
            if r < config["rate_429"] + config["rate_500"]:
                after = config["error_after"] > 0 and self._rng.random() < config["error_after"]
                return str(config["error_status"]), "after" if after else "before", dict(config)
            if r < config["rate_429"] + config["rate_500"] + config["rate_drop"]:
                return "drop", "after", dict(config)
            return None, None, dict(config)
