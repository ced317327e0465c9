"""The article's title is the heading its page's title tags agree with, not the site's name."""

from __future__ import annotations

import lxml.html
import pytest

from aggregator.extract.titles import pick_title, strip_site_name


def title_of(head: str, body: str, meta_title: str | None = None) -> str | None:
    return pick_title(lxml.html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>"),
                      meta_title)


LOGO = "<h1><a href='/'>Вести Прикамья</a></h1>"


@pytest.mark.parametrize("head, body, expected", [
    # the <h1> that says the whole title
    ("<title>Открыт центр цифровых услуг</title>", f"{LOGO}<h1>Открыт центр цифровых услуг</h1>",
     "Открыт центр цифровых услуг"),
    # a blog's post title in an <h2>, the site's logo in the only <h1>
    ("<title>Вести Прикамья » Архив » Открыт центр цифровых услуг</title>",
     f"{LOGO}<h2><a href='/p/1'>Открыт центр цифровых услуг</a></h2>",
     "Открыт центр цифровых услуг"),
    # "Title - Site" where the site's name is the longer part
    ("<title>Онлайн-курсы - Центр дополнительного образования взрослых</title>",
     "<h1>Онлайн-курсы</h1>", "Онлайн-курсы"),
    # og:title agrees with the heading though <title> does not
    ("<title>Новости</title><meta property='og:title' content='Мэр встретился с жителями'>",
     "<h1>Мэр встретился с жителями</h1>", "Мэр встретился с жителями"),
], ids=["h1", "blog-h2", "long-site-name", "og-title"])
def test_the_heading_the_title_tags_agree_with(head, body, expected):
    assert title_of(head, body) == expected


def test_a_series_name_in_a_list_of_episodes_is_not_the_title():
    head = "<title>Колонка: Городские заметки – О новых трамваях</title>"
    body = ("<h2><span>О новых трамваях</span></h2><h3>Ещё колонки</h3>"
            "<h3>Колонка: Городские заметки</h3>")
    assert title_of(head, body, "Колонка: Городские заметки – О новых трамваях") == \
        "О новых трамваях"


def test_without_an_agreeing_heading_the_metadata_title_loses_the_site_name():
    assert title_of("<title>x</title>", LOGO,
                    "Открыт центр цифровых услуг | Вести Прикамья") == \
        "Открыт центр цифровых услуг"


@pytest.mark.parametrize("raw, expected", [
    ("Новость дня | Сайт", "Новость дня"),
    ("Сайт » Архив » Новость дня о главном", "Новость дня о главном"),
    ("Kolumne: Queer Royal", "Kolumne: Queer Royal"),     # a colon inside a title stays
    ("Новость :: Сайт города", "Сайт города"),
])
def test_strip_site_name(raw, expected):
    assert strip_site_name(raw) == expected
