"""Building, rendering and sending one digest date, recorded so it is mailed once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from aggregator.digest.mail import compose, send
from aggregator.digest.render import render, subject
from aggregator.digest.select import Digest, latest_due, utc_text
from aggregator.digest.settings import DigestSettings
from aggregator.errors import DigestUncertainError, MailError
from storage.digests import SENDING, DigestLog
from storage.store import Store


@dataclass
class Delivery:
    """What ``deliver`` did: sent, or why not."""

    sent: bool
    reason: str = ""                  # why nothing was sent
    message_id: str | None = None
    recipients: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def parse_digest_date(value: str | None, settings: DigestSettings,
                      now: datetime | None = None) -> date:
    """``None``: the newest digest whose window has closed; ``next``: the one still open."""
    now = now or datetime.now(timezone.utc)
    if value is None:
        return latest_due(now, settings)
    if value == "next":
        return latest_due(now, settings) + timedelta(days=1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD or 'next'") from None


def deliver(store: Store, settings: DigestSettings, digest: Digest, *, force: bool = False,
            environ: Mapping[str, str] = os.environ) -> Delivery:
    """Send the digest unless this date was sent already (or is empty and configured to skip).

    The send is claimed in the store first and marked sent after the relay took the
    message; a failed send leaves no record. See storage/digests.py.
    """
    day = digest.date.isoformat()
    if digest.empty and settings.empty == "skip":
        return Delivery(False, "nothing new, and [digest] empty = \"skip\"")
    mail_subject = subject(digest, settings)
    message = compose(subject=mail_subject, text=render(digest, settings, "text"),
                      html=render(digest, settings, "html"), settings=settings,
                      digest_date=day)
    log = DigestLog(store.db.conn)
    claim, earlier = log.claim(
        day, window=(utc_text(digest.window_start), utc_text(digest.window_end)),
        recipients=settings.recipients, message_id=message["Message-ID"],
        subject=mail_subject, article_ids=digest.article_ids, stories=digest.stories,
        force=force)
    if earlier is not None:
        if earlier.status == SENDING:
            raise DigestUncertainError(
                f"the digest of {day} may have been sent: a send started at "
                f"{earlier.started_at} (Message-ID {earlier.message_id}) never finished. "
                "Check a recipient's mailbox; send again with --force if it did not arrive")
        return Delivery(False, f"already sent at {earlier.sent_at} to "
                               f"{', '.join(earlier.recipients)} (Message-ID "
                               f"{earlier.message_id}); --force sends it again",
                        message_id=earlier.message_id)
    assert claim is not None
    try:
        refused = send(message, settings, environ)
    except MailError:
        log.release(claim)
        raise
    log.mark_sent(claim, refused)
    return Delivery(True, message_id=message["Message-ID"],
                    recipients=list(settings.recipients), refused=refused)
