"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the digest tests: plain, STARTTLS or TLS,
with or without a login, keeping every message it accepts."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if session.authenticated else None
        self.received.append(Received(
            envelope.mail_from, list(envelope.rcpt_tos),
            message_from_bytes(envelope.original_content, policy=policy.default), login))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """``with MailServer(mode="starttls", login=("user", "pw")) as server: ...``"""

    def __init__(self, mode: str = "none", login: tuple[str, str] | None = None,
                 ca: trustme.CA | None = None, port: int | None = None) -> None:
        self.mode = mode
        self.login = login
        self.inbox = Inbox()
        self.ca = ca or trustme.CA()
        self.port = port or free_port()
        kwargs: dict = {}
        if mode != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
            if mode == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        if login:
            # aiosmtpd cannot tell that an implicit-TLS connection is encrypted, so its
            # "no login before TLS" rule is on for STARTTLS only.
            kwargs.update(authenticator=self._authenticate,
                          auth_require_tls=mode == "starttls")
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10, **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self.login == (
            auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def write_ca(self, path: Path) -> Path:
        self.ca.cert_pem.write_to_path(str(path))
        return path

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
