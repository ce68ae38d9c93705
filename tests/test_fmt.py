"""`ocop fmt`: the canonical form of record files (the form the web editor writes)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from conftest import run_ocop as run
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.source.canonical import canonical_text, comment_count, is_plain, text_lines
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.source.read import read_record
from generator.source.records import Product
from generator.source.yamlsafe import parse

MESSY = """\
# a note staff wrote at the top
name: Trà   sen   # the spaces inside stay
photos: [{alt: "Hộp trà", file: tra.jpg}]
category: "thuc-pham-che-bien"
ocop:
    issued: "2025-10-08"
    stars: 4
    decision: 12/QĐ-UBND
    score: ~
standards: [VietGAP, "ISO 22000:2018", '3']
price: {unit: hộp, amount: 85000}
description: "Dòng một\\nDòng hai # không phải ghi chú\\n"
online_shops: []
packaging: ''
ingredients: >-
  Trà, sen
name_en: yes
"""

CANONICAL = """\
# yaml-language-server: $schema=../../generator/schemas/product.schema.json
name: Trà   sen
name_en: "yes"
category: thuc-pham-che-bien
ocop:
  stars: 4
  decision: 12/QĐ-UBND
  issued: 2025-10-08
photos:
  - file: tra.jpg
    alt: Hộp trà
description: |
  Dòng một
  Dòng hai # không phải ghi chú
price:
  amount: 85000
  unit: hộp
ingredients: Trà, sen
standards:
  - VietGAP
  - ISO 22000:2018
  - "3"
