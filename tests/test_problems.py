"""How problems are reported: every error in full, crowded warnings summarised."""

from __future__ import annotations

from generator.source.problems import Position, Problems


def crowded() -> Problems:
    problems = Problems()
    for n in range(12):
        problems.warning(Position(f"products/p{n:02d}/a.yaml", 5, 3), "ocop",
                         f"certificate expires on 0{n % 9 + 1}/01/2027",
                         kind="certificates end within 90 days")
    problems.error(Position("products/p03/a.yaml", 2, 7), "name", "must not be empty")
    problems.warning(Position("products/p05/a.yaml", 6, 10), "ocop.score",
                     "a score of 65 gives 3 stars, not 4", kind="scores that give other stars")
    return problems


def test_a_crowded_kind_of_warning_is_summarised_errors_never():
    assert crowded().report().splitlines() == [
        "products/p00/a.yaml:5:3: ocop: warning: certificate expires on 01/01/2027",
        "products/p01/a.yaml:5:3: ocop: warning: certificate expires on 02/01/2027",
        "products/p02/a.yaml:5:3: ocop: warning: certificate expires on 03/01/2027",
        "products/p03/a.yaml:2:7: name: must not be empty",
        "products/p03/a.yaml:5:3: ocop: warning: certificate expires on 04/01/2027",
        "products/p04/a.yaml:5:3: ocop: warning: certificate expires on 05/01/2027",
        "products/p05/a.yaml:6:10: ocop.score: warning: a score of 65 gives 3 stars, not 4",
        "warning: 12 certificates end within 90 days; the first 5 are shown above "
        "(--verbose lists every one)",
        "1 error(s), 13 warning(s)",
    ]


def test_verbose_lists_every_warning():
    lines = crowded().report(verbose=True).splitlines()
    assert len(lines) == 12 + 1 + 1 + 1
    assert lines[-1] == "1 error(s), 13 warning(s)"
    assert not any("--verbose" in line for line in lines)


def test_a_few_warnings_are_all_listed():
    problems = Problems()
    for n in range(10):
        problems.warning(Position(f"p{n}.yaml", 1, 1), "ocop", "soon", kind="k")
    assert len(problems.report().splitlines()) == 11


def test_check_summarises_and_verbose_lists(write_catalogue, capsys, monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795003200")  # 18/11/2026
    files: dict[str, str | bytes] = {
        "mkdocs.yml": "site_name: x\ndocs_dir: content\nplugins: [ocop]\n",
        "content/index.md": "# x\n",
        "products/co-so/producer.yaml": "name: Cơ sở\ntype: household\n"
                                        "address: {commune: Xã Ô Lâm, province: An Giang}\n",
        "products/co-so/a.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00"
                                 b"\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx"
                                 b"\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00"
                                 b"\x00\x00\x00IEND\xaeB`\x82"),
    }
    for n in range(11):  # issued 2024-01-xx: 36 months end in January 2027
        files[f"products/co-so/sp-{n:02d}.yaml"] = (
            f"name: Sản phẩm {n}\ncategory: gia-vi\nocop: {{stars: 3, decision: 1/QĐ, "
            f"issued: 2024-01-{n + 10:02d}}}\nphotos: [{{file: a.png, alt: Ảnh}}]\n")
    root = write_catalogue(files)
    assert main(["-f", str(root / "mkdocs.yml"), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[5:] == [
        "warning: 11 certificates end within 90 days; the first 5 are shown above "
        "(--verbose lists every one)",
        "0 error(s), 11 warning(s)",
        "OK: 11 products, 1 producers, 0 points of sale, 0 fairs",
    ]
    assert main(["-f", str(root / "mkdocs.yml"), "check", "--verbose"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 11 + 2
