"""LASMIG.txt tells an auditor how to verify the bundle without Rutinportalen: the very
commands written there (OpenSSL for the Ed25519 signature, sha256sum for the files, find for
files added) are run on an unpacked bundle, and fail when a file is changed or added.

OpenSSL, sha256sum and bash must be there: in CI a missing one fails the test."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import cli, export, seed

pytestmark = pytest.mark.build
TOOLS = ("openssl", "sha256sum", "bash", "comm", "find")


def require_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} saknas: kommandona i LASMIG.txt kan inte provas"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def commands(readme: str) -> dict[str, str]:
    """The command lines of LASMIG.txt's second way, by the program they start with."""
    found = {}
    for line in readme.splitlines():
        text = line.strip()
        for program in ("openssl", "sha256sum -c", "find"):
            if text.startswith(program + " ") and program not in found:
                found[program] = text
    return found


def run(command: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True,
                          timeout=60)


def test_the_commands_of_lasmig_verify_the_bundle_and_catch_a_change(
        built_example, tmp_path, key_file) -> None:
    require_tools()
    # The bundle's files do not depend on the database: SQLite is enough here.
    database_url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    seed(built_example.root, built_example.site, database_url, tmp_path)
    out = tmp_path / "bevis.zip"
    assert export(built_example, database_url, out).exit_code == 0
    public = tmp_path / "rutinportal-publik-nyckel.pem"
    public.write_text(cli(built_example.root, "evidence", "public-key").stdout, encoding="ascii")
    folder = tmp_path / "uppackat"
    with zipfile.ZipFile(out) as bundle:
        bundle.extractall(folder)
    found = commands((folder / "LASMIG.txt").read_text(encoding="utf-8"))
    assert set(found) == {"openssl", "sha256sum -c", "find"}
    assert "../rutinportal-publik-nyckel.pem" in found["openssl"]

    signature = run(found["openssl"], folder)
    assert signature.stdout.strip() == "Signature Verified Successfully", signature.stderr
    sums = run(found["sha256sum -c"], folder)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert all(line.endswith(": OK") for line in sums.stdout.splitlines())
    every = [p for p in folder.rglob("*") if p.is_file()]
    assert len(sums.stdout.splitlines()) == len(every) - 3  # all but the manifest and sums
    added = run(found["find"], folder)
    assert (added.returncode, added.stdout) == (0, "")

    (folder / "personal.csv").write_bytes(b"\xef\xbb\xbfPersonid;Namn\r\n")
    (folder / "texter" / "extra.md").write_text("tillagd", encoding="utf-8")
    sums = run(found["sha256sum -c"], folder)
    assert sums.returncode != 0 and "personal.csv: FAILED" in sums.stdout
    assert run(found["find"], folder).stdout == "texter/extra.md\n"
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    signature = run(found["openssl"], folder)
    assert signature.returncode != 0
    assert "Signature Verification Failure" in signature.stdout + signature.stderr
