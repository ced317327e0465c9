"""The tree keeps its architecture: layers import only downward, no module imports one
that imports it back, the crawl process never loads the extraction libraries, and no
module grows past 400 lines. Read from the sources (ast), so a new module is covered
without being listed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("aggregator", "spiders", "storage")
MAX_LINES = 400

# Each layer and the layers it may import (its own always). The shared vocabulary at the
# bottom (errors, clock, strings, urls, counters, reprints, decoding) imports nothing of
# ours but itself; storage sits on it; the features sit on storage and config.
BASE = "base"
ALLOWED: dict[str, set[str]] = {
    BASE: set(),
    "search": {BASE},
    "storage": {BASE, "search"},
    "config": {BASE},
    "dates": {BASE, "config"},
    "extract.result": set(),
    "extract": {BASE, "config", "dates", "extract.result", "search"},
    "crawl": {BASE, "config", "dates", "extract.result", "storage"},
    "spiders": {BASE, "config", "dates", "extract.result", "crawl", "storage"},
    "digest": {BASE, "config", "dates", "storage"},
    "schedule": {BASE, "config", "digest", "storage"},
    "browse": {BASE, "storage"},
    "demo": {BASE, "config", "crawl", "digest", "storage"},
    "version": set(),
    "settings": {"version"},
    "onboard": {BASE, "config", "dates", "extract", "extract.result", "crawl", "storage",
                "settings"},
    "cli": {BASE, "config", "crawl", "digest", "schedule", "browse", "demo", "storage",
            "dates", "onboard", "extract", "extract.result"},
}
BASE_MODULES = {"errors", "clock", "strings", "urls", "counters", "reprints", "decoding"}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] in ("spiders", "storage"):
        return parts[0]
    if len(parts) == 1:
        return "version"                                # aggregator/__init__.py
    if parts[1].startswith("cli"):                     # cli.py and its command modules
        return "cli"
    if parts[1] in BASE_MODULES or parts[1] == "__main__":
        return BASE if parts[1] != "__main__" else "cli"
    if module == "aggregator.extract.result":
        return "extract.result"
    return parts[1]


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules that ``module`` imports anywhere, in a function too (a lazy
    import is still a dependency); ``from x import y`` counts as x.y when x.y is a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known
                     else node.module for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in known and n != module)
    return found


def test_layers_import_only_downward():
    known = modules()
    wrong = []
    for module, path in known.items():
        mine = layer(module)
        if mine not in ALLOWED:
            wrong.append(f"{module}: layer {mine!r} has no place in ALLOWED")
            continue
        for other in imports(module, path, known):
            theirs = layer(other)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{module} ({mine}) imports {other} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    known = modules()
    graph = {m: imports(m, p, known) for m, p in known.items()}
    cycles = []
    state: dict[str, int] = {}          # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for other in sorted(graph[module]):
            if state.get(other) == 1:
                cycles.append(" -> ".join([*path[path.index(other):], other]))
            elif other not in state:
                visit(other, [*path, other])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_crawl_process_never_loads_the_extraction_libraries():
    """The spider, the pipeline and the crawl's run load in a fresh interpreter without
    trafilatura, htmldate or jusText: they load in the workers only (each costs the crawl
    process memory for every page it holds)."""
    code = ("import sys; import spiders.news, aggregator.crawl.pipeline, "
            "aggregator.crawl.run, aggregator.crawl.extensions, aggregator.crawl.middlewares, "
            "aggregator.settings, aggregator.extract.result, aggregator.extract.worker; "
            "print(sorted(m for m in ('trafilatura', 'htmldate', 'justext') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_extraction_entry_point_still_imports():
    from aggregator.extract import extract_article

    assert extract_article("", None).reason == "empty page"


@pytest.mark.parametrize("module", sorted(modules()))
def test_modules_stay_small(module):
    lines = len(modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines (split it by responsibility)"
