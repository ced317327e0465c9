"""Reprints join one story; look-alikes (templates, boilerplate, same topic) stay apart."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from aggregator.reprints import BANDS, normalize_text, paragraph_key, same_story
from storage.schema import migrations
from storage.store import NEW, UPDATED, ArticleRecord, Store

RELEASE = [
    "Губернатор Ульяновской области открыл региональный центр цифровых государственных "
    "услуг, в котором жители смогут получить более двухсот услуг в электронном виде.",
    "Центр расположен в здании областного правительства и будет работать ежедневно с восьми "
    "утра до восьми вечера, сообщили в пресс-службе регионального министерства цифровой "
    "экономики.",
    "По словам министра, в первый месяц работы центра специалисты помогут зарегистрироваться "
    "на портале госуслуг не менее чем пяти тысячам жителей отдалённых районов.",
    "В следующем году аналогичные центры планируют открыть в Димитровграде, Барыше и "
    "Инзе, на эти цели из областного бюджета выделено сорок два миллиона рублей.",
]
OTHER_STORY = [
    "В Ульяновской области подвели итоги конкурса муниципальных проектов в сфере "
    "цифровизации, в котором участвовали команды из двадцати районов региона.",
    "Победителем стал проект электронной записи в детские сады из Новоспасского района, "
    "второе место заняла система учёта обращений граждан из Сенгилея.",
    "Авторы лучших проектов получат гранты на внедрение своих решений, а сами решения "
    "будут тиражированы в других муниципалитетах области в следующем году.",
]
SAME_TOPIC = [
    "В Ульяновской области открылся ещё один центр цифровых государственных услуг, на этот "
    "раз в Димитровграде, где жителям доступны около ста пятидесяти услуг.",
    "Центр разместился в здании городской администрации и работает по будням, а в выходные "
    "дни приём ведётся только по предварительной записи через портал.",
    "Глава города рассказал, что до конца года в центре установят терминалы для оплаты "
    "штрафов и налогов, а также организуют обучение для пенсионеров.",
]
ABOUT = ("Министерство цифровой экономики и конкуренции Ульяновской области отвечает за "
         "развитие информационного общества, электронного правительства и связи в регионе; "
         "пресс-служба министерства работает ежедневно, запросы журналистов принимаются по "
         "электронной почте и телефону, указанным на официальном сайте ведомства.")
CONTACTS = ("Контакты для прессы: пресс-секретарь министерства, телефон горячей линии по "
            "вопросам цифровых услуг работает круглосуточно, обращения граждан принимаются "
            "также через официальные страницы министерства в социальных сетях и мессенджерах.")
TEMPLATE = "Пресс-служба сообщает:"


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def typos(paragraph: str, seed: int = 1) -> str:
    rnd = random.Random(seed)
    words = paragraph.split()
    for i in rnd.sample(range(len(words)), k=max(1, len(words) // 25)):
        w = words[i]
        if len(w) > 3:
            words[i] = w[0] + w[2] + w[1] + w[3:]
    return " ".join(words)


REPRINTS = {
    "as is": text(RELEASE),
    "menus and footer added": text(["Главная | Новости | Контакты", *RELEASE,
                                    "© 2026 Агентство. Все права защищены.", "Поделиться"]),
    "lead rewritten": text(["В Ульяновске заработал центр, где можно получить госуслуги в "
                            "электронном виде.", *RELEASE[1:]]),
    "paragraph dropped": text(RELEASE[:2] + RELEASE[3:]),
    "reference added": text([*RELEASE, "Справка: центры цифровых услуг работают в регионе с "
                             "2019 года, всего их открыто семь."]),
    "typos, quotes, dashes, ё": text([typos(p).replace("ё", "е").replace(" - ", " — ")
                                      for p in RELEASE]),
}


@pytest.mark.parametrize("reprint", REPRINTS.values(), ids=REPRINTS)
def test_a_reprint_is_the_same_story(reprint):
    assert same_story(text(RELEASE), reprint)
    assert same_story(reprint, text(RELEASE))


LOOK_ALIKES = {
    "another story": (text(RELEASE), text(OTHER_STORY)),
    "same topic and place": (text(RELEASE), text(SAME_TOPIC)),
    "one template and a long boilerplate paragraph":
        (text([TEMPLATE, *RELEASE[:1], ABOUT]), text([TEMPLATE, *OTHER_STORY[:1], ABOUT])),
}


@pytest.mark.parametrize("pair", LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_look_alikes_are_different_stories(pair):
    assert not same_story(*pair)


def test_a_sources_boilerplate_proves_nothing():
    mine = text([*RELEASE[:1], ABOUT, RELEASE[2]])
    theirs = text([*OTHER_STORY[:1], ABOUT, RELEASE[2]])
    assert same_story(mine, theirs)                       # two shared paragraphs...
    assert not same_story(mine, theirs, {paragraph_key(ABOUT)})   # ...one of them boilerplate


def test_normalisation_folds_what_reprints_change():
    assert normalize_text("«Ёлка» — в  Центре") == normalize_text('"елка" - в центре')


# -- in the store -----------------------------------------------------------------------
def record(source: str, n: int, body: str, **kw) -> ArticleRecord:
    url = f"https://{source}.example/news/{n}"
    return ArticleRecord(source_id=source, url=url, aliases=[url], title=kw.pop("title", f"№{n}"),
                         text=body, **kw)


def test_reprints_in_other_sources_join_the_first_story(tmp_path):
    with Store(tmp_path / "news.db") as store:
        first = store.save_article(record("ulgov", 1, text(RELEASE), title="Открыт центр",
                                          published_at="2026-11-20T10:00:00+04:00"))
        other = store.save_article(record("ulgov", 2, text(OTHER_STORY)))
        again = store.save_article(record("itmo", 7, REPRINTS["lead rewritten"],
                                          title="В Ульяновске открыт центр госуслуг",
                                          published_at="2026-11-20T09:30:00+03:00"))
        topic = store.save_article(record("mosreg", 3, text(SAME_TOPIC)))
        assert (first.outcome, first.story_id, first.reprint_of) == (NEW, first.article_id, None)
        assert (again.story_id, again.reprint_of) == (first.article_id, first.article_id)
        assert other.story_id == other.article_id and topic.story_id == topic.article_id
        story = store.db.execute("SELECT title, first_published, articles, sources, source_ids "
                                 "FROM stories WHERE id = ?", (first.article_id,)).fetchone()
        # 10:00 in Samara is 06:00 UTC, before 09:30 in Moscow: time, not text, decides.
        assert story[:4] == ("Открыт центр", "2026-11-20T10:00:00+04:00", 2, 2)
        assert sorted(json.loads(story[4])) == ["itmo", "ulgov"]


def test_a_revision_stays_in_its_row_and_story(tmp_path):
    with Store(tmp_path / "news.db") as store:
        first = store.save_article(record("ulgov", 1, text(RELEASE)))
        reprint = store.save_article(record("itmo", 7, REPRINTS["menus and footer added"]))
        revised = store.save_article(record("itmo", 7, REPRINTS["menus and footer added"]
                                            + "\n\nДополнено: центр откроется в 9:00.",
                                            modified_at="2026-11-21T08:00:00+03:00"))
        assert (revised.outcome, revised.article_id) == (UPDATED, reprint.article_id)
        assert revised.story_id == first.article_id
        row = store.db["articles"].get(reprint.article_id)
        assert row["modified_at"] == "2026-11-21T08:00:00+03:00"
        assert store.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        # Its bands were replaced, not added to: a revision is not a second document.
        bands = store.db.execute("SELECT count(*) FROM story_bands WHERE article_id = ?",
                                 (reprint.article_id,)).fetchone()[0]
        assert bands == BANDS


def test_the_index_survives_a_restart(tmp_path):
    with Store(tmp_path / "news.db") as store:
        first = store.save_article(record("ulgov", 1, text(RELEASE)))
    with Store(tmp_path / "news.db") as store:
        later = store.save_article(record("tass", 9, REPRINTS["paragraph dropped"]))
    assert later.story_id == first.article_id


def test_a_sources_template_never_joins_its_own_stories(tmp_path):
    """Every article of the source carries the same opening line and two paragraphs of
    boilerplate, more than its own news: boilerplate counted per source keeps them apart."""
    stories = [RELEASE, OTHER_STORY, SAME_TOPIC]
    with Store(tmp_path / "news.db") as store:
        saved = [store.save_article(record("minsvyaz", n, text([TEMPLATE, body[0], ABOUT,
                                                                 CONTACTS])))
                 for n, body in enumerate(stories)]
    assert [s.story_id for s in saved] == [s.article_id for s in saved]


def test_articles_stored_before_stories_existed_are_indexed_on_upgrade(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from sqlite_utils import Database
    db = Database(conn)
    migrations.apply(db, stop_before="m002_stories")
    db["articles"].insert({"url": "https://ulgov.example/news/1", "source_id": "ulgov",
                           "title": "Открыт центр", "text": text(RELEASE),
                           "first_seen_at": "2026-11-20T10:00:00+00:00",
                           "last_seen_at": "2026-11-20T10:00:00+00:00"})
    conn.close()
    with Store(path) as store:
        later = store.save_article(record("itmo", 7, REPRINTS["reference added"]))
        assert later.reprint_of == 1
        assert store.db.execute("SELECT cluster_id FROM articles WHERE id = 1").fetchone() == (1,)


def test_a_long_footer_does_not_put_a_sources_notices_in_one_bucket(tmp_path):
    """Short notices under one long footer: once the footer is known as boilerplate it is
    left out of the signature, so a lookup does not read every earlier notice."""
    rnd = random.Random(3)
    words = ("район область глава администрации заседание бюджет школа дорога ремонт "
             "больница парк улица мост вода свет газ").split()
    with Store(tmp_path / "news.db") as store:
        for n in range(30):
            notice = " ".join(rnd.choice(words) for _ in range(8)) + f" {n}."
            last = store.save_article(record("minsvyaz", n, text([notice, ABOUT, CONTACTS])))
        sharing = store.db.execute(
            "SELECT count(DISTINCT article_id) FROM story_bands WHERE article_id != ? AND "
            "bucket IN (SELECT bucket FROM story_bands WHERE article_id = ?)",
            (last.article_id, last.article_id)).fetchone()[0]
        stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
    assert sharing <= 2 and stories == 30
