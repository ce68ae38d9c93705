"""National-scale benchmark: our build against a plain Material build, side by side.

    make bench                      # province (600) and national (20,000) scale
    python tools/bench.py --scales province

For each scale it generates a deterministic synthetic catalogue (``ocop synth``, of
the realistic shape unless ``--shape old``),
then measures, each in a fresh child process: validation only (twice: the second
run reads photo verdicts and parsed records from the cache), a cold build
(empty photo and page caches), then two interleaved pairs of a warm rebuild that
renders every page (unchanged photos, page cache off: ``OCOP_PAGE_CACHE=0``) and a
plain Material for MkDocs build of the same number of minimal Markdown pages with
Material's search plugin on (issue 17's reference), and once more plain Material
without search. Then the page cache (render/page_cache.py): two interleaved pairs
of a rebuild with nothing changed (every page reused) and plain Material (after
two builds that are reported apart: the first two with the cache after builds
without it write every page into the kept site), and two alternated pairs of a
rebuild after one product's price was edited: as by default, and in one process
(``OCOP_WORKERS=1``: no forked child, whose copies of the build's memory count
apart; each one's laps are printed after the table), and two interleaved pairs of a
rebuild after mkdocs.yml's description was edited (every page and every writer's file
made again and the page cache filled again, the search words and export pieces
reused: a warm rebuild in which every page changed) and plain Material. Wall time
and CPU time (user + system of the process and every worker it waited for) are both
reported, so that two worker processes cannot hide work. Then the search transfer in Chromium
(tools/bench_search.py): a first header query, the same query typed letter by
letter, a first finder query. It prints a table of figures; nothing here passes or
fails (machines are noisy).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / ".bench"

SCALES = {
    "province": {"products": 600, "producers": 280, "points_of_sale": 30, "fairs": 20},
    "national": {"products": 20000, "producers": 9000, "points_of_sale": 700, "fairs": 300},
}


@dataclass
class Run:
    seconds: float
    #: User + system CPU seconds of the process and the children it waited for.
    cpu: float
    peak_mb: float
    #: Peak of the summed PSS of the process and its workers (Linux; 0 elsewhere).
    pss_mb: float
    output: str


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process has just ended
                todo.extend(int(c) for c in task.read_text().split())
    return out


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


class PssSampler(threading.Thread):
    """Peak of the summed proportional set size of a process tree, sampled every
    0.2 s: shared pages counted once across the main process and its workers."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            total = sum(_pss_kb(p) for p in _tree(self.pid))
            self.peak_kb = max(self.peak_kb, total)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command in a fresh process; wall time, CPU time, that process's peak RSS
    and the peak summed PSS of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    sampler = PssSampler(proc.pid)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    sampler.done.set()
    sampler.join()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-4000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               sampler.peak_kb / 1024, output)


def plain_material(folder: Path, pages: int, search: bool) -> Path:
    """A plain Material site with ``pages`` minimal Markdown pages, none in the nav."""
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Plain\n\nHome.\n", encoding="utf-8")
    for i in range(pages):
        (docs / "p" / f"page-{i}.md").write_text(
            f"# Sản phẩm {i}\n\nMô tả ngắn của sản phẩm số {i}.\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Plain\nsite_url: https://plain.example.vn/\ntheme:\n  name: material\n"
        f"  language: vi\n  font: false\nplugins: {'[search]' if search else '[]'}\n"
        "nav:\n  - index.md\n"
        "not_in_nav: |\n  /p/\n", encoding="utf-8")
    return folder


def html_pages(site: Path) -> list[Path]:
    """Pages MkDocs renders (short verification URLs q/<id>/, en/q/<id>/ … are written
    directly)."""
    return [p for p in site.rglob("*.html") if p.name != "404.html"
            and not p.relative_to(site).as_posix().startswith(("q/", "en/q/"))]


