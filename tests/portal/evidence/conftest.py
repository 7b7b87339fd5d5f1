"""A database after some use — acknowledgements on the web and at a workplace meeting, quiz
attempts, a person who left — and helpers to export, read and rewrite bundles."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.portal.storage.db import make_engine, session_factory

from ...conftest import REPO
from ..support import csrf, import_demo_roster, make_client, post, sign_in, take_quiz

LEFT = "per.holm"  # not in the second import: left


def seed(root: Path, site: Path, url: str, folder: Path) -> None:
    import_demo_roster(root, url)
    with make_client(root, site, url) as client:
        for person_id, documents in (("anna.lind", ["RUT-001", "RUT-002"]),
                                     ("karin.ostberg", ["RUT-001"]),
                                     ("fatima.ali", ["RUT-006"])):
            sign_in(client, person_id)
            published = client.app.state.portal.published.documents
            for document_id in documents:
                response = post(client, "/api/acknowledgements",
                                {"document_id": document_id,
                                 "version": published[document_id].version})
                assert response.status_code == 201, response.text
        sign_in(client, "karin.ostberg")
        assert take_quiz(client, "ledning-1", right=False).json()["passed"] is False
        assert take_quiz(client, "ledning-1").json()["passed"] is True
        sign_in(client, "lena.nyberg")  # chef för hemtjänst: a workplace meeting
        meeting = client.post("/uppfoljning/enheter/hemtjanst/apt/",
                              data={"csrf_token": csrf(client),
                                    "held_on": dt.date.today().isoformat(),
                                    "dokument": ["RUT-003"],
                                    "deltagare": ["anna.lind", "fatima.ali"]})
        assert meeting.status_code == 303, meeting.text
        client.app.state.engine.dispose()
    lines = (REPO / "demo/personal.csv").read_text(encoding="utf-8-sig").splitlines()
    staying = folder / "personal-2.csv"
    staying.write_text("\n".join(line for line in lines if not line.startswith(LEFT + ";"))
                       + "\n", encoding="utf-8")
    import_demo_roster(root, url, staying)


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The signing key of these tests, outside the shared example repository."""
    path = tmp_path / "evidence-signing-key.pem"
    monkeypatch.setenv("RUTINPORTAL_EVIDENCE_KEY", str(path))
    return path


@pytest.fixture
def seeded(built_example, database_url: str, tmp_path: Path, key_file: Path) -> str:
    seed(built_example.root, built_example.site, database_url, tmp_path)
    return database_url


@contextlib.contextmanager
def session_on(url: str):
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def cli(root: Path, *args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_ROOT": str(root),
                                                       **(env or {})})
    assert "Traceback" not in result.output, result.output
    return result


def export(example, url: str, out: Path, *args: str):
    return cli(example.root, "evidence", "export", "--out", str(out), "--database", url,
               "--site-dir", str(example.site), *args)


def files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               delimiter=";"))


def rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of the bundle with `change` applied to its files (a dict to edit in place)."""
    found = files(source)
    change(found)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in found.items():
            bundle.writestr(name, data)
    return target
