"""Command line: ``python -m helpers ingest | reports | bench``.

python -m helpers ingest                 # data/raw -> data/processed (skips if unchanged)
python -m helpers reports                # ingest, run every notebook, HTML + index
python -m helpers reports -p 01-term-frequency:top_n=20 -p '*:min_count=3'
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p_ingest = sub.add_parser("ingest", help="parse data/raw into data/processed (Parquet)")
    p_ingest.add_argument(
        "--first-year",
        type=int,
        default=None,
        help="year of the first dump (default: anchor the last dump on today)",
    )
    p_ingest.add_argument("--force", action="store_true", help="rebuild even if unchanged")

    p_rep = sub.add_parser("reports", help="run every notebook and export HTML reports")
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

    from helpers.dumps import DumpFormatError

    try:
        if args.command == "ingest":
            from helpers.ingest import ingest

            result = ingest(first_year=args.first_year, force=args.force)
            state = (
                "unchanged, nothing to do"
                if result.skipped
                else (f"parsed {len(result.parsed)} file(s)")
            )
            print(f"ingest: {state}; tables in {result.outputs['papers'].parent}")
            return 0
        from helpers.reports import ReportError, build_reports

        params: dict[str, dict] = {}
        for target, name, value in args.param:
            params.setdefault(target, {})[name] = value
        try:
            result = build_reports(
                parameters=params, jobs=args.jobs, force=args.force, only=args.only
            )
        except ReportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"reports: executed {result.executed or 'none'}, reused {result.reused or 'none'}")
        print(f"open {result.index}")
        return 0
    except (DumpFormatError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
