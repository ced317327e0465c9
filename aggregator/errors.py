"""Every exception newsagg raises on purpose, in one place.

The CLI turns each of these into a one-line message and an exit code; anything
else is a bug and is shown with its traceback.
"""

from __future__ import annotations

# Exit codes of the `newsagg` command (documented in README.md).
EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2          # bad command line or invalid sources file
EXIT_DATABASE = 3       # the database cannot be opened, created or upgraded
EXIT_CRAWL = 4          # the crawl could not run; or a site could not be read or
                        # gave nothing that works (`sources add`, `extract URL`)
EXIT_MAIL = 5           # the digest was not sent (SMTP, TLS, login), or an earlier send is in doubt
EXIT_SCHEDULER = 6      # the scheduler cannot start (another one runs for this database)


class NewsaggError(Exception):
    """Base class: an error the user can fix, with a message that says how."""

    exit_code = EXIT_UNEXPECTED


class SourcesError(NewsaggError):
    """The sources file is missing, not TOML, or has invalid entries.

    ``problems`` lists every error found, each naming the source and the field,
    so one run of ``newsagg sources check`` shows them all.
    """

    exit_code = EXIT_USAGE

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the sources file:\n{lines}")


class StoreError(NewsaggError):
    """The SQLite database cannot be used (not a database, locked, read-only, disk full).

    ``transient``: a lock held past the busy timeout, which a later write may not meet
    (the page is counted as failed and the crawl goes on); anything else will not go
    away by itself, and stops the crawl.
    """

    exit_code = EXIT_DATABASE

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class CrawlError(NewsaggError):
    """The crawl could not start or was aborted as a whole."""

    exit_code = EXIT_CRAWL


class FetchError(NewsaggError):
    """A page could not be fetched for a command that looks at a site before it is a
    source (robots.txt forbids it, no answer, the request budget is spent)."""

    exit_code = EXIT_CRAWL

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"{url}: {why}")
        self.url = url
        self.why = why


class NothingFoundError(NewsaggError):
    """`sources add` found no feed, sitemap or listing that gives dated articles; the
    message says what was tried and what to pass instead."""

    exit_code = EXIT_CRAWL


class TemplateError(NewsaggError):
    """A digest template (ours overridden by the user's, or the subject line) does not
    render: a syntax error or an unknown variable. The message names the template."""

    exit_code = EXIT_USAGE


class MailError(NewsaggError):
    """The digest could not be sent: the relay refused the connection, the login, the
    certificate or the message. Nothing is recorded as sent."""

    exit_code = EXIT_MAIL


class DigestUncertainError(MailError):
    """An earlier send of this digest date was interrupted: it may have gone out.

    newsagg does not guess; the user checks a mailbox and sends again with --force.
    """


class DigestNotDueError(NewsaggError):
    """``--send`` of a digest whose window is still open or lies in the future: mailing
    it would send a partial digest and mark the date sent. ``--force`` sends it anyway."""

    exit_code = EXIT_USAGE


class SchedulerError(NewsaggError):
    """The scheduler cannot run: another scheduler holds this database."""

    exit_code = EXIT_SCHEDULER
