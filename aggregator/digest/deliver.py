"""Building, rendering and sending one digest date: once its window has closed, recorded
so it is mailed once, and never by two processes at a time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from aggregator.clock import utc_now, utc_stamp
from aggregator.config.digest import DigestSettings
from aggregator.digest.lock import SendLock
from aggregator.digest.mail import compose, parts, send
from aggregator.digest.render import render, subject
from aggregator.digest.select import Digest, latest_due
from aggregator.digest.text import display_day
from aggregator.errors import DigestNotDueError, DigestUncertainError, MailError
from storage.digests import SENDING, SENT, DigestLog, DigestRecord
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
    now = now or utc_now()
    if value is None:
        return latest_due(now, settings)
    if value == "next":
        return latest_due(now, settings) + timedelta(days=1)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD or 'next'") from None


def deliver(store: Store, settings: DigestSettings, digest: Digest, *, force: bool = False,
            environ: Mapping[str, str] = os.environ, now: datetime | None = None) -> Delivery:
    """Send the digest unless this date was sent already (or is empty and configured to skip).

    A date whose window has not closed at ``now`` is refused (DigestNotDueError) unless
    forced: its mail would be partial and mark the date sent. The sender holds the
    date's SendLock from the claim to the end, so a 'sending' row whose lock is held is
    a send in progress (nothing sent, and said so) and one whose lock is free was left
    by a process that died (DigestUncertainError). See storage/digests.py.
    """
    day = digest.date.isoformat()
    if not force:
        check_due(digest, settings, now)
    if digest.empty and settings.empty == "skip":
        return Delivery(False, "nothing new, and [digest] empty = \"skip\"")
    mail_subject = subject(digest, settings)
    message = compose(subject=mail_subject, text=render(digest, settings, "text"),
                      html=render(digest, settings, "html"), settings=settings,
                      digest_date=day)
    text, html = parts(message)
    log = DigestLog(store)
    with SendLock(store.path, digest.date) as held:
        if not held:
            return _in_progress(log, day)
        claim, earlier = log.claim(
            day, window=(utc_stamp(digest.window_start), utc_stamp(digest.window_end)),
            recipients=settings.recipients, message_id=message["Message-ID"],
            subject=mail_subject, article_ids=digest.article_ids, stories=digest.stories,
            force=force, language=digest.language, html=html, text=text)
        if earlier is not None:
            if earlier.status == SENDING:
                raise DigestUncertainError(
                    f"the digest of {day} may have been sent: a send started at "
                    f"{earlier.started_at} (Message-ID {earlier.message_id}) never finished "
                    "and its process has ended. Check a recipient's mailbox; send again with "
                    "--force if it did not arrive")
            return _already_sent(earlier)
        assert claim is not None
        try:
            refused = send(message, settings, environ)
        except MailError:
            log.release(claim)
            raise
        log.mark_sent(claim, refused)
    return Delivery(True, message_id=message["Message-ID"],
                    recipients=list(settings.recipients), refused=refused)


def check_due(digest: Digest, settings: DigestSettings, now: datetime | None = None) -> None:
    """Raise DigestNotDueError for a date later than the newest whose window has closed.

    "Closed" is ``latest_due``'s rule, the one the scheduler picks its dates by, so a
    date the scheduler sends is never refused here.
    """
    now = now or utc_now()
    due = latest_due(now, settings)
    if digest.date <= due:
        return
    end = f"{_moment(digest.window_end)} ({digest.timezone})"
    if digest.date == due + timedelta(days=1):
        state = f"its window ends at {end} and is still open"
    else:
        state = f"its window, {_moment(digest.window_start)} to {end}, lies in the future"
    raise DigestNotDueError(
        f"the digest of {digest.date.isoformat()} is not due: {state}. Sending it now would "
        "mail a partial digest and mark the date sent, so the full one would never go out; "
        "send it after the window closes, or --force sends it anyway")


def _moment(moment: datetime) -> str:
    clock = "%H:%M:%S" if moment.second else "%H:%M"
    return f"{display_day(moment.date())} {moment.strftime(clock)}"


def _in_progress(log: DigestLog, day: str) -> Delivery:
    """Another process (or thread) holds the date's lock: it is sending, or just did."""
    record = log.last(day)
    if record is not None and record.status == SENT:
        return _already_sent(record)
    started = (f"started at {record.started_at}, Message-ID {record.message_id}"
               if record is not None else "it has not claimed the date yet")
    return Delivery(False, f"another send of {day} is in progress ({started}); this one "
                           "sent nothing", message_id=record.message_id if record else None)


def _already_sent(record: DigestRecord) -> Delivery:
    return Delivery(False, f"already sent at {record.sent_at} to "
                           f"{', '.join(record.recipients)} (Message-ID "
                           f"{record.message_id}); --force sends it again",
                    message_id=record.message_id)
