"""Command line: python -m alliance_atlas validate | members | export | sources."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliance_atlas.data import asof, dates, loading, quality
from alliance_atlas.renderers import exports


def _date(text: str) -> dt.date:
    try:
        return dates.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _load(folder) -> loading.Atlas | None:
    try:
        return loading.load(folder)
    except loading.DataError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); run `python -m alliance_atlas validate` for the list", file=sys.stderr)
        return None


def cmd_validate(args) -> int:
    atlas, problems = loading.validate(args.data_dir)
    if problems:
        for p in problems:
            print(p)
        print(f"\n{len(problems)} problem(s) in {loading.data_dir(args.data_dir)}")
        return 1
    assert atlas is not None  # no problems: the data loaded
    print(f"OK: {loading.data_dir(args.data_dir)}")
    for name, n in atlas.counts.items():
        print(f"  {name:<22} {n:>5} rows")
    return 0


def with_atlas(cmd: Callable[[Any, loading.Atlas], int]) -> Callable[[Any], int]:
    """A command run on the loaded data: exit 1, with the problems printed, when the data does not load."""

    @functools.wraps(cmd)
    def run(args) -> int:
        atlas = _load(args.data_dir)
        return 1 if atlas is None else cmd(args, atlas)

    return run


@with_atlas
def cmd_members(args, atlas: loading.Atlas) -> int:
    org = args.org.upper()
    if org not in set(atlas.organizations["id"]):
        print(
            f"unknown organization {args.org!r}; known: {', '.join(sorted(atlas.organizations['id']))}", file=sys.stderr
        )
        return 2
    rows = asof.members(atlas, org, args.on)
    if args.json:
        print(json.dumps(rows))
    else:
        print(
            f"{org} on {args.on.isoformat()}: {len(rows)} state(s) in this dataset (Europe and the former Soviet space)"
        )
        for r in rows:
            print(f"  {r['iso3']}  {r['status']}")
    return 0


@with_atlas
def cmd_export(args, atlas: loading.Atlas) -> int:
    day = args.on or dt.date.today()
    if args.format == "geojson":
        text = exports.dumps(exports.layers_geojson(atlas, day))
    else:
        text = exports.installations_csv(atlas, day)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_sources(args) -> int:
    folder = loading.data_dir(args.data_dir)
    if not folder.is_dir():
        print(f"data folder does not exist: {folder}", file=sys.stderr)
        return 2
    show_quality = args.quality or not args.stale
    if show_quality:
        print(quality.report(quality.measure(folder)))
    if args.stale:
        atlas = _load(args.data_dir)
        if atlas is None:
            return 1
        today = args.today or dt.date.today()
        rows = quality.stale(atlas, today, args.months)
        cutoff = quality.months_before(today, args.months)
        if show_quality:
            print()
        if not rows:
            print(f"All rows verified in the last {args.months} months (since {cutoff.isoformat()}).")
        else:
            print(
                f"{len(rows)} row(s) last verified before {cutoff.isoformat()} ({args.months} months before "
                f"{today.isoformat()}):"
            )
            for r in rows:
                print(f"  {r['last_verified']:<10}  {r['file']}: {r['id']} ({r['name']})")
    return 0


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months") from None
    if not 0 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..1200 months")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alliance_atlas", description="Alliance Atlas data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every data file; exit 1 listing every problem")
    p.add_argument("data_dir", nargs="?", default=None, help="data folder (default: $ATLAS_DATA_DIR or data/)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("members", help="states with a non-withdrawn status in ORG on a date")
    p.add_argument("org")
    p.add_argument("--on", type=_date, default=dt.date.today(), help="YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=cmd_members)
    p = sub.add_parser("export", help="the map's layers as GeoJSON, or the installations as CSV")
    p.add_argument("--format", choices=("geojson", "csv"), required=True)
    p.add_argument("--on", type=_date, default=None)
    p.add_argument("--out", default=None)
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("sources", help="what the data rests on (--quality) and rows not verified lately (--stale)")
    p.add_argument(
        "--quality",
        action="store_true",
        help="citations, sources and rows by source tier; duplicated URLs (the default)",
    )
    p.add_argument("--stale", action="store_true", help="installations and control areas not verified for --months")
    p.add_argument("--months", type=_months, default=12, help="age limit for --stale (default 12)")
    p.add_argument("--today", type=_date, default=None, help="reference date for --stale, YYYY-MM-DD (default today)")
    p.add_argument("--data-dir", default=None)
    p.set_defaults(func=cmd_sources)
    args = parser.parse_args(argv)
    try:
        rc = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return rc
    except BrokenPipeError:  # the reader went away (`… | head`): stop quietly, like other command-line tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
