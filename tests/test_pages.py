"""Saved pages: each folder of tests/fixtures/pages/ is a page, what it was fetched with and
what extraction must find in it (as fundus and web-poet test page objects). Adding a
case is adding a folder; tests/fixtures/pages/README.md says how."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from aggregator.config.sources import Source, parse_sources
from aggregator.dates.hints import DateHint
from aggregator.errors import SourcesError
from aggregator.extract import extract_article
from aggregator.extract.result import ExtractedArticle

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
INPUT_KEYS = {"url", "fetched_at", "content_type", "source", "hint"}
HINT_KEYS = {f.name for f in fields(DateHint)}
# What expected.toml may state; `none` lists the fields that must be None (TOML has no null).
STRING_FIELDS = ("title", "published_at", "published_from", "modified_at", "language",
                 "author", "canonical_url", "reason")
TEXT_KEYS = ("text", "text_starts", "text_contains", "text_excludes")
EXPECTED_KEYS = {*STRING_FIELDS, "is_article", "none", *TEXT_KEYS}
NULLABLE = {*STRING_FIELDS, "text"}


class CaseError(Exception):
    """A case folder that cannot be run: the message names the case, the file and the key."""


@dataclass(frozen=True)
class Case:
    name: str
    html: str
    url: str
    fetched_at: datetime
    source: Source | None
    hints: tuple[DateHint, ...]


def case_folders() -> list[Path]:
    return sorted(p for p in PAGES.iterdir() if p.is_dir() and p.name[0] not in "._")


def read_toml(folder: Path, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseError(f"{folder.name}: {name} is missing") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CaseError(f"{folder.name}: {name}: {exc}") from None


def load_case(folder: Path) -> Case:
    """The inputs of one case, checked: a missing or unknown key is a CaseError."""
    where = f"{folder.name}: input.toml"
    data = read_toml(folder, "input.toml")
    unknown = sorted(set(data) - INPUT_KEYS)
    if unknown:
        raise CaseError(f"{where}: unknown key(s) {', '.join(unknown)} "
                        f"(known: {', '.join(sorted(INPUT_KEYS))})")
    for key in ("url", "fetched_at"):
        if key not in data:
            raise CaseError(f"{where}: key {key!r} is missing")
    for key in ("url", "fetched_at", "content_type"):
        if key in data and not isinstance(data[key], str):
            raise CaseError(f"{where}: key {key!r} must be a string")
    return Case(name=folder.name, html=_page_text(folder, data.get("content_type")),
                url=data["url"], fetched_at=_utc(data["fetched_at"], where),
                source=_source(data.get("source"), where), hints=_hints(data.get("hint"), where))


def _page_text(folder: Path, content_type: str | None) -> str:
    """page.html as the crawler hands it to extraction: UTF-8, or decoded from the bytes
    the server sent under ``content_type`` the way the spider decodes them."""
    try:
        body = (folder / "page.html").read_bytes()
    except FileNotFoundError:
        raise CaseError(f"{folder.name}: page.html is missing") from None
    if content_type is None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CaseError(f"{folder.name}: page.html is not UTF-8 ({exc}); say the "
                            "server's Content-Type in input.toml's content_type") from None
    from spiders.news import NewsSpider

    response = HtmlResponse("https://fixture.invalid/", body=body,
                            headers={"Content-Type": content_type})
    return NewsSpider._decoded(response).text


def _utc(value: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() != timedelta(0):
        raise CaseError(f"{where}: key 'fetched_at': {value!r} is not an ISO 8601 time in "
                        "UTC, like '2026-11-24T07:00:00Z'")
    return moment


def _source(table: Any, where: str) -> Source | None:
    """The [source] table read as sources.toml's [[source]] entries are, by the same checks."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise CaseError(f"{where}: key 'source' must be a table ([source])")
    try:
        return parse_sources({"source": [table]})[0]
    except SourcesError as exc:
        raise CaseError("\n".join(f"{where}: [source]: {p}" for p in exc.problems)) from None


def _hints(tables: Any, where: str) -> tuple[DateHint, ...]:
    if tables is None:
        return ()
    if not isinstance(tables, list):
        raise CaseError(f"{where}: key 'hint' must be an array of tables ([[hint]])")
    hints = []
    for number, table in enumerate(tables, start=1):
        label = f"{where}: [[hint]] #{number}"
        if not isinstance(table, dict):
            raise CaseError(f"{label}: must be a table")
        unknown = sorted(set(table) - HINT_KEYS)
        if unknown:
            raise CaseError(f"{label}: unknown key(s) {', '.join(unknown)} "
                            f"(known: {', '.join(sorted(HINT_KEYS))})")
        if table.get("origin") not in ("feed", "sitemap"):
            raise CaseError(f"{label}: key 'origin' must be 'feed' or 'sitemap'")
        for key in ("published", "updated"):
            if key in table and not isinstance(table[key], str):
                raise CaseError(f"{label}: key {key!r} must be a string, as the feed wrote it")
        if "published" not in table and "updated" not in table:
            raise CaseError(f"{label}: key 'published' or 'updated' is missing")
        hints.append(DateHint(**table))
    return tuple(hints)


