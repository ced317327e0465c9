"""The public benchmarks' own metrics, as ../shared/bench-data/README.md defines them.

Kept apart from the runner so that the figures can be checked against the
published ones (scrapinghub-aeb's reference output of trafilatura 2.0.0).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    empty: int = 0          # pages where the extractor returned nothing
    pages: int = 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _shingles(text: str, size: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text or "")
    if not tokens:
        return Counter()
    if len(tokens) <= size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def shingle_score(pairs: Iterable[tuple[str | None, str]]) -> Score:
    """scrapinghub-aeb: per-page 4-shingle P and R, macro-averaged; F1 of the averages."""
    precisions, recalls, empty, pages = [], [], 0, 0
    for predicted, truth in pairs:
        pages += 1
        pred, gold = _shingles(predicted or ""), _shingles(truth)
        if not pred:
            empty += 1
        tp = sum((pred & gold).values())
        fp = sum(pred.values()) - tp
        fn = sum(gold.values()) - tp
        if pred:
            precisions.append(tp / (tp + fp))
        if gold:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(p, r, _f1(p, r), empty, pages)


def snippet_score(items: Iterable[tuple[str | None, Sequence[str], Sequence[str]]]) -> Score:
    """trafilatura-eval: "with"/"without" snippets found by substring, micro-averaged."""
    tp = fn = fp = empty = pages = 0
    for predicted, with_snippets, without_snippets in items:
        pages += 1
        text = " ".join((predicted or "").split())
        if not text:
            empty += 1
        for snippet in with_snippets:
            if " ".join(snippet.split()) in text:
                tp += 1
            else:
                fn += 1
        for snippet in without_snippets:
            if " ".join(snippet.split()) in text:
                fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(p, r, 2 * tp / (2 * tp + fp + fn) if tp else 0.0, empty, pages)


def bag_of_words_score(pairs: Iterable[tuple[str | None, str]]) -> Score:
    """wcxb: per-page bag-of-words P/R/F1 on lower-cased \\w+ tokens, averaged over pages."""
    ps, rs, fs, empty, pages = [], [], [], 0, 0
    for predicted, truth in pairs:
        pages += 1
        pred = Counter(re.findall(r"\w+", (predicted or "").lower()))
        gold = Counter(re.findall(r"\w+", (truth or "").lower()))
        if not pred:
            empty += 1
            ps.append(0.0), rs.append(0.0), fs.append(0.0)
            continue
        overlap = sum((pred & gold).values())
        p = overlap / sum(pred.values())
        r = overlap / sum(gold.values()) if gold else 0.0
        ps.append(p), rs.append(r), fs.append(_f1(p, r))
    n = max(1, len(fs))
    return Score(sum(ps) / n, sum(rs) / n, sum(fs) / n, empty, pages)


@dataclass
class DateScore:
    acc_dated: float        # share of dated pages whose returned day is the gold day
    dated: int
    undated: int            # pages whose gold date is null
    left_undated: int       # ... for which nothing was returned (right)


def date_score(pairs: Iterable[tuple[str | None, str | None]]) -> DateScore:
    """acc_dated over pages with a full-day gold date; undated pages counted apart."""
    right = dated = undated = left = 0
    for predicted, gold in pairs:
        day = (predicted or "")[:10] or None
        if gold is None:
            undated += 1
            left += day is None
        elif len(gold) == 10:
            dated += 1
            right += day == gold
    return DateScore(right / dated if dated else 0.0, dated, undated, left)
