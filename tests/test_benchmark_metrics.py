"""The benchmark metrics reproduce the figures published with the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.metrics import bag_of_words_score, date_score, shingle_score, snippet_score

AEB = Path(__file__).resolve().parent.parent.parent / "shared" / "bench-data" / "scrapinghub-aeb"


@pytest.mark.skipif(not AEB.exists(), reason="../shared/bench-data is not beside the project")
def test_shingle_metric_gives_the_published_trafilatura_figures():
    truth = json.loads((AEB / "ground-truth.json").read_text())
    output = json.loads((AEB / "reference-output" / "trafilatura.json").read_text())["output"]
    score = shingle_score(((output.get(k) or {}).get("articleBody"), truth[k]["articleBody"])
                          for k in truth)
    assert (round(score.f1, 3), round(score.precision, 3), round(score.recall, 3)) == \
        (0.958, 0.938, 0.978)


def test_small_cases():
    assert shingle_score([("a b c d e", "a b c d e")]).f1 == 1.0
    empty = shingle_score([(None, "a b c d e")])
    assert empty.empty == 1 and empty.recall == 0.0
    snippets = snippet_score([("one two  three", ["two three", "four"], ["one"])])
    assert (snippets.precision, snippets.recall) == (0.5, 0.5)
    words = bag_of_words_score([("A b", "a b c d")])
    assert (words.precision, words.recall) == (1.0, 0.5)
    dates = date_score([("2020-01-02T10:00:00+03:00", "2020-01-02"), (None, "2020-01-03"),
                        (None, None), ("2020-01-01", None)])
    assert (dates.acc_dated, dates.dated, dates.undated, dates.left_undated) == (0.5, 2, 2, 1)