"""


def test_a_messy_file_gets_the_canonical_form():
    assert canonical_text("product", "x.yaml", MESSY.encode()) == CANONICAL


def test_canonical_form_is_stable_and_means_the_same(tmp_path: Path):
    once = canonical_text("product", "x.yaml", MESSY.encode())
    assert canonical_text("product", "x.yaml", once.encode()) == once
    layout = SourceLayout.default(tmp_path)
    records = []
    # (An empty '' is an error ocop check reports; the canonical form leaves it out.)
    for i, text in enumerate((MESSY.replace("packaging: ''\n", ""), once)):
        path = tmp_path / f"fmt-{i}.yaml"
        path.write_text(text, encoding="utf-8")
        problems = Problems()
        records.append(read_record(Product, path, layout, problems))
        assert not problems.errors, problems.report()
    before, after = records
    assert (before.name, before.name_en, before.ocop, before.photos[0].alt, before.standards,
            before.price, before.description, before.ingredients) == (
        after.name, after.name_en, after.ocop, after.photos[0].alt, after.standards,
        after.price, after.description, after.ingredients)


def test_phone_numbers_are_always_quoted_and_blocks_keep_their_line_ends():
    text = ("name: Cơ sở A\ntype: household\naddress: {province: An Giang, commune: Xã B}\n"
            "contacts: {phone: 0296 3 871 234, zalo: '0912345678'}\n"
            "story: \"Một\\nHai\"\n")
    out = canonical_text("producer", "p.yaml", text.encode())
    assert out.splitlines()[6:] == [
        "contacts:",
        '  phone: "0296 3 871 234"',
        '  zalo: "0912345678"',
        "story: |-",
        "  Một",
        "  Hai",
    ]
    kept = canonical_text("producer", "p.yaml", text.replace('Hai\\"', 'Hai\\n\\n\\"')
                          .replace('Hai"', 'Hai\\n\\n"').encode())
    assert "story: |+" in kept
    assert yaml.safe_load(kept)["story"] == "Một\nHai\n\n"


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_reads_back_as_itself(text: str):
    """Whatever the text, its written form reads back unchanged (PyYAML and our reader)."""
    lines = text_lines(text, "  ")
    written = "v: " + lines[0] + "".join("\n" + line for line in lines[1:]) + "\n"
    expected = unicodedata.normalize("NFC", text)  # our reader keeps text in NFC
    assert unicodedata.normalize("NFC", yaml.safe_load(written)["v"]) == expected
    assert parse("t.yaml", written.encode()).items["v"][1].value == expected


@pytest.mark.parametrize("text", ["yes", "No", "on", "~", "null", "12", "1.5", "0x1f", "1_000",
                                  "2025-10-08", ".inf", "1:20", "<<", "a: b", "a #b", "-x",
                                  "#x", " x", "x ", "[x]", "", "tab\there", "end:"])
def test_text_a_reader_would_misread_is_quoted(text: str):
    assert not is_plain(text)


@pytest.mark.parametrize("text", ["Trà sen", "AG-3S-0877/2025", "12/QĐ-UBND",
                                  "ISO 22000:2018", "7:30–17:00, thứ Hai", "https://a.vn/x",
                                  "hũ 500 g", "a-b", "x:y"])
def test_ordinary_text_stays_bare(text: str):
    assert is_plain(text)


def test_comments_alone_do_not_make_a_file_non_canonical():
    from generator.source.canonical import canonical_but_comments

    canonical = canonical_text("product", "x.yaml", MESSY.encode())
    noted = canonical.replace("name: Trà   sen\n", "# ghi chú\n\nname: Trà   sen  # tên\n")
    assert canonical_but_comments(noted, canonical)
    # Text of a block is not a comment: a changed line in it is a change.
    assert not canonical_but_comments(noted.replace("  Dòng hai #", "  Dòng hai ##"),
                                      canonical)
    assert not canonical_but_comments(noted.replace("stars: 4", "stars: 5"), canonical)
    assert not canonical_but_comments(noted.split("\n", 1)[1], canonical)  # no $schema line
    # The $schema line must name the file's own kind (the web editor sorts by it).
    assert not canonical_but_comments(noted.replace("product.schema", "producer.schema"),
                                      canonical)
    assert canonical_but_comments(noted.replace("description: |", "description: |  # ghi"),
                                  canonical)
    assert canonical_but_comments(noted.replace("name: Trà   sen", "name: Trà   sen\t"),
                                  canonical)


def test_comments_are_counted_outside_text_only():
    assert comment_count(MESSY) == 2
    # libyaml's scanner, as yamlsafe reads: tabs PyYAML's own scanner refuses are fine.
    assert comment_count("name: Trà sen\t# c\nn: x\t\n") == 1
    assert comment_count("# yaml-language-server: $schema=x\nd: |\n  ## Tiêu đề\n"
                         "e: \"a # b\"\n") == 0
    # A comment after a block's `|` is inside the block's token, and still a comment.
    assert comment_count("d: | # ghi chú\n  ## Tiêu đề\n  a # b\nn: x # c\n") == 2


def test_fmt_writes_reports_and_check_agrees(mini_project: Path,
                                            capsys: pytest.CaptureFixture[str]):
    target = mini_project / "products" / "htx-thot-not-mau" / "messy.yaml"
    target.write_text(MESSY.replace("tra.jpg", "duong.png"), encoding="utf-8", newline="\n")
    status, out, err = run(mini_project, capsys, "fmt", "--check", "--format", "github")
    assert status == 1
    assert ("::warning file=products/htx-thot-not-mau/messy.yaml,line=1,col=1,title=-::-: not "
            "in the canonical form; run: ocop fmt products/htx-thot-not-mau/messy.yaml"
            ) in out.splitlines()
    assert target.read_text(encoding="utf-8").startswith("# a note")  # --check writes nothing
    status, out, err = run(mini_project, capsys, "fmt", str(target))
    assert (status, err) == (0, "")
    assert out == ("formatted products/htx-thot-not-mau/messy.yaml (2 comments removed: only the "
                   "$schema line is kept)\n1 file(s) formatted, 0 already canonical\n")
    assert target.read_text(encoding="utf-8") == CANONICAL.replace("tra.jpg", "duong.png")
    assert run(mini_project, capsys, "fmt", "--check", str(target))[0] == 0


def test_crlf_line_ends_are_reported_and_made_lf(mini_project: Path,
                                                 capsys: pytest.CaptureFixture[str]):
    """Git checks records out with LF everywhere (.gitattributes); a file uploaded with
    CRLF would change on every line at its first edit in the web editor."""
    target = mini_project / "products" / "htx-thot-not-mau" / "messy.yaml"
    canonical = CANONICAL.replace("tra.jpg", "duong.png")
    target.write_bytes(canonical.replace("\n", "\r\n").encode("utf-8"))
    assert run(mini_project, capsys, "fmt", "--check", str(target))[0] == 1
    assert run(mini_project, capsys, "fmt", str(target))[0] == 0
    assert target.read_bytes() == canonical.encode("utf-8")
    assert "*.yaml text eol=lf" in (ROOT / ".gitattributes").read_text(encoding="utf-8")


def test_fmt_leaves_an_unreadable_file_alone(mini_project: Path,
                                            capsys: pytest.CaptureFixture[str]):
    target = mini_project / "products" / "htx-thot-not-mau" / "broken.yaml"
    target.write_text("name: [Trà\ncategory: x\n", encoding="utf-8")
    status, _, err = run(mini_project, capsys, "fmt", str(target))
    assert status == 1
    assert err.splitlines()[0] == (
        "products/htx-thot-not-mau/broken.yaml:2:9: -: YAML syntax error: did not find "
        "expected ',' or ']' (in the [ ] list that starts at line 1, column 7)")
    assert target.read_text(encoding="utf-8") == "name: [Trà\ncategory: x\n"


def test_fmt_never_reads_through_a_link(mini_project: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]):
    """A pull request may add a link to a file outside the repository; CI runs
    ocop fmt --check on it: refused without reading it, as ocop check does."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: bí mật\n", encoding="utf-8")
    link = mini_project / "products" / "htx-thot-not-mau" / "link.yaml"
    link.symlink_to(secret)
    status, out, err = run(mini_project, capsys, "fmt", "--check", str(link))
    assert status == 1 and "bí mật" not in out + err
    assert err.splitlines()[0] == ("products/htx-thot-not-mau/link.yaml: -: symbolic links "
                                   "are not allowed; commit the file itself")
    assert run(mini_project, capsys, "fmt", str(link))[0] == 1
    assert link.is_symlink() and secret.read_text(encoding="utf-8") == "name: bí mật\n"


def test_fmt_refuses_what_is_not_a_record(mini_project: Path,
                                          capsys: pytest.CaptureFixture[str]):
    status, _, err = run(mini_project, capsys, "fmt", str(mini_project / "mkdocs.yml"))
    assert status == 1
    assert err.splitlines()[0] == (
        "mkdocs.yml: -: not a record file (products/<producer>/*.yaml, "
        "content/points-of-sale/*.yaml or content/fairs/*.yaml)")


def test_every_sample_record_is_canonical(capsys: pytest.CaptureFixture[str]):
    """What CI reports on pull requests: the sample itself is in canonical form."""
    status, out, err = run(ROOT, capsys, "fmt", "--check")
    assert (status, out, err) == (0, "", "")
