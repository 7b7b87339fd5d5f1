"""Shared fixtures: throw-away copies of the repository, with or without the example content,
and the example site built once for the whole session (production and preview)."""

from __future__ import annotations

import functools
import json
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from rutinportal.content.quizzes import Quiz, load_quizzes
from rutinportal.site.build import build_site

REPO = Path(__file__).resolve().parent.parent
FRAME = ["mkdocs.yml", "mkdocs-preview.yml", "organisation.yml", "courses.yml", "hooks",
         "overrides", "docs/index.md", "docs/om.md", "docs/taggar.md"]
CONTENT = ["routines", "quizzes", "approved", "docs/utbildning", "docs/lardomar"]



def copy_items(target: Path, items: list[str]) -> None:
    for item in items:
        source = REPO / item
        if not source.exists():
            continue
        destination = target / item
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination)


@dataclass(frozen=True)
class Example:
    """A copy of the repository with the example content, and its builds. Read-only: a test
    that changes content makes its own copy (`example_repo`)."""

    root: Path      # the repository copy (with demo/)
    site: Path      # its production build
    preview: Path   # its --preview build (working copies with the draft banner)

    @functools.cached_property
    def catalog(self) -> dict[str, dict]:
        """The published documents by id, as the portal sees them (catalog.json)."""
        data = json.loads((self.site / "catalog.json").read_text(encoding="utf-8"))
        return {d["id"]: d for d in data["documents"]}

    @functools.cached_property
    def quizzes(self) -> dict[str, Quiz]:
        quizzes, problems = load_quizzes(self.root / "quizzes", self.root)
        assert not problems, problems
        return quizzes


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    """The example repository built once for the session, as production and as preview."""
    root = tmp_path_factory.mktemp("example") / "repo"
    root.mkdir()
    copy_items(root, FRAME + CONTENT + ["demo"])
    site = build_site(root, root / "site")
    preview = build_site(root, root / "site-preview", preview=True)
    return Example(root, site, preview)


@pytest.fixture
def empty_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site frame (config, organisation, hand-written pages) without any documents."""
    root = tmp_path / "repo"
    root.mkdir()
    copy_items(root, FRAME)
    for folder in ("routines", "quizzes", "docs/utbildning", "docs/lardomar"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("RUTINPORTAL_ROOT", str(root))
    return root


@pytest.fixture
def example_repo(empty_repo: Path) -> Path:
    """A copy of the repository with all example content, approvals included."""
    for item in CONTENT:
        target = empty_repo / item
        if target.exists():
            shutil.rmtree(target)
    copy_items(empty_repo, CONTENT)
    return empty_repo


def approved_versions(root: Path, doc_id: str) -> list[int]:
    """The versions of a document approved in a repository (its snapshots), oldest first:
    what a test reads instead of pinning the example content's current version."""
    return sorted(int(p.stem[1:]) for p in (root / "approved" / doc_id).glob("v*.md"))


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


ROUTINE = """
---
id: {id}
title: {title}
owner: Verksamhetschef hemtjänst
status: draft
audience: [hemtjanst]
version: 1
mandatory: true
---

## Syfte

{body}
"""


def routine(root: Path, slug: str = "test-rutin", id: str = "RUT-901",
            title: str = "Testrutin", body: str = "Text för testet.") -> Path:
    return write(root, f"routines/{slug}.md", ROUTINE.format(id=id, title=title, body=body))