def load_expected(folder: Path) -> dict[str, Any]:
    """What the case states about the article, checked like the inputs."""
    where = f"{folder.name}: expected.toml"
    data = read_toml(folder, "expected.toml")
    if not data:
        raise CaseError(f"{where}: states no field (known: {', '.join(sorted(EXPECTED_KEYS))})")
    unknown = sorted(set(data) - EXPECTED_KEYS)
    if unknown:
        raise CaseError(f"{where}: unknown key(s) {', '.join(unknown)} "
                        f"(known: {', '.join(sorted(EXPECTED_KEYS))})")
    for key in (*STRING_FIELDS, "text", "text_starts"):
        if key in data and not isinstance(data[key], str):
            raise CaseError(f"{where}: key {key!r} must be a string")
    for key in ("none", "text_contains", "text_excludes"):
        if key in data and not (isinstance(data[key], list)
                                and all(isinstance(x, str) for x in data[key])):
            raise CaseError(f"{where}: key {key!r} must be a list of strings")
    if "is_article" in data and not isinstance(data["is_article"], bool):
        raise CaseError(f"{where}: key 'is_article' must be true or false")
    for key in data.get("none", []):
        if key not in NULLABLE:
            raise CaseError(f"{where}: key 'none': {key!r} is no field of the article "
                            f"(known: {', '.join(sorted(NULLABLE))})")
        if key in data:
            raise CaseError(f"{where}: key {key!r} is given a value and listed in 'none'")
    if "text" in data and any(k in data for k in TEXT_KEYS[1:]):
        raise CaseError(f"{where}: key 'text' states the whole text; drop "
                        "text_starts / text_contains / text_excludes")
    return data


def extract_case(case: Case) -> ExtractedArticle:
    return extract_article(case.html, case.url, case.source, fetched_at=case.fetched_at,
                           hints=case.hints)


def mismatches(expected: dict[str, Any], article: ExtractedArticle) -> list[str]:
    """Each stated field the article does not match, as 'field: expected ..., got ...'."""
    found = []
    for key in (*STRING_FIELDS, "is_article", "text"):
        if key in expected and getattr(article, key) != expected[key]:
            found.append(f"{key}: expected {expected[key]!r}, got {getattr(article, key)!r}")
    for key in expected.get("none", []):
        if getattr(article, key) is not None:
            found.append(f"{key}: expected None, got {getattr(article, key)!r}")
    text = article.text
    if "text_starts" in expected and not (text or "").startswith(expected["text_starts"]):
        found.append(f"text_starts: expected the text to start with "
                     f"{expected['text_starts']!r}, got {(text or '')[:120]!r}")
    for part in expected.get("text_contains", []):
        if part not in (text or ""):
            found.append(f"text_contains: {part!r} is not in the text")
    for part in expected.get("text_excludes", []):
        if part in (text or ""):
            found.append(f"text_excludes: {part!r} is in the text")
    return found


def problems_of(folder: Path) -> list[str]:
    """What is wrong with a case, each line naming it: its files, or the article's fields."""
    try:
        case, expected = load_case(folder), load_expected(folder)
    except CaseError as exc:
        return [str(exc)]
    return [f"{folder.name}: {p}" for p in mismatches(expected, extract_case(case))]


@pytest.mark.parametrize("folder", case_folders(), ids=lambda folder: folder.name)
def test_saved_page(folder: Path) -> None:
    problems = problems_of(folder)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# -- the fixture format itself --------------------------------------------------------
def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of a real case with one line of one file changed."""
    folder = shutil.copytree(PAGES / "utc-metadata-in-the-publishers-zone",
                             tmp_path / "broken-case")
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("file", "old", "new", "says"), [
    ("input.toml", "fetched_at =", "fetched =", "unknown key(s) fetched"),
    ("input.toml", "url =", "# url =", "key 'url' is missing"),
    ("input.toml", "\nname =", "\nnmae =", "[source]: source 's': field 'nmae': unknown key"),
    ("input.toml", "T07:00:00Z", "T10:00:00+03:00", "key 'fetched_at'"),
    ("expected.toml", "published_at =", "published =", "unknown key(s) published"),
    ("expected.toml", "published_at =", 'none = ["published_at"]\npublished_at =',
     "key 'published_at' is given a value and listed in 'none'"),
], ids=["input-unknown", "input-missing", "source-unknown", "not-utc", "expected-unknown",
        "none-and-value"])
def test_a_bad_key_is_an_error_naming_the_case_and_key(tmp_path, file, old, new, says):
    folder = broken_copy(tmp_path, file, old, new)
    with pytest.raises(CaseError) as error:
        load_case(folder)
        load_expected(folder)
    assert str(error.value).startswith(f"broken-case: {file}")
    assert says in str(error.value)


def test_a_wrong_expected_value_names_the_field():
    folder = PAGES / "utc-metadata-in-the-publishers-zone"
    wrong = {**load_expected(folder), "published_at": "2026-11-20T21:30:00+00:00",
             "text_contains": ["Body text here.", "Not in the page"]}
    assert mismatches(wrong, extract_case(load_case(folder))) == [
        "published_at: expected '2026-11-20T21:30:00+00:00', got '2026-11-21T00:30:00+03:00'",
        "text_contains: 'Not in the page' is not in the text"]
