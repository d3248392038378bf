"""Each API endpoint declared once: its route, and what the OpenAPI document says about it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint
from pydantic import BaseModel

from app.api.schemas import MAX_ID

_PARAMETER = re.compile(r"\{(\w+)(?::(int))?\}")


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str  # OpenAPI form: /posts/{code}/plans/{version:int}
    summary: str
    tag: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    public: bool
    roles: str  # who may call it, in words, for the document

    @property
    def openapi_path(self) -> str:
        return _PARAMETER.sub(lambda m: "{" + m.group(1) + "}", self.path)

    @property
    def flask_rule(self) -> str:
        return _PARAMETER.sub(lambda m: f"<int(max={MAX_ID}):{m.group(1)}>" if m.group(2) else f"<{m.group(1)}>", self.path)

    @property
    def path_parameters(self) -> list[tuple[str, bool]]:
        return [(m.group(1), bool(m.group(2))) for m in _PARAMETER.finditer(self.path)]


@dataclass(slots=True)
class Registry:
    endpoints: list[Endpoint] = field(default_factory=list)

    def route(
        self, blueprint: Blueprint, method: str, path: str, *, summary: str, tag: str, body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None, status: int = 200, public: bool = False, roles: str = "",
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        endpoint = Endpoint(method, path, summary, tag, body, query, status, public, roles)
        self.endpoints.append(endpoint)

        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            blueprint.add_url_rule(endpoint.flask_rule, view.__name__, view, methods=[method])
            return view

        return register


API = Registry()