def search_transfer(site: Path, query: str) -> dict[str, int]:
    """Compressed bytes of search steps (tools/bench_search): first header query, the
    query typed, first finder query."""
    sys.path.insert(0, str(ROOT / "tools"))
    import bench_search as bs

    scale = bs.Scale("bench", 0, 0, 0, 0, 0, query)
    product = next(p for p in sorted((site / "san-pham").iterdir())
                   if p.is_dir() and not p.name.startswith("trang-")).name
    ledger = bs.Ledger()
    server, base = bs.serve(site, ledger)
    try:
        steps = bs.browse(base, ledger, scale, f"san-pham/{product}/")
    finally:
        server.shutdown()
        server.server_close()
    typed = next(s for s in steps if "typed" in s.name)
    return {
        "header": next(s for s in steps if s.name.startswith("header: first")).answer,
        "typed index": typed.data,
        "typed photos": typed.images,
        "finder": next(s for s in steps if s.name.startswith("finder: first")).answer,
    }


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_scale(name: str, sizes: dict[str, int], epoch: str,
                photo_size: str | None) -> tuple[dict[str, str], str]:
    project = WORK / name
    if project.exists():
        shutil.rmtree(project)
    env = {"SOURCE_DATE_EPOCH": epoch}
    shape = (["--realistic", "--words", "80-200", "--photo-size", photo_size, "--photos", "1-3"]
             if photo_size else [])
    synth = run([str(BIN / "ocop"), "synth", "--products", str(sizes["products"]),
                 "--producers", str(sizes["producers"]),
                 "--points-of-sale", str(sizes["points_of_sale"]),
                 "--fairs", str(sizes["fairs"]), "--seed", "1", *shape, "--out", str(project)],
                ROOT, env)
    load_before = os.getloadavg()[0]
    check = run([str(BIN / "ocop"), "check"], project, env)
    # Again: photo verdicts and parsed records now come from .cache/ocop.
    check_again = run([str(BIN / "ocop"), "check"], project, env)
    build = [str(BIN / "ocop"), "-f", "mkdocs.yml", "build"]
    cached = {**env, "OCOP_PAGE_CACHE": "1"}
    cold = run(build, project, cached)  # fills the page cache too
    # Every page rendered: what the build costs per page (and a first build costs).
    env = {**env, "OCOP_PAGE_CACHE": "0"}
    site = project / "site"
    pages = html_pages(site)
    plain = plain_material(WORK / f"{name}-plain", len(pages), search=True)
    bare = plain_material(WORK / f"{name}-plain-no-search", len(pages), search=False)
    plain_build = [str(BIN / "mkdocs"), "build", "-q"]
    # What the English catalogue costs: the same warm rebuild, Vietnamese only (first,
    # so that the site measured below is the full one again).
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n- ocop:\n" in text, "ocop synth's mkdocs.yml changed: update the benchmark"
    config.write_text(text.replace("\n- ocop:\n", "\n- ocop:\n    english: false\n", 1),
                      encoding="utf-8")
    vietnamese_only = [run(build, project, env) for _ in range(2)][-1]
    config.write_text(text, encoding="utf-8")
    # Two interleaved pairs: a machine getting busier shows as spread, not as a ratio.
    warms, plains = [], []
    for _ in range(2):
        warms.append(run(build, project, env))
        plains.append(run(plain_build, plain, env))
    bare_run = run(plain_build, bare, env)
    warm = warms[-1]
    # The page cache: nothing changed since the cold build (mkdocs.yml is as it was).
    # The kept site is two folders used in turn (adapter/kept_site.py); a build without
    # the page cache records no page of its own in them, so the first two builds with
    # it write every page again. Reported apart: the pairs below are the everyday case.
    firsts = [run(build, project, cached) for _ in range(2)]
    reuses, reuse_plains = [], []
    for _ in range(2):
        reuses.append(run(build, project, cached))
        reuse_plains.append(run(plain_build, plain, env))
    # One edit, then another in one process: ``OCOP_WORKERS=1`` forks no child (no
    # writers', no digests' child), the build's memory counted once; two alternated
    # pairs, each build after an edit of its own.
    one_edits, lean_edits = [], []
    for _ in range(2):
        edited = _edit_a_price(project)
        one_edits.append(run(build, project, cached))
        _edit_a_price(project)
        lean_edits.append(run(build, project, {**cached, "OCOP_WORKERS": "1"}))
    one_edit = one_edits[-1]
    # A site-wide edit (mkdocs.yml's description, as staff change it): every page and
    # every writer's file made again, the page cache filled again; the search words
    # and export pieces, which do not depend on it, reused. What a warm rebuild costs
    # when every page changes. Two pairs interleaved with plain Material + search.
    wides, wide_plains = [], []
    for i in range(2):
        config.write_text(re.sub(r"(?m)^(site_description: .*)$", rf"\1 ({i + 1})", text,
                                 count=1), encoding="utf-8")
        wides.append(run(build, project, cached))
        wide_plains.append(run(plain_build, plain, env))
    config.write_text(text, encoding="utf-8")
    product_pages = list((site / "san-pham").glob("*/index.html"))
    product_pages = [p for p in product_pages if not p.parent.name.startswith("trang-")]
    largest = max(product_pages, key=lambda p: p.stat().st_size)
    english_pages = [p for p in (site / "en" / "san-pham").glob("*/index.html")
                     if not p.parent.name.startswith("trang-")]
    largest_en = max(english_pages, key=lambda p: p.stat().st_size) if english_pages else None
    search = search_transfer(site, "mam ca linh")
    wall = sorted(w.seconds / p.seconds for w, p in zip(warms, plains, strict=True))
    cpu = sorted(w.cpu / p.cpu for w, p in zip(warms, plains, strict=True))
    reuse_wall = sorted(w.seconds / p.seconds for w, p in zip(reuses, reuse_plains, strict=True))
    reuse_cpu = sorted(w.cpu / p.cpu for w, p in zip(reuses, reuse_plains, strict=True))
    wide_wall = sorted(w.seconds / p.seconds for w, p in zip(wides, wide_plains, strict=True))
    wide_cpu = sorted(w.cpu / p.cpu for w, p in zip(wides, wide_plains, strict=True))
    # Each one-edit build's laps: one build of a pair can take seconds more than the
    # other (the history has such builds); the laps show where.
    laps = "".join(f"\n{name}, {label} {i}: {_laps(build)}"
                   for label, builds in (("one edit", one_edits),
                                         ("one edit, one process", lean_edits),
                                         ("mkdocs.yml edited", wides))
                   for i, build in enumerate(builds, 1))
    photos = re.findall(r"ocop photos: (\d+) processed, (\d+) from cache", warm.output)
    cold_photos = re.findall(r"ocop photos: (\d+) processed, (\d+) from cache", cold.output)
    return {
        "products": f"{sizes['products']:,}",
        "HTML pages": f"{len(pages):,}",
        "synthesis (s)": f"{synth.seconds:.1f}",
        "validation only (s)": f"{check.seconds:.1f}",
        "validation, second run (s)": f"{check_again.seconds:.1f}",
        "cold build (s)": f"{cold.seconds:.1f}",
        "photos processed, cold": cold_photos[-1][0] if cold_photos else "?",
        "warm rebuild (s), two runs": " / ".join(f"{w.seconds:.1f}" for w in warms),
        "warm rebuild, CPU (s)": " / ".join(f"{w.cpu:.1f}" for w in warms),
        "photos processed, warm": photos[-1][0] if photos else "?",
        "plain + search (s), two runs": " / ".join(f"{p.seconds:.1f}" for p in plains),
        "plain + search, CPU (s)": " / ".join(f"{p.cpu:.1f}" for p in plains),
        "plain, no search (s)": f"{bare_run.seconds:.1f}",
        "ratio warm/plain+search, wall": f"{wall[0]:.2f}–{wall[1]:.2f}",
        "ratio warm/plain+search, CPU": f"{cpu[0]:.2f}–{cpu[1]:.2f}",
        "ratio warm/plain no search, wall": f"{warm.seconds / bare_run.seconds:.2f}",
        "pages reused, first two builds after builds without the cache (s)":
            " / ".join(f"{w.seconds:.1f}" for w in firsts),
        "same, pages rendered / reused / left, second of them": _pages_line(firsts[-1]),
        "pages reused: rebuild (s), two runs": " / ".join(f"{w.seconds:.1f}" for w in reuses),
        "pages reused: rebuild, CPU (s)": " / ".join(f"{w.cpu:.1f}" for w in reuses),
        "pages reused: pages rendered / reused / left": _pages_line(reuses[-1]),
        "pages reused: plain + search (s)": " / ".join(f"{p.seconds:.1f}" for p in reuse_plains),
        "pages reused: ratio to plain, wall": f"{reuse_wall[0]:.2f}–{reuse_wall[1]:.2f}",
        "pages reused: ratio to plain, CPU": f"{reuse_cpu[0]:.2f}–{reuse_cpu[1]:.2f}",
        "pages reused: peak PSS (MiB)": f"{max(r.pss_mb for r in reuses):.0f}",
        "one price edited: rebuild (s), two runs":
            " / ".join(f"{r.seconds:.1f}" for r in one_edits),
        "one price edited: CPU (s)": " / ".join(f"{r.cpu:.1f}" for r in one_edits),
        "one price edited: peak PSS (MiB)": " / ".join(f"{r.pss_mb:.0f}" for r in one_edits),
        "one price edited: pages rendered / reused / left": _pages_line(one_edit),
        "one price edited: file": edited,
        "same, one process (OCOP_WORKERS=1): rebuild (s)":
            " / ".join(f"{r.seconds:.1f}" for r in lean_edits),
        "same, one process: CPU (s)": " / ".join(f"{r.cpu:.1f}" for r in lean_edits),
        "same, one process: peak PSS (MiB)": " / ".join(f"{r.pss_mb:.0f}" for r in lean_edits),
        "same, one process: pages rendered / reused / left": _pages_line(lean_edits[-1]),
        "mkdocs.yml edited: rebuild (s), two runs": " / ".join(f"{w.seconds:.1f}" for w in wides),
        "mkdocs.yml edited: CPU (s)": " / ".join(f"{w.cpu:.1f}" for w in wides),
        "mkdocs.yml edited: pages rendered / reused / left": _pages_line(wides[-1]),
        "mkdocs.yml edited: plain + search (s)": " / ".join(
            f"{p.seconds:.1f} ({p.cpu:.1f} CPU)" for p in wide_plains),
        "mkdocs.yml edited: ratio to plain, wall": f"{wide_wall[0]:.2f}–{wide_wall[1]:.2f}",
        "mkdocs.yml edited: ratio to plain, CPU": f"{wide_cpu[0]:.2f}–{wide_cpu[1]:.2f}",
        "mkdocs.yml edited: peak PSS (MiB)": " / ".join(f"{w.pss_mb:.0f}" for w in wides),
        "warm rebuild, Vietnamese only (s)": f"{vietnamese_only.seconds:.1f}",
        "warm rebuild, Vietnamese only, CPU (s)": f"{vietnamese_only.cpu:.1f}",
        "English's cost, wall / CPU": f"{warm.seconds / vietnamese_only.seconds:.2f}× / "
                                      f"{warm.cpu / vietnamese_only.cpu:.2f}×",
        "peak memory, build (MiB)": f"{max(r.peak_mb for r in (cold, *warms)):.0f}",
        "peak PSS, build + workers (MiB)": f"{max(r.pss_mb for r in (cold, *warms)):.0f}",
        # Apart: the cold build's photo workers and the page workers peak differently.
        "peak PSS: cold build / every page rendered (MiB)":
            f"{cold.pss_mb:.0f} / " + " / ".join(f"{w.pss_mb:.0f}" for w in warms),
        "peak memory, plain (MiB)": f"{max(p.peak_mb for p in plains):.0f}",
        "largest product page (KB)": f"{largest.stat().st_size / 1024:.1f}",
        "largest English product page (KB)":
            f"{largest_en.stat().st_size / 1024:.1f}" if largest_en else "-",
        "site size (MB)": f"{folder_size(site) / 1e6:.1f}",
        "search: first query (KB gz)": f"{search['header'] / 1024:.1f}",
        "search typed: index (KB gz)": f"{search['typed index'] / 1024:.1f}",
        "search typed: photos (KB)": f"{search['typed photos'] / 1024:.1f}",
        "finder: first query (KB gz)": f"{search['finder'] / 1024:.1f}",
        "load average, before/after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
    }, _laps(warm) + laps


