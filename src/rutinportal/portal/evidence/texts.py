"""The approved texts in the bundle: `texter/<ID>/v<N>.md` is the snapshot file exactly as
the repository holds it (`approved/<ID>/v<N>.md`), with its frozen quiz beside it, and read
back for verification by the same code that reads the repository's snapshots."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from ...content.catalogue import Catalogue
from ...content.problems import Problem
from ...content.snapshots import (SNAPSHOT_DIR, Snapshot, frozen_quiz_path, read_snapshot,
                                  snapshot_path)

FOLDER = "texter"


def text_path(doc_id: str, version: int) -> str:
    return f"{FOLDER}/{doc_id}/v{version}.md"


def text_files(catalogue: Catalogue) -> Iterator[tuple[str, bytes]]:
    """(path in the bundle, bytes) of every approved version and its frozen quiz."""
    for doc_id, versions in sorted(catalogue.snapshots.items()):
        for snapshot in versions:
            yield text_path(doc_id, snapshot.version), snapshot.path.read_bytes()
            quiz = frozen_quiz_path(catalogue.root, doc_id, snapshot.version)
            if snapshot.quiz_text is not None and quiz.exists():
                yield f"{FOLDER}/{doc_id}/v{snapshot.version}.quiz.yml", quiz.read_bytes()


def read_texts(files: Mapping[str, bytes]
               ) -> tuple[dict[tuple[str, int], Snapshot], list[Problem]]:
    """The snapshots among `files` (bundle path → bytes), each checked against the SHA-256
    it records, as `rutinportal check` checks the repository's."""
    found: dict[tuple[str, int], Snapshot] = {}
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="rutinportal-verify-") as folder:
        root = Path(folder)
        for name, data in files.items():
            parts = PurePosixPath(name).parts
            if len(parts) != 3 or parts[0] != FOLDER or ".." in parts:
                continue
            target = root / SNAPSHOT_DIR / parts[1] / parts[2]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for path in sorted((root / SNAPSHOT_DIR).glob("*/v*.md")):
            snapshot, snapshot_problems = read_snapshot(path, root)
            shown = f"{FOLDER}/{path.parent.name}/{path.name}"
            problems += [Problem(shown, p.line, p.key, p.message) for p in snapshot_problems]
            if snapshot is not None and path == snapshot_path(root, snapshot.id,
                                                              snapshot.version):
                found[(snapshot.id, snapshot.version)] = snapshot
    return found, problems
