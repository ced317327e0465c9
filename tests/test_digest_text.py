"""Digest text helpers (one line, safe links, leads, dates) and the digest's settings tables."""

import tomllib
from datetime import time
from pathlib import Path

import pytest

from aggregator.config import load_config
from aggregator.config.digest import TopicRule, parse_digest_settings
from aggregator.digest.text import display_date, lead, one_line, safe_url
from aggregator.errors import SourcesError

# --- one_line -----------------------------------------------------------------------------


def test_one_line_defeats_header_injection():
    assert one_line("Title\r\nBcc: evil@example.org") == "Title Bcc: evil@example.org"


@pytest.mark.parametrize("value, expected", [
    ("abc\u202edef", "abcdef"),                     # right-to-left override
    ("a\u202a\u2066b\u2069\u200b", "ab"),             # other bidi / format characters
    ("a\x00b\x1bc\x7f", "abc"),                       # control characters
    ("  one\t\ttwo\n\nthree\r ", "one two three"),
    ("line\u2028break", "line break"),
    ("", ""),
    (None, ""),
])
def test_one_line_drops_control_and_format_chars_and_collapses_space(value, expected):
    assert one_line(value) == expected


@pytest.mark.parametrize("separator", ["\v", "\f", "\x85"])
def test_one_line_turns_vertical_whitespace_into_a_space(separator):
    assert one_line(f"a{separator}b") == "a b"


# --- safe_url -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.org/news/1",
    "https://example.org/news?id=1#top",
    "HTTPS://Example.org/a",
])
def test_safe_url_keeps_http_and_https(url):
    assert safe_url(url) == url


