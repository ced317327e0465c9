"""CSV with a UTF-8 byte order mark, on request (``?_bom=1`` on any ``.csv`` URL).

Datasette 0.65 writes CSV as UTF-8 without a BOM, which Excel reads in the machine's
legacy code page: Cyrillic comes out as mojibake. The mark is added on the way out, to
the first chunk of the body, so streamed exports (``_stream=on``) keep streaming.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

BOM = "\ufeff".encode()

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def wants_bom(scope: Scope) -> bool:
    """A CSV asked for with ``_bom=1``."""
    if scope.get("type") != "http" or not str(scope.get("path", "")).endswith(".csv"):
        return False
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    return query.get("_bom", [""])[0] in ("1", "on", "true")


def with_bom(app: App) -> App:
    """``app``, prefixing the body of a successful CSV response asked for with a BOM."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not wants_bom(scope):
            await app(scope, receive, send)
            return
        pending = {"mark": False}

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                pending["mark"] = message.get("status") == 200 and kind.startswith(
                    (b"text/csv", b"text/plain"))
                if pending["mark"]:
                    message = {**message, "headers": [
                        (k, str(int(v) + len(BOM)).encode() if k.lower() == b"content-length"
                         else v) for k, v in headers]}
            elif message["type"] == "http.response.body" and pending["mark"]:
                pending["mark"] = False
                message = {**message, "body": BOM + bytes(message.get("body") or b"")}
            await send(message)

        await app(scope, receive, send_marked)

    return wrapped
