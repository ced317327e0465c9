"""Russian, Ukrainian and English told apart from the text, on short texts and demo pages."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from aggregator.demo.render import load_sites, render_site
from aggregator.extract import extract_article
from aggregator.extract.language import detect_language

BASE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(("text", "language"), [
    ("Губернатор открыл центр цифровых услуг", "ru"),
    ("Губернатор відкрив центр цифрових послуг", "uk"),
    ("В области открыли новую школу", "ru"),
    ("В області відкрили нову школу", "uk"),
    ("Сегодня в мэрии прошло заседание", "ru"),
    ("Сьогодні в мерії відбулося засідання", "uk"),
    ("Новости региона", "ru"),
    ("Новини регіону", "uk"),
    ("Электронное правительство: итоги года", "ru"),
    ("Електронне врядування: підсумки року", "uk"),
    ("Пресс-служба сообщает, что приём граждан перенесён", "ru"),
    ("Прес-служба повідомляє, що прийом громадян перенесено", "uk"),
    ("The city council approved the digital services plan", "en"),
    ("WeGO members met in Seoul", "en"),
])
def test_short_texts(text, language):
    assert detect_language(text) == language


def test_declared_languages_restrict_the_answer():
    assert detect_language("Новини регіону", ("ru", "en")) == "ru"
    assert detect_language("", ("uk",)) == "uk"
    assert detect_language("12 345") is None


def test_every_demo_article_is_in_its_sites_language():
    """Detected with no declared language to lean on, from what extraction keeps."""
    checked = 0
    for site in load_sites().values():
        routes = render_site(site, BASE, 2)
        for article in site["article"]:
            if article["path"] not in routes:
                continue
            reply = routes[article["path"]]
            html = HtmlResponse(BASE + article["path"], body=reply.body,
                                headers={"Content-Type": reply.content_type}).text
            page = extract_article(html, BASE + article["path"])
            if page.is_article:
                assert detect_language(page.text) == site["language"], article["path"]
                checked += 1
    assert checked >= 15
