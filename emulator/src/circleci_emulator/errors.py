"""Error helpers: handlers raise ApiError, the dispatcher answers it as JSON."""

from __future__ import annotations

import json

from flask import Response


class ApiError(Exception):
    """An error answer. ``key`` is "message" for most endpoints, "error" for OIDC and policies."""

    def __init__(self, status: int, message: str, key: str = "message", headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.key = key
        self.headers = headers or {}

    def body(self) -> dict:
        return {self.key: self.message}


def json_response(status: int, body, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers or {}, mimetype="application/json")


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def unauthorized(message: str = "You must log in first.") -> ApiError:
    return ApiError(401, message)


def forbidden(message: str = "Permission denied.") -> ApiError:
    return ApiError(403, message)


def not_found(message: str = "Not found") -> ApiError:
    return ApiError(404, message)


def conflict(message: str) -> ApiError:
    return ApiError(409, message)
