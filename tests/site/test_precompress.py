"""The build's compressed copies: beside every text file, saying exactly what it says, reused
from the build before only when the file is the same."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from rutinportal.site.precompress import MINIMUM_SIZE, precompress

PAGE = ("<html><body>" + "Lås skärmen när du går från datorn. " * 40 + "</body></html>").encode()


def write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_every_text_file_gets_copies_that_say_what_it_says(tmp_path) -> None:
    site = write(tmp_path / "site", {"rutiner/x/index.html": PAGE, "assets/a.css": PAGE,
                                     "search/search_index.json": PAGE, "liten.js": b"x=1",
                                     "bild.png": PAGE})
    assert precompress(site) == 3
    for name in ("rutiner/x/index.html", "assets/a.css", "search/search_index.json"):
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == PAGE
        assert brotli.decompress((site / f"{name}.br").read_bytes()) == PAGE
        assert (site / f"{name}.br").stat().st_size < len(PAGE) / 4
    # Too small to gain anything, or not text: sent as they are.
    assert len(b"x=1") < MINIMUM_SIZE
    assert sorted(p.name for p in site.rglob("*") if p.suffix in (".gz", ".br")
                  and p.stem in ("liten.js", "bild.png")) == []


def test_a_file_unchanged_since_the_build_before_takes_its_copies(tmp_path) -> None:
    before = write(tmp_path / "before", {"same.html": PAGE, "changed.html": PAGE})
    precompress(before)
    new = PAGE.replace(b"datorn", b"rummet")
    after = write(tmp_path / "after", {"same.html": PAGE, "changed.html": new,
                                       "added.html": new})
    assert precompress(after, before) == 2  # compressed here: the changed and the new one
    assert (after / "same.html.br").stat().st_ino == (before / "same.html.br").stat().st_ino
    assert brotli.decompress((after / "changed.html.br").read_bytes()) == new
    assert gzip.decompress((after / "changed.html.gz").read_bytes()) == new
    assert gzip.decompress((after / "added.html.gz").read_bytes()) == new
