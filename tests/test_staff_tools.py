"""Editing help for staff: schema lines, `ocop new`, `ocop report expiring`,
GitHub annotations, and the cleaning of hand-written pages' front matter."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest
from conftest import ROOT
from conftest import run_ocop as run

from generator.cli import main
from generator.render.sanitize import clean_page_meta, plain_text, title_text
from generator.source.fields import alternatives, schema_fields, type_hints, unwrap_optional
from generator.source.layout import SourceLayout
from generator.source.problems import Position, Problems, github_annotations
from generator.source.records import RECORD_KINDS
from generator.source.yamlsafe import Mapping, Sequence, parse
from generator.staff.formatting import record_kind, record_paths
from generator.staff.scaffold import render

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def record_files() -> list[tuple[Path, str]]:
    """Every record file of the sample catalogue and the corpus base, with its kind."""
    out = []
    for base in (ROOT, ROOT / "tests" / "corpus" / "_base"):
        layout = SourceLayout.default(base)
        out += [(path, record_kind(layout, path) or "") for path in record_paths(layout)]
    return out


def test_every_sample_file_names_its_schema():
    files = record_files()
    assert len(files) > 80
    for path, kind in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = SCHEMA_LINE.match(first)
        assert match, f"{path.relative_to(ROOT)}: no schema line"
        assert match.group(1) == f"../../generator/schemas/{kind}.schema.json", path
        if "corpus" not in path.parts:  # the corpus base is laid out as a project of its own
            assert (path.parent / match.group(1)).resolve().is_file(), path


# --- ocop new -------------------------------------------------------------------

def field_paths(cls: type, prefix: str = "") -> list[str]:
    """Every field path of a record kind (nested records and list items included)."""
    out = []
    hints = type_hints(cls)
    for f in schema_fields(cls):
        tp, _ = unwrap_optional(hints[f.name])
        if typing.get_origin(tp) is list and dataclasses.is_dataclass(typing.get_args(tp)[0]):
            tp = typing.get_args(tp)[0]
        out.append(prefix + f.name)
        if dataclasses.is_dataclass(tp):
            out.extend(field_paths(tp, f"{prefix}{f.name}."))  # type: ignore[arg-type]
    return out


def uncomment(text: str) -> str:
    """The scaffold with every optional field switched on."""
    return re.sub(r"^( *)# (?=[- ]*[a-z_0-9]+:)", r"\1", text, flags=re.M)


@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_scaffold_lists_every_field_with_its_vietnamese_doc(kind: str):
    cls = RECORD_KINDS[kind]
    text = render(kind)
    assert text.splitlines()[0] == (
        f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json")
    # With optional fields switched on, the file holds every field path of the schema.
    root = parse("x.yaml", uncomment(text).encode())

    def paths(node, prefix=""):
        if not isinstance(node, Mapping):
            return
        for key, (_, value) in node.items.items():
            yield prefix + key
            if isinstance(value, Sequence) and value.items:
                value = value.items[0]
            yield from paths(value, f"{prefix}{key}.")

    assert sorted(paths(root)) == sorted(field_paths(cls))
    hints = type_hints(cls)
    for f in schema_fields(cls):
        line = next(li for li in text.splitlines() if re.match(rf"(# )?{f.name}:", li))
        assert f.metadata["doc"] in line
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        # Of alternatives, the first is written out as the usual choice.
        usual = any(group[0] == f.name for group in alternatives(cls).values())
        assert line.startswith("# ") != (required or usual), line
        tp, _ = unwrap_optional(hints[f.name])
        if typing.get_origin(tp) is typing.Literal:
            assert "một trong: " + ", ".join(typing.get_args(tp)) in line


@pytest.fixture
def project(mini_project: Path) -> Path:
    return mini_project


def test_new_producer_and_product_then_check_names_every_empty_field(
        project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    assert run(project, capsys, "new", "producer", "htx-moi", "--name", 'HTX "Mới"') == (
        0, "Created products/htx-moi/producer.yaml: fill in the empty fields, then run: "
           "ocop check\n", "")
    assert run(project, capsys, "new", "product", "htx-moi", "banh-moi")[0] == 0
    text = (project / "products/htx-moi/producer.yaml").read_text(encoding="utf-8")
    # Bare where YAML reads it back as the same text, quoted where it would not.
    assert 'name: HTX "Mới"' in text
    status, _, err = run(project, capsys, "check")
    assert status == 1
    assert err.splitlines() == [
        "products/htx-moi/banh-moi.yaml:7:1: name: required field has no value; fill it in",
        "products/htx-moi/banh-moi.yaml:9:1: category: required field has no value; fill it in",
        "products/htx-moi/banh-moi.yaml:11:3: ocop.stars: required field has no value; "
        "fill it in",
        "products/htx-moi/banh-moi.yaml:14:3: ocop.decision: required field has no value; "
        "fill it in",
        "products/htx-moi/banh-moi.yaml:16:3: ocop.issued: required field has no value; "
        "fill it in",
        "products/htx-moi/banh-moi.yaml:35:5: photos[0].file: required field has no value; "
        "fill it in",
        "products/htx-moi/banh-moi.yaml:36:5: photos[0].alt: required field has no value; "
        "fill it in",
        "products/htx-moi/producer.yaml:9:1: type: required field has no value; fill it in",
        "products/htx-moi/producer.yaml:12:3: address.commune: required field has no value; "
        "fill it in",
        "products/htx-moi/producer.yaml:13:3: address.province: required field has no value; "
        "fill it in",
        "10 error(s), 0 warning(s)",
    ]


def test_filled_in_scaffold_passes(project: Path, capsys: pytest.CaptureFixture[str],
                                   fixed_date: None):
    """Filling the empty values and switching on an optional group is all it takes."""
    run(project, capsys, "new", "product", "htx-thot-not-mau", "duong-hu-nho")
    path = project / "products/htx-thot-not-mau/duong-hu-nho.yaml"
    values = {"name": "Đường hũ nhỏ", "category": "thuc-pham-che-bien", "stars": "4",
              "issued": "2025-03-01", "decision": "12/QĐ-UBND", "- file": "duong.png",
              "alt": "Hũ đường nhỏ", "# price": "", "# amount": "60000", "# unit": "hũ"}
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rest = line.lstrip()
        indent, key = line[:len(line) - len(rest)], rest.split(":", 1)[0]
        if key in values:
            line = f"{indent}{key.removeprefix('# ')}: {values.pop(key)}"
        lines.append(line)
    assert values == {}
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    status, out, err = run(project, capsys, "check")
    assert (status, err, out.splitlines()[0]) == (0, "", "0 error(s), 0 warning(s)")
    # Canonical but for its comments (the help): no warning on the pull request; fmt
    # would remove the comments, and says so.
    assert run(project, capsys, "fmt", "--check", str(path)) == (0, "", "")
    status, out, _ = run(project, capsys, "fmt", str(path))
    assert status == 0 and "comments removed: only the $schema line is kept" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "producer", "HTX Mới"], "error: 'HTX Mới' is not a valid producer id: use "
         "lower-case ASCII letters, digits and '-' (e.g. htx-thot-not-o-lam)"),
        (["new", "producer", "htx-thot-not-mau"], "error: products/htx-thot-not-mau already "
         "exists; edit its producer.yaml"),
        (["new", "product", "htx-khong-co", "banh"], "error: products/htx-khong-co/producer.yaml "
         "not found; create the producer first: ocop new producer htx-khong-co"),
        (["new", "product", "co-so-mam-mau", "duong-thot-not"], "error: product id "
         "'duong-thot-not' is already used by products/htx-thot-not-mau/duong-thot-not.yaml"),
        (["new", "product", "co-so-mam-mau", "trang-3"], "error: id 'trang-3' is reserved for "
         "the pages of listings; choose another file name"),
        (["new", "producer", "com1"], "error: id 'com1' is a device name on Windows, where no "
         "folder can have it; choose another folder name"),
        (["new", "product", "co-so-mam-mau", "nul"], "error: id 'nul' is a device name on "
         "Windows, where no file can have it; choose another file name"),
        (["new", "product", "co-so-mam-mau", "../x"], "error: '../x' is not a valid product "
         "id: use lower-case ASCII letters, digits and '-' (e.g. htx-thot-not-o-lam)"),
    ],
)
def test_new_refuses(project: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                     message: str):
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert run(project, capsys, *args) == (1, "", message + "\n")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


# --- ocop report expiring ----------------------------------------------------------

def test_report_expiring(project: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch):
    # 2027-03-01: the mini catalogue's sugar (issued 2024-05-12) ends 12/05/2027.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")
    status, out, err = run(project, capsys, "report", "expiring", "--within", "90")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "products/htx-thot-not-mau/duong-thot-not.yaml:10:11: ocop: expires on 12/05/2027 "
        "(72 days): Đường thốt nốt nguyên chất — Hợp tác xã Thốt Nốt Mẫu <&\"Test\"> "
        "(4 stars, decision 86/QĐ-UBND)",
        "1 certificate(s) ending within 90 days of 01/03/2027",
    ]
    status, out, _ = run(project, capsys, "report", "expiring", "--within", "30")
    assert status == 0
    assert out.splitlines() == ["0 certificate(s) ending within 30 days of 01/03/2027"]


def test_report_expiring_csv_includes_expired_and_defuses_formulas(
        project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")
    producer = project / "products/htx-thot-not-mau/producer.yaml"
    text = producer.read_text(encoding="utf-8")
    producer.write_text(re.sub(r"^name: .*$", "name: =1+2", text, flags=re.M),
                        encoding="utf-8")
    status, out, _ = run(project, capsys, "report", "expiring", "--include-expired",
                         "--format", "csv")
    assert status == 0
    rows = out.splitlines()
    assert rows[0] == ("province,commune,expires,days_left,status,product_id,product,"
                       "producer_id,producer,stars,decision,phone,file")
    assert [r.split(",")[5] for r in rows[1:]] == ["ruou-thot-not", "duong-thot-not"]
    assert all(",'=1+2," in r for r in rows[1:])


def test_report_counts_the_current_certificate_of_a_history(
        project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Renewed in time: not listed. Ended with no renewal: listed, at the certificate
    that ended, and the CSV goes commune by commune."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")  # 2027-03-01
    folder = project / "products/htx-thot-not-mau"
    (folder / "ruou-thot-not.yaml").write_text(
        "name: Rượu thốt nốt\ncategory: do-uong-co-con\ncertificates:\n"
        "  - {stars: 3, decision: 12/QĐ-UBND, issued: 2022-01-10}\n"
        "  - {stars: 4, decision: 40/QĐ-UBND, issued: 2025-02-01}\n"
        "photos:\n  - {file: ruou.png, alt: Chai rượu}\n", encoding="utf-8")
    (project / "products/co-so-mam-mau/mam-ca-linh.yaml").write_text(
        "name: Mắm cá linh Châu Đốc\ncategory: gia-vi\ncertificates:\n"
        "  - {stars: 3, decision: 5/QĐ-UBND, issued: 2021-01-05}\n"
        "  - stars: 4\n    decision: 1234/QĐ-UBND\n    issued: 2022-02-01\n"
        "photos:\n  - {file: mam.png, alt: Hũ mắm}\n", encoding="utf-8")
    status, out, _ = run(project, capsys, "report", "expiring", "--include-expired")
    assert status == 0
    assert out.splitlines() == [
        "products/co-so-mam-mau/mam-ca-linh.yaml:7:13: certificates[1]: expired on 01/02/2025 "
        "(758 days ago), not renewed: Mắm cá linh Châu Đốc — Cơ sở Mắm Mẫu "
        "(4 stars, decision 1234/QĐ-UBND)",
        "products/htx-thot-not-mau/duong-thot-not.yaml:10:11: ocop: expires on 12/05/2027 "
        "(72 days): Đường thốt nốt nguyên chất — Hợp tác xã Thốt Nốt Mẫu <&\"Test\"> "
        "(4 stars, decision 86/QĐ-UBND)",
        "2 certificate(s) ending within 90 days of 01/03/2027",
    ]
    status, out, _ = run(project, capsys, "report", "expiring", "--include-expired",
                         "--format", "csv")
    assert [r.split(",")[:6] for r in out.splitlines()[1:]] == [
        ["An Giang", "Phường Châu Đốc", "2025-02-01", "-758", "expired", "mam-ca-linh"],
        ["An Giang", "Xã Ô Lâm", "2027-05-12", "72", "expiring", "duong-thot-not"],
    ]


# --- annotations ------------------------------------------------------------------

def test_github_annotations_escape_data():
    problems = Problems()
    problems.error(Position("products/a,b/x.yaml", 4, 10), "ocop.stars",
                   "must be between 1 and 5; found '7%\n::error::forged'")
    problems.error(Position("products/a"), "-", "missing producer.yaml")
    problems.warning(Position("products/c/y.yaml", 6, 11), "ocop", "certificate expires")
    assert github_annotations(problems).splitlines() == [
        "::error file=products/a,title=-::-: missing producer.yaml",
        "::error file=products/a%2Cb/x.yaml,line=4,col=10,title=ocop.stars::ocop.stars: must be "
        "between 1 and 5; found '7%25%0A::error::forged'",
        "::warning file=products/c/y.yaml,line=6,col=11,title=ocop::ocop: certificate expires",
    ]
    assert github_annotations(problems, strict=True).splitlines()[2].startswith("::error ")


def test_check_format_github(project: Path, capsys: pytest.CaptureFixture[str],
                             fixed_date: None):
    path = project / "products/htx-thot-not-mau/duong-thot-not.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 4", "stars: 9"),
                    encoding="utf-8")
    status, out, err = run(project, capsys, "check", "--format", "github")
    assert status == 1
    assert out.splitlines() == [
        "::error file=products/htx-thot-not-mau/duong-thot-not.yaml,line=5,col=10,"
        "title=ocop.stars::ocop.stars: must be between 3 and 5; found 9"]
    assert err.splitlines()[-1] == "1 error(s), 0 warning(s)"


def test_warnings_fail_only_with_strict(project: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")  # sugar expires in 72 days
    status, out, _ = run(project, capsys, "check")
    assert status == 0
    assert out.splitlines()[0].endswith("ocop: warning: certificate expires on 12/05/2027 "
                                        "(72 days)")
    status, _, err = run(project, capsys, "check", "--strict")
    assert status == 1
    assert err.splitlines()[-1] == "0 error(s), 1 warning(s)"


# --- hand-written pages -----------------------------------------------------------

def test_front_matter_is_cleaned():
    meta = {"title": "A </title><script>", "description": '"><b>', "subtitle": 3,
            "hide": ["toc", "navigation"], "template": "main.html", "icon": "../../x",
            "status": "new\" onclick=\"x", "search": {"exclude": True}}
    removed = clean_page_meta(meta)
    assert meta == {"title": "A ‹/title›‹script›", "description": "&#34;›‹b›", "subtitle": "3",
                    "hide": ["toc", "navigation"], "template": "main.html"}
    allowed = "allowed: description, hide, subtitle, template, title"
    assert removed == [
        f"icon: front-matter field not allowed on hand-written pages; {allowed}",
        f"search: front-matter field not allowed on hand-written pages; {allowed}",
        f"status: front-matter field not allowed on hand-written pages; {allowed}",
    ]
    meta = {"template": "ocop/product.html", "hide": ["toc", {"x": 1}]}
    assert clean_page_meta(meta) == ["hide: value ['toc', {'x': 1}] is not allowed",
                                     "template: value 'ocop/product.html' is not allowed"]
    assert meta == {}


def test_titles_are_plain_text():
    assert title_text("Giá &lt;/title&gt; &amp; <b>rẻ</b>") == "Giá ‹/title› &amp; rẻ"
    assert str(plain_text("a  <b>\n & c")) == "a ‹b› &amp; c"


def test_front_matter_field_not_allowed_fails_check_and_build(
        mini_project: Path, fixed_date: None, capsys: pytest.CaptureFixture[str]):
    from generator.adapter.publish import BuildFailed, build_site

    (mini_project / "content/thu.md").write_text("---\nicon: ../../../x\n---\n# Thử\n",
                                                 encoding="utf-8")
    message = ("content/thu.md:2:1: icon: unknown field; known fields: title, description, "
               "subtitle, hide, template")
    assert main(["-f", str(mini_project / "mkdocs.yml"), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == [message, "1 error(s), 0 warning(s)"]
    with pytest.raises(BuildFailed, match=re.escape(message)):
        build_site(mini_project / "mkdocs.yml", mini_project / "site", strict=True)
    assert not (mini_project / "site").exists()



# --- the publishing guide ------------------------------------------------------------

GUIDE = ROOT / "content" / "huong-dan-dang-tai.md"


def guide_samples() -> dict[str, str]:
    """The guide's YAML samples (indented code blocks), by the schema they name."""
    samples = {}
    for block in re.findall(r"((?:^ {4,}\S.*\n|^\n)+)", GUIDE.read_text(encoding="utf-8"),
                            flags=re.M):
        lines = block.strip("\n").splitlines()
        if not lines:
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        text = "\n".join(line[indent:] for line in lines) + "\n"
        match = SCHEMA_LINE.match(text.splitlines()[0])
        if match:
            samples[Path(match.group(1)).name.split(".")[0]] = text
    return samples


