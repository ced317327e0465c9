"""The README keeps up with the command line: every command and option in its command
table, every command with an example, every exit code in its table (the idea of
sqlite-utils' tests/test_docs.py). Read from click and aggregator/errors.py, so a new
command, option or code is covered without being listed here."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from aggregator import errors
from aggregator.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """From ``heading`` to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(f"\n{heading}\n")
    ends = [m.start() for m in re.finditer(r"\n(#+) ", text[start + 1:])
            if len(m.group(1)) <= len(level)]
    return text[start:start + 1 + ends[0]] if ends else text[start:]


def cells(line: str) -> list[str]:
    """A markdown table row's cells (``\\|`` is a pipe inside a cell)."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def commands(group: click.Group = cli, prefix: str = "") -> dict[str, click.Command]:
    """Every command a user runs, by its full name ("sources check"); groups are walked."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(commands(command, f"{prefix}{name} "))
        else:
            found[f"{prefix}{name}"] = command
    return found


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


COMMAND_SECTION = section(README, "## Commands")
# First cell of each row of the command table: `newsagg crawl [--sources FILE] ...`
SYNOPSES = [cells(line)[0].strip("`") for line in COMMAND_SECTION.splitlines()
            if line.startswith("| `newsagg ")]
EXAMPLES = [line.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", README, re.M | re.S)
            for line in block.splitlines()]
COMMANDS = commands()


def synopsis(name: str) -> str:
    rows = [s for s in SYNOPSES if re.match(rf"newsagg {re.escape(name)}(\s|$)", s)]
    assert rows, f"README.md '## Commands' has no table row for `newsagg {name}`"
    return " ".join(rows)


def names_in(text: str) -> set[str]:
    """The option names written in a synopsis (--db, -s; not YYYY-MM-DD or 127.0.0.1)."""
    return set(re.findall(r"(?<![\w-])--?[a-z][a-z0-9-]*", text))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_row_in_the_command_table(name):
    synopsis(name)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_an_example(name):
    assert any(re.match(rf"newsagg {re.escape(name)}(\s|$)", line) for line in EXAMPLES), (
        f"README.md has no ```-fenced example line starting `newsagg {name}`")


OPTIONS = sorted((name, max(option.opts, key=len)) for name, command in COMMANDS.items()
                 for option in options(command))


@pytest.mark.parametrize(("name", "option"), OPTIONS, ids=[f"{n} {o}" for n, o in OPTIONS])
def test_every_option_is_in_its_command_row(name, option):
    """Either of an option's spellings counts (`-s` for `-s/--set`)."""
    spellings = {s for o in options(COMMANDS[name]) if option in o.opts
                 for s in o.opts + o.secondary_opts}
    assert names_in(synopsis(name)) & spellings, (
        f"the `newsagg {name}` row of README.md's command table lacks {option}")


def test_the_command_table_names_only_what_exists():
    """A row or an option the command line has lost is caught too."""
    stale = []
    for row in SYNOPSES:
        name = next((n for n in sorted(COMMANDS, key=len, reverse=True)
                     if re.match(rf"newsagg {re.escape(n)}(\s|$)", row)), None)
        if name is None:
            stale.append(row)
            continue
        known = {o for option in options(COMMANDS[name])
                 for o in option.opts + option.secondary_opts}
        stale += [f"{name} {o}" for o in sorted(names_in(row) - known)]
    assert not stale, f"README.md's command table names what the CLI lacks: {stale}"


EXIT_CODES = {name: value for name, value in vars(errors).items()
              if name.startswith("EXIT_") and isinstance(value, int)}


def documented_exit_codes() -> set[int]:
    rows = [cells(line) for line in section(README, "### Exit codes").splitlines()
            if line.startswith("|")]
    return {int(row[0]) for row in rows if row and row[0].isdigit()}


@pytest.mark.parametrize("name", sorted(EXIT_CODES))
def test_every_exit_code_is_in_the_exit_code_table(name):
    assert EXIT_CODES[name] in documented_exit_codes(), (
        f"{name} = {EXIT_CODES[name]} is missing from README.md's '### Exit codes' table")


def test_the_exit_code_table_lists_only_codes_that_exist():
    assert documented_exit_codes() <= set(EXIT_CODES.values())
