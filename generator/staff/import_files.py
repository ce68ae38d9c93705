"""``ocop import``, second half: the files a plan writes, and the plan as staff read it.

New records are written through the scaffold (``$schema`` line, every field
explained, what the table gives filled in); existing products gain the new
certificate as text (``record_text``), each edit read back before it is kept.
Files are replaced whole, and only after every one of them has been checked.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from ..source.convert import build_record
from ..source.layout import SourceLayout
from ..source.problems import Problems
from ..source.records import Producer, Product
from ..source.walk import PRODUCER_FILE
from ..source.yamlsafe import parse
from .importer import ImportAborted, ImportPlan, NewProducer, NewProduct
from .record_text import RecordEditError, add_certificate, verify
from .scaffold import render

# --- the files ----------------------------------------------------------------------

def producer_text(new: NewProducer) -> str:
    return render("producer", {
        "name": new.name, "type": new.type, "address.street": new.street,
        "address.commune": new.place.commune, "address.province": new.place.province})


def product_text(new: NewProduct) -> str:
    r = new.rating
    return render("product", {
        "name": new.row.product, "category": new.row.category, "ocop.stars": r.stars,
        "ocop.issued": r.issued, "ocop.decision": r.decision, "ocop.score": r.score,
        "ocop.level": r.level, "ocop.certificate": r.certificate})


def todo(path: str, text: str, kind: type) -> list[str]:
    """What ``ocop check`` will say of a new file until staff fill it in."""
    problems = Problems()
    build_record(kind, parse(path, text.encode("utf-8")), path, problems)
    return [str(p) for p in problems.errors]


@dataclass
class FileChange:
    """One file the plan writes: its path (relative to the project) and text."""

    path: str
    text: str
    #: The text it replaces (None for a new file).
    before: str | None = None


def file_changes(plan: ImportPlan, layout: SourceLayout) -> tuple[list[FileChange], list[str]]:
    """Every file to write, and the problems of edits that cannot be made safely."""
    changes = [FileChange(p.path, producer_text(p)) for p in plan.new_producers]
    changes += [FileChange(p.path, product_text(p)) for p in plan.new_products]
    problems = []
    for item in plan.recertified:
        path = item.product.path
        try:
            # Bytes, not read_text(): a file written on Windows keeps its CRLF lines.
            before = (layout.root / path).read_bytes().decode("utf-8")
            after = add_certificate(before, item.rating)
            verify(path, before, after, item.rating)
        except (OSError, UnicodeDecodeError, RecordEditError) as exc:
            problems.append(f"{item.row.where}: {path}: {exc}; add the certificate by hand")
            continue
        changes.append(FileChange(path, after, before))
    return changes, problems


def write_changes(changes: list[FileChange], layout: SourceLayout) -> None:
    """Write each file whole (a new temporary file renamed over it), after checking
    all of them: nothing is written when one of them cannot be."""
    root = layout.products_dir.resolve()
    for change in changes:
        target = layout.root / change.path
        if target.is_symlink() or not target.parent.resolve().is_relative_to(root):
            raise ImportAborted(f"{change.path} is a link or outside {layout.rel(root)}; "
                                "nothing was written")
        if change.before is None and target.exists():
            raise ImportAborted(f"{change.path} already exists; nothing was written")
        if change.before is not None and (
                target.read_bytes().decode("utf-8", "replace") != change.before):
            raise ImportAborted(f"{change.path} changed while importing; nothing was written")
    for change in changes:
        target = layout.root / change.path
        target.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates a file of its own (O_EXCL): never one a link points through.
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(change.text.encode("utf-8"))
        os.replace(temporary, target)


# --- the plan as staff read it ----------------------------------------------------------

def _stars(n: int) -> str:
    return f"{n} sao"


def format_plan(plan: ImportPlan, changes: list[FileChange], edit_problems: list[str],
                written: bool) -> str:
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)

    section("New producers", [
        f"{p.rows[0].where}: {p.name}, {p.place} -> {p.path}"
        + ("" if p.type else " (type: fill in)") for p in plan.new_producers])
    section("New products", [
        f"{p.row.where}: {p.row.product} ({_stars(p.rating.stars)}) -> {p.path}"
        for p in plan.new_products])
    section("Re-certified", [
        f"{r.row.where}: {r.product.name} — {r.product.producer.name}: "
        f"{_stars(r.product.ratings[-1].stars)} -> {_stars(r.rating.stars)}"
        + (" (upgraded)" if r.rating.stars > r.product.ratings[-1].stars else "")
        + f" ({r.product.path})" for r in plan.recertified])
    section("Already imported", [
        f"{u.row.where}: {u.product.name} ({u.product.path})" for u in plan.unchanged])
    section("Unmatched", [f"{u.row.where}: {u.row.product} — {u.row.producer}: {u.reason}"
                          for u in plan.unmatched])
    section("Ambiguous", [
        f"{a.row.where}: {a.row.product} — {a.row.producer}: {a.reason}: "
        + ", ".join(a.candidates) + "; add a Mã sản phẩm / Mã chủ thể column"
        for a in plan.ambiguous])
    section("Problems", [str(p) for p in plan.problems] + edit_problems)
    new_files = {c.path: c.text for c in changes if c.before is None}
    todos = [line for path, text in new_files.items()
             for line in todo(path, text, Producer if path.endswith(PRODUCER_FILE) else Product)]
    section("To fill in by hand (ocop check reports these until done)", todos)
    for p in plan.new_products:
        if p.row.category is None:
            said = f"the table says '{p.row.category_text}'" if p.row.category_text else (
                "the table gives no group")
            lines.append(f"  {p.path}: category: {said}; choose a sub-group from "
                         "generator/data/product-groups.yaml")
    section("Record files that cannot be read (fix them first: ocop check); nothing is "
            "written while they are broken, as a row may be theirs", plan.unreadable)
    if plan.unreadable:
        lines.append("Nothing written: fix the files that cannot be read, then import again."
                     if written else "Dry run: nothing written.")
    elif not changes:
        lines.append("Nothing to write: the catalogue already has every row." if plan.clean
                     else "Nothing to write.")
    elif written:
        lines.append(f"Wrote {len(changes)} file(s). Next: fill in what is listed, run "
                     "ocop check, then open a pull request.")
    else:
        lines.append(f"Dry run: nothing written. Run again with --write to write "
                     f"{len(changes)} file(s).")
    return "\n".join(lines) + "\n"


def summary_line(plan: ImportPlan) -> str:
    return (f"{len(plan.new_producers)} new producer(s), {len(plan.new_products)} new "
            f"product(s), {len(plan.recertified)} re-certified, {len(plan.unchanged)} already "
            f"imported, {len(plan.unmatched)} unmatched, {len(plan.ambiguous)} ambiguous, "
            f"{len(plan.problems)} problem(s)")

