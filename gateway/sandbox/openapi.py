"""An OpenAPI 3 document of every Wix path the sandbox serves, generated from the route table."""

from __future__ import annotations

import re
from typing import Any

from gateway import __version__
from gateway.sandbox.routing import WixRoute

_PARAM = re.compile(r"{(\w+)}")

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "details": {
            "type": "object",
            "properties": {
                "applicationError": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "description": {"type": "string"},
                        "data": {"type": "object"},
                    },
                },
                "validationError": {
                    "type": "object",
                    "properties": {
                        "fieldViolations": {"type": "array", "items": {"type": "object"}}
                    },
                },
            },
        },
    },
}


def _operation_id(route: WixRoute, path: str) -> str:
    base = "".join(word.capitalize() for word in re.split(r"\W+", route.name) if word)
    base = base[0].lower() + base[1:]
    return base if path == route.template else f"{base}Alias{route.paths.index(path)}"


def openapi_document(routes: list[WixRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        for path in route.paths:
            parameters: list[dict[str, Any]] = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in _PARAM.findall(path)
            ]
            parameters += [
                {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                for name in route.query_params
            ]
            operation: dict[str, Any] = {
                "operationId": _operation_id(route, path),
                "summary": route.name,
                "tags": [route.api],
                "externalDocs": {"url": route.doc},
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "Success",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "default": {
                        "description": "Wix error envelope",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/WixError"}
                            }
                        },
                    },
                },
            }
            if route.method != "GET":
                content = {"application/json": {"schema": {"type": "object"}}}
                if route.form_body:
                    content["application/x-www-form-urlencoded"] = {"schema": {"type": "object"}}
                operation["requestBody"] = {"required": False, "content": content}
            if route.auth:
                operation["security"] = [{"wixAuthorization": []}]
            else:
                operation["security"] = []
            paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Wix Bookings sandbox",
            "version": __version__,
            "description": (
                "Wix-compatible emulator of the Bookings, Time Slots, Forms and Services REST APIs."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {"WixError": _ERROR_SCHEMA},
            "securitySchemes": {
                "wixAuthorization": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
    }
