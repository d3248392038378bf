"""Error pages and JSON errors: a clear message, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.services.errors import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str, extra: dict[str, object] | None = None) -> tuple[Response | str, int]:
    """The error as JSON for API callers, as a page for browsers; ``extra`` never overrides error or status."""
    extra = {key: value for key, value in (extra or {}).items() if key not in ("error", "status")}
    if wants_json():
        return jsonify({"error": message, "status": status, **extra}), status
    return render_template("errors/error.html", status=status, message=message, extra=extra), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code is None or error.code < 400:
            return error
        message = {
            400: "The request was not understood.",
            401: "Please sign in.",
            403: "Your role does not allow this.",
            404: "There is nothing here, or you may not see it.",
            405: "That method is not allowed here.",
            413: "The upload is too large.",
        }.get(error.code, error.description or error.name)
        if error.code == 400 and error.description and "CSRF" in error.description:
            message = "The form expired or was not sent from Juxta; reload the page and try again."
        response, status = error_response(error.code, message)
        if isinstance(response, Response) and error.code == 405:
            response.headers["Allow"] = ", ".join(error.valid_methods or [])  # type: ignore[attr-defined]
        return response, status

    @app.errorhandler(InvalidInput)
    def invalid_input(error: InvalidInput):  # type: ignore[no-untyped-def]
        return error_response(422, error.summary, {"problems": [p.as_dict() for p in error.problems]})

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):  # type: ignore[no-untyped-def]
        return error_response(404, str(error))

    @app.errorhandler(Conflict)
    def conflict(error: Conflict):  # type: ignore[no-untyped-def]
        return error_response(409, str(error), error.detail)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path)
        from app.db import close_session

        close_session()
        return error_response(500, "Something went wrong on our side; the error was logged.")