def test_safe_url_strips_surrounding_space():
    assert safe_url("  https://example.org/a\n") == "https://example.org/a"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "mailto:editor@example.org",
    "ftp://example.org/file",
    "//example.org/x",
    "/news/1",
    "http:///x",
    "https://example.org/a b",
    "https://example.org/a\nb",
    "https://example.org/a\r\nBcc: x",
    "https://example.org/a\tb",
    "https://exa\x00mple.org/",
    "",
    None,
])
def test_safe_url_refuses_everything_else(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("url", ["http://:80/x", "http://@/x"])
def test_safe_url_refuses_a_netloc_without_host(url):
    assert safe_url(url) is None


# --- lead ---------------------------------------------------------------------------------

TITLE = "Губернатор открыл новый МФЦ"


def test_lead_skips_the_title_paragraph_and_a_photo_credit():
    text = (f"{TITLE}\n\nФото: пресс-служба\n\n"
            "В Ульяновске открылся новый центр госуслуг. Он работает без выходных.")
    assert lead(text, TITLE) == ("В Ульяновске открылся новый центр госуслуг. "
                                 "Он работает без выходных.")


def test_lead_title_comparison_ignores_case_and_spacing():
    text = "ГУБЕРНАТОР  открыл\nновый МФЦ\n\nВ Ульяновске открылся новый центр госуслуг."
    assert lead(text, TITLE) == "В Ульяновске открылся новый центр госуслуг."


def test_lead_skips_headings_but_keeps_long_prose_without_a_stop():
    heading = "Фото: пресс-служба Правительства Ульяновской области"   # < 80, no stop
    prose = "Новый центр госуслуг открылся в Ульяновске в понедельник и работает без выходных " \
            "и перерывов на обед для всех жителей города"             # >= 80, no stop
    assert lead(f"{heading}\n\n{prose}") == prose


@pytest.mark.parametrize("first, second", [
    ("В г. Ульяновске на ул. Гончарова открылся центр.", "Его открыл А. Русских."),
    ("Mr. Smith met Dr. Jones in the city hall today.", "They talked about open data."),
    ("Бюджет вырос на 5 млн. руб. за год.", "Об этом сообщил корр. ТАСС."),
    ("На вул. Шевченка відкрили ЦНАП.", "Його відвідали 200 осіб за перший день."),
])
def test_lead_does_not_split_after_abbreviations_or_initials(first, second):
    text = f"{first} {second}"
    assert lead(text, limit=len(text)) == text
    assert lead(text, limit=len(text) - 1) == first    # the only sentence end inside


def test_lead_with_an_initial_keeps_the_whole_sentence():
    text = "Центр открыл губернатор А. Русских. Он работает без выходных и праздников."
    assert lead(text, limit=40) == "Центр открыл губернатор А. Русских."


def test_lead_respects_the_limit_and_cuts_at_a_sentence_end():
    text = ("Первое предложение здесь довольно короткое. "
            "Второе предложение немного длиннее первого. "
            "Третье предложение уже не помещается в лимит никак.")
    result = lead(text, limit=90)
    assert result == ("Первое предложение здесь довольно короткое. "
                      "Второе предложение немного длиннее первого.")
    assert len(result) <= 90
    assert lead(text, limit=50) == "Первое предложение здесь довольно короткое."


def test_lead_joins_paragraphs_while_they_fit():
    text = ("First paragraph is a full sentence that ends properly.\n\n"
            "Second paragraph is also a complete sentence here.")
    assert lead(text) == ("First paragraph is a full sentence that ends properly. "
                          "Second paragraph is also a complete sentence here.")
    assert lead(text, limit=70) == "First paragraph is a full sentence that ends properly."


def test_lead_cuts_a_long_first_sentence_at_a_word_with_an_ellipsis():
    text = ("Это очень длинное первое предложение, которое никак не помещается в заданный "
            "лимит символов и поэтому должно быть обрезано по слову. Второе.")
    result = lead(text, limit=60)
    assert result == "Это очень длинное первое предложение, которое никак не…"
    assert len(result) <= 60
    assert text.startswith(result[:-1] + " ")          # cut between words


def test_lead_ellipsis_does_not_follow_a_comma():
    text = "Губернатор, министр, мэр, депутаты, главы районов и другие гости собрались вместе."
    assert lead(text, limit=40) == "Губернатор, министр, мэр, депутаты…"


@pytest.mark.parametrize("text", ["", None, "Фото: ТАСС", "\n\n  \n"])
def test_lead_of_nothing_is_empty(text):
    assert lead(text, "Title") == ""


# --- display_date -------------------------------------------------------------------------

@pytest.mark.parametrize("published_at, zone, expected", [
    ("2026-11-23T05:45:00+00:00", "Europe/Moscow", "23 Nov 2026, 08:45"),
    ("2026-11-23T05:45:00Z", "Europe/Moscow", "23 Nov 2026, 08:45"),
    ("2026-11-23T23:45:00+00:00", "Asia/Tokyo", "24 Nov 2026, 08:45"),     # crosses a day
    ("2026-11-23T08:45:00+03:00", None, "23 Nov 2026, 08:45"),              # no zone: as given
    ("2026-11-23T05:45:00+00:00", "Mars/Olympus", "23 Nov 2026, 05:45"),   # bad zone: as given
    ("2026-11-23T08:45:00", "Asia/Tokyo", "23 Nov 2026, 08:45"),           # naive: as given
    ("2026-11-23", "Europe/Moscow", "23 Nov 2026"),
    ("2026-01-05", None, "5 Jan 2026"),
])
def test_display_date(published_at, zone, expected):
    assert display_date(published_at, zone) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_display_date_of_nothing_is_none(value):
    assert display_date(value, "UTC") is None


def test_display_date_of_garbage_is_shown_as_one_line():
    assert display_date("yesterday\r\nBcc: x") == "yesterday Bcc: x"


# --- [digest], [smtp], [[topic]] ----------------------------------------------------------

FULL = """
[digest]
time = "07:30"
timezone = "Europe/Kyiv"
recipients = ["editor@example.org", "chief@example.org"]
sender = "newsagg <newsagg@example.org>"
subject = "Digest {{ date }}: {{ stories }}"
empty = "skip"
other = "omit"
max_age_days = 7
lead_chars = 200

[smtp]
host = "smtp.example.org"
port = 2587
security = "starttls"
username_env = "MY_SMTP_USER"
password_env = "MY_SMTP_PASSWORD"
timeout = 15

[[topic]]
id = "egov"
name = "E-government"
keywords = ["электронное правительство", "МФЦ"]
exclude = ["вакансия"]

[[topic]]
id = "energy"
keywords = ["генератор"]
"""


def parse(data: dict, base_dir: Path = Path(".")) -> tuple[list[str], object]:
    problems: list[str] = []
    settings = parse_digest_settings(data, base_dir, problems)
    return problems, settings


def test_full_example_parses_into_its_values(tmp_path):
    problems, settings = parse(tomllib.loads(FULL), tmp_path)
    assert problems == []
    assert settings.time == time(7, 30)
    assert settings.timezone == "Europe/Kyiv" and settings.zone.key == "Europe/Kyiv"
    assert settings.recipients == ("editor@example.org", "chief@example.org")
    assert settings.sender == "newsagg <newsagg@example.org>"
    assert settings.subject == "Digest {{ date }}: {{ stories }}"
    assert (settings.empty, settings.other) == ("skip", "omit")
    assert (settings.max_age_days, settings.lead_chars) == (7, 200)
    smtp = settings.smtp
    assert (smtp.host, smtp.port, smtp.security) == ("smtp.example.org", 2587, "starttls")
    assert (smtp.username_env, smtp.password_env) == ("MY_SMTP_USER", "MY_SMTP_PASSWORD")
    assert smtp.timeout == 15.0 and smtp.ca_file is None
    assert settings.topics == (
        TopicRule("egov", "E-government", ("электронное правительство", "МФЦ"), ("вакансия",)),
        TopicRule("energy", "energy", ("генератор",)),   # the name defaults to the id
    )


def test_no_digest_tables_give_the_defaults():
    problems, settings = parse({})
    assert problems == []
    assert settings.time == time(7, 0) and settings.timezone == "UTC"
    assert settings.recipients == () and settings.topics == ()
    assert settings.subject is None and settings.language == "en"   # its own subject
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == (
        "127.0.0.1", 587, "starttls")


@pytest.mark.parametrize("data, expected", [
    ({"digest": {"time": "7am"}}, "[digest]: field 'time': "),
    ({"digest": {"time": "24:00"}}, "[digest]: field 'time': "),
    ({"digest": {"time": 7}}, "[digest]: field 'time': "),
    ({"digest": {"timezone": "Mars/Olympus"}}, "[digest]: field 'timezone': unknown time zone"),
    ({"digest": {"recipients": ["editor.example.org"]}},
     "[digest]: field 'recipients': not one e-mail address: 'editor.example.org'"),
    ({"digest": {"recipients": ["a@example.org, b@example.org"]}},
     "[digest]: field 'recipients': not one e-mail address"),
    ({"digest": {"subject": "Digest\r\nBcc: evil@example.org"}},
     "[digest]: field 'subject': must be one line"),
    ({"digest": {"subject": "Digest {{ date "}},
     "[digest]: field 'subject': not a valid template"),
    ({"digest": {"other": ""}}, "[digest]: field 'other': use one of 'show', 'omit'"),
    ({"digest": {"empty": "always"}}, "[digest]: field 'empty': use one of"),
    ({"digest": {"lead_chars": 10}}, "[digest]: field 'lead_chars': must be an integer >= 40"),
    ({"digest": {"colour": "red"}}, "[digest]: field 'colour': unknown key"),
    ({"digest": {"templates": "no-such-dir"}}, "[digest]: field 'templates': no such directory"),
    ({"smtp": {"hots": "smtp.example.org"}}, "[smtp]: field 'hots': unknown key"),
    ({"smtp": {"security": "ssl"}}, "[smtp]: field 'security': use one of"),
    ({"smtp": {"security": "none", "host": "smtp.example.org"}},
     "[smtp]: field 'security': 'none' sends mail unencrypted"),
    ({"smtp": {"port": 70000}}, "[smtp]: field 'port': must be at most 65535"),
    ({"smtp": {"timeout": 0}}, "[smtp]: field 'timeout': "),
    ({"smtp": {"ca_file": "missing-ca.pem"}}, "[smtp]: field 'ca_file': no such file"),
    ({"topic": [{"id": "egov"}]}, "topic 'egov': field 'keywords': list at least one keyword"),
    ({"topic": [{"id": "egov", "keywords": ["*"]}]}, "topic 'egov': field 'keywords': "),
    ({"topic": [{"id": "Bad Id", "keywords": ["x"]}]}, "topic 'Bad Id': field 'id': "),
    ({"topic": [{"id": "egov", "keywords": ["МФЦ"]}, {"id": "egov", "keywords": ["ЦНАП"]}]},
     "topic 'egov': field 'id': duplicate id"),
    ({"topic": [{"id": "egov", "keywords": ["МФЦ"], "exlude": ["x"]}]},
     "topic 'egov': field 'exlude': unknown key"),
])
def test_each_bad_field_is_named(tmp_path, data, expected):
    problems, _ = parse(data, tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_env_name_holding_a_secret_is_refused_without_echoing_it():
    secret = "correct horse battery staple"
    problems, _ = parse({"smtp": {"username_env": secret}})
    assert len(problems) == 1
    assert problems[0].startswith("[smtp]: field 'username_env': must be the NAME")
    assert secret not in problems[0]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_security_none_is_allowed_to_a_loopback_relay(host):
    problems, settings = parse({"smtp": {"security": "none", "host": host}})
    assert problems == []
    assert settings.smtp.security == "none"


def test_tls_without_a_port_uses_465_and_an_explicit_port_wins():
    assert parse({"smtp": {"security": "tls"}})[1].smtp.port == 465
    assert parse({"smtp": {"security": "tls", "port": 2465}})[1].smtp.port == 2465
    assert parse({"smtp": {"security": "starttls"}})[1].smtp.port == 587


def test_ca_file_is_resolved_against_the_file_directory(tmp_path):
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    problems, settings = parse({"smtp": {"ca_file": "ca.pem"}}, tmp_path)
    assert problems == []
    assert settings.smtp.ca_file == str((tmp_path / "ca.pem").resolve())


def test_every_problem_is_reported_at_once():
    problems, _ = parse({"digest": {"time": "7am", "timezone": "Mars/Olympus"},
                         "smtp": {"security": "ssl"},
                         "topic": [{"id": "egov"}]})
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in problems] == [
        "[digest]: field 'time'", "[digest]: field 'timezone'",
        "[smtp]: field 'security'", "topic 'egov': field 'keywords'"]


# --- load_config --------------------------------------------------------------------------

SOURCE = """
[[source]]
id = "city"
name = "City news"
homepage = "https://city.example/"
timezone = "Europe/Kyiv"
feeds = ["https://city.example/rss"]
"""


def test_load_config_reads_sources_and_digest(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE + FULL, encoding="utf-8")
    config = load_config(path)
    assert [s.id for s in config.sources] == ["city"]
    assert config.digest.time == time(7, 30)
    assert [t.id for t in config.digest.topics] == ["egov", "energy"]


def test_load_config_lists_source_and_digest_problems_together(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE.replace("Europe/Kyiv", "Mars/Olympus")
                    + '\n[digest]\ntime = "7am"\n', encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_config(path)
    problems = info.value.problems
    assert len(problems) == 2, problems
    assert problems[0].startswith("source 'city': field 'timezone': unknown time zone")
    assert problems[1].startswith("[digest]: field 'time': ")
    assert "2 problem(s)" in str(info.value)
