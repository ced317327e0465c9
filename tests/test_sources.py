"""The sources file: the bundled one is valid, bad ones are refused with precise messages."""

import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.config.sources import load_sources, select_sources
from aggregator.errors import SourcesError

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
[[source]]
id = "city"
name = "City news"
homepage = "https://city.example/"
language = ["uk", "ru"]
timezone = "Europe/Kyiv"
listings = ["https://city.example/news/"]
article_pattern = '/news/\\d+'
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SourcesError) as info:
        load_sources(write(tmp_path, text))
    return info.value.problems


def test_bundled_sources_file_is_valid():
    found = load_sources(ROOT / "sources.toml")
    ids = {s.id for s in found}
    assert {"ulgov", "ulgov-en", "itmo-egov", "cn-monitor", "kharkiv-city", "wego"} <= ids
    assert all(s.feeds or s.sitemaps or s.listings for s in found)


def test_good_file_loads(tmp_path):
    (src,) = load_sources(write(tmp_path, GOOD))
    assert src.languages == ("uk", "ru")
    assert src.max_listing_pages == 5 and src.enabled
    assert src.is_article_url("https://city.example/news/12") is True
    assert src.is_article_url("https://city.example/about") is False


@pytest.mark.parametrize("change, expected", [
    ('timezone = "Europe/Kyiv"',
     ["source 'city': field 'timezone': unknown time zone 'Mars/Olympus'"]),
    ("article_pattern = '/news/\\d+'",
     ["source 'city': field 'article_pattern': invalid regular expression"]),
    ('listings = ["https://city.example/news/"]',
     ["source 'city': fields 'feeds', 'sitemaps', 'listings'"]),
    ('name = "City news"', ["source 'city': field 'nmae': unknown key"]),
    ('id = "city"', ["source #1: field 'id': missing"]),
])
def test_each_bad_field_is_named(tmp_path, change, expected):
    replacement = {
        'timezone = "Europe/Kyiv"': 'timezone = "Mars/Olympus"',
        "article_pattern = '/news/\\d+'": "article_pattern = '/news/(\\d+'",
        'listings = ["https://city.example/news/"]': "",
        'name = "City news"': 'name = "City news"\nnmae = "typo"',
        'id = "city"': "",
    }[change]
    found = problems(tmp_path, GOOD.replace(change, replacement))
    for text in expected:
        assert any(p.startswith(text) for p in found), found


def test_duplicate_id_is_an_error(tmp_path):
    found = problems(tmp_path, GOOD + GOOD)
    assert found == ["source 'city': field 'id': duplicate id (also source #1)"]


def test_all_problems_are_reported_at_once(tmp_path):
    bad = GOOD.replace("Europe/Kyiv", "Nowhere/Town").replace("https://city", "ftp://city")
    found = problems(tmp_path, bad)
    assert len(found) == 3  # timezone, homepage, listings URL


def test_not_toml_and_missing_file(tmp_path):
    assert "not valid TOML" in problems(tmp_path, "[[source]\nid=")[0]
    with pytest.raises(SourcesError, match="file not found"):
        load_sources(tmp_path / "nope.toml")


def test_select_unknown_source_id(tmp_path):
    found = load_sources(write(tmp_path, GOOD))
    with pytest.raises(SourcesError, match="unknown source id 'x'"):
        select_sources(found, ["x"])


def test_cli_check_exits_non_zero_and_names_source_and_field(tmp_path):
    path = write(tmp_path, GOOD.replace("Europe/Kyiv", "Mars/Olympus"))
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources", "check",
                             "--sources", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "source 'city': field 'timezone'" in result.stderr
    ok = subprocess.run([sys.executable, "-m", "aggregator", "sources", "check",
                         "--sources", str(ROOT / "sources.toml")],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "sources OK" in ok.stdout


@pytest.mark.parametrize("url, why", [
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "cloud metadata address"),
    ("http://100.100.100.200/latest/meta-data/", "cloud metadata address"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata host"),
    ("http://Metadata.Google.Internal./", "cloud metadata host"),
    ("http://169.254.10.20:8080/news", "link-local address"),
    ("http://[fe80::1%25eth0]/", "link-local address"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata address"),
    ("http://0xa9fea9fe/", "cloud metadata address"),             # 169.254.169.254 spelt
    ("http://2852039166/", "cloud metadata address"),             # as resolvers read it
    ("file:///etc/passwd", "not an http(s) URL"),
    ("gopher://city.example/", "not an http(s) URL"),
    ("http://[::1/", "not a valid URL"),
])
@pytest.mark.parametrize("field", ["homepage", "feeds", "sitemaps", "listings"])
def test_hosts_that_are_never_news_sites_are_refused(tmp_path, field, url, why):
    if field == "homepage":
        text = GOOD.replace('homepage = "https://city.example/"', f'homepage = "{url}"')
    else:
        text = GOOD.replace('listings = ["https://city.example/news/"]',
                            f'listings = ["https://city.example/news/"]\n{field} = ["{url}"]'
                            if field != "listings" else f'listings = ["{url}"]')
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"source 'city': field '{field}': "), found
    assert why in found[0] and url in found[0]


def test_loopback_and_private_hosts_stay_allowed(tmp_path):
    text = GOOD.replace('listings = ["https://city.example/news/"]', 'listings = ['
                        '"http://127.0.0.1:8000/news/", "http://127.5.0.1/", "http://[::1]:8000/", '
                        '"http://localhost:8000/", "http://10.0.0.7/news/", "HTTPS://city.example/"]')
    (src,) = load_sources(write(tmp_path, text))
    assert len(src.listings) == 6


def test_cli_check_refuses_a_metadata_feed(tmp_path):
    path = write(tmp_path, GOOD + 'feeds = ["http://169.254.169.254/latest/meta-data/"]\n')
    result = subprocess.run([sys.executable, "-m", "aggregator", "sources", "check",
                             "--sources", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert ("source 'city': field 'feeds': 'http://169.254.169.254/latest/meta-data/' is a cloud "
            "metadata address") in result.stderr
