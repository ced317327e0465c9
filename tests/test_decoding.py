"""Pages whose charset is lied about decode to real text; garbled text is recognised."""


import pytest

from aggregator.decoding import decode_html, looks_garbled, repaired

RU = ("Правительство Ульяновской области провело совещание о цифровых услугах для жителей. "
      "Ещё в СССР и РСФСР такие вопросы решал Совет министров; сегодня Росреестр, ФСБ РФ, "
      "МТС, «ТАСС», “Ростелеком” и Сбербанк работают с МФЦ. Согласно постановлению № 15, "
      "с 1 января заработает портал Госуслуг, а температура в залах — не ниже +18 °C.")
UK = ("Рішення Рівненської міської ради про Сімейний центр ухвалили у січні. Сільське "
      "господарство Рівного, Сіверськ і Січ: їхні громади отримають ґранти на єдині "
      "сервіси. Її, Євген, Ґудзик, Їжак та «ЦНАП» — усі в одному переліку.")
EN = ("The Governor's office said on Tuesday that the “digital services” programme — "
      "including the café-style service centres — will resume in March. Résumés are due.")
DE = ("Die Stadtverwaltung öffnet am Montag: Bürgerinnen und Bürger können Anträge für die "
      "Straßenreinigung, Größenänderungen und Übersichtspläne einreichen. Grüße!")
FR = ("Le conseil régional a voté jeudi: « À l'hôpital comme à l'école, l'État garantit "
      "l'accès. » Noël, naïveté, façade, œuvre, maître, où, déjà vu, île, côté.")
PARAGRAPHS = {"ru": RU, "uk": UK, "en": EN, "de": DE, "fr": FR}


def page(text: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{text[:40]}</title></head>"
            f"<body><article><h1>{text[:40]}</h1><p>{text}</p></article></body></html>")


@pytest.mark.parametrize("lang", PARAGRAPHS)
def test_real_text_is_not_garbled(lang):
    text = PARAGRAPHS[lang]
    assert looks_garbled(text) is None
    assert looks_garbled(text * 500) is None                  # long texts are sampled
    assert looks_garbled(page(text, "utf-8") * 300) is None


@pytest.mark.parametrize("title", ["РСФСР и СССР", "«СССР»", "СССР, РСФСР, РФ, ФРГ, США",
                                   "Рівне і Січ", "ГосУслуги и СберБанк", "ОБЪЯВЛЕНИЕ О СЪЕЗДЕ",
                                   "Сімферополь, Сіверськ, Рішення", "Straße «Größe»"])
def test_titles_full_of_capitals_are_not_garbled(title):
    assert looks_garbled(title) is None


@pytest.mark.parametrize("lang, wrong, expected", [
    ("ru", "cp1251", "windows-1251"), ("uk", "cp1251", "windows-1251"),
    ("de", "cp1251", "windows-1251"),
    ("ru", "cp1252", "latin-1"), ("uk", "cp1252", "latin-1"), ("de", "cp1252", "latin-1"),
    ("fr", "cp1252", "latin-1"), ("en", "cp1252", "latin-1"),
    ("ru", "latin-1", "C1 control"), ("fr", "latin-1", "C1 control"),
])
def test_utf8_read_as_a_single_byte_charset_is_garbled(lang, wrong, expected):
    mojibake = PARAGRAPHS[lang].encode("utf-8").decode(wrong, errors="replace")
    mojibake = mojibake.replace("\ufffd", "?")         # the pattern, not the replacement
    assert expected in (looks_garbled(mojibake) or "")
    assert expected in (looks_garbled(mojibake * 300) or "")


def test_short_mojibake_titles_and_other_confusions():
    assert "windows-1251" in looks_garbled("Мир".encode().decode("cp1251"))
    assert "windows-1251" in looks_garbled("РџСЂР°РІРёС‚РµР»СЊСЃС‚РІРѕ")
    assert "latin-1" in looks_garbled("Ïðàâèòåëüñòâî îáëàñòè")        # cp1251 as latin-1
    assert "KOI8-R" in looks_garbled("Правительство Ульяновской области".encode(
        "koi8-r").decode("cp1251"))
    assert "KOI8-R" in looks_garbled(RU.encode("cp1251", "replace").decode("koi8-r") * 50)
    assert "U+FFFD" in looks_garbled("Новости \ufffd\ufffd области")
    assert "C1" in looks_garbled("It\x92s here")


def test_windows_1251_page_served_as_utf8_decodes_by_its_meta():
    body = page(RU, "windows-1251").encode("cp1251", errors="replace")
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source) == ("cp1251", "meta")
    assert RU[:60] in decoded.text


@pytest.mark.parametrize("header", ["text/html; charset=windows-1251", "windows-1251",
                                    "text/html; charset=iso-8859-1", "text/html; charset=koi8-r"])
def test_utf8_page_served_with_a_single_byte_charset_decodes_as_utf8(header):
    body = page(UK, "utf-8").encode()
    decoded = decode_html(body, header)
    assert (decoded.encoding, decoded.source) == ("utf-8", "meta")
    assert UK in decoded.text
    # The page itself repeats the lie: its valid UTF-8 still wins.
    lying = page(UK, header.rpartition("=")[2]).encode()
    decoded = decode_html(lying, header)
    assert (decoded.encoding, decoded.source) == ("utf-8", "utf8") and UK in decoded.text


def test_header_bom_and_detection():
    assert decode_html(page(RU, None).encode(), "text/html; charset=UTF-8").source == "header"
    assert decode_html(page(EN, None).encode(), None).source == "utf8"
    bom = decode_html(b"\xef\xbb\xbf" + page(RU, "windows-1251").encode(), "charset=cp1251")
    assert (bom.source, bom.text[:9]) == ("bom", "<!DOCTYPE")
    for charset in ("cp1251", "koi8-r"):       # no charset anywhere, a wrong header
        body = page(RU * 3, None).encode(charset, errors="replace")
        decoded = decode_html(body, "text/html; charset=utf-8")
        assert (decoded.encoding, decoded.source) == (charset, "detected")
        assert "Правительство Ульяновской области" in decoded.text


def test_a_page_no_encoding_reads_cleanly_is_returned_with_the_reasons():
    """Never refused here: the best candidate comes back with what each one gave, and
    the article's own text is judged after extraction."""
    body = page(RU, "utf-8").encode() + b"\xff\xfe broken \xc3"
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert "header utf-8: invalid byte 0xff" in decoded.problem
    assert RU[:60] in decoded.text
    damaged = decode_html(page("Новости \ufffd\ufffd\ufffd", "utf-8").encode(), "utf-8")
    assert "U+FFFD" in damaged.problem and damaged.encoding == "utf-8"
    assert decode_html(page(RU, "utf-8").encode(), "utf-8").problem is None


def test_garbled_text_is_repaired_where_it_can_be_and_flagged_where_not():
    assert repaired("It\x92s a \x93quote\x94") == ("It’s a “quote”", None)
    assert repaired("folk ikke stÃ¥r for tÃ¦t i myldret, sÃ¥kaldte rÃ¸de") == (
        "folk ikke står for tæt i myldret, såkaldte røde", None)
    assert repaired("Правительство «области»") == ("Правительство «области»", None)
    damaged, why = repaired("Новости \ufffd\ufffd области")
    assert damaged == "Новости \ufffd\ufffd области" and "U+FFFD" in why
