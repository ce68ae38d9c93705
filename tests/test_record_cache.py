"""The record cache: the same problems and records with or without it, and never a
pickle it did not sign itself."""

from __future__ import annotations

import os
import pickle
import time
import unicodedata
from pathlib import Path

import pytest

from generator.cli import main
from generator.source import read as source_read
from generator.source import record_cache
from generator.source.record_cache import RecordCache, shard_of, shard_path
from generator.source.records import Producer

PRODUCT = "products/htx-thot-not-mau/ruou-thot-not.yaml"


def cache_file(project: Path, rel: str = PRODUCT) -> Path:
    """The file of the record cache that holds ``rel``'s entry."""
    return shard_path(project / ".cache/ocop", shard_of(rel))


def read_cache(project: Path) -> RecordCache:
    """The project's record cache, every shard of its files read."""
    cache = RecordCache.open(project / ".cache/ocop", project)
    assert cache is not None
    cache.load_all()
    return cache


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["-f", str(project / "mkdocs.yml"), "check"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_second_check_reads_from_the_cache_and_says_the_same(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    path = mini_project / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 3", "stars: 9", 1),
                    encoding="utf-8")
    first = check(mini_project, capsys)
    assert first == (1, f"{PRODUCT}:5:12: certificates[0].stars: must be between 3 and 5; "
                        "found 9\n1 error(s), 0 warning(s)\n")
    assert cache_file(mini_project).is_file()
    cache = read_cache(mini_project)
    assert PRODUCT in cache.old
    assert check(mini_project, capsys) == first
    # An edit is read, not served from the cache.
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 9", "stars: 4", 1),
                    encoding="utf-8")
    status, out = check(mini_project, capsys)
    assert status == 0 and "stars" not in out.split("OK")[0]


def test_a_cache_file_not_signed_by_us_is_never_unpickled(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        tmp_path: Path):
    """A pull request can add .cache/ocop/records-NN.pickle: loading it must not run it."""
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    expected = check(mini_project, capsys)
    payload = pickle.dumps(("any", {PRODUCT: (b"x", pickle.dumps(Exploit()))}))
    for forged in (b"\0" * 32 + payload, payload, b""):
        cache_file(mini_project).write_bytes(forged)
        assert check(mini_project, capsys) == expected
        assert not marker.exists()


def test_cache_of_other_reading_code_is_ignored(mini_project: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str],
                                                fixed_date: None):
    expected = check(mini_project, capsys)
    monkeypatch.setattr("generator.source.record_cache.code_digest", lambda: "other code")
    cache = read_cache(mini_project)
    assert cache.old == {}
    assert check(mini_project, capsys) == expected


def test_without_a_key_nothing_is_cached(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str],
                                         fixed_date: None, tmp_path: Path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the key folder should be", encoding="utf-8")
    monkeypatch.setenv("OCOP_KEY_DIR", str(blocked))
    assert check(mini_project, capsys)[0] == 0
    assert not list((mini_project / ".cache").glob("**/records*"))


def test_a_key_inside_the_project_is_refused(mini_project: Path,
                                             monkeypatch: pytest.MonkeyPatch):
    """A relative OCOP_KEY_DIR, or one inside the checkout, is a key a pull request sets."""
    for folder in (".key", str(mini_project / ".key")):
        monkeypatch.setenv("OCOP_KEY_DIR", folder)
        monkeypatch.chdir(mini_project)
        assert RecordCache.open(mini_project / ".cache/ocop", mini_project) is None
        assert not (mini_project / ".key/record-cache.key").exists()


