"""The log of sent digests, so that a digest date is mailed once.

A send is claimed before the SMTP conversation (a "sending" row, written in a
``BEGIN IMMEDIATE`` transaction so two processes cannot both claim a date) and
marked "sent" once the server accepted the message. A failed send removes its
claim. The sender holds the date's lock (aggregator/digest/lock.py) from before the
claim to the end, so a "sending" row whose lock is held is a send in progress, and
one whose lock is free was left by a process that died mid-send: the mail may or may
not have gone out, so it is not sent again without ``force``.

The claim also keeps the message as it goes out (its language and its HTML and
plain-text parts, columns from m010), so the archive shows what readers got.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aggregator.clock import utc_stamp
from storage.rows import one
from storage.store import Store

SENDING, SENT = "sending", "sent"


@dataclass(frozen=True)
class DigestRecord:
    id: int
    digest_date: str
    status: str
    started_at: str
    sent_at: str | None
    message_id: str | None
    recipients: list[str]


class DigestLog:
    """Reads and writes the `digests` table of an open store."""

    def __init__(self, store: Store) -> None:
        self.conn = store.db.conn

    def last(self, digest_date: str) -> DigestRecord | None:
        """The latest claim or send for a date, if any."""
        row = one(self.conn,
                  "SELECT id, digest_date, status, started_at, sent_at, message_id, recipients"
                  " FROM digests WHERE digest_date = ? ORDER BY id DESC LIMIT 1",
                  (digest_date,))
        if row is None:
            return None
        return DigestRecord(id=row["id"], digest_date=row["digest_date"], status=row["status"],
                            started_at=row["started_at"], sent_at=row["sent_at"],
                            message_id=row["message_id"],
                            recipients=json.loads(row["recipients"] or "[]"))

    def claim(self, digest_date: str, *, window: tuple[str, str], recipients: Sequence[str],
              message_id: str, subject: str, article_ids: Sequence[int], stories: int,
              force: bool = False, language: str | None = None, html: str | None = None,
              text: str | None = None) -> tuple[int | None, DigestRecord | None]:
        """Claim the date for sending: (claim id, None), or (None, the earlier record)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            earlier = self.last(digest_date)
            if earlier is not None and not force:
                self.conn.execute("ROLLBACK")
                return None, earlier
            cur = self.conn.execute(
                "INSERT INTO digests (digest_date, window_start, window_end, status, started_at,"
                " recipients, message_id, subject, stories, articles, article_ids, language,"
                " html, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (digest_date, window[0], window[1], SENDING, utc_stamp(),
                 json.dumps(list(recipients)), message_id, subject, stories, len(article_ids),
                 json.dumps(list(article_ids)), language, html, text))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return cur.lastrowid, None

    def mark_sent(self, claim_id: int, refused: dict[str, Any] | None = None) -> None:
        self.conn.execute("UPDATE digests SET status = ?, sent_at = ?, refused = ? WHERE id = ?",
                          (SENT, utc_stamp(), json.dumps(refused or {}, ensure_ascii=False),
                           claim_id))

    def release(self, claim_id: int) -> None:
        """Forget a claim whose send failed: nothing was sent, nothing is recorded."""
        self.conn.execute("DELETE FROM digests WHERE id = ? AND status = ?", (claim_id, SENDING))
