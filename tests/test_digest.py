"""The digest's selection and rendering on a real SQLite store, with no mail involved."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import feedparser
import pytest

from aggregator.clock import utc_stamp
from aggregator.config.digest import DigestSettings, TopicRule
from aggregator.digest.render import render, subject
from aggregator.digest.select import build_digest, latest_due, window
from storage.store import ArticleRecord, Store

DAY = date(2026, 11, 30)
SETTINGS = DigestSettings(
    time=time(7, 0), timezone="Europe/Moscow", max_age_days=30,
    topics=(TopicRule("egov", "E-government", ("электронное правительство", "МФЦ")),
            TopicRule("digital", "Digital", ("цифров*",))))
START, END = window(DAY, SETTINGS)          # 29 Nov 04:00 UTC .. 30 Nov 04:00 UTC
INSIDE = utc_stamp(START + timedelta(hours=3))

MFC_TEXT = ("В Ульяновске открылся новый МФЦ на сорок окон. Губернатор осмотрел рабочие места "
            "операторов и провёл первую консультацию.\n\nЦентр будет работать без выходных, "
            "с восьми утра до восьми вечера, а запись откроется на портале.")
DIGITAL_TEXT = ("Областная дума приняла программу цифровой трансформации на три года. За неё "
                "проголосовали сорок депутатов.\n\nНа программу выделят два миллиарда рублей.")
PLAIN_TEXT = ("В парке завершили ремонт пешеходных дорожек и установили новые скамейки. "
              "Работы начались весной.\n\nВторая очередь ремонта начнётся в апреле.")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.db") as s:
        s.sync_sources([
            _source("ulgov", "Правительство области", "Ulyanovsk Oblast", "Europe/Ulyanovsk"),
            _source("itmo", "ИТМО", "Saint Petersburg", "Europe/Moscow"),
            _source("kyiv", "Київрада", "Kyiv", "Europe/Kyiv")])
        yield s


def _source(sid: str, name: str, region: str, zone: str) -> dict:
    return {"id": sid, "name": name, "homepage": f"https://{sid}.example/", "language": "ru",
            "timezone": zone, "region": region, "country": "RU", "feeds": [], "sitemaps": [],
            "listings": [], "article_pattern": None, "max_listing_pages": 5, "enabled": 1}


def save(store: Store, source: str, path: str, title: str, text: str, *,
         seen: str = INSIDE, published: str | None = "2026-11-28T10:00:00+04:00") -> int:
    url = f"https://{source}.example{path}"
    return store.save_article(ArticleRecord(
        source_id=source, url=url, aliases=[url], title=title, text=text,
        published_at=published, seen_at=seen)).article_id


def digest_of(store: Store, settings: DigestSettings = SETTINGS, day: date = DAY):
    return build_digest(store, settings, day)


def test_the_window_is_the_day_before_the_digest_time_by_first_seen(store):
    before = save(store, "ulgov", "/1", "Раньше", MFC_TEXT + " Раньше.",
                  seen=utc_stamp(START - timedelta(seconds=1)))
    first = save(store, "ulgov", "/2", "Первая секунда", MFC_TEXT + " Первая.",
                 seen=utc_stamp(START))
    last = save(store, "ulgov", "/3", "Последняя секунда", MFC_TEXT + " Вторая.",
                seen=utc_stamp(END - timedelta(seconds=1)))
    after = save(store, "ulgov", "/4", "Позже", MFC_TEXT + " Позже.", seen=utc_stamp(END))
    found = digest_of(store)
    assert set(found.article_ids) == {first, last}
    assert before not in found.article_ids and after not in found.article_ids
    assert (START.hour, START.day, END.day) == (7, 29, 30)          # Moscow wall clock


def test_latest_due_is_today_after_the_digest_time_and_yesterday_before():
    zone = SETTINGS.zone
    assert latest_due(datetime(2026, 11, 30, 7, 0, tzinfo=zone), SETTINGS) == DAY
    assert latest_due(datetime(2026, 11, 30, 6, 59, tzinfo=zone), SETTINGS) == DAY - timedelta(1)


def test_topics_group_stories_each_listed_once_with_cross_references(store):
    both = save(store, "ulgov", "/mfc", "Открылся МФЦ с цифровой очередью", MFC_TEXT)
    save(store, "kyiv", "/digital", "Програма цифровізації", DIGITAL_TEXT)
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    found = digest_of(store)
    names = [s.name for s in found.sections]
    assert names == ["E-government", "Digital", "Other news"]
    egov, digital, other = found.sections
    assert [i.article_id for i in egov.items] == [both]
    assert egov.items[0].topics == ["egov", "digital"]
    assert [i.title for i in digital.items] == ["Програма цифровізації"]
    assert [i.article_id for i in digital.see_also] == [both]      # a reference, not a repeat
    assert [i.title for i in other.items] == ["Ремонт в парке"]
    assert found.stories == 3


def test_unmatched_stories_can_be_left_out_and_are_counted(store):
    save(store, "ulgov", "/park", "Ремонт в парке", PLAIN_TEXT)
    save(store, "ulgov", "/mfc", "МФЦ", MFC_TEXT)
    found = digest_of(store, DigestSettings(**{**SETTINGS.__dict__, "other": "omit"}))
    assert [s.id for s in found.sections] == ["egov"]
    assert found.unmatched_omitted == 1 and found.stories == 1


def test_a_reprinted_story_shows_once_with_its_other_sources(store):
    original = save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT,
                    published="2026-11-28T10:00:00+04:00")
    reprint = save(store, "itmo", "/news/mfc", "В регионе открылся МФЦ",
                   "Сообщает пресс-служба.\n\n" + MFC_TEXT, published="2026-11-28T12:00:00+03:00")
    found = digest_of(store)
    assert found.stories == 1 and sorted(found.article_ids) == [original, reprint]
    item = found.items[0]
    assert item.article_id == original and item.source_name == "Правительство области"
    assert [(m.source_name, m.url) for m in item.also] == [
        ("ИТМО", "https://itmo.example/news/mfc")]
    assert item.published == "28 Nov 2026, 10:00"                    # the publisher's zone
    assert item.sources == 2


def test_a_new_reprint_of_an_older_story_names_the_earlier_source(store):
    earlier_seen = utc_stamp(START - timedelta(days=1))
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT, seen=earlier_seen)
    reprint = save(store, "itmo", "/news/mfc", "В регионе открылся МФЦ", MFC_TEXT + " Источник.")
    found = digest_of(store)
    assert found.article_ids == [reprint]
    assert [m.source_id for m in found.items[0].also] == ["ulgov"]


def test_a_back_catalogue_is_counted_not_listed_and_undated_articles_are_listed(store):
    save(store, "ulgov", "/old", "Старая новость", MFC_TEXT, published="2024-01-15")
    undated = save(store, "ulgov", "/undated", "Без даты", DIGITAL_TEXT, published=None)
    found = digest_of(store)
    assert found.article_ids == [undated] and found.older == 1
    assert found.items[0].published is None
    assert "date unknown" in render(found, SETTINGS, "text")
    assert "1 older article found for the first time" in render(found, SETTINGS, "html")


HOSTILE_TITLE = '<script>alert("x")</script> МФЦ\r\nBcc: evil@example.org'


def test_scraped_strings_are_escaped_in_every_format(store):
    text = MFC_TEXT.replace("МФЦ", "МФЦ <img src=x onerror=alert(1)>")
    article = save(store, "ulgov", "/x", HOSTILE_TITLE, text)
    store.db.conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = ?",
                          (article,))
    found = digest_of(store)
    html = render(found, SETTINGS, "html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; МФЦ Bcc: evil@example.org" in html
    assert "javascript:" not in html
    text = render(found, SETTINGS, "text")
    assert '* <script>alert("x")</script> МФЦ Bcc: evil@example.org\n' in text
    assert "\r" not in text and "\nBcc:" not in text
    markdown = render(found, SETTINGS, "markdown")
    assert r'- **\<script\>alert\("x"\)\</script\> МФЦ Bcc: evil@example.org**' in markdown
    assert "<script>" not in markdown and "javascript:" not in markdown
    atom = render(found, SETTINGS, "atom")
    feed = feedparser.parse(atom)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == '<script>alert("x")</script> МФЦ Bcc: evil@example.org'
    assert feed.entries[0].id == f"urn:newsagg:article:{article}" and "javascript:" not in atom


def test_markdown_escapes_markup_and_keeps_links(store):
    save(store, "ulgov", "/a_b", "МФЦ [срочно] *важно*", MFC_TEXT)
    markdown = render(digest_of(store), SETTINGS, "markdown")
    assert r"[МФЦ \[срочно\] \*важно\*](<https://ulgov.example/a\_b>)" in markdown


def test_atom_has_one_entry_per_story_with_dates_and_topics(store):
    save(store, "ulgov", "/mfc", "Открылся МФЦ", MFC_TEXT)
    save(store, "kyiv", "/digital", "Програма цифровізації", DIGITAL_TEXT, published="2026-11-27")
    feed = feedparser.parse(render(digest_of(store), SETTINGS, "atom"))
    assert not feed.bozo
    assert [e.link for e in feed.entries] == ["https://ulgov.example/mfc",
                                              "https://kyiv.example/digital"]
    assert feed.entries[0].published == "2026-11-28T10:00:00+04:00"
    assert [t.term for t in feed.entries[1].tags] == ["digital"]


def test_an_empty_day_says_nothing_new(store):
    found = digest_of(store)
    assert found.empty and found.sections == []
    assert "Nothing new" in render(found, SETTINGS, "html")
    assert "Nothing new" in render(found, SETTINGS, "text")


def test_the_subject_is_one_line_from_the_configured_template(store):
    save(store, "ulgov", "/x", HOSTILE_TITLE, MFC_TEXT)
    settings = DigestSettings(**{**SETTINGS.__dict__,
                                 "subject": "Дайджест {{ date }}: {{ top_title }}"})
    line = subject(digest_of(store), settings)
    assert line == 'Дайджест 30 Nov 2026: <script>alert("x")</script> МФЦ Bcc: evil@example.org'


def test_a_users_template_overrides_the_packaged_one(store, tmp_path):
    template = "{{ stories }} stories; {{ sections[0].items[0].title }}\n"
    (tmp_path / "digest.txt").write_text(template)
    save(store, "ulgov", "/x", "Открылся МФЦ", MFC_TEXT)
    settings = DigestSettings(**{**SETTINGS.__dict__, "templates": tmp_path})
    assert render(digest_of(store), settings, "text") == "1 stories; Открылся МФЦ\n"
    assert "<!DOCTYPE html>" in render(digest_of(store), settings, "html")   # others stay ours


def test_a_broken_user_template_is_a_clear_error_naming_it(store, tmp_path):
    from aggregator.errors import TemplateError

    (tmp_path / "digest.txt").write_text("line one\n{% for x in %}\n")
    (tmp_path / "digest.md").write_text("{{ no_such_variable }}\n")
    save(store, "ulgov", "/x", "Открылся МФЦ", MFC_TEXT)
    settings = DigestSettings(**{**SETTINGS.__dict__, "templates": tmp_path,
                                 "subject": "{{ nope }}"})
    with pytest.raises(TemplateError, match=r"digest\.txt, line 2: Expected an expression"):
        render(digest_of(store), settings, "text")
    with pytest.raises(TemplateError, match=r"digest\.md.*'no_such_variable' is undefined"):
        render(digest_of(store), settings, "markdown")
    with pytest.raises(TemplateError, match=r"field 'subject': 'nope' is undefined"):
        subject(digest_of(store), settings)