def test_a_broken_key_is_replaced_and_an_empty_one_never_used(
        mini_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from generator.source import record_cache

    monkeypatch.setenv("OCOP_KEY_DIR", str(tmp_path / "keys"))
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys/record-cache.key").write_bytes(b"")
    key = record_cache.signing_key(mini_project)
    assert key is not None and len(key) == 32
    assert record_cache.signing_key(mini_project) == key


@pytest.mark.parametrize(("given", "expected"), [
    ("ab" * 32, bytes.fromhex("ab" * 32)),
    (" " + "0f" * 32 + "\n", bytes.fromhex("0f" * 32)),  # as a secret may be pasted
    ("ab" * 31, None),  # too short: nothing cached, not a weak key
    ("zz" * 32, None),
    ("", "from the key folder"),  # a secret not configured
])
def test_the_key_may_come_from_a_ci_secret(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                           given: str, expected: object):
    from generator.source import record_cache

    monkeypatch.setenv("OCOP_CACHE_KEY", given)
    key = record_cache.signing_key(mini_project)
    if expected == "from the key folder":
        monkeypatch.delenv("OCOP_CACHE_KEY")
        assert key == record_cache.signing_key(mini_project) and key is not None
    else:
        assert key == expected


def test_a_cache_file_that_is_a_link_is_not_read(mini_project: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 fixed_date: None):
    expected = check(mini_project, capsys)
    linked = cache_file(mini_project)
    linked.unlink()
    try:
        linked.symlink_to("/dev/zero")
    except OSError as exc:
        pytest.skip(f"no symbolic links here: {exc}")
    assert check(mini_project, capsys) == expected


def test_a_record_from_the_cache_points_at_the_same_lines(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    """Problems found after reading (links, groups) name the line of the field, or
    of its nearest written parent, whether the record was parsed or unpickled."""
    path = mini_project / PRODUCT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("category: do-uong-co-con", "category: do-uong", 1)
                    .replace("issued: 2022-01-10", "issued: 2099-01-10", 1),
                    encoding="utf-8")
    first = check(mini_project, capsys)
    assert first[0] == 1
    assert f"{PRODUCT}:2:11: category: 'do-uong' is a group" in first[1]
    assert (f"{PRODUCT}:10:13: certificates[1].issued: issue date 10/01/2099 is after "
            "the build date") in first[1]
    cache = read_cache(mini_project)
    assert PRODUCT in cache.old  # the second check reads it
    assert check(mini_project, capsys) == first


def test_sources_pickle_compactly_and_share_their_field_names():
    from generator.source.fields import Source
    from generator.source.problems import Position

    def made(path: str) -> Source:
        source = Source(path, {"": Position(path, 3, 1)})
        source.add("ocop", Position(path, 4, 3))
        source.add("ocop.stars", Position(path, 5, 12))
        source.add("photos[0]", Position(path, 70000, 5))
        source.add("ocop", Position(path, 6, 3))  # noted again: the later place
        return source

    first, second = (pickle.loads(pickle.dumps(made(p))) for p in ("a.yaml", "b.yaml"))
    assert first == made("a.yaml") and first != second
    assert first.positions == {"": Position("a.yaml", 3, 1), "ocop": Position("a.yaml", 6, 3),
                               "ocop.stars": Position("a.yaml", 5, 12),
                               "photos[0]": Position("a.yaml", 70000, 5)}
    assert first.at("ocop.stars") == Position("a.yaml", 5, 12)
    assert first.at("ocop.decision") == Position("a.yaml", 6, 3)
    assert first.at("photos[0].file") == Position("a.yaml", 70000, 5)
    assert first.at("name") == Position("a.yaml", 3, 1)
    assert Source("c.yaml").at("name") == Position("c.yaml", 1, 1)
    assert pickle.loads(pickle.dumps(Source("c.yaml"))) == Source("c.yaml")
    assert all(a is b for a, b in zip(first.positions, second.positions, strict=True))
    with pytest.raises(ValueError, match=r"not a field of a\.yaml"):
        first.add("name", Position("b.yaml", 1, 1))
    with pytest.raises(OverflowError):
        first.add("name", Position("a.yaml", -1, 1))
    assert first == made("a.yaml")  # unchanged by the refused ones
    for damaged in (("a.yaml", "ocop", b""), ("a.yaml", "ocop\0name", bytes(8))):
        with pytest.raises(ValueError, match=r"a damaged source of a\.yaml"):
            Source.__new__(Source).__setstate__(damaged)



@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_a_file_known_by_its_times_is_not_read_again(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """A file with the size, times and inode it was read with is taken from the cache
    unread; an edit that keeps its size and modification time is still read (its
    change time moved); a file changed within the last seconds is always read."""
    read: list[str] = []

    def opened(path: Path, *args: object, **kwargs: object) -> object:
        if Path(path).is_relative_to(mini_project / "products"):
            read.append(Path(path).relative_to(mini_project).as_posix())
        return open(path, *args, **kwargs)  # the caller closes it

    monkeypatch.setattr(source_read, "open", opened, raising=False)
    monkeypatch.setattr(record_cache, "RACY_NS", 1 << 62)  # every file just written
    first = check(mini_project, capsys)
    assert PRODUCT in read
    # Too recent to be known by its times: read again.
    read.clear()
    assert check(mini_project, capsys) == first and PRODUCT in read
    monkeypatch.setattr(record_cache, "RACY_NS", -1)  # as if written long ago
    assert check(mini_project, capsys) == first  # the times are noted with the entries
    read.clear()
    assert check(mini_project, capsys) == first and read == []
    path = mini_project / PRODUCT
    before = path.stat()
    time.sleep(0.05)  # past the clock's tick: the change time moves
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("stars: 3", "stars: 9", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    status, out = check(mini_project, capsys)
    assert read == [PRODUCT]
    assert status == 1 and "certificates[0].stars: must be between 3 and 5" in out


def test_no_file_is_known_by_its_times_on_windows(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """Windows' st_ctime is the creation time: an edit keeping the size and putting
    the modification time back would go unseen, so every file is read there."""
    path = tmp_path / "producer.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    assert record_cache.stamp_of(Producer, path.stat()) is not None
    monkeypatch.setattr(record_cache.os, "name", "nt")
    assert record_cache.stamp_of(Producer, path.stat()) is None


def test_an_edit_rewrites_only_the_shard_of_its_folder(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """The entries are spread over files by folder: after one edited file, only its
    folder's file is written again; the cache of one file it replaces is removed."""
    # Files known by their times at once: otherwise a run more than 3 s after the copy
    # (a slow machine) stamps every entry anew and rewrites every shard.
    monkeypatch.setattr(record_cache, "RACY_NS", 0)
    folder = mini_project / ".cache/ocop"
    folder.mkdir(parents=True)
    (folder / record_cache.OLD_CACHE_FILE).write_bytes(b"left by an older version")
    expected = check(mini_project, capsys)
    assert not (folder / record_cache.OLD_CACHE_FILE).exists()
    shards = {path.name: path.stat().st_mtime_ns for path in folder.glob("records-*.pickle")}
    assert len(shards) > 1
    time.sleep(0.01)
    assert check(mini_project, capsys) == expected  # nothing changed: nothing written
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("records-*.pickle")} == shards
    path = mini_project / PRODUCT
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    time.sleep(0.01)
    assert check(mini_project, capsys) == expected
    changed = [p.name for p in folder.glob("records-*.pickle")
               if p.stat().st_mtime_ns != shards[p.name]]
    assert changed == [cache_file(mini_project).name]



def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The producer folders' files read one by one (``read_record``), by relative path."""
    from generator.source import load as source_load

    read: list[str] = []
    real = source_load.read_record

    def counted(cls: type, path: Path, layout: object, *args: object) -> object:
        rel = layout.rel(path)  # type: ignore[attr-defined]
        if rel.startswith("products/"):
            read.append(rel)
        return real(cls, path, layout, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(source_load, "read_record", counted)
    return read


def check_without_cache(project: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """What a check with no record cache says (its key cannot be made)."""
    blocked = project.parent / "no-key-here"
    blocked.write_text("not a folder", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_KEY_DIR", str(blocked))
        return check(project, capsys)


@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_an_unchanged_producer_folder_is_taken_whole(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """No file of a folder whose listing and files are as they were is looked at; an
    edit, a photo removed, a file added or a file made a link is seen, in that folder
    only, and reported as a first reading reports it."""
    monkeypatch.setattr(record_cache, "RACY_NS", -1)  # as if written long ago
    read = _counting_reads(monkeypatch)
    folder = mini_project / "products/htx-thot-not-mau"
    path = folder / "ruou-thot-not.yaml"
    first = check(mini_project, capsys)
    assert first[0] == 0 and len(read) == 5  # 2 producers, 3 products
    read.clear()
    assert check(mini_project, capsys) == first and read == []

    def fresh() -> tuple[int, str]:
        said = check_without_cache(mini_project, capsys, monkeypatch)
        read.clear()
        return said

    folder_files = sorted(f"products/htx-thot-not-mau/{name}" for name in
                          ("producer.yaml", "duong-thot-not.yaml", "ruou-thot-not.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 3", "stars: 9", 1),
                    encoding="utf-8")
    edited = check(mini_project, capsys)
    assert sorted(read) == folder_files and edited[0] == 1 and edited == fresh()
    assert "certificates[0].stars: must be between 3 and 5" in edited[1]
    assert check(mini_project, capsys) == edited and read == []
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 9", "stars: 3", 1),
                    encoding="utf-8")
    assert check(mini_project, capsys) == first and sorted(read) == folder_files
    read.clear()

    (folder / "ruou.png").unlink()  # a photo's name is all the loading reads of it
    gone = check(mini_project, capsys)
    assert sorted(read) == folder_files and gone == fresh()
    assert ("products/htx-thot-not-mau/ruou-thot-not.yaml:12:11: photos[0].file: file "
            "'ruou.png' not found in the producer's folder") in gone[1]
    assert check(mini_project, capsys) == gone and read == []

    (folder / "notes.txt").write_text("a note", encoding="utf-8")
    added = check(mini_project, capsys)
    assert "products/htx-thot-not-mau/notes.txt: -: unexpected file" in added[1]
    assert added == fresh()
    (folder / "notes.txt").unlink()
    try:
        (folder / "ruou.png").symlink_to(mini_project / "products/co-so-mam-mau/mam.png")
    except OSError as exc:
        pytest.skip(f"no symbolic links here: {exc}")
    linked = check(mini_project, capsys)
    assert "file 'ruou.png' is a symbolic link, which is not allowed" in linked[1]
    assert linked == fresh()


def test_a_folder_is_read_file_by_file_while_a_file_of_it_is_too_recent(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """Within the clock's tick a second change keeps the times: a folder with a file
    changed just now is not known by its listing (nor anywhere on Windows)."""
    read = _counting_reads(monkeypatch)
    monkeypatch.setattr(record_cache, "RACY_NS", 1 << 62)  # every file just written
    first = check(mini_project, capsys)
    read.clear()
    assert check(mini_project, capsys) == first and len(read) == 5
    assert record_cache.folder_stamp(str(mini_project / "products/co-so-mam-mau"),
                                     (".png",)) is None
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    stamp = record_cache.folder_stamp(str(mini_project / "products/co-so-mam-mau"), (".png",))
    assert stamp is not None and [entry[:2] for entry in stamp[1]] == [
        ("mam-ca-linh.yaml", "f"), ("mam.png", "f"), ("producer.yaml", "f")]
    assert len(stamp[1][1]) == 2  # a photo: its name alone
    monkeypatch.setattr(record_cache.os, "name", "nt")
    assert record_cache.folder_stamp(str(mini_project / "products/co-so-mam-mau"),
                                     (".png",)) is None


@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_a_moved_project_finds_its_photos_where_they_are_now(
        mini_project: Path, fixed_date: None, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path):
    """A folder's load holds its photos' paths: the project moved (its cache with it),
    they are the new place's."""
    from generator.source.layout import SourceLayout
    from generator.source.load import load_records
    from generator.source.problems import Problems

    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    load_records(SourceLayout.default(mini_project), Problems(), 1,
                 mini_project / ".cache/ocop")
    moved = tmp_path / "moved"
    os.rename(mini_project, moved)  # every file keeps its times and inode
    loaded = load_records(SourceLayout.default(moved), Problems(), 1, moved / ".cache/ocop")
    photos = [photo.abs_path for product in loaded.products.values()
              for photo in product.photos]
    assert photos and all(path is not None and path.is_file() and path.is_relative_to(moved)
                          for path in photos)


@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_the_files_entries_are_read_only_for_a_folder_that_changed(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """The folders' entries are read at once; a shard of the files' entries only where
    a file is read one by one (an edited folder, the points of sale and fairs)."""
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    first = check(mini_project, capsys)
    assert check(mini_project, capsys) == first
    read: list[str] = []
    real = RecordCache._read

    def reading(self: RecordCache, path: Path) -> object:
        read.append(path.name)
        return real(self, path)

    monkeypatch.setattr(RecordCache, "_read", reading)
    others = {shard_path(Path(), shard_of(rel)).name for rel in (
        "content/points-of-sale/x.yaml", "content/fairs/x.yaml")}
    assert check(mini_project, capsys) == first
    assert {name for name in read if name.startswith("records-")} == others
    assert len([name for name in read if name.startswith("folders-")]) == record_cache.SHARDS
    # The edited product's folder has a shard of its own in the mini catalogue.
    assert cache_file(mini_project).name not in others
    assert cache_file(mini_project).name not in read
    read.clear()
    path = mini_project / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 3", "stars: 4", 1),
                    encoding="utf-8")
    assert check(mini_project, capsys)[0] == 0
    assert cache_file(mini_project).name in read


@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_a_folder_taken_whole_keeps_its_files_entries(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch):
    """A shard of the files' entries written again (a file of another folder in it
    changed) keeps the entries of the folders taken whole: the build after one of their
    files changes reads that file alone."""
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    monkeypatch.setattr(record_cache, "SHARDS", 1)  # every folder's files in one shard
    first = check(mini_project, capsys)
    assert check(mini_project, capsys) == first
    other = "products/co-so-mam-mau/mam-ca-linh.yaml"
    assert other in read_cache(mini_project).old
    path = mini_project / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 3", "stars: 4", 1),
                    encoding="utf-8")
    edited = check(mini_project, capsys)
    assert edited[0] == 0
    cache = read_cache(mini_project)
    assert other in cache.old and "products/co-so-mam-mau/producer.yaml" in cache.old
    assert PRODUCT in cache.old


def test_a_few_folders_without_an_entry_are_read_in_one_process(
        mini_project: Path, monkeypatch: pytest.MonkeyPatch):
    """Workers read a catalogue whose cache lacks many folders (a cold one), not one
    that lacks a few: a folder whose file was just edited has none (too recent to be
    known by its times), and every build after such an edit read every folder again."""
    from generator.source import load as source_load
    from generator.source.layout import SourceLayout
    from generator.source.problems import Problems

    pools: list[int] = []
    real = source_load.map_in_pool

    def pool(function: object, jobs: list[object], *args: object) -> object:
        pools.append(len(jobs))
        return real(function, jobs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(source_load, "map_in_pool", pool)
    monkeypatch.setattr(source_load, "PARALLEL_MIN_FOLDERS", 2)  # the mini catalogue's
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    folder = mini_project / ".cache/ocop"
    layout = SourceLayout.default(mini_project)
    first = source_load.load_records(layout, Problems(), 2, folder)
    assert len(pools) == 1  # cold: in workers
    cache = RecordCache.open(folder, mini_project)
    assert cache is not None and len(cache.folders_old) == 2
    cache.folders_new = dict(cache.folders_old)
    del cache.folders_new["products/co-so-mam-mau/"]  # as after an edit just now
    cache.save(folder)
    again = source_load.load_records(layout, Problems(), 2, folder)
    assert len(pools) == 1 and again.products == first.products
    cache = RecordCache.open(folder, mini_project)
    assert cache is not None and len(cache.folders_old) == 2


@pytest.mark.skipif(os.name == "nt", reason="Windows reads every file (its st_ctime is "
                    "the creation time)")
def test_a_folder_renamed_swapped_or_linked_is_read_as_a_first_reading_would(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A folder is taken whole by its path and its listing, never by its files alone:
    renamed (to another id, to a name in capitals or with accents, composed or not),
    swapped with another, or moved out of the project and linked back (its files keep
    their times and inodes), a check says what a check without a cache says, and no
    file is read through a link."""
    monkeypatch.setattr(record_cache, "RACY_NS", -1)
    read = _counting_reads(monkeypatch)
    products = mini_project / "products"
    first = check(mini_project, capsys)
    assert first[0] == 0 and check(mini_project, capsys) == first

    def moved(old: str, new: str, an_id: bool = True) -> tuple[int, str]:
        """Rename a folder of products/, check twice; both checks as one without a
        cache, the first reading every file of the renamed folder (none when its new
        name is not ``an_id``: such a folder is reported, not read)."""
        os.rename(products / old, products / new)
        read.clear()
        said = check(mini_project, capsys)
        names = sorted(path.name for path in (products / new).iterdir()
                       if path.suffix == ".yaml") if an_id else []
        assert sorted(rel.rsplit("/", 1)[-1] for rel in read
                      if rel.startswith(f"products/{new}/")) == names
        assert check(mini_project, capsys) == said
        assert said == check_without_cache(mini_project, capsys, monkeypatch)
        return said

    other = moved("htx-thot-not-mau", "htx-thot-not-moi")
    assert "unknown producer 'htx-thot-not-mau'" in other[1]
    assert moved("htx-thot-not-moi", "htx-thot-not-mau") == first
    # Swapped: each path holds the other's files, as they were.
    os.rename(products / "htx-thot-not-mau", products / "swap")
    moved("co-so-mam-mau", "htx-thot-not-mau")
    swapped = moved("swap", "co-so-mam-mau")
    assert swapped != first
    moved("co-so-mam-mau", "swap")
    moved("htx-thot-not-mau", "co-so-mam-mau")
    assert moved("swap", "htx-thot-not-mau") == first
    composed = unicodedata.normalize("NFC", "htx-thốt-nốt")
    for name in ("HTX-thot-not-mau", composed, unicodedata.normalize("NFD", composed)):
        said = moved("htx-thot-not-mau", name, an_id=False)
        shown = unicodedata.normalize("NFC", name)  # the place: as the disk spells it
        assert (f"products/{name}: -: folder name '{shown}' is not a valid producer id"
                in said[1])
        os.rename(products / name, products / "htx-thot-not-mau")
    assert check(mini_project, capsys) == first

    outside = tmp_path / "outside"
    os.rename(products / "htx-thot-not-mau", outside)
    try:
        (products / "htx-thot-not-mau").symlink_to(outside, target_is_directory=True)
    except OSError as exc:
        pytest.skip(f"no symbolic links here: {exc}")
    read.clear()
    linked = check(mini_project, capsys)
    assert read == []
    assert ("products/htx-thot-not-mau: -: symbolic links are not allowed; commit the "
            "file itself") in linked[1]
    assert linked == check_without_cache(mini_project, capsys, monkeypatch)
    (products / "htx-thot-not-mau").unlink()
    os.rename(outside, products / "htx-thot-not-mau")
    assert check(mini_project, capsys) == first