def test_guide_is_linked_from_the_readme_and_the_site_nav():
    assert "(content/huong-dan-dang-tai.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "huong-dan-dang-tai.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["product", "producer"])
def test_guide_explains_every_field(kind: str):
    text = GUIDE.read_text(encoding="utf-8")
    # Written `stars`, `ocop.stars` or `photos[].alt` in the guide's tables.
    missing = [path for path in field_paths(RECORD_KINDS[kind])
               if not re.search(rf"`(?:[\w\[\]]+\.)?{path.rpartition('.')[2]}`", text)]
    assert missing == []


def test_guide_samples_are_valid(write_catalogue, fixed_date: None):
    from generator.pipeline import build_catalogue
    from generator.source.layout import SourceLayout

    samples = guide_samples()
    assert sorted(samples) == ["producer", "product"]
    png = (ROOT / "tests/corpus/_base/products/htx-thu/photo.png").read_bytes()
    root = write_catalogue({
        "products/htx-thot-not-o-lam/producer.yaml": samples["producer"],
        "products/htx-thot-not-o-lam/duong-thot-not.yaml": samples["product"],
        "products/htx-thot-not-o-lam/duong-thot-not-1.jpg": png,
    })
    problems = Problems()
    import datetime as dt

    catalogue = build_catalogue(SourceLayout.default(root), dt.date(2026, 11, 18), problems)
    assert [str(p) for p in problems.items] == []
    assert catalogue.products["duong-thot-not"].price.amount == 85000


