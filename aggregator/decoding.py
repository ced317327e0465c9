"""Bytes to text for pages whose charset may be lied about (pure functions).

Servers often name the wrong charset: a windows-1251 page served as UTF-8 decodes to
U+FFFD runs, a UTF-8 page served as windows-1251 or latin-1 to mojibake
("РџСЂР°РІ...", "Ð¿Ñ€..."). ``decode_html`` tries the candidates a browser would and
keeps the first whose strict decoding reads as text; ``looks_garbled`` is the check,
cheap enough to run on every page and on extracted titles and texts.

A page is never refused here: one damaged character in a footer or a script (a literal
U+FFFD, a stray C1 control, a publisher's own double-encoded word; 7 of 600 real pages
of the benchmarks) must not cost its article. When no candidate reads cleanly, the best
one is returned with the reason, and the article's own title and text are judged after
extraction (aggregator.extract.article): garbled, they are never stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

# UTF-8 read as a Cyrillic single-byte charset: the lead bytes D0/D1 (C3 for Latin
# accents) show as letters (Р/С/Г in windows-1251, п/я/ц in KOI8-R) and each continuation
# byte (0x80-0xBF) as a sign or a rare letter. The continuations that also follow those
# letters in real text ("Січень", "«СССР»", "“МТС”", "пёс", a no-break space) prove nothing.


@dataclass(frozen=True)
class _Misread:
    """How UTF-8 text looks once decoded as ``charset``."""

    charset: str
    name: str
    leads: str                            # what the lead bytes D0 D1 C3 show as
    pairs: tuple[re.Pattern[str], ...]    # a lead, then a telltale continuation
    marks: str          # what common letters' continuations show as: long texts have some

    @classmethod
    def of(cls, charset: str, name: str, legit: str, letters: str) -> _Misread:
        leads = bytes([0xD0, 0xD1, 0xC3]).decode(charset)
        tails = "".join(c for c in bytes(range(0x80, 0xC0)).decode(charset, errors="ignore")
                        if c not in legit)
        marks = "".join(c.encode()[1:].decode(charset) for c in letters)
        return cls(charset, name, leads, tuple(re.compile(lead + "[" + re.escape(tails) + "]")
                                         for lead in leads), marks)


# The marks are chosen so that str.find stays fast (no clash with ASCII in memchr).
_MISREADS = (_Misread.of("cp1251", "windows-1251", "іІ»“”…\u00a0\u00ad", "оентуüö"),
             _Misread.of("koi8-r", "KOI8-R", "ё\u00a0", "ыьюя"))
# UTF-8 read as latin-1 or windows-1252: lead bytes C2/C3/D0/D1 show as Â/Ã/Ð/Ñ and the
# continuation as a C1 control or a windows-1252 sign; "â€" starts a 3-byte sequence.
_CP1252_TAIL = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_LATIN_PAIRS = {lead: re.compile(lead + "[\u0080-\u00bf" + re.escape(_CP1252_TAIL) + "]")
                for lead in "ÂÃÐÑ"} | {"â": re.compile("â€")}
# Windows-1251 (or KOI8) text read as latin-1: words of only À-ÿ letters, with о/р/т/е
# shown as î/ð/ò/å, which French or German text hardly uses.
_LATIN_RUN = re.compile("[\u00c0-\u00ff]{4,}")
_LATIN_MARKS = "îðòå"
# KOI8-R read as windows-1251 or the reverse: the letters' case flips ("пРАВИТЕЛЬСТВО"
# shows as "рТБЧЙФЕМШУФЧП"); 'Ъ' (from з or я) is frequent then and rare otherwise.
_CASE_FLIP = re.compile("(?<![А-яЁёІіЇїЄєҐґ])[а-яёіїєґ][А-ЯЁІЇЄҐ]{2}")
_UPPER, _CYRILLIC = re.compile("[А-ЯЁІЇЄҐ]"), re.compile("[А-яЁёІіЇїЄєҐґ]")
_C1 = [chr(c) for c in range(0x80, 0xA0)]
_C1_RE = re.compile("[\u0080-\u009f]")

MIN_PAIRS = 3             # fewer mojibake pairs prove nothing ("Да" is two)
MIN_LATIN_PAIRS = 2       # one stray "Ã©" in a page is the page's own damage, not ours
MIN_LATIN_RUNS = 2
MIN_CASE_FLIPS = 2        # words that start lowercase and go on in capitals
SHORT = 2_000             # texts up to this long are checked whole
WINDOW = 20_000           # longer ones around the first telltale sign (mojibake is uniform)
DETECT_BYTES = 200_000    # detection reads this much of a page (its cost grows with size)


@dataclass(frozen=True)
class Decoded:
    """A page's text and how it was decoded."""

    text: str
    encoding: str       # Python codec name, e.g. "utf-8", "cp1251"
    source: str         # "bom", "header", "meta" (<meta charset> or <?xml encoding?>),
    #                     "scrapy" (Scrapy's own decoding, kept by the spider when it reads),
    #                     "utf8" (the body is valid UTF-8) or "detected"
    problem: str | None = None   # no candidate read cleanly: what each gave


