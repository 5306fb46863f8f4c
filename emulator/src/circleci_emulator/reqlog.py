"""The request log served at /_emulator/requests."""

from __future__ import annotations

import threading


class RequestLog:
    def __init__(self, limit: int = 100_000):
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self.limit = limit

    def append(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)
            if len(self._entries) > self.limit:
                del self._entries[: len(self._entries) - self.limit]

    def entries(self) -> list[dict]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