def test_committed_json_schemas_match_the_declared_records(tmp_path: Path):
    """Editors underline against generator/schemas/*.json: they must not lag records.py
    (regenerate with `make schemas`)."""
    from generator.source.jsonschema import SCHEMA_DIR, write_schemas

    for path in write_schemas(tmp_path):
        assert path.read_bytes() == (SCHEMA_DIR / path.name).read_bytes(), path.name


def test_report_to_a_file_is_utf8_with_a_byte_order_mark(
        project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")
    target = tmp_path / "het-han.csv"
    status, out, _ = run(project, capsys, "report", "expiring", "--include-expired",
                         "--format", "csv", "--output", str(target))
    assert (status, out) == (0, f"Wrote {target}\n")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfprovince,commune,expires,days_left,")
    assert "Rượu thốt nốt".encode() in data and b"\r\n" in data


def test_report_on_a_windows_code_page_stream_is_utf8(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    """`ocop report > f.csv` on Windows: the redirected stream's encoding is cp1252."""
    import io

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803916800")
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", newline="")
    monkeypatch.setattr("sys.stdout", stream)
    assert main(["-f", str(project / "mkdocs.yml"), "report", "expiring",
                 "--include-expired", "--format", "csv"]) == 0
    stream.flush()
    assert "Rượu thốt nốt" in raw.getvalue().decode("utf-8")
