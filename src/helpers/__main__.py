"""Command line: ``hf-papers ingest | reports | bench`` (or ``python -m helpers ...``).

hf-papers reports                          # ingest data/raw, run every notebook, HTML + index
hf-papers reports --raw ~/dumps --out ~/hf-reports   # any folder of dumps; tables in OUT/processed
hf-papers ingest --first-year 2023         # parse the dumps into Parquet; the year is remembered
hf-papers reports -p 01-term-frequency:top_n=20 -p '*:min_count=3'
hf-papers --version
"""

from __future__ import annotations

import argparse
import ast
import sys


def _parse_param(text: str) -> tuple[str, str, object]:
    """``[notebook:]name=value`` with a Python literal value (strings need no quotes)."""
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
        help="folder of dump files (default: raw in hf-papers.toml, else data/raw)",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hf-papers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    shared = _data_options()

    p_ingest = sub.add_parser(
        "ingest", parents=[shared], help="parse the dumps into processed Parquet tables"
    )
    p_ingest.add_argument("--force", action="store_true", help="rebuild even if unchanged")

    p_rep = sub.add_parser(
        "reports", parents=[shared], help="ingest, run every notebook and export HTML reports"
    )
    p_rep.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        type=_parse_param,
        metavar="[NOTEBOOK:]NAME=VALUE",
        help="papermill parameter (repeatable)",
    )
    p_rep.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="notebooks run at once (default: number of cores)",
    )
    p_rep.add_argument("--force", action="store_true", help="re-run even unchanged notebooks")
    p_rep.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="STEM",
        help="run only this notebook (repeatable), e.g. 00-overview",
    )

    sub.add_parser(
        "bench", help="benchmark the counting engine (see python -m helpers.bench)", add_help=False
    )

    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        from helpers.bench import main as bench_main

        return bench_main(rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")

    from helpers.config import SettingsError, paths
    from helpers.dumps import DumpFormatError

    try:
        project = paths(raw=args.raw, out=args.out)
        if args.command == "ingest":
            from helpers.ingest import ingest

            result = ingest(first_year=args.first_year, force=args.force, project=project)
            state = (
                "unchanged, nothing to do"
                if result.skipped
                else (f"parsed {len(result.parsed)} file(s)")
            )
            print(f"ingest: {state}; tables in {result.outputs['papers'].parent}")
            print(f"dates: {result.year_policy}")
            return 0
        from helpers.reports import ReportError, build_reports

        params: dict[str, dict] = {}
        for target, name, value in args.param:
            if name in ("first_year", "raw_dir"):
                parser.error(
                    f"-p {name} is not a notebook parameter: the years and the dumps are chosen "
                    "once, for every report: use --first-year, --raw or hf-papers.toml"
                )
            params.setdefault(target, {})[name] = value
        try:
            result = build_reports(
                project,
                parameters=params,
                jobs=args.jobs,
                force=args.force,
                only=args.only,
                first_year=args.first_year,
            )
        except ReportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"reports: executed {result.executed or 'none'}, reused {result.reused or 'none'}")
        print(f"open {result.index}")
        return 0
    except (DumpFormatError, FileNotFoundError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
