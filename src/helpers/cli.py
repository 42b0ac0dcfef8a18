"""Command line: ``hf-papers ingest | reports`` (or ``python -m helpers ...``).

hf-papers reports                          # ingest data/raw, run every notebook, HTML + index
hf-papers reports --raw ~/dumps --out ~/hf-reports   # any folder of dumps; tables in OUT/processed
hf-papers ingest --first-year 2023         # parse the dumps into Parquet; the year is remembered
hf-papers reports -p 01-term-frequency:top_n=20 -p '*:min_count=3'
hf-papers --version

Each command is one function below (``<command>_command``) whose docstring is its ``--help``;
options shared by commands are defined once (:func:`_data_options`). Errors of the package
(:class:`helpers.errors.HFPapersError`) are caught once, in :func:`main`, and end the command
with a message and the error's exit code.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
import warnings
from collections.abc import Callable

from helpers.errors import HFPapersError


def _parse_param(text: str) -> tuple[str, str, object]:
    """``[notebook:]name=value`` with a Python literal value (strings need no quotes).

    >>> _parse_param("01-term-frequency:top_n=20"), _parse_param("title=Mamba")
    (('01-term-frequency', 'top_n', 20), ('*', 'title', 'Mamba'))
    """
    target, _, assignment = text.rpartition(":") if ":" in text.split("=")[0] else ("", "", text)
    name, sep, raw = assignment.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected [notebook:]name=value, got {text!r}")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return target or "*", name.strip(), value


def _first_year(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year or 'auto', got {text!r}") from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hf-papers-helpers")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _data_options() -> argparse.ArgumentParser:
    """Options shared by ingest and reports."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--raw",
        metavar="DIR",
        help="folder of dump files: *.txt page dumps and/or *.json daily_papers days "
        "(default: raw in hf-papers.toml, else data/raw)",
    )
    shared.add_argument(
        "--out",
        metavar="DIR",
        help="where reports go, with the processed tables in DIR/processed "
        "(default: out in hf-papers.toml, else reports/ and data/processed/)",
    )
    shared.add_argument(
        "--first-year",
        type=_first_year,
        default=None,
        metavar="YEAR",
        help="year of the first dump; kept for later runs until changed; 'auto' infers the "
        "years again (default: the year given before, else first_year in hf-papers.toml, else "
        "dates in the file names and the calendar)",
    )
    return shared


def ingest_command(args: argparse.Namespace) -> int:
    """Parse the dumps into processed Parquet tables (skipped when nothing changed).

    example: hf-papers ingest --raw ~/dumps --first-year 2023
    """
    from helpers.config import paths
    from helpers.ingest import ingest

    project = paths(raw=args.raw, out=args.out)
    result = ingest(first_year=args.first_year, force=args.force, project=project)
    parsed = f"parsed {len(result.parsed)} file(s)"
    state = "unchanged, nothing to do" if result.skipped else parsed
    print(f"ingest: {state}; tables in {result.outputs['papers'].parent}")
    print(f"dates: {result.year_policy}")
    if result.years.warning:
        print(f"warning: {result.years.warning}", file=sys.stderr)
    return 0


def reports_command(args: argparse.Namespace) -> int:
    """Ingest, run every notebook and export the HTML reports with an index page.

    example: hf-papers reports -p 01-term-frequency:top_n=20 --only 01-term-frequency
    """
    from helpers.config import paths
    from helpers.report.runner import build_reports

    params: dict[str, dict] = {}
    for target, name, value in args.param:
        if name in ("first_year", "raw_dir"):
            args.parser.error(
                f"-p {name} is not a notebook parameter: the years and the dumps are chosen "
                "once, for every report: use --first-year, --raw or hf-papers.toml"
            )
        params.setdefault(target, {})[name] = value
    project = paths(raw=args.raw, out=args.out)
    result = build_reports(  # a ReportError (exit code 1) is reported by main, like every error
        project,
        parameters=params,
        jobs=args.jobs,
        force=args.force,
        only=args.only,
        first_year=args.first_year,
    )
    print(f"reports: executed {result.executed or 'none'}, reused {result.reused or 'none'}")
    print(f"open {result.index}")
    return 0


def _ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")


def _reports_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        type=_parse_param,
        metavar="[NOTEBOOK:]NAME=VALUE",
        help="papermill parameter (repeatable)",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, help="notebooks run at once (default: cores)"
    )
    parser.add_argument("--force", action="store_true", help="re-run even unchanged notebooks")
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="STEM",
        help="run only this notebook (repeatable), e.g. 00-overview",
    )


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], Callable | None, bool]] = {
    "ingest": (ingest_command, _ingest_options, True),
    "reports": (reports_command, _reports_options, True),
}
"""Command name -> (function, adds its own options, takes the shared data options)."""


def build_parser() -> argparse.ArgumentParser:
    """The ``hf-papers`` parser: one sub-command per entry of ``COMMANDS``, its help the
    function's docstring."""
    parser = argparse.ArgumentParser(
        prog="hf-papers",
        description=__doc__.split("\n\nEach command")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    shared = _data_options()
    for name, (function, options, data) in COMMANDS.items():
        doc = inspect.cleandoc(function.__doc__ or "")
        command = sub.add_parser(
            name,
            parents=[shared] if data else [],
            help=doc.partition("\n")[0],
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            add_help=options is not None,
        )
        if options is not None:
            options(command)
        command.set_defaults(function=function)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; an error of the package ends it with a message and its exit code."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    args.parser = parser
    with warnings.catch_warnings():  # restores the usual display when the command ends
        warnings.showwarning = _show_warning
        try:
            return args.function(args)
        except HFPapersError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.exit_code


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning on the command line: one ``warning:`` line, not the code that raised it."""
    print(f"warning: {message}", file=sys.stderr)


__all__ = [
    "COMMANDS",
    "build_parser",
    "ingest_command",
    "main",
    "reports_command",
]
