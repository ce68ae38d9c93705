"""The ``ocop`` command: check, build and maintain a catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from . import collector
from .adapter.config import project_settings
from .link.clock import build_date
from .pipeline import build_catalogue, check_project
from .source.jsonschema import write_schemas
from .source.problems import Position, Problems, github_annotations
from .workers import WorkerDied, worker_count


def cmd_check(args: argparse.Namespace) -> int:
    layout, options = project_settings(Path(args.config))
    strict = options.strict or args.strict
    problems = Problems()
    try:
        catalogue = check_project(layout, build_date(), problems,
                                  workers=worker_count(options.workers),
                                  cache_dir=layout.root / options.cache_dir)
    except WorkerDied as exc:
        print(f"Check stopped: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "format", "text") == "github":
        print(github_annotations(problems, strict))
    verbose = options.verbose or args.verbose
    print(problems.report(verbose), file=sys.stderr if problems.failed(strict) else sys.stdout)
    if problems.failed(strict):
        return 1
    print(f"OK: {len(catalogue.products)} products, {len(catalogue.producers)} producers, "
          f"{len(catalogue.points_of_sale)} points of sale, {len(catalogue.fairs)} fairs")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .adapter.publish import BuildFailed, build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    # Our own notes (warnings about certificates, photo work done) are worth showing.
    logging.getLogger("mkdocs.plugins.ocop").setLevel(logging.INFO)
    try:
        target = build_site(Path(args.config), Path(args.site_dir) if args.site_dir else None,
                            fail_on_warnings=args.strict, verbose=args.verbose)
    except BuildFailed as exc:
        print(f"Build failed; the previous site was left untouched.\n{exc}", file=sys.stderr)
        return 1
    print(f"Site built in {target}")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    for path in write_schemas():
        print(path)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .staff.scaffold import ScaffoldError, new_producer, new_product, new_record

    layout, _ = project_settings(Path(args.config))
    try:
        if args.kind == "producer":
            path = new_producer(layout, args.id, args.name)
        elif args.kind == "product":
            path = new_product(layout, args.producer_id, args.id, args.name)
        else:
            path = new_record(layout, args.kind, args.id, args.name)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Created {layout.rel(path)}: fill in the empty fields, then run: ocop check")
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from .staff.formatting import format_files

    layout, _ = project_settings(Path(args.config))
    problems = Problems()
    results = format_files(layout, [Path(p) for p in args.paths], problems, write=not args.check)
    changed = [r for r in results if r.changed]
    if args.check:
        # Comments (the help `ocop new` and `ocop import` write, notes staff add) are
        # theirs to keep until they run ocop fmt; only the values' layout is reported.
        changed = [r for r in changed if not r.only_comments]
        for r in changed:
            problems.warning(Position(r.path, 1, 1), "-",
                             f"not in the canonical form; run: ocop fmt {r.path}")
        if args.format == "github" and problems.items:
            print(github_annotations(problems))
        if problems.items:
            print(problems.report(True), file=sys.stderr)
        return 1 if changed or problems.failed(False) else 0
    for r in changed:
        note = (f" ({r.comments_dropped} comment{'s' if r.comments_dropped != 1 else ''} "
                "removed: only the $schema line is kept)") if r.comments_dropped else ""
        print(f"formatted {r.path}{note}")
    if problems.items:
        print(problems.report(True), file=sys.stderr)
    print(f"{len(changed)} file(s) formatted, {len(results) - len(changed)} already canonical")
    return 1 if problems.failed(False) else 0


def cmd_changes(args: argparse.Namespace) -> int:
    from mkdocs.config import load_config

    from .adapter.config import source_layout
    from .staff.change_summary import page_changes, parse_name_status, summary_markdown

    config = load_config(str(args.config))
    layout, site_url = source_layout(config, config.plugins["ocop"].config), config.site_url or ""
    text = sys.stdin.read() if args.name_status == "-" else Path(args.name_status).read_text(
        encoding="utf-8")
    catalogue = build_catalogue(layout, build_date(), Problems())
    print(summary_markdown(page_changes(catalogue, layout, parse_name_status(text)), site_url),
          end="")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from .staff.local_editor import EditorUnavailable, run

    config = Path(args.config).resolve()
    try:
        return run(config.parent, config, args.dev_addr)
    except EditorUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def cmd_import(args: argparse.Namespace) -> int:
    from .source.admin_units import official_units
    from .staff.annex import (
        AnnexError,
        Defaults,
        column_letter,
        parse_date,
        parse_overrides,
        read_annex,
    )
    from .staff.import_files import file_changes, format_plan, summary_line, write_changes
    from .staff.importer import ImportAborted, plan_import
    from .staff.spreadsheets import SpreadsheetError, read_sheets

    layout, options = project_settings(Path(args.config))
    source = Path(args.file)
    issued = None
    if args.issued:
        issued = parse_date(args.issued)
        if isinstance(issued, str):
            print(f"error: --issued {args.issued}: {issued}", file=sys.stderr)
            return 2
    problems = Problems()
    catalogue = build_catalogue(layout, build_date(), problems,
                                cache_dir=layout.root / options.cache_dir)
    try:
        annex = read_annex(read_sheets(source), source.name, catalogue.groups,
                           Defaults(args.decision, issued, args.level),
                           parse_overrides(args.map or []))
        plan = plan_import(annex, catalogue, layout, official_units())
        changes, edit_problems = file_changes(plan, layout)
        if args.write and not plan.unreadable:
            write_changes(changes, layout)
    except (SpreadsheetError, AnnexError, ImportAborted) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for sheet, header, columns in annex.tables:
        found = ", ".join(f"{name}={column_letter(c)}" for name, c in columns.items())
        print(f"{source.name}: sheet {sheet}, header on row {header}: {found}")
    print(summary_line(plan))
    sys.stdout.write(format_plan(plan, changes, edit_problems, written=args.write))
    if problems.errors:
        print(f"note: the catalogue has {len(problems.errors)} error(s) (run: ocop check); "
              "files that do not load were matched by their name and certificates only",
              file=sys.stderr)
    return 0 if plan.clean and not edit_problems else 1


def cmd_report(args: argparse.Namespace) -> int:
    from .staff.reports import expiring, format_csv, format_text

    layout, _ = project_settings(Path(args.config))
    problems = Problems()
    today = build_date()
    catalogue = build_catalogue(layout, today, problems)
    items = expiring(catalogue, args.within, args.include_expired)
    text = format_csv(items) if args.format == "csv" else format_text(items, args.within, today)
    if args.output:
        # For a spreadsheet on any system: UTF-8 with a byte order mark, as the exports.
        Path(args.output).write_bytes(("\ufeff" + text).encode("utf-8"))
        print(f"Wrote {args.output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if problems.errors:
        print(f"note: {len(problems.errors)} error(s) in the catalogue leave some products out; "
              "run: ocop check", file=sys.stderr)
    return 0


def _add_staff_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ocop new …`` and ``ocop report …``."""
    new = sub.add_parser("new", help="start a record file with every field explained")
    kinds = new.add_subparsers(dest="kind", required=True)
    producer = kinds.add_parser("producer", help="products/<id>/producer.yaml")
    producer.add_argument("id", help="producer id = folder name, e.g. htx-thot-not-o-lam")
    product = kinds.add_parser("product", help="products/<producer-id>/<product-id>.yaml")
    product.add_argument("producer_id", help="the producer's folder name")
    product.add_argument("id", help="product id = file name, e.g. duong-thot-not")
    for kind in ("point-of-sale", "fair"):
        other = kinds.add_parser(kind, help=f"a {kind} record")
        other.add_argument("id", help="record id = file name")
    for parser in kinds.choices.values():
        parser.add_argument("--name", help="the record's name (written in the file)")
    new.set_defaults(func=cmd_new)
    fmt = sub.add_parser("fmt", help="write record files in the canonical form "
                         "(the form the web editor writes)")
    fmt.add_argument("paths", nargs="*", help="record files (default: every record file)")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; list the files not in canonical form, comments "
                          "aside (exit 1)")
    fmt.add_argument("--format", choices=("text", "github"), default="text",
                     help="with --check, github: also print GitHub Actions annotations")
    fmt.set_defaults(func=cmd_fmt)
    changes = sub.add_parser("changes", help="the pages a change touches, as Markdown (for "
                             "the pull request's job summary)")
    changes.add_argument("name_status", help="output of git diff --name-status (- for stdin)")
    changes.set_defaults(func=cmd_changes)
    edit = sub.add_parser("edit", help="the web editor on this computer (/quan-tri/), with "
                          "a live preview; saves go into the working copy")
    edit.add_argument("--dev-addr", default="127.0.0.1:8000", help="where to serve the site")
    edit.set_defaults(func=cmd_edit)
    imp = sub.add_parser(
        "import", help="records from the table of a certification decision (.xlsx, .xls, "
                       ".ods, .csv); a dry run unless --write")
    imp.add_argument("file", help="the decision's annex: a workbook or a CSV file")
    imp.add_argument("--decision", help="the decision number, when the table has no column "
                                        "for it (e.g. 86/QĐ-UBND)")
    imp.add_argument("--issued", metavar="DATE", help="the date of the certificates "
                                                      "(dd/mm/yyyy or YYYY-MM-DD)")
    imp.add_argument("--level", choices=("district", "province", "central"),
                     help="who certified: district, province or central")
    imp.add_argument("--map", action="append", metavar="COLUMN=FIELD",
                     help="read a column as a field: \"Tên hàng=product\" or E=stars "
                          "(repeatable); fields: number, product, product_id, producer, "
                          "producer_id, address, commune, province, stars, score, category, "
                          "certificate, decision, issued, level")
    imp.add_argument("--write", action="store_true",
                     help="write the files (default: print the plan only)")
    imp.set_defaults(func=cmd_import)
    report = sub.add_parser("report", help="reports for staff")
    reports = report.add_subparsers(dest="report", required=True)
    exp = reports.add_parser("expiring", help="certificates ending soon")
    exp.add_argument("--within", type=int, default=90, metavar="DAYS",
                     help="days from the build date (default 90)")
    exp.add_argument("--include-expired", action="store_true",
                     help="also list products whose certificate ended and was not renewed")
    exp.add_argument("--format", choices=("text", "csv"), default="text",
                     help="text: earliest first; csv: by province and commune, for the office")
    exp.add_argument("--output", metavar="FILE",
                     help="write the report to FILE (UTF-8 with a byte order mark, which "
                          "Excel reads on every system) instead of the screen")
    exp.set_defaults(func=cmd_report)