def repaired(text: str) -> tuple[str, str | None]:
    """``text`` repaired if it looks garbled, and why it still does (None: it reads).

    What a page's one charset cannot fix, ftfy can: a publisher's own double-encoded
    UTF-8 in a text that is otherwise right ("stÃ¥r", "WireGuardÂ®"), C1 controls that
    were windows-1252 quotes ("It\x92s"). Of the texts of the four benchmark sets, 13
    looked garbled and 8 read after repair; the other 5 hold U+FFFD, which nothing can
    undo. It runs only on text the cheap check flags (ftfy costs ~0.3 ms per 1,000
    characters of clean Russian).
    """
    why = looks_garbled(text)
    if why is None:
        return text, None
    import ftfy  # the workers only, and rarely

    # Only the encoding repairs: quotes, widths, line breaks and HTML stay as extracted.
    config = ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        remove_control_chars=False, normalization=None, explain=False)
    fixed = ftfy.fix_text(text, config)
    return (fixed, None) if looks_garbled(fixed) is None else (text, why)


def looks_garbled(text: str) -> str | None:
    """Why ``text`` looks mis-decoded (U+FFFD, C1 controls, mojibake), or None."""
    if text.isascii():
        return None
    if "\ufffd" in text:
        return f"{text.count(chr(0xFFFD))} replacement character(s) U+FFFD"
    # One regex pass is cheap on a short text; on a long one, 32 memchr-fast finds are.
    if _C1_RE.search(text) if len(text) <= SHORT else any(c in text for c in _C1):
        return f"{sum(map(text.count, _C1))} C1 control character(s) (U+0080-U+009F)"
    for misread in _MISREADS:
        sample = _sample(text, misread.marks)
        if sample:
            pairs = sum(len(p.findall(sample)) for p in misread.pairs)
            if pairs >= MIN_PAIRS and pairs * 2 >= sum(map(sample.count, misread.leads)):
                return (f"UTF-8 read as {misread.name} ({pairs} pairs like "
                        f"'{misread.leads[0]}{misread.marks[0]}')")
    sample = _sample(text, "".join(_LATIN_PAIRS))
    leads = [c for c in _LATIN_PAIRS if c in sample]
    if leads:
        pairs = sum(len(_LATIN_PAIRS[c].findall(sample)) for c in leads)
        if pairs >= MIN_LATIN_PAIRS and pairs * 3 >= sum(map(sample.count, leads)):
            return f"UTF-8 read as latin-1 ({pairs} pairs like 'Ã©', 'Ð¾')"
    sample = _sample(text, _LATIN_MARKS)
    if sample and sum(map(sample.count, _LATIN_MARKS)) * 50 >= len(sample):
        runs = len(_LATIN_RUN.findall(sample))
        if runs >= MIN_LATIN_RUNS:
            return f"Cyrillic read as latin-1 ({runs} words of only À-ÿ letters)"
    sample = _sample(text, "Ъ")
    flips = len(_CASE_FLIP.findall(sample)) if sample else 0
    if flips >= MIN_CASE_FLIPS and (
            len(_UPPER.findall(sample)) * 2 >= len(_CYRILLIC.findall(sample))):
        return f"KOI8-R and windows-1251 confused ({flips} words like 'рТБЧЙФЕМШУФЧП')"
    return None


def _sample(text: str, marks: str) -> str:
    """A short text whole; of a long one, the window around the first of ``marks``
    (or '' when none occurs): each check reads at most WINDOW characters."""
    if len(text) <= SHORT:
        return text
    found = [i for i in map(text.find, marks) if i >= 0]
    if not found:
        return ""
    start = max(0, min(found) - WINDOW // 2)
    return text[start:start + WINDOW]


def decode_html(body: bytes, header_encoding: str | None) -> Decoded:
    """Decode a page, trusting in turn its BOM, the HTTP charset, the charset the page
    declares, UTF-8 validity and detection.

    ``header_encoding`` is the Content-Type header's value or just its charset (or None).
    The order is a browser's (BOM, header, <meta>), then evidence: a non-ASCII body that
    is valid UTF-8 is almost surely UTF-8; detection guesses, so it comes last. Each
    candidate is decoded strictly and must pass ``looks_garbled``. When none does, the
    first that decoded strictly is returned (else the first, with U+FFFD for bad bytes),
    with ``problem`` saying what each candidate gave.
    """
    tried: list[str] = []
    seen: set[str] = set()
    fallback: Decoded | None = None
    first: tuple[str, str] | None = None
    bom, mark = read_bom(body)
    data = body[len(mark):] if mark else body
    for source, label in _candidates(bom, header_encoding, data):
        encoding = resolve_encoding(label) if label else None
        if encoding is None:
            if label:
                tried.append(f"{source}: unknown encoding {label!r}")
            continue
        if encoding in seen:
            continue
        seen.add(encoding)
        first = first or (encoding, source)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            tried.append(f"{source} {encoding}: invalid byte 0x{data[exc.start]:02x} "
                         f"at offset {exc.start}")
            continue
        why = looks_garbled(text)
        if why is None:
            return Decoded(text, encoding, source)
        tried.append(f"{source} {encoding}: {why}")
        fallback = fallback or Decoded(text, encoding, source)
    problem = "no encoding gives clean text (" + "; ".join(tried) + ")"
    if fallback is None:
        encoding, source = first or ("utf-8", "utf8")
        fallback = Decoded(data.decode(encoding, errors="replace"), encoding, source)
    return Decoded(fallback.text, fallback.encoding, fallback.source, problem)


def _candidates(bom: str | None, header: str | None, data: bytes
                ) -> Iterator[tuple[str, str | None]]:
    """(source, label) in the order tried; detection runs only if everything else fails."""
    if bom:
        yield "bom", bom
    if header:
        yield "header", (http_content_type_encoding(header) if "=" in header or "/" in header
                         else header.strip())
    yield "meta", html_body_declared_encoding(data)
    yield "utf8", "utf-8"
    yield "detected", _detect(data)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only pages that lied get here

    best = from_bytes(data[:DETECT_BYTES]).best()
    return best.encoding if best is not None else None

