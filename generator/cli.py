"""The ``ocop`` command: check, build and maintain a catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from .catalogue import build_catalogue
from .clock import build_date
from .errors import Problems
from .load import SourceLayout
from .records import RECORD_KINDS
from .schema import json_schema

SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_BASE = "https://ocop.example.vn/schemas/"


def layout_from_config(config_file: Path) -> tuple[SourceLayout, bool]:
    """The source layout and strictness configured for the ``ocop`` plugin."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    plugin = config.plugins["ocop"]
    options = plugin.config
    return plugin._layout(config), bool(options.strict)


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cls in RECORD_KINDS.items():
        schema = json_schema(cls, f"{SCHEMA_BASE}{name}.schema.json", cls.__doc__ or name)
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def cmd_check(args: argparse.Namespace) -> int:
    layout, strict = layout_from_config(Path(args.config))
    strict = strict or args.strict
    problems = Problems()
    catalogue = build_catalogue(layout, build_date(), problems)
    print(problems.report(), file=sys.stderr if problems.failed(strict) else sys.stdout)
    if problems.failed(strict):
        return 1
    print(f"OK: {len(catalogue.products)} products, {len(catalogue.producers)} producers, "
          f"{len(catalogue.points_of_sale)} points of sale, {len(catalogue.fairs)} fairs")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildFailed, build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        target = build_site(Path(args.config), Path(args.site_dir) if args.site_dir else None,
                            fail_on_warnings=args.strict)
    except BuildFailed as exc:
        print(f"Build failed; the previous site was left untouched.\n{exc}", file=sys.stderr)
        return 1
    print(f"Site built in {target}")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    for path in write_schemas():
        print(path)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import SynthOptions, synthesize

    options = SynthOptions(
        products=args.products, producers=args.producers, points_of_sale=args.points_of_sale,
        fairs=args.fairs, seed=args.seed, provinces=args.provinces,
        today=dt.date.fromisoformat(args.today) if args.today else build_date(),
    )
    try:
        summary = synthesize(Path(args.out), options)
    except ValueError as exc:
        print(f"ocop synth: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {summary.products} products, {summary.producers} producers, "
          f"{summary.points_of_sale} points of sale, {summary.fairs} fairs in "
          f"{summary.communes} communes of {summary.provinces} provinces to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocop", description=__doc__)
    parser.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the catalogue only")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="build the site atomically into site/")
    build.add_argument("--strict", action="store_true", help="warnings fail too")
    build.add_argument("--site-dir", help="where to put the site (default: from mkdocs.yml)")
    build.set_defaults(func=cmd_build)
    schemas = sub.add_parser("schemas", help="write the JSON Schemas for editors")
    schemas.set_defaults(func=cmd_schemas)
    synth = sub.add_parser("synth", help="write a synthetic catalogue project (benchmarks)")
    synth.add_argument("--products", type=int, required=True)
    synth.add_argument("--producers", type=int, required=True)
    synth.add_argument("--points-of-sale", type=int, default=0)
    synth.add_argument("--fairs", type=int, default=0)
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--provinces", type=int, default=0,
                       help="how many provinces (default: 1 up to 2,000 products, else 34)")
    synth.add_argument("--today", help="date certificates are relative to (YYYY-MM-DD; "
                       "default: the build date, SOURCE_DATE_EPOCH when set)")
    synth.add_argument("--out", required=True, help="an empty or missing folder")
    synth.set_defaults(func=cmd_synth)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
