"""The OpenAPI 3.1 document of ``/api/v1``, built from the endpoint registry and the models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.api.registry import API, Endpoint
from app.api.schemas import MAX_ID

ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {
        "error": {"type": "string"},
        "status": {"type": "integer"},
        "problems": {
            "type": "array",
            "items": {"type": "object", "properties": {k: {"type": "string"} for k in ("field", "message", "fix", "source", "location")}},
        },
    },
}
_ERRORS = {
    "400": "Malformed JSON",
    "401": "No valid bearer token",
    "403": "The role may not do this",
    "404": "Nothing here, or outside the user's scope",
    "409": "Conflicts with the current state (a slot just taken, a plan not a draft)",
    "422": "Invalid input; ``problems`` names each field",
}


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in API.endpoints:
        paths.setdefault(endpoint.openapi_path, {})[endpoint.method.lower()] = _operation(endpoint, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Juxta API",
            "version": "1",
            "description": (
                "Coordinated opening hours, rosters and joint inspections of border posts. Authenticate with "
                "`Authorization: Bearer TOKEN` (`juxta users token NAME` prints one). Every call applies the "
                "caller's role and scope: 404 for what they may not see, 403 for what they may see but not do. "
                "Instants are ISO 8601 with their UTC offset."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _operation(endpoint: Endpoint, schemas: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID} if is_int else {"type": "string", "minLength": 1, "maxLength": 80}}
        for name, is_int in endpoint.path_parameters
    ]
    if endpoint.query is not None:
        query_schema = _schema(endpoint.query, schemas, inline=True)
        required = set(query_schema.get("required", []))
        for name, schema in query_schema["properties"].items():
            parameters.append({"name": name, "in": "query", "required": name in required, "schema": _simplify(schema), **({"description": schema["description"]} if "description" in schema else {})})
    responses: dict[str, Any] = {str(endpoint.status): {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
    for code, text in _ERRORS.items():
        if code == "401" and endpoint.public:
            continue
        responses[code] = {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    operation: dict[str, Any] = {
        "operationId": f"{endpoint.method.lower()}_{endpoint.openapi_path.strip('/').replace('/', '_').replace('{', '').replace('}', '').replace('-', '_').replace('.', '_')}",
        "summary": endpoint.summary,
        "description": f"Allowed for: {endpoint.roles}." if endpoint.roles else endpoint.summary,
        "tags": [endpoint.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if endpoint.public:
        operation["security"] = []
    if endpoint.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(endpoint.body, schemas)}}}
    return operation


def _schema(model: type[BaseModel], schemas: dict[str, Any], inline: bool = False) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    if inline:
        return schema
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _simplify(schema: dict[str, Any]) -> dict[str, Any]:
    """Query parameters are scalars that are either sent or not: no ``null``, no titles."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    base = {key: value for key, value in schema.items() if key not in ("title", "description", "anyOf", "default")}
    if len(options) == 1:
        base.update(options[0])
    elif options:
        base["anyOf"] = options
    if schema.get("default") is not None:
        base["default"] = schema["default"]
    return base
