"""Every value the gateway places in a Wix REST path is one segment, or nothing is sent.

The templates are found by introspecting the modules of `gateway.upstream`, so a new template is
covered without touching this file. Requests are counted with an httpx mock transport.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

import gateway.upstream
from gateway.config import Settings
from gateway.upstream import Upstream, WixClient, anonymous, forms
from gateway.upstream.client import WixApi
from gateway.upstream.errors import BAD_USER_INPUT
from gateway.upstream.paths import MAX_SEGMENT_LENGTH, InvalidPathValue, template_parameters

HOSTILE = [
    "..",
    ".",
    "...",
    "a/b",
    "/",
    "a\\b",
    "%2e%2e",
    "%2F",
    "a?b",
    "a#b",
    "a:b",  # `{bookingId}:confirmOrDecline` is a gRPC-style custom verb
    "",
    "\n",
    "a\r\nHost: evil",
    "\x00",
    " a",
    "a b",
    "\t",
    "é",
    "a" * 10 * 1024,
    "a" * (MAX_SEGMENT_LENGTH + 1),
]
GUID = "e5000000-0000-4000-8000-000000000001"
# Ids of the shapes Wix and the sandbox issue: GUIDs, the sandbox's class-session event ids,
# `secrets.token_urlsafe(32)` tokens, dotted URL-safe tokens, and the longest value allowed.
VALID = [
    GUID,
    f"{GUID}-20300107T090000Z",
    "q3Vx0_pZ-7hYc1mKf2LrT9sWb4nEoA6dJ8gUiH5yXk0",
    "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl~v2",
    "b" * MAX_SEGMENT_LENGTH,
]


def _path_templates() -> dict[str, str]:
    """`module.CONSTANT` -> template, for every string constant of `gateway.upstream` that is
    a path with at least one `{name}`."""
    found: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(gateway.upstream.__path__):
        module = importlib.import_module(f"gateway.upstream.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, str) and value.startswith("/") and template_parameters(value):
                found[f"{module_info.name}.{name}"] = value
    return found


TEMPLATES = _path_templates()


class Recorder:
    """A mock Wix that answers `{}` to everything and keeps the requests it got."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"booking": {}, "form": {}, "service": {}})


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[WixClient, Recorder]]:
    recorder = Recorder()
    client = WixClient(
        Settings(wix_api_key="key-123", wix_site_id="site-1"),
        transport=httpx.MockTransport(recorder),
    )
    yield client, recorder
    await client.aclose()


def test_the_templates_are_found() -> None:
    """Guards the introspection itself: known templates of several modules are among them."""
    found = set(TEMPLATES.values())
    assert {forms.GET_FORM, anonymous.GET_BOOKING_ANONYMOUSLY} <= found
    assert {module.split(".")[0] for module in TEMPLATES} >= {
        "anonymous",
        "bookings_writer",
        "forms",
        "multi_service",
        "services",
        "time_slots",
    }


@pytest.mark.parametrize("template", sorted(set(TEMPLATES.values())))
async def test_hostile_values_are_refused_before_any_request(
    recorded: tuple[WixClient, Recorder], template: str
) -> None:
    client, recorder = recorded
    names = template_parameters(template)
    for name in names:
        for hostile in HOSTILE:
            params = {other: GUID for other in names} | {name: hostile}
            with pytest.raises(InvalidPathValue) as caught:
                await client.request("GET", template, path_params=params)
            error = caught.value
            assert error.code == BAD_USER_INPUT
            assert error.extensions["fieldViolations"][0]["field"] == name
            assert error.http_status is None
    assert recorder.requests == []


@pytest.mark.parametrize("template", sorted(set(TEMPLATES.values())))
async def test_valid_ids_are_sent_unchanged(
    recorded: tuple[WixClient, Recorder], template: str
) -> None:
    client, recorder = recorded
    names = template_parameters(template)
    for value in VALID:
        params = dict.fromkeys(names, value)
        await client.request("GET", template, path_params=params)
        sent = recorder.requests[-1].url
        assert sent.raw_path.decode() == template.format_map(params)
        assert sent.path == template.format_map(params)
    assert len(recorder.requests) == len(VALID)


def _id_methods() -> list[tuple[str, str]]:
    """(attribute of `Upstream`, method) for every API method whose first argument is a `str`
    (an id or a token): each of them places it in a path."""
    upstream = Upstream(None)  # type: ignore[arg-type]  # only the methods are looked at
    methods = []
    for attribute in Upstream.__slots__:
        api = getattr(upstream, attribute)
        assert isinstance(api, WixApi)
        for name, method in inspect.getmembers(api, inspect.iscoroutinefunction):
            parameters = list(inspect.signature(method, eval_str=True).parameters.values())
            if not name.startswith("_") and parameters and parameters[0].annotation is str:
                methods.append((attribute, name))
    return methods


ID_METHODS = _id_methods()


def test_the_id_methods_are_found() -> None:
    assert {
        ("forms", "get_form"),
        ("bookings_writer", "confirm_booking"),
        ("bookings_writer", "get_booking_anonymously"),
        ("time_slots", "get_event"),
    } <= set(ID_METHODS)


@pytest.mark.parametrize(("api", "method"), ID_METHODS)
async def test_every_api_method_refuses_a_climbing_id(
    recorded: tuple[WixClient, Recorder], api: str, method: str
) -> None:
    """The per-API methods reach the client's check: none builds a path of its own."""
    client, recorder = recorded
    call = getattr(getattr(Upstream(client), api), method)
    extra: list[Any] = [
        {}
        for p in list(inspect.signature(call).parameters.values())[1:]
        if p.default is inspect.Parameter.empty
    ]
    for hostile in ("..", "a/b", "%2e%2e"):
        with pytest.raises(InvalidPathValue):
            await call(hostile, *extra)
    assert recorder.requests == []


async def test_a_refused_token_is_not_echoed(recorded: tuple[WixClient, Recorder]) -> None:
    client, recorder = recorded
    token = "s3cret-token/../../bookings"
    with pytest.raises(InvalidPathValue) as caught:
        await Upstream(client).bookings_writer.get_booking_anonymously(token)
    assert "s3cret" not in str(caught.value) and "s3cret" not in repr(caught.value.extensions)
    assert caught.value.extensions["fieldViolations"][0]["field"] == "token"
    assert recorder.requests == []
