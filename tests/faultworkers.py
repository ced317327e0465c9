"""Extraction functions that fail the way real workers do, for NEWSAGG_EXTRACTOR.

They run in the crawl's real worker processes (imported there by name); a page that
carries a marker makes its worker die for real, as a segfault in a C library or the
OOM killer would; every other page is extracted as usual.
"""

from __future__ import annotations

import ctypes
import os
import signal

from aggregator.extract.result import ExtractedArticle
from aggregator.extract.worker import extract_in_worker

SEGFAULT_MARKER = "<!-- segfault this worker -->"
KILL_MARKER = "<!-- kill this worker -->"


def extract_or_crash(html: str, url: str | None, source: object,
                     **options: object) -> ExtractedArticle:
    if SEGFAULT_MARKER in html:
        ctypes.string_at(0)                  # reads address 0: SIGSEGV in C code
    if KILL_MARKER in html:
        os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer sends
    return extract_in_worker(html, url, source, **options)