def int_pair(separator: str) -> Callable[[str], tuple[int, int]]:
    """An argparse type: '1200x900' or '1-3' (one number n means n-n)."""
    def parse(text: str) -> tuple[int, int]:
        parts = text.lower().split(separator)
        if len(parts) == 1:
            parts *= 2
        try:
            low, high = (int(p) for p in parts)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{text}': write two whole numbers joined by '{separator}'") from None
        ordered = separator == "x" or low <= high  # a size is not a range
        if not (ordered and 0 < low <= 16383 and 0 < high <= 16383):
            raise argparse.ArgumentTypeError(f"'{text}': numbers out of range")
        return low, high
    return parse


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth.catalogue import SynthOptions, synthesize

    options = SynthOptions(
        products=args.products, producers=args.producers, points_of_sale=args.points_of_sale,
        fairs=args.fairs, seed=args.seed, provinces=args.provinces,
        today=dt.date.fromisoformat(args.today) if args.today else build_date(),
        photo_size=args.photo_size, photos=args.photos, words=args.words,
        realistic=args.realistic,
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


def utf8_output() -> None:
    """Vietnamese text on the screen or in a redirected file is UTF-8 on every system
    (Windows would write a redirected stream in its ANSI code page, cp1252 …)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    utf8_output()
    parser = argparse.ArgumentParser(prog="ocop", description=__doc__)
    parser.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the catalogue only")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--verbose", action="store_true",
                       help="list every warning (a kind seen more than 10 times is summarised)")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: also print GitHub Actions annotations")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="build the site atomically into site/")
    build.add_argument("--strict", action="store_true", help="warnings fail too")
    build.add_argument("--verbose", action="store_true", help="list every warning")
    build.add_argument("--site-dir", help="where to put the site (default: from mkdocs.yml)")
    build.set_defaults(func=cmd_build)
    schemas = sub.add_parser("schemas", help="write the JSON Schemas for editors")
    schemas.set_defaults(func=cmd_schemas)
    _add_staff_commands(sub)
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
    synth.add_argument("--photo-size", metavar="WxH", type=int_pair("x"),
                       help="camera-like photos of this size, e.g. 1200x900 (default: one "
                            "small drawing per product)")
    synth.add_argument("--photos", default=(1, 1), metavar="MIN-MAX", type=int_pair("-"),
                       help="photos per product with --photo-size, e.g. 1-3 (default 1)")
    synth.add_argument("--words", metavar="MIN-MAX", type=int_pair("-"),
                       help="descriptions of this many words, e.g. 80-200 (default: two "
                            "short lines)")
    synth.add_argument("--realistic", action="store_true",
                       help="the shape of a real catalogue: all official communes, 1-30 "
                            "products a producer, certificate histories (use with --words "
                            "80-200 --photo-size 1200x900 --photos 1-3)")
    synth.add_argument("--out", required=True, help="an empty or missing folder")
    synth.set_defaults(func=cmd_synth)
    args = parser.parse_args(argv)
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        code = int(args.func(args))
    except ConfigurationError as exc:  # no mkdocs.yml, or one MkDocs refuses
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Abort:  # an option MkDocs refused: it has said which, and why
        return 2
    if argv is None:  # the command itself, which exits now (not a test calling it)
        collector.leave_to_exit()
    return code


if __name__ == "__main__":
    sys.exit(main())
