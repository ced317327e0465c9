"""The digest as a multipart e-mail, sent over SMTP with a checked certificate.

The login comes from environment variables named in ``[smtp]``; it is never
logged, stored or put in an error message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from aggregator.clock import utc_now
from aggregator.config.digest import DigestSettings, SmtpSettings
from aggregator.errors import MailError


def compose(*, subject: str, text: str, html: str, settings: DigestSettings,
            digest_date: str) -> EmailMessage:
    """A multipart/alternative message: the plain-text part first, then HTML."""
    if not settings.sender:
        raise MailError("[digest] field 'sender' is not set: who is the digest from?")
    if not settings.recipients:
        raise MailError("[digest] field 'recipients' is empty: nobody to send the digest to")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = format_datetime(utc_now())
    message["Message-ID"] = make_msgid("digest", domain=_domain(settings.sender))
    message["Auto-Submitted"] = "auto-generated"      # RFC 3834: no auto-replies
    message["X-Newsagg-Digest"] = digest_date
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    """The (text, html) bodies as the message carries them, decoded: what a reader's
    client shows, which the archive keeps."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    if text is None or html is None:
        raise ValueError("the digest message lacks its text or HTML part")
    return str(text.get_content()), str(html.get_content())


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "newsagg.invalid"


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Certificate and host name checked; ``ca_file`` replaces the system CAs when set."""
    return ssl.create_default_context(cafile=smtp.ca_file)


def send(message: EmailMessage, settings: DigestSettings,
         environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Hand the message to the relay; return the recipients it refused (address: reply).

    Every failure is a MailError whose message names the relay and what to check.
    """
    smtp = settings.smtp
    where = f"{smtp.host}:{smtp.port}"
    user = environ.get(smtp.username_env) or None
    password = environ.get(smtp.password_env) or None
    if password and not user:
        raise MailError(f"{smtp.password_env} is set but {smtp.username_env} is not: "
                        "set both to log in to the relay, or neither")
    if user and not password:
        raise MailError(f"{smtp.username_env} is set but {smtp.password_env} is not")
    envelope_from = parseaddr(settings.sender or "")[1]
    try:
        client = _connect(smtp)
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"cannot send the digest via {where}: the relay's certificate is "
                        f"not trusted ({exc.verify_message}); if it uses a private CA, "
                        "set [smtp] ca_file") from None
    except ssl.SSLError as exc:
        raise MailError(f"cannot send the digest via {where}: TLS failed ({exc.reason or exc})"
                        f"; check [smtp] security (now {smtp.security!r}) and port") from None
    except TimeoutError:
        raise MailError(f"cannot send the digest via {where}: no answer within "
                        f"{smtp.timeout:g} s") from None
    except OSError as exc:
        raise MailError(f"cannot send the digest via {where}: cannot connect "
                        f"({exc.strerror or exc})") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"cannot send the digest via {where}: {_reply(exc)}") from None
    try:
        with client:
            if user:
                try:
                    client.login(user, password or "")
                except smtplib.SMTPAuthenticationError as exc:
                    raise MailError(
                        f"cannot send the digest via {where}: the relay refused the login of "
                        f"{user!r} ({_reply(exc)}); check {smtp.username_env} and "
                        f"{smtp.password_env}") from None
                except smtplib.SMTPNotSupportedError:
                    raise MailError(f"cannot send the digest via {where}: the relay offers no "
                                    "login (AUTH); unset the login variables") from None
            refused = client.send_message(message, from_addr=envelope_from,
                                          to_addrs=list(settings.recipients))
    except MailError:
        raise
    except smtplib.SMTPRecipientsRefused as exc:
        refusals = "; ".join(f"{a}: {_reply_of(*r)}" for a, r in exc.recipients.items())
        raise MailError(f"cannot send the digest via {where}: every recipient was refused "
                        f"({refusals})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"cannot send the digest via {where}: the sender {envelope_from!r} "
                        f"was refused ({_reply(exc)}); check [digest] sender") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"cannot send the digest via {where}: {_reply(exc)}") from None
    except OSError as exc:
        raise MailError(f"cannot send the digest via {where}: the connection broke "
                        f"({exc.strerror or exc})") from None
    return {address: _reply_of(*reply) for address, reply in refused.items()}


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.security == "tls":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                context=tls_context(smtp))
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo()
        if smtp.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailError(f"cannot send the digest via {smtp.host}:{smtp.port}: the relay "
                                "does not offer STARTTLS; use security = \"tls\" for a port "
                                "with implicit TLS (465)")
            client.starttls(context=tls_context(smtp))
            client.ehlo()
    except BaseException:
        client.close()
        raise
    return client


def _reply(exc: smtplib.SMTPException) -> str:
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if code is not None:
        return _reply_of(code, error)
    return str(exc) or type(exc).__name__


def _reply_of(code: int, text: bytes | str | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text or ''}".strip()

