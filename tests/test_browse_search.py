"""Datasette and `newsagg search` find the same articles: `newsagg browse` served on
127.0.0.1 over a crawled demo store, its ranked ``search`` query (same order) and the news
view's ``?_search=`` (same set), against the command line run as a subprocess."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import run_newsagg

# (query, an article title it must find): each kind of query the syntax has.
QUERIES = [
    ("правительство", "Семинар по открытым данным собрал представителей двенадцати регионов"),
    ("громада", "Громади Чернігівщини отримали генератори для пунктів незламності"),
    ("city", "Member cities honoured for digital inclusion programmes"),
    ("цифров*", "В регионе подвели итоги конкурса муниципальных цифровых проектов"),
    ('"центр цифровой"', "Губернатор открыл Центр цифровых государственных услуг"),
    ("цифровой -школа", "Губернатор открыл Центр цифровых государственных услуг"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(first_crawl, tmp_path_factory):
    """`newsagg browse` on a copy of the crawled store: (base URL, database path)."""
    db = tmp_path_factory.mktemp("browse") / "news.db"
    shutil.copy(first_crawl[0], db)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "aggregator", "browse", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/news"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(f"{base}.json", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.communicate()[1][-2000:]
                assert time.monotonic() < deadline, "newsagg browse did not answer in 30 s"
                time.sleep(0.2)
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(base: str, path: str, **params: str) -> object:
    status, body = fetch(f"{base}/{path}?{urllib.parse.urlencode(params)}")
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.mark.parametrize(("query", "title"), QUERIES, ids=[q for q, _ in QUERIES])
def test_datasette_and_the_command_line_find_the_same_articles(served, query, title):
    base, db = served
    result = run_newsagg("search", "--db", str(db), "--limit", "100", "--format", "json",
                         "--", query, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    cli = json.loads(result.stdout)
    assert title in {hit["title"] for hit in cli}
    ranked = get_json(base, "search.json", q=query, limit="100", _shape="array")
    assert [row["id"] for row in ranked] == [hit["id"] for hit in cli]        # same order
    assert [row["snippet"] for row in ranked] == [hit["snippet"] for hit in cli]
    listed = get_json(base, "news.json", _search=query, _shape="array", _size="max")
    assert {row["id"] for row in listed} == {hit["id"] for hit in cli}


def test_a_query_without_words_is_a_clear_error(served):
    base, _ = served
    status, body = fetch(f"{base}/news.json?{urllib.parse.urlencode({'_search': '-школа'})}")
    assert status == 400
    assert "only excluded words" in json.loads(body)["error"]
    status, body = fetch(f"{base}/news?{urllib.parse.urlencode({'_search': '-школа'})}")
    assert status == 400 and "only excluded words" in body.decode()


def test_csv_for_a_spreadsheet_starts_with_a_byte_order_mark(served):
    base, _ = served
    status, plain = fetch(f"{base}/news.csv?_search=%D0%B3%D1%80%D0%BE%D0%BC%D0%B0%D0%B4%D0%B0")
    assert status == 200 and not plain.startswith(b"\xef\xbb\xbf")
    status, marked = fetch(f"{base}/news.csv?_search=%D0%B3%D1%80%D0%BE%D0%BC%D0%B0%D0%B4%D0%B0"
                           "&_bom=1&_dl=1")
    assert status == 200 and marked == b"\xef\xbb\xbf" + plain
    assert "Громади Чернігівщини" in marked.decode("utf-8-sig")
    status, query = fetch(f"{base}/health.csv?_bom=1")
    assert status == 200 and query.startswith(b"\xef\xbb\xbfhealth,")
    status, page = fetch(f"{base}/news?_bom=1")                  # only CSV gets the mark
    assert status == 200 and not page.startswith(b"\xef\xbb\xbf")


def test_the_ranked_search_page_marks_the_words_and_links_titles(served):
    base, _ = served
    status, body = fetch(f"{base}/search?{urllib.parse.urlencode({'q': 'правительство'})}")
    page = body.decode()
    assert status == 200
    assert "<mark>правительства</mark>" in page
    assert '<a href="/news/articles/' in page
    assert "FROM articles_lemmas" not in page                  # hide_sql
    status, body = fetch(f"{base}/news?{urllib.parse.urlencode({'_search': 'правительство'})}")
    assert status == 200 and "/news/search?q=%D0%BF" in body.decode()   # "ranked by relevance"