def _edit_a_price(project: Path) -> str:
    """Raise one product's price (the first product file with a price), as staff would."""
    for path in sorted((project / "products").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"amount: (\d+)", text)
        if path.name != "producer.yaml" and found:
            path.write_text(text.replace(found.group(), f"amount: {int(found.group(1)) + 1000}",
                                         1), encoding="utf-8")
            return path.relative_to(project).as_posix()
    raise SystemExit("no product with a price in the synthetic catalogue")


def _laps(build: Run) -> str:
    """The build's own line of where its time went (``ocop timings``)."""
    found = re.findall(r"ocop timings: (.*)", build.output)
    return found[-1] if found else "?"


def _pages_line(build: Run) -> str:
    """Pages rendered / reused (/ of those, left as they were in the kept site)."""
    found = re.findall(r"ocop pages: (\d+) rendered, (\d+) reused(?: \((\d+) of them)?",
                       build.output)
    if not found:
        return "?"
    rendered, reused, kept = found[-1]
    return f"{int(rendered):,} / {int(reused):,}" + (f" / {int(kept):,}" if kept else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=list(SCALES), choices=list(SCALES))
    parser.add_argument("--epoch", default="1795003200", help="SOURCE_DATE_EPOCH of the builds")
    parser.add_argument("--shape", choices=("realistic", "old"), default="realistic",
                        help="realistic: 80-200-word descriptions, 1-3 camera-like photos a "
                             "product, all official communes, 1-30 products a producer, "
                             "certificate histories; old: the short shape used until "
                             "issue 17 (flattering)")
    parser.add_argument("--photo-size", default="480x360",
                        help="camera-like photo size of the realistic shape (smaller: a "
                             "quicker cold build; the warm rebuild does no photo work)")
    args = parser.parse_args(argv)
    photo_size = args.photo_size if args.shape == "realistic" else None
    WORK.mkdir(exist_ok=True)
    results: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    for name in args.scales:
        results[name], notes[name] = bench_scale(name, SCALES[name], args.epoch, photo_size)
        print(f"[{name}] done", flush=True)
    rows = list(next(iter(results.values())))
    width = max(len(r) for r in rows)
    print(f"{'':{width}}  " + "  ".join(f"{n:>12}" for n in results))
    for row in rows:
        print(f"{row:{width}}  " + "  ".join(f"{results[n][row]:>12}" for n in results))
    for name, note in notes.items():
        print(f"\n{name}, warm rebuild: {note}")
    print(f"\nshape: {args.shape}" + (f", photos {photo_size}" if photo_size else ""))
    print(f"{os.cpu_count()} CPU(s); Python {sys.version.split()[0]}; build time is wall "
          "clock, CPU is user + system of the build and its workers; peak memory is the "
          "largest resident set of one process (workers share pages with it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
