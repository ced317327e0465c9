"""Untrusted XML made safe to parse: no DTD, references as written, reads bounded.

Feeds and sitemaps come from sites we do not control. A DTD's entities can blow a
200 KB feed up to gigabytes (feedparser's loose parser expands the ones it deems safe),
and a bare '&' in a link ('?id=1&lang=ru') becomes the entity 〈 (feedparser) or is
dropped with the next word (libxml2's recovery). So before any parser sees a document,
``SafeXMLReader`` drops the DOCTYPE and leaves only predefined and numeric references:
a bare '&' or an unknown name is escaped and so read as written, an HTML name such as
&nbsp; becomes its numeric reference. CDATA sections and comments pass untouched. It
streams, so a sitemap is never held whole in memory, and stops at a byte cap.
"""

from __future__ import annotations

import re
import zlib
from html.entities import html5
from typing import Protocol

CHUNK = 64 * 1024
GZIP_INPUT = 16 * 1024       # compressed bytes inflated at a time: what a corrupt block costs
MAX_PROLOG = 256 * 1024      # a DOCTYPE longer than this is not a feed's or a sitemap's
MARGIN = 64                  # bytes kept back so that no reference or marker is split

_QUOTED = rb'"[^"]*"|\'[^\']*\''
_DECL = rb"<(?!!--)[^>\"']*(?:(?:" + _QUOTED + rb")[^>\"']*)*>"     # not a comment: no overlap
_PROLOG_ITEM = re.compile(
    rb"\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->"
    rb"|(?P<doctype><!DOCTYPE(?:[^\[>\"']|" + _QUOTED + rb")*"
    rb"(?:\[(?:[^\]\"'<]|" + _QUOTED + rb"|<!--.*?-->|" + _DECL + rb")*\])?\s*>)",
    re.S | re.I)
_OPENING = re.compile(rb"<!\[CDATA\[|<!--")
# An '&' that is not a predefined reference, with what follows it if that reads as one.
_REFERENCE_BODY = re.compile(
    rb"(?:#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{0,31};)?")
_BAD_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)" + _REFERENCE_BODY.pattern)
MAX_REFERENCE = 35           # '&', a 32-letter name, ';' (and room to spare)
_ENDS = {b"<![CDATA[": b"]]>", b"<!--": b"-->"}


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class SafeXMLReader:
    """A binary file-like view of ``raw`` (bytes of an ASCII-compatible encoding) that
    lxml, expat or feedparser can read. ``capped`` tells that reading stopped at
    ``max_bytes``; ``error`` that the source failed (a truncated gzip, say)."""

    def __init__(self, raw: Readable, max_bytes: int | None = None) -> None:
        self.raw = raw
        self.max_bytes = max_bytes
        self.consumed = 0
        self.capped = False
        self.error: str | None = None
        self._pending = b""
        self._ready = bytearray()
        self._eof = False
        self._in_prolog = True
        self._passthrough = False
        self._end: bytes | None = None        # inside CDATA or a comment: what ends it

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._ready) < size):
            self._pull()
        if size < 0 or size >= len(self._ready):
            out, self._ready = bytes(self._ready), bytearray()
        else:
            out, self._ready = bytes(self._ready[:size]), self._ready[size:]
        return out

    def _pull(self) -> None:
        chunk = self._raw_chunk()
        buf = self._pending + chunk
        final = not chunk
        if self._in_prolog:
            if not self._strip_prolog(buf, final):
                self._pending = buf
                return
            buf = self._pending
        if self._passthrough:
            self._ready += buf
            self._pending = b""
        else:
            self._pending = self._escape(buf, final)
        self._eof = final

    def _raw_chunk(self) -> bytes:
        if self._eof or self.capped or self.error:
            return b""
        try:
            chunk = self.raw.read(CHUNK)
        except (OSError, EOFError, zlib.error) as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            return b""
        if self.max_bytes is not None and self.consumed + len(chunk) > self.max_bytes:
            chunk = chunk[:self.max_bytes - self.consumed]
            self.capped = True
        self.consumed += len(chunk)
        return chunk

    def _strip_prolog(self, buf: bytes, final: bool) -> bool:
        """Move the prolog, less its DOCTYPE and blanks, to the output once it is whole;
        False while more bytes are needed to see where it ends."""
        if buf[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in buf[:4]:
            self._passthrough = True           # UTF-16/32: the sitemap protocol says UTF-8
            self._in_prolog, self._pending = False, buf
            return True
        pos, kept = 0, bytearray()
        while (m := _PROLOG_ITEM.match(buf, pos)) is not None:
            if not (m["doctype"] or m.group().isspace()):
                kept += m.group()
            pos = m.end()
        rest = buf[pos:]
        if not final and (len(rest) < 3 or rest[:2] in (b"<!", b"<?")):
            if len(buf) > MAX_PROLOG:
                raise ValueError(f"the document's prolog (DOCTYPE) is over {MAX_PROLOG} bytes")
            return False
        self._ready += kept
        self._in_prolog, self._pending = False, rest
        return True

    def _escape(self, buf: bytes, final: bool) -> bytes:
        """Escape ``buf`` into the output; return the tail kept for the next chunk."""
        limit = len(buf) if final else len(buf) - MARGIN
        out, pos = self._ready, 0
        while pos < limit:
            if self._end is not None:
                end = buf.find(self._end, pos)
                if end < 0:
                    stop = len(buf) if final else max(pos, len(buf) - len(self._end))
                    out += buf[pos:stop]
                    return buf[stop:]
                out += buf[pos:end + len(self._end)]
                pos, self._end = end + len(self._end), None
                continue
            m = _OPENING.search(buf, pos)
            if m is not None and m.start() < limit:
                out += _BAD_AMPERSAND.sub(_fix, buf[pos:m.start()]) + m.group()
                pos, self._end = m.end(), _ENDS[m.group()]
                continue
            # Cut before the last '&' that a reference could carry past the limit.
            stop = limit if final else buf.rfind(b"&", max(pos, limit - MAX_REFERENCE), limit)
            if stop < 0:
                stop = limit
            elif stop == pos:                  # that '&' first: its reference is all in buf
                body = _REFERENCE_BODY.match(buf, pos + 1)
                stop = body.end() if body else pos + 1
            out += _BAD_AMPERSAND.sub(_fix, buf[pos:stop])
            pos = stop
        return buf[pos:]


def _fix(m: re.Match[bytes]) -> bytes:
    """A reference as XML may keep it: valid numeric ones unchanged, HTML names as numeric
    references; a bare '&', an unknown name or a bad number escaped, so read as written."""
    ref = m.group()
    if ref == b"&":
        return b"&amp;"
    if ref[1:2] == b"#":
        code = int(ref[3:-1], 16) if ref[2:3] in b"xX" else int(ref[2:-1])
        valid = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or \
            0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
        return ref if valid else b"&amp;" + ref[1:]
    chars = html5.get(ref[1:].decode("ascii"))
    if chars is None:
        return b"&amp;" + ref[1:]
    return b"".join(b"&#%d;" % ord(c) for c in chars)


class GunzipReader:
    """A gzip body decompressed as it is read. The data before a truncation or a corrupt
    block is all returned; then read() raises EOFError or zlib.error saying why."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.pos = 0
        self.input = b""
        self.inflater = zlib.decompressobj(wbits=31)
        self.failure: Exception | None = None

    def read(self, size: int = CHUNK) -> bytes:
        while self.failure is None:
            if not self.input:
                self.input = self.body[self.pos:self.pos + GZIP_INPUT]
                self.pos += len(self.input)
            if not self.input:
                if self.inflater.eof or not self.pos:
                    return b""
                self.failure = EOFError("compressed data ends early (a truncated .gz)")
                break
            try:
                out = self.inflater.decompress(self.input, size)
            except zlib.error as exc:
                self.failure = zlib.error(f"corrupt compressed data: {exc}")
                break
            self.input = self.inflater.unconsumed_tail
            if self.inflater.eof:                  # a member ends; another may follow
                rest = self.inflater.unused_data + self.body[self.pos:]
                self.pos = len(self.body)
                self.input = rest if rest.lstrip(b"\x00") else b""
                if self.input:
                    self.inflater = zlib.decompressobj(wbits=31)
            if out:
                return out
        raise self.failure
